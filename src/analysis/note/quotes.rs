//! Finds quotations in a note: text in straight or curly double quotes, and
//! blockquotes that stand next to a citation. Reads the note's blocks; skips
//! headings, code and URLs. Says nothing about whether a quotation is right.

use std::ops::Range;

use crate::analysis::note::{Block, BlockKind, Note};
use crate::analysis::text::trim_range;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QuoteKind {
    /// `"…"` or `“…”`
    Inline,
    /// `> …` next to a citation
    Blockquote,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Quote {
    /// The quotation with its marks.
    pub span: Range<usize>,
    /// The quoted words, without marks.
    pub inner: Range<usize>,
    pub kind: QuoteKind,
    /// The sentence the quotation stands in (for blockquotes: the first one of the block).
    pub sentence: Option<u32>,
    /// For blockquotes: the block whose citation covers it, if not the blockquote itself.
    pub citing_block: Option<u32>,
}

/// Every quotation in `note`, in text order.
pub fn find_quotes(note: &Note) -> Vec<Quote> {
    let mut quotes = Vec::new();
    for (index, block) in note.blocks.iter().enumerate() {
        if matches!(block.kind, BlockKind::Heading(_)) || block.footnote.is_some() {
            continue;
        }
        let inline = inline_quotes(note, block);
        if block.in_blockquote && inline.is_empty() {
            if let Some(quote) = blockquote(note, index) {
                quotes.push(quote);
            }
        }
        quotes.extend(inline);
    }
    for quote in &mut quotes {
        quote.sentence = note.sentence_index_at(quote.inner.start).map(|s| s as u32);
    }
    quotes
}

fn inline_quotes(note: &Note, block: &Block) -> Vec<Quote> {
    let text = &note.text;
    let mut quotes = Vec::new();
    let mut open: Option<(usize, char)> = None;
    let mut curly_depth = 0usize;
    for (relative, c) in text[block.span.clone()].char_indices() {
        let at = block.span.start + relative;
        if is_excluded(note, at) {
            continue;
        }
        match (c, open) {
            ('“', None) => {
                open = Some((at, c));
                curly_depth = 1;
            }
            ('“', Some((_, '“'))) => curly_depth += 1,
            ('”', Some((start, '“'))) => {
                curly_depth -= 1;
                if curly_depth == 0 {
                    push_inline(note, &mut quotes, start, at, c);
                    open = None;
                }
            }
            ('"', None) if opens_straight(text, at) => open = Some((at, c)),
            ('"', Some((start, '"'))) => {
                push_inline(note, &mut quotes, start, at, c);
                open = None;
            }
            // A curly quote closed with a straight one, when no curly close follows in the block.
            ('"', Some((start, '“'))) if !text[at..block.span.end].contains('”') && curly_depth == 1 => {
                push_inline(note, &mut quotes, start, at, c);
                open = None;
            }
            _ => {}
        }
    }
    quotes
}

/// A straight quote that follows a letter or digit (`5'10"`, `word"`) closes nothing and opens nothing.
fn opens_straight(text: &str, at: usize) -> bool {
    !text[..at].chars().next_back().is_some_and(|c| c.is_alphanumeric())
}

fn push_inline(note: &Note, quotes: &mut Vec<Quote>, open: usize, close: usize, close_mark: char) {
    let inner_start = open + note.text[open..].chars().next().map_or(1, char::len_utf8);
    let inner = trim_range(&note.text, inner_start..close);
    if inner.is_empty() || !note.text[inner.clone()].chars().any(char::is_alphanumeric) {
        return;
    }
    quotes.push(Quote { span: open..close + close_mark.len_utf8(), inner, kind: QuoteKind::Inline, sentence: None, citing_block: None });
}

/// A blockquote paragraph is a quotation when it, or the block right before or after it, cites a source.
fn blockquote(note: &Note, index: usize) -> Option<Quote> {
    let block = &note.blocks[index];
    let cites = |b: &Block| note.citations.iter().any(|c| b.span.start <= c.span.start && c.span.end <= b.span.end);
    let citing_block = if cites(block) {
        None
    } else {
        let neighbours = [index.checked_sub(1), Some(index + 1)];
        let found = neighbours.into_iter().flatten().find(|&i| note.blocks.get(i).is_some_and(|b| !b.in_blockquote && cites(b)));
        Some(found? as u32)
    };
    // The quotation ends where its citation or attribution (`— Bortnikov`) begins.
    let mut end = block.span.end;
    if let Some(citation) = note.citations.iter().find(|c| block.span.start <= c.span.start && c.span.end <= block.span.end) {
        end = end.min(citation.span.start);
    }
    if let Some(dash) = note.text[block.span.start..end].rfind(['—', '―']) {
        end = block.span.start + dash;
    }
    let inner = trim_range(&note.text, block.span.start..end);
    (!inner.is_empty()).then(|| Quote { span: inner.clone(), inner, kind: QuoteKind::Blockquote, sentence: None, citing_block })
}

fn is_excluded(note: &Note, offset: usize) -> bool {
    crate::analysis::text::in_ranges(&note.excluded, offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quotes(text: &str) -> Vec<(QuoteKind, String)> {
        let note = Note::parse("/w/n.md", text);
        find_quotes(&note).into_iter().map(|q| (q.kind, note.text[q.inner].to_string())).collect()
    }

    #[test]
    fn straight_and_curly_quotes_with_nested_single_quotes() {
        let found = quotes("He said “a ‘window’ had been\nprepared” and \"blackmail\" [@001]. It's 5'10\" tall.");
        assert_eq!(found, [(QuoteKind::Inline, "a ‘window’ had been\nprepared".to_string()), (QuoteKind::Inline, "blackmail".to_string())]);
    }

    #[test]
    fn headings_code_and_urls_hold_no_quotations() {
        assert!(quotes("# The “Crocus” brief\n\nSee `\"code\"` and https://x.org/\"a\"b.\n").is_empty());
    }

    #[test]
    fn blockquotes_next_to_a_citation_are_quotations() {
        let text = "Bortnikov said:\n\n> The investigation continues, but it can already be said with certainty\n> that Ukrainian military intelligence is directly implicated — Bortnikov [@001]\n\n> An unsourced aside.\n\nUnrelated paragraph.\n";
        let found = quotes(text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].1.starts_with("The investigation continues") && found[0].1.ends_with("directly implicated"), "{found:?}");
        let cited_after = "> We believe the action was prepared\n\n— Bortnikov [@003]\n";
        assert_eq!(quotes(cited_after).len(), 1);
    }

    #[test]
    fn unterminated_and_empty_quotes_are_ignored() {
        assert!(quotes("He said “never closed [@001]. And \"\" and “ ”.").is_empty());
    }
}
