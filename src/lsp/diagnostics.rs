//! A note's diagnostics, computed block by block and kept per block: the core's findings (its
//! `BlockCache`) and their conversion to LSP diagnostics, both reused for every block an edit did
//! not touch. Pushed (`publish.rs`) or pulled (`pull.rs`), a report comes from `Shared::analyse`
//! (`reports.rs`).
//!
//! A block's LSP ranges depend on its line, which an edit above it changes. Converted diagnostics
//! are kept with lines relative to the block's first line and moved to where the block is now.
//! Their key is the block's findings key (its text and everything its findings read) and the
//! column the block starts at (a list item's text starts after its marker); the cache is emptied
//! when the corpus snapshot or the position encoding changes, since related locations point into
//! articles. A block whose findings reach past its end is converted afresh every time.
//!
//! A report keeps them that way too (`NoteDiagnostics`): each block's diagnostics shared with the
//! cache, and the line the block starts at. An edit copies none of them; publishing serialises
//! each one moved to its line.

use std::collections::HashMap;
use std::sync::Arc;

use tower_lsp_server::ls_types as lsp;

use crate::analysis::cancel::{CancelToken, Cancelled};
use crate::analysis::checks::diagnostics::{check_blocks, BlockCache, BlockFindings};
use crate::analysis::checks::Snapshot;
use crate::analysis::note::Note;
use crate::convert::{to_position, Encoding};
use crate::lsp::to_proto;

/// Findings and converted diagnostics per block, for one open document.
#[derive(Default)]
pub struct DiagnosticsCache {
    findings: BlockCache,
    /// Converted diagnostics of a block, lines relative to the block's first line.
    converted: HashMap<ConvertedKey, Arc<Vec<lsp::Diagnostic>>>,
    corpus_generation: u64,
    encoding: Encoding,
    /// Blocks with findings that the last run converted, and those whose conversion it reused.
    pub converted_blocks: usize,
    pub reused_blocks: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct ConvertedKey {
    findings: u64,
    first_column: u32,
}

/// A note's findings, block by block (`findings_in_note` makes one list of them), and its LSP
/// diagnostics, in the order of the note.
pub struct Diagnosed {
    pub blocks: Vec<BlockFindings>,
    pub diagnostics: NoteDiagnostics,
}

/// A note's LSP diagnostics, in the order of the note, as blocks of them: each shared with the
/// cache, its lines counted from `first_line`. Serialised as the JSON array of the diagnostics.
#[derive(Clone, Debug, Default)]
pub struct NoteDiagnostics {
    blocks: Vec<PlacedBlock>,
}

#[derive(Clone, Debug)]
struct PlacedBlock {
    first_line: u32,
    diagnostics: Arc<Vec<lsp::Diagnostic>>,
}

impl NoteDiagnostics {
    pub fn len(&self) -> usize {
        self.blocks.iter().map(|block| block.diagnostics.len()).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.blocks.iter().all(|block| block.diagnostics.is_empty())
    }

    /// Each diagnostic as it is in the note (a copy, at its line).
    pub fn to_vec(&self) -> Vec<lsp::Diagnostic> {
        let placed = self.blocks.iter().flat_map(|block| block.diagnostics.iter().map(|d| (d, block.first_line)));
        placed.map(|(diagnostic, first_line)| move_lines(diagnostic.clone(), |line| line + first_line)).collect()
    }
}

/// Diagnostics placed as they are (one block starting at the first line).
impl From<Vec<lsp::Diagnostic>> for NoteDiagnostics {
    fn from(diagnostics: Vec<lsp::Diagnostic>) -> NoteDiagnostics {
        NoteDiagnostics { blocks: vec![PlacedBlock { first_line: 0, diagnostics: Arc::new(diagnostics) }] }
    }
}

impl serde::Serialize for NoteDiagnostics {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut sequence = serializer.serialize_seq(Some(self.len()))?;
        for block in &self.blocks {
            for diagnostic in block.diagnostics.iter() {
                sequence.serialize_element(&Moved::new(diagnostic, block.first_line))?;
            }
        }
        sequence.end()
    }
}

/// An `lsp::Diagnostic` serialised with its lines moved down by `lines`, borrowing the rest: the
/// same fields, names and omissions as its own `Serialize` (the pattern in `new` names every
/// field, so that one added to `lsp::Diagnostic` does not compile until it is added here).
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct Moved<'a> {
    range: lsp::Range,
    #[serde(skip_serializing_if = "Option::is_none")]
    severity: Option<&'a lsp::DiagnosticSeverity>,
    #[serde(skip_serializing_if = "Option::is_none")]
    code: Option<&'a lsp::NumberOrString>,
    #[serde(skip_serializing_if = "Option::is_none")]
    code_description: Option<&'a lsp::CodeDescription>,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<&'a String>,
    message: &'a String,
    #[serde(skip_serializing_if = "Option::is_none")]
    related_information: Option<&'a Vec<lsp::DiagnosticRelatedInformation>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tags: Option<&'a Vec<lsp::DiagnosticTag>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    data: Option<&'a serde_json::Value>,
}

