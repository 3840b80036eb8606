//! Open documents as ropes, with versions and a generation counter.
//!
//! Edits are applied here synchronously and in arrival order; the generation
//! (unique across all documents) lets background work tell whether its result
//! is still about the current text.

use std::collections::HashMap;
use std::sync::Arc;

use ropey::Rope;

use crate::analysis::cancel::CancelToken;
use crate::analysis::checks::diagnostics::BlockFindings;
use crate::analysis::checks::findings::Finding;
use crate::analysis::note::Note;
use crate::convert::{rope_char_index, Encoding, Position};
use crate::lsp::diagnostics::{DiagnosticsCache, Report};

/// One incremental or full change, in editor positions.
pub struct Change {
    pub range: Option<(Position, Position)>,
    pub text: String,
}

pub struct Document {
    /// File path (or the URI itself for unsaved buffers), as the core knows the note.
    pub path: String,
    pub rope: Rope,
    pub version: i32,
    pub generation: u64,
    /// The note parsed from the current text, its findings (block by block, and in one list once a
    /// quick fix asked for them) and its diagnostics, once computed.
    pub parsed: Option<Arc<Note>>,
    pub blocks: Option<Arc<Vec<BlockFindings>>>,
    pub findings: Option<Arc<Vec<Finding>>>,
    pub report: Option<Arc<Report>>,
    /// Findings and converted diagnostics per block, so that an edit re-checks and re-converts
    /// only the blocks it touched.
    pub cache: Arc<std::sync::Mutex<DiagnosticsCache>>,
    /// Cancelled when this text is superseded (a newer edit, closing, a new corpus): analyses of it
    /// stop at their next checkpoint.
    pub superseded: CancelToken,
    /// The line the analyst was last at (the start of an edit, a hover, a definition): the
    /// evidence for hovers is looked up nearest it first. The top when a note opens.
    pub focus_line: u32,
}

impl Document {
    /// Forgets what was computed from the text against the corpus, and stops analyses under way.
    pub fn supersede(&mut self) {
        self.superseded.cancel();
        self.superseded = CancelToken::new();
        self.blocks = None;
        self.findings = None;
        self.report = None;
    }
}

#[derive(Debug, PartialEq, Eq)]
pub enum ChangeOutcome {
    Applied,
    /// The version is not newer than the one held: the change was already seen or is out of order.
    Stale {
        held: i32,
    },
    UnknownDocument,
}

#[derive(Default)]
pub struct Documents {
    open: HashMap<String, Document>,
    next_generation: u64,
}

impl Documents {
    fn bump(&mut self) -> u64 {
        self.next_generation += 1;
        self.next_generation
    }

    pub fn open(&mut self, uri: &str, path: String, text: &str, version: i32) -> u64 {
        let generation = self.bump();
        self.open.insert(
            uri.to_string(),
            Document {
                path,
                rope: Rope::from_str(text),
                version,
                generation,
                parsed: None,
                blocks: None,
                findings: None,
                report: None,
                cache: Default::default(),
                superseded: CancelToken::new(),
                focus_line: 0,
            },
        );
        generation
    }

    pub fn close(&mut self, uri: &str) -> Option<Document> {
        let closed = self.open.remove(uri);
        if let Some(document) = &closed {
            document.superseded.cancel();
        }
        closed
    }

    /// Every open document's analyses are superseded (the corpus changed).
    pub fn supersede_all(&mut self) {
        self.open.values_mut().for_each(Document::supersede);
    }

    pub fn get(&self, uri: &str) -> Option<&Document> {
        self.open.get(uri)
    }

    pub fn get_mut(&mut self, uri: &str) -> Option<&mut Document> {
        self.open.get_mut(uri)
    }

    pub fn uris(&self) -> impl Iterator<Item = &String> {
        self.open.keys()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&String, &Document)> {
        self.open.iter()
    }

