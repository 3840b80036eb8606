//! What analysis reports: findings (diagnostics) with related places and fixes,
//! and the places answers point at. Plain data with byte ranges.

use std::ops::Range;

use crate::analysis::corpus::ArticleId;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
    Information,
    Hint,
}

impl Severity {
    pub fn name(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Information => "information",
            Severity::Hint => "hint",
        }
    }
}

/// Stable diagnostic codes: the CLI, the server and the docs share these strings.
pub mod codes {
    pub const UNKNOWN_SOURCE: &str = "unknown-source";
    pub const AMBIGUOUS_SOURCE: &str = "ambiguous-source";
    pub const QUOTE_WRONG_SOURCE: &str = "quote-wrong-source";
    pub const QUOTE_NOT_FOUND: &str = "quote-not-found";
    pub const QUOTE_UNCITED: &str = "quote-uncited";
    pub const FIGURE_CONTRADICTION: &str = "figure-contradiction";
    pub const FIGURE_UNSUPPORTED: &str = "figure-unsupported";
}

/// A place in an article (the corpus) or in the note being analysed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Place {
    Article { article: ArticleId, range: Range<usize> },
    Note { path: String, range: Range<usize> },
}

#[derive(Clone, Debug, PartialEq)]
pub struct Related {
    pub place: Place,
    pub message: String,
}

/// A text edit in the note the finding is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    pub range: Range<usize>,
    pub new_text: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Fix {
    pub title: String,
    pub edits: Vec<Edit>,
    pub preferred: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    pub range: Range<usize>,
    pub severity: Severity,
    pub code: &'static str,
    pub message: String,
    pub related: Vec<Related>,
    pub fixes: Vec<Fix>,
}

/// Markdown for a hover, and the note range it describes.
#[derive(Clone, Debug, PartialEq)]
pub struct Hover {
    pub range: Range<usize>,
    pub markdown: String,
}

/// Where go-to-definition leads.
pub type Target = Place;