impl<'a> Moved<'a> {
    fn new(diagnostic: &'a lsp::Diagnostic, lines: u32) -> Moved<'a> {
        let lsp::Diagnostic { range, severity, code, code_description, source, message, related_information, tags, data } = diagnostic;
        let mut range = *range;
        range.start.line += lines;
        range.end.line += lines;
        Moved {
            range,
            severity: severity.as_ref(),
            code: code.as_ref(),
            code_description: code_description.as_ref(),
            source: source.as_ref(),
            message,
            related_information: related_information.as_ref(),
            tags: tags.as_ref(),
            data: data.as_ref(),
        }
    }
}

impl DiagnosticsCache {
    /// The findings and diagnostics of `note`, checking and converting only the blocks that no
    /// earlier run of this cache saw; `Err` once `cancel` is cancelled (see `check_blocks`).
    pub fn diagnose(&mut self, corpus: &Snapshot, note: &Note, encoding: Encoding, cancel: &CancelToken) -> Result<Diagnosed, Cancelled> {
        let blocks = check_blocks(corpus, note, &mut self.findings, cancel)?;
        if self.corpus_generation != corpus.generation() || self.encoding != encoding {
            self.converted.clear();
            (self.corpus_generation, self.encoding) = (corpus.generation(), encoding);
        }
        let (mut converted_blocks, mut reused_blocks) = (0, 0);
        let mut used = HashMap::new();
        let mut diagnostics = NoteDiagnostics::default();
        for block in blocks.iter().filter(|block| !block.findings.is_empty()) {
            let first = to_position(&note.text, &note.line_index, block.span.start, encoding);
            let key = ConvertedKey { findings: block.key, first_column: first.character };
            let relative = match self.converted.get(&key).or_else(|| used.get(&key)) {
                Some(relative) => {
                    reused_blocks += 1;
                    Arc::clone(relative)
                }
                None => {
                    converted_blocks += 1;
                    let converted = convert(block, note, corpus, encoding);
                    if block.findings.iter().any(|finding| finding.range.end > block.span.len()) {
                        // Reads text past the block: not reusable, and placed as it is.
                        diagnostics.blocks.push(PlacedBlock { first_line: 0, diagnostics: Arc::new(converted) });
                        continue;
                    }
                    Arc::new(converted.into_iter().map(|d| move_lines(d, |line| line.saturating_sub(first.line))).collect())
                }
            };
            diagnostics.blocks.push(PlacedBlock { first_line: first.line, diagnostics: Arc::clone(&relative) });
            used.insert(key, relative);
        }
        // Keep only what this version of the note uses: the cache never outgrows the note.
        self.converted = used;
        (self.converted_blocks, self.reused_blocks) = (converted_blocks, reused_blocks);
        Ok(Diagnosed { blocks, diagnostics })
    }
}

fn convert(block: &BlockFindings, note: &Note, corpus: &Snapshot, encoding: Encoding) -> Vec<lsp::Diagnostic> {
    block.in_note().map(|finding| to_proto::diagnostic(&finding, note, corpus, encoding)).collect()
}

/// The diagnostic with its range's lines mapped; related locations are in articles and stay.
fn move_lines(mut diagnostic: lsp::Diagnostic, map: impl Fn(u32) -> u32) -> lsp::Diagnostic {
    diagnostic.range.start.line = map(diagnostic.range.start.line);
    diagnostic.range.end.line = map(diagnostic.range.end.line);
    diagnostic
}

/// The diagnostics of one text of a document against one corpus snapshot: what a pull answers
/// and a push sends.
pub struct Report {
    /// Names this text and this snapshot: a pull that names it again gets "unchanged".
    pub result_id: String,
    pub version: i32,
    pub corpus_generation: u64,
    pub diagnostics: NoteDiagnostics,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::checks::diagnostics::check_note;
    use crate::analysis::corpus::article::ArticleSource;

    fn corpus() -> Snapshot {
        let source = ArticleSource {
            path: "/w/seeds/000_a.txt".into(),
            display_path: "seeds/000_a.txt".into(),
            text: "T\n\nThe FSB arrested 11 people.\n".into(),
            ..Default::default()
        };
        Snapshot::build(vec![source], vec!["/w/seeds".into()])
    }

