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

/// Quotations of at most this many words may be scare quotes ("scarecrow"), so whatever is said
/// about them is reported at a code's `scare_quote_severity`.
pub const SCARE_QUOTE_WORDS: usize = 2;

/// Defines `Code` from one table, so that the list of codes, their names, severities and summaries
/// cannot disagree, and no code can be reported without being listed (`tests/docs.rs` holds the
/// README's table to it).
macro_rules! codes {
    (@scare $severity:ident) => { Severity::$severity };
    (@scare $severity:ident $scare:ident) => { Severity::$scare };
    ($($variant:ident: $name:literal, $severity:ident $(($scare:ident for scare quotes))?, $summary:literal;)+) => {
        /// A diagnostic code: a stable name that the CLI, the server and the docs share.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Code {
            $($variant),+
        }

        impl Code {
            /// Every code.
            pub const ALL: &'static [Code] = &[$(Code::$variant),+];

            pub const fn name(self) -> &'static str {
                match self {
                    $(Code::$variant => $name),+
                }
            }

            /// What a finding with this code is reported at.
            pub const fn severity(self) -> Severity {
                match self {
                    $(Code::$variant => Severity::$severity),+
                }
            }

            /// What a finding about a quotation of at most `SCARE_QUOTE_WORDS` words is reported at.
            pub const fn scare_quote_severity(self) -> Severity {
                match self {
                    $(Code::$variant => codes!(@scare $severity $($scare)?)),+
                }
            }

            /// One sentence on what the code means (SARIF's rule description).
            pub const fn summary(self) -> &'static str {
                match self {
                    $(Code::$variant => $summary),+
                }
            }
        }
    };
}

codes! {
    UnknownSource: "unknown-source", Error, "A citation names no article in the corpus.";
    AmbiguousSource: "ambiguous-source", Error, "A citation could name several articles.";
    QuoteWrongSource: "quote-wrong-source", Warning (Hint for scare quotes), "A quotation is found in the corpus, but not in the cited articles.";
    QuoteNotFound: "quote-not-found", Warning (Hint for scare quotes), "A quotation is found nowhere in the sources.";
    QuoteUncited: "quote-uncited", Hint, "A quotation is found in the corpus, but its sentence cites nothing.";
    QuoteWrongPage: "quote-wrong-page", Hint, "A quotation is in the cited PDF, but not on the page the citation gives.";
    FigureContradiction: "figure-contradiction", Warning, "A figure contradicts what the sources say about the same measure.";
    FigureUnsupported: "figure-unsupported", Information, "A cited article says nothing about this figure's measure.";
}

impl Code {
    /// Whether a finding with this code depends on what the articles say (every code but those
    /// about citation keys, which the list of articles answers alone).
    pub const fn reads_articles(self) -> bool {
        !matches!(self, Code::UnknownSource | Code::AmbiguousSource)
    }

    /// What a finding with this code about a quotation of `words` words is reported at.
    pub const fn quote_severity(self, words: usize) -> Severity {
        if words <= SCARE_QUOTE_WORDS {
            self.scare_quote_severity()
        } else {
            self.severity()
        }
    }
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
    pub code: Code,
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
