//! Document symbols (a note's headings, an article's title) and workspace symbols (articles).

use std::ops::Range;

use crate::analysis::cancel::{CancelToken, Cancelled};
use crate::analysis::checks::Snapshot;
use crate::analysis::corpus::article::Article;
use crate::analysis::corpus::ArticleId;
use crate::analysis::note::{Heading, Note};

/// Workspace-symbol answers are capped: a query of one letter must not return 100,000 articles.
const MAX_WORKSPACE_SYMBOLS: usize = 256;

#[derive(Clone, Debug, PartialEq)]
pub struct Symbol {
    pub name: String,
    pub detail: Option<String>,
    pub range: Range<usize>,
    pub selection: Range<usize>,
    pub children: Vec<Symbol>,
}

/// A note's headings, nested by level; each section runs to the next heading of the same or a higher level.
pub fn note_symbols(note: &Note) -> Vec<Symbol> {
    sections(&note.headings, note.text.len())
}

fn sections(headings: &[Heading], end_of_parent: usize) -> Vec<Symbol> {
    let mut symbols = Vec::new();
    let mut i = 0;
    while i < headings.len() {
        let heading = &headings[i];
        let next = headings[i + 1..].iter().position(|h| h.level <= heading.level).map_or(headings.len(), |p| i + 1 + p);
        let end = headings.get(next).map_or(end_of_parent, |h| h.span.start);
        symbols.push(Symbol {
            name: if heading.text.is_empty() { "(untitled)".into() } else { heading.text.clone() },
            detail: None,
            range: heading.span.start..end.max(heading.span.end),
            selection: heading.text_span.clone(),
            children: sections(&headings[i + 1..next], end),
        });
        i = next;
    }
    symbols
}

/// An article's title, as the one symbol of its file.
pub fn article_symbols(article: &Article) -> Vec<Symbol> {
    let first_line = article.line_index().line_range(&article.text, 0);
    vec![Symbol {
        name: article.title.clone(),
        detail: Some(article.attribution().unwrap_or_else(|| "outlet and date unknown".to_string())),
        range: 0..article.text.len(),
        selection: first_line,
        children: Vec::new(),
    }]
}

/// Articles whose key, title or outlet contains every word of `query` (case-insensitive); the scan
/// of the corpus stops before the next article once `cancel` is cancelled.
pub fn workspace_symbols(corpus: &Snapshot, query: &str, cancel: &CancelToken) -> Result<Vec<(ArticleId, Symbol)>, Cancelled> {
    let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
    let mut matching = Vec::new();
    // The list names every article without its text: a shared archive's are fetched only when they match.
    for (id, key, title, outlet) in corpus.listed() {
        cancel.check()?;
        let haystack = format!("{key} {title} {}", outlet.unwrap_or("")).to_lowercase();
        if words.iter().all(|w| haystack.contains(w.as_str())) {
            matching.push(id);
            if matching.len() == MAX_WORKSPACE_SYMBOLS {
                break;
            }
        }
    }
    corpus.prefetch(&matching);
    let symbols = matching
        .into_iter()
        .filter_map(|id| Some((id, corpus.article(id)?)))
        .map(|(id, article)| {
            let selection = article.line_index().line_range(&article.text, 0);
            (
                id,
                Symbol {
                    name: format!("@{} {}", corpus.preferred_key(id), article.title),
                    detail: Some(article.attribution().unwrap_or_else(|| "outlet and date unknown".to_string())),
                    range: selection.clone(),
                    selection,
                    children: Vec::new(),
                },
            )
        })
        .collect();
    Ok(symbols)
}