    /// Applies changes in order. Ranges out of bounds are clamped, reversed ranges are
    /// reordered: an editor's mistake must not corrupt the text or crash the server.
    pub fn change(&mut self, uri: &str, version: i32, changes: Vec<Change>, encoding: Encoding) -> ChangeOutcome {
        let generation = self.next_generation + 1;
        let Some(document) = self.open.get_mut(uri) else {
            return ChangeOutcome::UnknownDocument;
        };
        if version <= document.version {
            return ChangeOutcome::Stale { held: document.version };
        }
        for change in changes {
            match change.range {
                None => document.rope = Rope::from_str(&change.text),
                Some((start, end)) => {
                    let start_position = start.min(end);
                    let mut start = rope_char_index(&document.rope, start, encoding);
                    let mut end = rope_char_index(&document.rope, end, encoding);
                    if end < start {
                        std::mem::swap(&mut start, &mut end);
                    }
                    document.rope.remove(start..end);
                    document.rope.insert(start, &change.text);
                    document.focus_line = start_position.line;
                }
            }
        }
        document.version = version;
        document.generation = generation;
        document.parsed = None;
        document.supersede();
        self.next_generation = generation;
        ChangeOutcome::Applied
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(line: u32, character: u32) -> Position {
        Position { line, character }
    }

    #[test]
    fn incremental_changes_count_utf16_units() {
        let mut documents = Documents::default();
        documents.open("u", "/n.md".into(), "“Hé” 😀 x\nnext", 1);
        // Replace `x` (after the emoji: 1+1+1+1+1+2+1 = 8 units) with `y`.
        let change = Change { range: Some((at(0, 8), at(0, 9))), text: "y".into() };
        assert_eq!(documents.change("u", 2, vec![change], Encoding::Utf16), ChangeOutcome::Applied);
        assert_eq!(documents.get("u").unwrap().rope.to_string(), "“Hé” 😀 y\nnext");
    }

    #[test]
    fn the_focus_follows_the_start_of_the_last_edit_and_a_whole_text_leaves_it() {
        let mut documents = Documents::default();
        documents.open("u", "/n.md".into(), "“Un”\n— deux\ntrois", 1);
        assert_eq!(documents.get("u").unwrap().focus_line, 0, "a note opens at its top");
        let backwards = Change { range: Some((at(2, 3), at(1, 1))), text: "é".into() };
        documents.change("u", 2, vec![backwards], Encoding::Utf16);
        assert_eq!(documents.get("u").unwrap().focus_line, 1);
        documents.change("u", 3, vec![Change { range: None, text: "a\nb\nc".into() }], Encoding::Utf16);
        assert_eq!(documents.get("u").unwrap().focus_line, 1);
    }

    #[test]
    fn stale_versions_are_refused_and_bad_ranges_clamped() {
        let mut documents = Documents::default();
        documents.open("u", "/n.md".into(), "abc", 5);
        let stale = Change { range: None, text: "zzz".into() };
        assert_eq!(documents.change("u", 5, vec![stale], Encoding::Utf16), ChangeOutcome::Stale { held: 5 });
        let reversed = Change { range: Some((at(0, 99), at(0, 1))), text: "!".into() };
        assert_eq!(documents.change("u", 6, vec![reversed], Encoding::Utf16), ChangeOutcome::Applied);
        assert_eq!(documents.get("u").unwrap().rope.to_string(), "a!");
        let past_end = Change { range: Some((at(9, 0), at(9, 0))), text: "\nend".into() };
        documents.change("u", 7, vec![past_end], Encoding::Utf16);
        assert_eq!(documents.get("u").unwrap().rope.to_string(), "a!\nend");
        assert_eq!(documents.change("nope", 8, vec![], Encoding::Utf16), ChangeOutcome::UnknownDocument);
    }

    #[test]
    fn an_edit_or_closing_cancels_the_analyses_of_the_text_it_replaces() {
        let mut documents = Documents::default();
        documents.open("u", "/n.md".into(), "“Before” — 139 killed [@000].", 1);
        let running = documents.get("u").unwrap().superseded.child();
        let edit = Change { range: None, text: "“After” — 140 killed [@000].".into() };
        documents.change("u", 2, vec![edit], Encoding::Utf16);
        assert!(running.is_cancelled(), "a run over version 1 stops at its next checkpoint");
        let current = documents.get("u").unwrap().superseded.child();
        assert!(!current.is_cancelled(), "version 2's analyses go on");
        documents.close("u");
        assert!(current.is_cancelled(), "closing stops them");
    }
}
