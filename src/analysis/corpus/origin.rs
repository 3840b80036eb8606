//! Where an article's text comes from. A `.txt` or `.md` article *is* its file; a saved web page
//! or a PDF is read into plain text first, and answers must still point into the real file: the
//! line of the page where a sentence stands, the page of the PDF it is printed on. No I/O here.

use serde::{Deserialize, Serialize};

use crate::analysis::text::date::Date;

/// The kind of file an article was read from, and how offsets of its text map back to the file.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub enum Origin {
    /// The text is the file's text: offsets are the file's offsets.
    #[default]
    Text,
    /// Text extracted from a saved web page; `anchors` map it back to the file's lines.
    Html { anchors: Vec<Anchor>, file_hash: u64 },
    /// Text extracted from a PDF; `page_starts[n]` is the text offset where page `n + 1` begins.
    Pdf { page_starts: Vec<u32>, file_hash: u64 },
}

/// From this offset of the extracted text on, the text runs verbatim from this place of the file
/// (until the next anchor).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Anchor {
    pub text: u32,
    /// 0-based line of the file, and the column there in UTF-8 bytes and in UTF-16 units.
    pub line: u32,
    pub utf8: u32,
    pub utf16: u32,
}

/// A place in the file an article was read from: a 0-based line and its column in both encodings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FilePlace {
    pub line: u32,
    pub utf8: u32,
    pub utf16: u32,
}

impl Origin {
    /// The 1-based page holding `offset` of the text, for articles read from a PDF.
    pub fn page_of(&self, offset: usize) -> Option<u32> {
        match self {
            Origin::Pdf { page_starts, .. } => Some(page_starts.partition_point(|&start| start as usize <= offset).max(1) as u32),
            _ => None,
        }
    }

    pub fn page_count(&self) -> Option<u32> {
        match self {
            Origin::Pdf { page_starts, .. } => Some(page_starts.len() as u32),
            _ => None,
        }
    }

    /// The place in a web page's file of `offset` in its extracted `text`; `None` for other kinds.
    pub fn place_in_page(&self, text: &str, offset: usize) -> Option<FilePlace> {
        let Origin::Html { anchors, .. } = self else { return None };
        let offset = crate::analysis::text::floor_char_boundary(text, offset.min(text.len()));
        let index = anchors.partition_point(|a| a.text as usize <= offset).checked_sub(1)?;
        let anchor = anchors[index];
        let between = text.get(anchor.text as usize..offset).unwrap_or("");
        Some(FilePlace {
            line: anchor.line,
            utf8: anchor.utf8 + between.len() as u32,
            utf16: anchor.utf16 + between.encode_utf16().count() as u32,
        })
    }

    /// What the reader is told the article was read from.
    pub fn kind(&self) -> &'static str {
        match self {
            Origin::Text => "text",
            Origin::Html { .. } => "web page",
            Origin::Pdf { .. } => "PDF",
        }
    }

    /// The hash of the file's bytes, for kinds whose text is not the file's text.
    pub fn file_hash(&self) -> Option<u64> {
        match self {
            Origin::Text => None,
            Origin::Html { file_hash, .. } | Origin::Pdf { file_hash, .. } => Some(*file_hash),
        }
    }
}

/// Facts about an article stated outside its copy: a page's meta tags, a PDF's document
/// information, or the analyst's row in the sources file. Each field is known or not.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Metadata {
    pub title: Option<String>,
    pub outlet: Option<String>,
    pub date: Option<Date>,
    pub url: Option<String>,
    pub author: Option<String>,
}

impl Metadata {
    /// Each field of `self`, else of `other`.
    pub fn or(&self, other: &Metadata) -> Metadata {
        Metadata {
            title: self.title.clone().or_else(|| other.title.clone()),
            outlet: self.outlet.clone().or_else(|| other.outlet.clone()),
            date: self.date.or(other.date),
            url: self.url.clone().or_else(|| other.url.clone()),
            author: self.author.clone().or_else(|| other.author.clone()),
        }
    }

    pub fn is_empty(&self) -> bool {
        *self == Metadata::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_hold_the_offsets_from_their_start_to_the_next_page() {
        let origin = Origin::Pdf { page_starts: vec![0, 10, 25], file_hash: 0 };
        assert_eq!([0, 9, 10, 24, 25, 1000].map(|o| origin.page_of(o).unwrap()), [1, 1, 2, 2, 3, 3]);
        assert_eq!(Origin::Text.page_of(3), None);
    }

    #[test]
    fn a_page_offset_maps_through_its_anchor_in_both_encodings() {
        // Extracted text "“Hi” there": the quotation stands on line 4, column 10 of the page.
        let text = "“Hi” there";
        let origin = Origin::Html { anchors: vec![Anchor { text: 0, line: 4, utf8: 10, utf16: 10 }], file_hash: 0 };
        let there = text.find("there").unwrap();
        assert_eq!(origin.place_in_page(text, there), Some(FilePlace { line: 4, utf8: 10 + there as u32, utf16: 15 }));
        assert_eq!(origin.place_in_page(text, 10_000).unwrap().line, 4, "past the end clamps");
    }
}
