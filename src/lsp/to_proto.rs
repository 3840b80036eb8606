//! Maps the core's plain findings and answers to LSP types. Positions go
//! through `crate::convert`, nothing here counts characters itself.

use std::collections::HashMap;
use std::ops::Range;
use std::str::FromStr;

use tower_lsp_server::ls_types as lsp;

use crate::analysis::checks::findings::{Finding, Fix, Place, Severity};
use crate::analysis::checks::Snapshot;
use crate::analysis::corpus::article::Article;
use crate::analysis::ide::symbols::Symbol;
use crate::analysis::note::Note;
use crate::analysis::text::LineIndex;
use crate::convert::{article_position, to_position, Encoding};

pub const SOURCE: &str = "noteproof";

pub fn range(text: &str, index: &LineIndex, range: &Range<usize>, encoding: Encoding) -> lsp::Range {
    let start = to_position(text, index, range.start, encoding);
    let end = to_position(text, index, range.end, encoding);
    lsp::Range { start: lsp::Position::new(start.line, start.character), end: lsp::Position::new(end.line, end.character) }
}

pub fn note_range(note: &Note, span: &Range<usize>, encoding: Encoding) -> lsp::Range {
    range(&note.text, &note.line_index, span, encoding)
}

/// A span of an article's text in the document an editor opens for it (see `article_uri`).
pub fn article_range(article: &Article, span: &Range<usize>, encoding: Encoding) -> lsp::Range {
    if article.served {
        // The editor shows the served text: positions are the text's own.
        return range(&article.text, article.line_index(), span, encoding);
    }
    let start = article_position(article, span.start, encoding);
    let end = article_position(article, span.end, encoding);
    lsp::Range { start: lsp::Position::new(start.line, start.character), end: lsp::Position::new(end.line, end.character) }
}

pub use crate::analysis::corpus::article::SERVED_SCHEME;

/// The document an editor opens for an article (`Article::text_uri`): its file, or the text the
/// server serves (see `served_article_path`).
pub fn article_uri(article: &Article) -> Option<lsp::Uri> {
    lsp::Uri::from_str(&article.text_uri()).ok()
}

/// The article path behind a served document's URI, if it is one.
pub fn served_article_path(uri: &lsp::Uri) -> Option<String> {
    let rest = uri.as_str().strip_prefix(SERVED_SCHEME)?.strip_prefix(':')?.strip_suffix(".txt")?;
    let file = lsp::Uri::from_str(&format!("file:{rest}")).ok()?;
    file.to_file_path().map(|p| p.to_string_lossy().into_owned())
}

/// A URI for a path the core knows: a file path, or a URI kept as it came (unsaved buffers).
pub fn uri_of(path: &str) -> Option<lsp::Uri> {
    if std::path::Path::new(path).is_absolute() {
        lsp::Uri::from_file_path(path)
    } else {
        lsp::Uri::from_str(path).ok()
    }
}

/// A place as an LSP location; `notes` supplies the texts of other notes by path.
pub fn location(place: &Place, corpus: &Snapshot, notes: &HashMap<String, &Note>, encoding: Encoding) -> Option<lsp::Location> {
    match place {
        Place::Article { article, range } => {
            let article = corpus.article(*article)?;
            Some(lsp::Location { uri: article_uri(article)?, range: article_range(article, range, encoding) })
        }
        Place::Note { path, range } => {
            let note = notes.get(path.as_str())?;
            Some(lsp::Location { uri: uri_of(path)?, range: note_range(note, range, encoding) })
        }
    }
}

pub fn severity(severity: Severity) -> lsp::DiagnosticSeverity {
    match severity {
        Severity::Error => lsp::DiagnosticSeverity::ERROR,
        Severity::Warning => lsp::DiagnosticSeverity::WARNING,
        Severity::Information => lsp::DiagnosticSeverity::INFORMATION,
        Severity::Hint => lsp::DiagnosticSeverity::HINT,
    }
}

pub fn diagnostic(finding: &Finding, note: &Note, corpus: &Snapshot, encoding: Encoding) -> lsp::Diagnostic {
    let notes = HashMap::from([(note.path.clone(), note)]);
    let related: Vec<lsp::DiagnosticRelatedInformation> = finding
        .related
        .iter()
        .filter_map(|r| {
            Some(lsp::DiagnosticRelatedInformation { location: location(&r.place, corpus, &notes, encoding)?, message: r.message.clone() })
        })
        .collect();
    lsp::Diagnostic {
        range: note_range(note, &finding.range, encoding),
        severity: Some(severity(finding.severity)),
        code: Some(lsp::NumberOrString::String(finding.code.name().to_string())),
        source: Some(SOURCE.to_string()),
        message: finding.message.clone(),
        related_information: (!related.is_empty()).then_some(related),
        ..lsp::Diagnostic::default()
    }
}

pub fn code_action(uri: &lsp::Uri, note: &Note, fix: &Fix, diagnostic: Option<lsp::Diagnostic>, encoding: Encoding) -> lsp::CodeAction {
    let edits = fix
        .edits
        .iter()
        .map(|edit| lsp::TextEdit { range: note_range(note, &edit.range, encoding), new_text: edit.new_text.clone() })
        .collect();
    lsp::CodeAction {
        title: fix.title.clone(),
        kind: Some(lsp::CodeActionKind::QUICKFIX),
        diagnostics: diagnostic.map(|d| vec![d]),
        edit: Some(lsp::WorkspaceEdit { changes: Some(HashMap::from([(uri.clone(), edits)])), ..lsp::WorkspaceEdit::default() }),
        is_preferred: fix.preferred.then_some(true),
        ..lsp::CodeAction::default()
    }
}

#[allow(deprecated)] // `DocumentSymbol::deprecated` must still be written out
pub fn document_symbol(symbol: &Symbol, text: &str, index: &LineIndex, kind: lsp::SymbolKind, encoding: Encoding) -> lsp::DocumentSymbol {
    lsp::DocumentSymbol {
        name: symbol.name.clone(),
        detail: symbol.detail.clone(),
        kind,
        tags: None,
        deprecated: None,
        range: range(text, index, &symbol.range, encoding),
        selection_range: range(text, index, &symbol.selection, encoding),
        children: Some(symbol.children.iter().map(|c| document_symbol(c, text, index, kind, encoding)).collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_uris_round_trip_spaces_percent_signs_and_non_ascii() {
        for path in ["/tmp/a b/notes.md", "/tmp/100% sure/é “x”.txt", "/tmp/Ελλάδα/報告.md"] {
            let uri = uri_of(path).expect("an absolute path has a URI");
            assert!(uri.as_str().starts_with("file:///"), "{}", uri.as_str());
            assert!(!uri.as_str().contains(' '), "{}", uri.as_str());
            assert_eq!(uri.to_file_path().as_deref(), Some(std::path::Path::new(path)));
            assert_eq!(uri.as_str(), crate::analysis::text::file_uri(path), "the core and the protocol layer spell it alike");
        }
        assert_eq!(uri_of("untitled:Untitled-1").map(|u| u.as_str().to_string()).as_deref(), Some("untitled:Untitled-1"));
    }
}