    fn fresh(corpus: &Snapshot, note: &Note) -> Vec<lsp::Diagnostic> {
        check_note(corpus, note).iter().map(|f| to_proto::diagnostic(f, note, corpus, Encoding::Utf16)).collect()
    }

    fn diagnose(cache: &mut DiagnosticsCache, corpus: &Snapshot, text: &str) -> Vec<lsp::Diagnostic> {
        let note = Note::parse("/w/n.md", text);
        let diagnosed = cache.diagnose(corpus, &note, Encoding::Utf16, &CancelToken::never()).unwrap();
        let diagnostics = diagnosed.diagnostics.to_vec();
        assert_eq!(diagnostics, fresh(corpus, &note), "reused conversions give what a fresh conversion gives");
        let serialised: serde_json::Value = serde_json::to_value(&diagnosed.diagnostics).unwrap();
        assert_eq!(serialised, serde_json::to_value(&diagnostics).unwrap(), "serialised in place as their copies are");
        assert_eq!(diagnosed.diagnostics.len(), diagnostics.len());
        diagnostics
    }

    #[test]
    fn a_diagnostic_moved_serialises_as_its_moved_copy_with_every_field() {
        let full = lsp::Diagnostic {
            range: lsp::Range::new(lsp::Position::new(1, 2), lsp::Position::new(3, 4)),
            severity: Some(lsp::DiagnosticSeverity::WARNING),
            code: Some(lsp::NumberOrString::String("figure-mismatch".into())),
            code_description: Some(lsp::CodeDescription { href: "https://example.org/r%C3%A9sum%C3%A9".parse().unwrap() }),
            source: Some("noteproof".into()),
            message: "“14” — the sources say 11".into(),
            related_information: Some(vec![lsp::DiagnosticRelatedInformation {
                location: lsp::Location::new("file:///w/seeds/000_a.txt".parse().unwrap(), lsp::Range::default()),
                message: "The FSB arrested 11 people.".into(),
            }]),
            tags: Some(vec![lsp::DiagnosticTag::UNNECESSARY]),
            data: Some(serde_json::json!({"fix": "11"})),
        };
        for diagnostic in [full, lsp::Diagnostic { message: "bare".into(), ..lsp::Diagnostic::default() }] {
            let moved = move_lines(diagnostic.clone(), |line| line + 40);
            assert_eq!(serde_json::to_value(Moved::new(&diagnostic, 40)).unwrap(), serde_json::to_value(&moved).unwrap());
        }
    }

    #[test]
    fn lines_added_above_move_the_reused_diagnostics_down_without_converting_them_again() {
        let corpus = corpus();
        let mut cache = DiagnosticsCache::default();
        let before = "# Brief — “é”\n\nThe FSB detained 14 people [@000].\n\n- Unknown [@404] — é.\n";
        let first = diagnose(&mut cache, &corpus, before);
        assert_eq!((cache.converted_blocks, cache.reused_blocks), (2, 0));
        let after = "# Brief — “é”\n\nA new paragraph — two lines,\nno findings.\n\nThe FSB detained 14 people [@000].\n\n- Unknown [@404] — é.\n";
        let second = diagnose(&mut cache, &corpus, after);
        assert_eq!((cache.converted_blocks, cache.reused_blocks), (0, 2));
        let lines = |diagnostics: &[lsp::Diagnostic]| diagnostics.iter().map(|d| d.range.start.line).collect::<Vec<_>>();
        assert_eq!(lines(&first), [2, 4]);
        assert_eq!(lines(&second), [5, 7]);
    }

    #[test]
    fn a_block_that_starts_at_another_column_is_converted_again() {
        let corpus = corpus();
        let mut cache = DiagnosticsCache::default();
        let before = diagnose(&mut cache, &corpus, "- Unknown [@404] — é.\n");
        // The same item text after a longer list marker (`100. ` for `- `): its columns move right by three.
        let after = diagnose(&mut cache, &corpus, "100. Unknown [@404] — é.\n");
        assert_eq!((cache.converted_blocks, cache.reused_blocks), (1, 0));
        assert_eq!(after[0].range.start.character, before[0].range.start.character + 3);
    }

    #[test]
    fn a_new_corpus_snapshot_converts_every_block_again() {
        let corpus = corpus();
        let mut cache = DiagnosticsCache::default();
        let text = "The FSB detained 14 people [@000].\n\nUnknown [@404].\n";
        diagnose(&mut cache, &corpus, text);
        let updated = corpus.updated(Vec::new(), &[]);
        diagnose(&mut cache, &updated, text);
        assert_eq!((cache.converted_blocks, cache.reused_blocks), (2, 0), "related locations point into the corpus");
    }
}
