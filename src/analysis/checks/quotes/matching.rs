//! Matching a quotation against the sources, modulo typography and never
//! modulo wording.
//!
//! Both sides are compared as word sequences, so curly vs straight quotes and
//! apostrophes, dash variants, no-break spaces, line breaks and runs of white
//! space never matter. Case matters except at the first letter of each part.
//! An ellipsis (`...`, `…`, `[...]`, `[…]`) splits the quotation into parts
//! that must occur in order in one paragraph. Words in square brackets are
//! read first as the source's own words, since reporters bracket text too
//! (“animals [such as mammals, fish and birds]”), and only then as an editorial
//! insertion (`[ISIS-K]`) standing for up to `MAX_INSERTION_WORDS` source words.
//! Candidates come from the corpus index, never from a scan of every article.

use std::collections::{BTreeSet, HashMap};
use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::analysis::checks::Snapshot;
use crate::analysis::corpus::search::query_terms;
use crate::analysis::corpus::ArticleId;
use crate::analysis::text::date::Date;
use crate::analysis::text::terms::{index_term, plain_term};
use crate::analysis::text::{is_stopword, words};

/// "A word or two" of the source, plus one for slack: `[the FSB]` for "its security service".
const MAX_INSERTION_WORDS: usize = 3;
/// The rarest quoted terms a candidate paragraph must hold: past four, a term is common enough
/// that asking for it costs more than verifying the few paragraphs it would rule out.
const NARROWING_TERMS: usize = 4;
/// Quoted words tested as substrings before a candidate paragraph is tokenised, longest first.
const PROBE_WORDS: usize = 4;
/// Sentences of each cited article whose paragraphs are aligned with a quotation not found in it.
const FUZZY_PER_ARTICLE: usize = 4;
/// Candidate sentences considered when looking for the closest passage anywhere.
const FUZZY_CANDIDATES: usize = 12;

static GAP_OR_BRACKETS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?P<gap>\[\s*(?:\.\s*){3}\]|\[\s*…\s*\]|(?:\.\s*){3}|…)|\[(?P<bracketed>[^\[\]]{1,80})\]").unwrap());

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Item {
    Word(String),
    /// The words in square brackets: the source's own, or an editorial insertion.
    Bracketed(Vec<String>),
}

/// How a bracket may be read while matching.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Brackets {
    Literal,
    LiteralOrInsertion,
}

/// A quotation prepared for matching.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct QuoteText {
    parts: Vec<Vec<Item>>,
    /// All quoted words in order, lowercase, for similarity.
    words: Vec<String>,
}

impl QuoteText {
    /// Reads the quoted text; `skip` holds byte ranges (relative to `text`) that are not quoted words.
    pub fn parse(text: &str, skip: &[Range<usize>]) -> QuoteText {
        let mut parts: Vec<Vec<Item>> = vec![Vec::new()];
        let mut at = 0;
        let words_in = |range: Range<usize>| -> Vec<String> {
            words(&text[range.clone()])
                .filter(|(span, _)| {
                    let absolute = range.start + span.start..range.start + span.end;
                    !skip.iter().any(|s| s.start <= absolute.start && absolute.end <= s.end)
                })
                .map(|(_, word)| fold(word))
                .collect()
        };
        for found in GAP_OR_BRACKETS.captures_iter(text) {
            let whole = found.get(0).unwrap();
            parts.last_mut().unwrap().extend(words_in(at..whole.start()).into_iter().map(Item::Word));
            match found.name("bracketed") {
                Some(inside) => parts.last_mut().unwrap().push(Item::Bracketed(words_in(inside.range()))),
                None => parts.push(Vec::new()),
            }
            at = whole.end();
        }
        parts.last_mut().unwrap().extend(words_in(at..text.len()).into_iter().map(Item::Word));
        parts.retain(|part| part.iter().any(|item| matches!(item, Item::Word(_))));
        // Bracketed words are left out: an insertion need not be in the source, so neither the
        // index terms that narrow the search nor the similarity to a passage may count on them.
        let words =
            parts.iter().flatten().filter_map(|item| if let Item::Word(w) = item { Some(w.to_lowercase()) } else { None }).collect();
        QuoteText { parts, words }
    }

    pub fn word_count(&self) -> usize {
        self.words.len()
    }

    /// Whether the quotation is one run of words (no gaps, no brackets): it can be replaced by the source's words.
    pub fn is_plain(&self) -> bool {
        self.parts.len() == 1 && self.parts[0].iter().all(|i| matches!(i, Item::Word(_)))
    }

    fn has_brackets(&self) -> bool {
        self.parts.iter().flatten().any(|i| matches!(i, Item::Bracketed(_)))
    }

    fn terms(&self) -> Vec<String> {
        let mut terms: Vec<String> = self.words.iter().filter(|w| !is_stopword(&plain_term(w))).map(|w| index_term(w)).collect();
        terms.sort();
        terms.dedup();
        terms
    }
}

/// Curly apostrophes fold to straight ones: the only typography left inside a word.
fn fold(word: &str) -> String {
    word.replace(['’', '‘', '`', '´'], "'")
}

/// Where a quotation occurs in an article.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuoteMatch {
    pub article: ArticleId,
    /// From the first quoted word to the last, in the article's text.
    pub span: Range<usize>,
    /// The article's date (a source's date orders its quotations without reading it again).
    pub date: Option<Date>,
}

struct Token<'a> {
    word: std::borrow::Cow<'a, str>,
    span: Range<usize>,
}

fn paragraph_tokens<'a>(text: &'a str, span: &Range<usize>) -> Vec<Token<'a>> {
    let mut tokens = Tokens::new(text, span);
    tokens.len();
    tokens.read
}

fn token<'a>(word: &'a str, span: Range<usize>) -> Token<'a> {
    // Only non-ASCII apostrophes and the backtick need folding; most words have neither.
    let folded = (!word.is_ascii() || word.contains('`')) && word.contains(['’', '‘', '`', '´']);
    Token { word: if folded { std::borrow::Cow::Owned(fold(word)) } else { std::borrow::Cow::Borrowed(word) }, span }
}

/// A paragraph's tokens, read only as far as the matching looks: most candidates of a common
/// quotation hold it, and their words past it (half a paragraph, on average) are never read.
struct Tokens<'a> {
    words: Box<dyn Iterator<Item = (Range<usize>, &'a str)> + 'a>,
    /// Where the paragraph starts in its text.
    offset: usize,
    read: Vec<Token<'a>>,
}

impl<'a> Tokens<'a> {
    fn new(text: &'a str, span: &Range<usize>) -> Tokens<'a> {
        Tokens { words: Box::new(words(&text[span.clone()])), offset: span.start, read: Vec::with_capacity(64) }
    }

    fn get(&mut self, index: usize) -> Option<&Token<'a>> {
        while self.read.len() <= index {
            let (span, word) = self.words.next()?;
            self.read.push(token(word, self.offset + span.start..self.offset + span.end));
        }
        self.read.get(index)
    }

    /// How many tokens there are: reads them all.
    fn len(&mut self) -> usize {
        for (span, word) in self.words.by_ref() {
            self.read.push(token(word, self.offset + span.start..self.offset + span.end));
        }
        self.read.len()
    }
}

fn same_word(source: &str, quoted: &str, first_of_part: bool) -> bool {
    if !first_of_part {
        return source == quoted;
    }
    let (mut a, mut b) = (source.chars(), quoted.chars());
    match (a.next(), b.next()) {
        // The rest first: most tokens differ there, and comparing bytes is cheaper than folding case.
        (Some(x), Some(y)) => a.as_str() == b.as_str() && x.to_lowercase().eq(y.to_lowercase()),
        _ => false,
    }
}

/// Matches `items` at `start`; returns the token index just past the match that reads the fewest
/// brackets as insertions, the shortest of those.
///
/// Insertions make this a search over how many source words each one stands for; it is done
/// as a dynamic programme over the token positions reachable after each item (never more than
/// the paragraph's length), not by backtracking, which explodes on a quotation full of `[…]`.
/// The first word of a part may differ in case at its first letter (`first`).
fn match_part(items: &[Item], tokens: &mut Tokens, start: usize, first: bool, brackets: Brackets) -> Option<usize> {
    let word_at = |tokens: &mut Tokens, position: usize, word: &str| {
        tokens.get(position).is_some_and(|token| same_word(&token.word, word, first && position == start))
    };
    // Most starts fail at the first word, and most parts are a plain run of words: both are
    // answered in place, without the programme's lists (their allocations, at every token of
    // thousands of candidate paragraphs, cost more than the comparisons).
    if let Some(Item::Word(word)) = items.first() {
        if !word_at(tokens, start, word) {
            return None;
        }
    }
    if items.iter().all(|item| matches!(item, Item::Word(_))) {
        let run = items.iter().enumerate().all(|(i, item)| matches!(item, Item::Word(word) if word_at(tokens, start + i, word)));
        return run.then_some(start + items.len());
    }
    // (position, brackets read as insertions on the way there)
    let mut reachable: Vec<(usize, u32)> = vec![(start, 0)];
    let mut next: Vec<(usize, u32)> = Vec::new();
    for item in items {
        next.clear();
        for &(position, insertions) in &reachable {
            match item {
                Item::Word(word) => {
                    if word_at(tokens, position, word) {
                        next.push((position + 1, insertions));
                    }
                }
                Item::Bracketed(inside) => {
                    if inside.iter().enumerate().all(|(i, word)| word_at(tokens, position + i, word)) {
                        next.push((position + inside.len(), insertions));
                    }
                    if brackets == Brackets::LiteralOrInsertion {
                        let count = tokens.len();
                        let skips = (0..=MAX_INSERTION_WORDS).map(|skip| position + skip).filter(|&p| p <= count);
                        next.extend(skips.map(|p| (p, insertions + 1)));
                    }
                }
            }
        }
        // Sorted by position, then insertions: the first of each position is its most literal reading.
        next.sort_unstable();
        next.dedup_by_key(|(position, _)| *position);
        if next.is_empty() {
            return None;
        }
        std::mem::swap(&mut reachable, &mut next);
    }
    reachable.iter().min_by_key(|&&(position, insertions)| (insertions, position)).map(|&(position, _)| position)
}

/// The first occurrence of every part, in order, within the paragraph at `span` of `text`;
/// brackets are read as the source's own words wherever that matches, and only otherwise as
/// insertions. `anchor` is the quotation's (`Anchor::of`), made once for all the paragraphs it
/// is looked for in; the paragraph is split into words from its start only when the anchor
/// cannot answer.
fn match_in(quote: &QuoteText, anchor: Option<&Anchor>, text: &str, span: &Range<usize>) -> Option<Range<usize>> {
    let readings: &[Brackets] =
        if quote.has_brackets() { &[Brackets::Literal, Brackets::LiteralOrInsertion] } else { &[Brackets::LiteralOrInsertion] };
    let mut tokens: Option<Tokens> = None;
    for &brackets in readings {
        let found = match anchor.and_then(|anchor| anchor.search(quote, text, span, brackets)) {
            Some(found) => found,
            None => scan(quote, tokens.get_or_insert_with(|| Tokens::new(text, span)), brackets),
        };
        if found.is_some() {
            return found;
        }
    }
    None
}

/// The first match trying every token as a start, until the tokens run out (`get` gives none
/// past the last).
fn scan(quote: &QuoteText, tokens: &mut Tokens, brackets: Brackets) -> Option<Range<usize>> {
    for start in 0.. {
        tokens.get(start)?;
        if let Some(found) = match_at(quote, tokens, start, brackets) {
            return Some(found);
        }
    }
    None
}

/// The quotation matched from the token at `start`, if it is there.
fn match_at(quote: &QuoteText, tokens: &mut Tokens, start: usize, brackets: Brackets) -> Option<Range<usize>> {
    let (first_part, later_parts) = quote.parts.split_first()?;
    let mut end = match_part(first_part, tokens, start, true, brackets).filter(|&end| end > start)?;
    for part in later_parts {
        let mut from = end;
        loop {
            tokens.get(from)?;
            if let Some(next_end) = match_part(part, tokens, from, true, brackets).filter(|&e| e > from) {
                end = next_end;
                break;
            }
            from += 1;
        }
    }
    let first = tokens.get(start)?.span.start;
    Some(first..tokens.get(end - 1)?.span.end)
}

/// A word of the quotation to look for as bytes, so that a paragraph is tokenised only around
/// where the quotation can start rather than from its beginning: the longest of the first
/// part's opening run of words, past its first word (whose case is free at its first letter),
/// and without an apostrophe (a source may write it curly). A match holds it as a token, spelt
/// exactly so, `before` words after the match's first token.
struct Anchor<'q> {
    before: usize,
    /// Looks for the word.
    finder: memchr::memmem::Finder<'q>,
    /// About how many bytes the words before it take in a source.
    opening_bytes: usize,
}

/// Shorter anchors occur too often in a paragraph to spare any tokenising.
const MIN_ANCHOR_BYTES: usize = 4;
/// How far back from an anchor the search looks for white space, where no token can straddle
/// and tokenising may start; past it (a paragraph without spaces), it tokenises the whole
/// paragraph as before rather than scanning back from every anchor.
const MAX_BACKTRACK_BYTES: usize = 256;

impl<'q> Anchor<'q> {
    fn of(quote: &'q QuoteText) -> Option<Anchor<'q>> {
        let opening = quote.parts.first()?.iter().map_while(|item| if let Item::Word(word) = item { Some(word.as_str()) } else { None });
        let (before, word) = opening
            .enumerate()
            .skip(1)
            .filter(|(_, word)| !word.contains('\''))
            .max_by_key(|(index, word)| (word.len(), std::cmp::Reverse(*index)))?;
        let opening_bytes = quote.words.iter().take(before).map(|word| word.len() + 2).sum();
        (word.len() >= MIN_ANCHOR_BYTES).then(|| Anchor { before, finder: memchr::memmem::Finder::new(word), opening_bytes })
    }

    /// The first match of `quote` in the paragraph at `span`, trying only the starts `before`
    /// tokens ahead of an occurrence of the anchor: `Some(None)` when there is none, `None` when
    /// the paragraph is one the plain scan must read.
    fn search(&self, quote: &QuoteText, text: &str, span: &Range<usize>, brackets: Brackets) -> Option<Option<Range<usize>>> {
        let bytes = text.as_bytes();
        for found in self.finder.find_iter(&bytes[span.clone()]) {
            let at = span.start + found;
            let mut reach = self.opening_bytes + 16;
            loop {
                // Back to white space (or the paragraph's start), a point no token straddles.
                let mut from = at.saturating_sub(reach).max(span.start);
                let limit = from.saturating_sub(MAX_BACKTRACK_BYTES).max(span.start);
                while from > limit && !bytes[from - 1].is_ascii_whitespace() {
                    from -= 1;
                }
                if from > span.start && !bytes[from - 1].is_ascii_whitespace() {
                    return None;
                }
                let mut tokens = Tokens::new(text, &(from..span.end));
                let mut index = 0;
                while tokens.get(index).is_some_and(|token| token.span.start < at) {
                    index += 1;
                }
                if tokens.get(index).is_none_or(|token| token.span.start != at) {
                    // Inside a longer word, not a token of its own.
                    break;
                }
                if index >= self.before {
                    if let Some(found) = match_at(quote, &mut tokens, index - self.before, brackets) {
                        return Some(Some(found));
                    }
                    break;
                }
                if from == span.start {
                    // Fewer words before it than the quotation has before its anchor.
                    break;
                }
                reach *= 2;
            }
        }
        Some(None)
    }
}

/// Every article (of `within`, or of the whole corpus) that contains the quotation, with its first occurrence.
pub fn locate(corpus: &Snapshot, quote: &QuoteText, within: Option<&[ArticleId]>) -> Vec<QuoteMatch> {
    if quote.parts.is_empty() {
        return Vec::new();
    }
    // Diagnostics locate every quotation when a note opens; hover and definition ask again.
    let key = (quote.clone(), within.map(<[ArticleId]>::to_vec));
    if let Some(found) = corpus.quote_memo().get(&key) {
        return found;
    }
    let found = locate_uncached(corpus, quote, within);
    corpus.quote_memo().put(key, found.clone());
    found
}

fn locate_uncached(corpus: &Snapshot, quote: &QuoteText, within: Option<&[ArticleId]>) -> Vec<QuoteMatch> {
    let mut terms = quote.terms();
    // Every quoted word stands in the paragraph that holds the quotation: the paragraphs holding
    // its rarest terms are a handful, read without their articles (from a library, an article is
    // a fetch and a parse; a quotation common in the corpus would bring thousands of them).
    terms.sort_by_cached_key(|t| corpus.document_frequency(t));
    terms.truncate(NARROWING_TERMS);
    // Words every match must contain as written (not a part's first word, whose case is free,
    // even after a bracket that stands for no word): plain substring tests reject most candidates
    // before they are tokenised (two in three of a busy note's, with the longest word alone).
    let mut probes: Vec<&str> = quote
        .parts
        .iter()
        .flat_map(|part| part.iter().skip_while(|item| !matches!(item, Item::Word(_))).skip(1))
        .filter_map(|item| if let Item::Word(word) = item { Some(word.as_str()) } else { None })
        .filter(|word| word.chars().all(char::is_alphanumeric))
        .collect();
    probes.sort_by_key(|word| std::cmp::Reverse(word.len()));
    probes.dedup();
    probes.truncate(PROBE_WORDS);
    // Searchers made once for the thousands of paragraphs a common quotation brings.
    let probes: Vec<memchr::memmem::Finder> = probes.into_iter().map(memchr::memmem::Finder::new).collect();
    let anchor = Anchor::of(quote);
    let found_in = |text: &str, span: &Range<usize>| -> Option<Range<usize>> {
        let passage = &text.as_bytes()[span.clone()];
        if !probes.iter().all(|probe| probe.find(passage).is_some()) {
            return None;
        }
        match_in(quote, anchor.as_ref(), text, span)
    };
    let mut matches: Vec<QuoteMatch> = Vec::new();
    if terms.is_empty() {
        // Only common words ("it is what it is"): check the cited articles, never the whole corpus.
        let Some(ids) = within else { return matches };
        let mut ids = ids.to_vec();
        ids.sort_unstable();
        ids.dedup();
        corpus.read_each(&ids, &mut |id, article| {
            let mut paragraphs = article.paragraphs.iter().filter(|p| !p.furniture);
            if let Some(span) = paragraphs.find_map(|p| found_in(&article.text, &p.span.range())) {
                matches.push(QuoteMatch { article: id, span, date: article.date });
            }
        });
        return matches;
    }
    let terms: Vec<&str> = terms.iter().map(String::as_str).collect();
    // Each article's first occurrence: in its earliest paragraph that holds the quotation.
    let mut first: HashMap<ArticleId, (u32, Range<usize>)> = HashMap::new();
    corpus.passages(&terms, within, &mut |passage| {
        if first.get(&passage.article).is_some_and(|(paragraph, _)| *paragraph <= passage.paragraph) {
            return;
        }
        if let Some(span) = found_in(&passage.text, &(0..passage.text.len())) {
            let span = passage.span.start + span.start..passage.span.start + span.end;
            first.insert(passage.article, (passage.paragraph, span));
        }
    });
    let mut matches: Vec<QuoteMatch> =
        first.into_iter().map(|(article, (_, span))| QuoteMatch { article, span, date: corpus.date(article) }).collect();
    matches.sort_unstable_by_key(|m| m.article);
    matches
}

/// The passage most like a quotation that is not found verbatim.
#[derive(Clone, Debug, PartialEq)]
pub struct Closest {
    pub article: ArticleId,
    pub span: Range<usize>,
    /// 1 − word edit distance / quoted words, from 0 to 1.
    pub similarity: f32,
}

/// The closest passage to `quote` in `within` (every paragraph), or in the corpus (via retrieval).
pub fn closest(corpus: &Snapshot, quote: &QuoteText, within: Option<&[ArticleId]>, exclude: &[ArticleId]) -> Option<Closest> {
    let key = (quote.clone(), within.map(<[ArticleId]>::to_vec), exclude.to_vec());
    if let Some(found) = corpus.quote_memo().get_closest(&key) {
        return found;
    }
    let found = closest_uncached(corpus, quote, within, exclude);
    corpus.quote_memo().put_closest(key, found.clone());
    found
}

fn closest_uncached(corpus: &Snapshot, quote: &QuoteText, within: Option<&[ArticleId]>, exclude: &[ArticleId]) -> Option<Closest> {
    let query = query_terms(&quote.words.join(" "), &[]);
    // Only the paragraphs of the best-ranked sentences are aligned word by word: the alignment is
    // quadratic, the ranking is not.
    let paragraph_of = |id: ArticleId, index: u32| Some((id, corpus.article(id)?.sentences.get(index as usize)?.paragraph));
    let paragraphs: BTreeSet<(ArticleId, u32)> = match within {
        Some(ids) => ids
            .iter()
            .flat_map(|&id| corpus.rank_within(id, &query, FUZZY_PER_ARTICLE))
            .filter_map(|hit| paragraph_of(hit.sentence.article, hit.sentence.index))
            .collect(),
        None => corpus
            .search(&query, FUZZY_CANDIDATES, |id| !exclude.contains(&id))
            .into_iter()
            .filter_map(|hit| {
                Some((hit.sentence.article, corpus.article(hit.sentence.article)?.sentences[hit.sentence.index as usize].paragraph))
            })
            .collect(),
    };
    let mut best: Option<Closest> = None;
    for (id, paragraph) in paragraphs {
        if exclude.contains(&id) {
            continue;
        }
        let Some(article) = corpus.article(id) else { continue };
        let tokens = paragraph_tokens(&article.text, &article.paragraphs[paragraph as usize].span.range());
        if let Some((similarity, window)) = best_window(&quote.words, &tokens) {
            if best.as_ref().is_none_or(|b| similarity > b.similarity) {
                let span = tokens[window.start].span.start..tokens[window.end - 1].span.end;
                best = Some(Closest { article: id, span, similarity });
            }
        }
    }
    best
}

/// Approximate substring matching over words (Sellers): the window of `tokens` with the least
/// edit distance to `quoted`, as a similarity and a token range.
fn best_window(quoted: &[String], tokens: &[Token]) -> Option<(f32, Range<usize>)> {
    if quoted.is_empty() || tokens.is_empty() {
        return None;
    }
    let lower: Vec<String> = tokens.iter().map(|t| t.word.to_lowercase()).collect();
    // Each cell: (distance, window start).
    let mut previous: Vec<(usize, usize)> = (0..=lower.len()).map(|j| (0, j)).collect();
    for (i, word) in quoted.iter().enumerate() {
        let mut current = vec![(i + 1, 0)];
        for j in 1..=lower.len() {
            let substitute = (previous[j - 1].0 + usize::from(lower[j - 1] != *word), previous[j - 1].1);
            let delete = (previous[j].0 + 1, previous[j].1);
            let insert = (current[j - 1].0 + 1, current[j - 1].1);
            current.push([substitute, delete, insert].into_iter().min_by_key(|c| c.0).unwrap());
        }
        previous = current;
    }
    let (end, &(distance, start)) = previous.iter().enumerate().skip(1).min_by_key(|(_, c)| c.0)?;
    if start >= end {
        return None;
    }
    let similarity = 1.0 - distance as f32 / quoted.len().max(end - start) as f32;
    Some((similarity.max(0.0), start..end))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::corpus::article::ArticleSource;

    fn corpus() -> Snapshot {
        let source = |name: &str, text: &str| ArticleSource {
            path: format!("/w/seeds/{name}"),
            display_path: name.into(),
            text: text.into(),
            ..Default::default()
        };
        Snapshot::build(
            vec![
                source(
                    "001.txt",
                    "T\n\nBortnikov said that “upon completing the attack, the terrorists received clear instructions to move toward the Ukrainian border, where from the other side a ‘window’ had been prepared for them”.\n\nPutin accused Washington of “blackmail” and trying to “intimidate” Russians.\n",
                ),
                source("002.txt", "T\n\nMembers of Khorasan Province (IS-K) coordinated it, said the head of the FSB.\n"),
            ],
            vec!["/w/seeds".into()],
        )
    }

    fn found(quote: &str) -> Vec<String> {
        let corpus = corpus();
        locate(&corpus, &QuoteText::parse(quote, &[]), None)
            .into_iter()
            .map(|m| corpus.article(m.article).unwrap().text[m.span].to_string())
            .collect()
    }

    #[test]
    fn typography_and_line_breaks_do_not_matter() {
        assert_eq!(found("a 'window' had been\n  prepared"), ["a ‘window’ had been prepared"]);
        assert_eq!(found("Upon completing the attack"), ["upon completing the attack"], "first letter's case");
        assert!(found("upon Completing the attack").is_empty(), "inner case is wording");
    }

    /// An archive sends paragraphs in whatever order it reads them (the test library, last first):
    /// each article's occurrence is still its first, and each article is counted once.
    #[test]
    fn an_article_quoted_in_several_paragraphs_is_found_once_at_the_first_in_any_order_of_reading() {
        use crate::analysis::corpus::library::testing::Embedded;
        let text = "T\n\nThe mayor said “the river will crest” at noon.\n\nLater, again: “the river will crest”, Åsa said.\n";
        let source = |name: &str| ArticleSource {
            path: format!("/w/seeds/{name}"),
            display_path: name.into(),
            text: text.into(),
            ..Default::default()
        };
        let embedded = Snapshot::build(vec![source("001.txt"), source("002.txt")], vec!["/w/seeds".into()]);
        let (remote, _) = Embedded::remote(embedded.corpus());
        let remote = Snapshot::new(remote, embedded.lexicon().clone());
        let quote = QuoteText::parse("the river will crest", &[]);
        let at = text.find("the river").unwrap();
        let first = at..at + "the river will crest".len();
        for corpus in [&embedded, &remote] {
            let found = locate(corpus, &quote, None);
            assert_eq!(found.iter().map(|m| (m.article, m.span.clone())).collect::<Vec<_>>(), [(0, first.clone()), (1, first.clone())]);
        }
    }

    #[test]
    fn wording_matters() {
        assert!(found("upon completing the assault").is_empty());
        assert!(found("the terrorists received instructions").is_empty(), "a dropped word is a change");
    }

    #[test]
    fn ellipses_are_gaps_in_order_within_one_paragraph() {
        assert_eq!(found("the terrorists received … a ‘window’ had been prepared"), ["the terrorists received clear instructions to move toward the Ukrainian border, where from the other side a ‘window’ had been prepared"]);
        assert_eq!(found("upon completing [...] prepared for them").len(), 1);
        assert!(found("prepared for them ... upon completing").is_empty(), "parts out of order");
        assert!(found("prepared for them … Putin accused").is_empty(), "parts in different paragraphs");
    }

    #[test]
    fn bracketed_insertions_stand_for_a_word_or_two() {
        assert_eq!(found("[Putin] accused Washington").len(), 1);
        assert_eq!(found("said the head of [the security service]").len(), 1);
        assert_eq!(found("Khorasan Province [ISIS-K] coordinated it").len(), 1);
    }

    #[test]
    fn brackets_in_the_source_match_literally_before_they_are_insertions() {
        let corpus = Snapshot::build(
            vec![ArticleSource {
                path: "/w/seeds/x.txt".into(),
                display_path: "x".into(),
                text: "T\n\nThe toxin was found in animals [such as mammals, fish and birds] across the region — and in soil.\n".into(),
                ..Default::default()
            }],
            vec!["/w/seeds".into()],
        );
        let found = |quote: &str| -> Vec<String> {
            locate(&corpus, &QuoteText::parse(quote, &[]), None)
                .into_iter()
                .map(|m| corpus.article(m.article).unwrap().text[m.span].to_string())
                .collect()
        };
        assert_eq!(
            found("found in animals [such as mammals, fish and birds] across the region"),
            ["found in animals [such as mammals, fish and birds] across the region"]
        );
        assert_eq!(
            found("the toxin was found in animals [such as mammals, fish and birds]"),
            ["The toxin was found in animals [such as mammals, fish and birds"],
            "a closing bracket read literally, not as an insertion of no word"
        );
        assert_eq!(
            found("animals [such as mammals, fish and birds] across [this] region"),
            ["animals [such as mammals, fish and birds] across the region"],
            "one literal, one insertion"
        );
        assert_eq!(found("[It] was found in animals"), ["The toxin was found in animals"], "an insertion still stands for source words");
        assert!(
            found("in animals [such as cats, dogs and birds] across the region").is_empty(),
            "other words in brackets are no insertion of four words or more"
        );
    }

    #[test]
    fn one_word_quotations_are_found() {
        assert_eq!(found("blackmail"), ["blackmail"]);
        assert!(found("scarecrow").is_empty());
    }

    #[test]
    fn the_closest_passage_has_a_similarity() {
        let corpus = corpus();
        let quote = QuoteText::parse("the terrorists got clear instructions to move toward the Ukrainian border", &[]);
        let close = closest(&corpus, &quote, None, &[]).unwrap();
        assert_eq!(
            &corpus.article(close.article).unwrap().text[close.span],
            "the terrorists received clear instructions to move toward the Ukrainian border"
        );
        assert!((close.similarity - (1.0 - 1.0 / 11.0)).abs() < 1e-4, "{}", close.similarity);
    }

    #[test]
    fn non_ascii_quotations_match() {
        let corpus = Snapshot::build(
            vec![ArticleSource {
                path: "/w/seeds/x.txt".into(),
                display_path: "x".into(),
                text: "T\n\n“Ça ne fait aucun sens”, dit-il à Kyiv.\n".into(),
                ..Default::default()
            }],
            vec!["/w/seeds".into()],
        );
        assert_eq!(locate(&corpus, &QuoteText::parse("ça ne fait aucun sens", &[]), None).len(), 1);
    }

    /// Every start tried, as before the anchor: what the anchored search must agree with.
    fn scanned(quote: &QuoteText, text: &str, span: &Range<usize>) -> Option<Range<usize>> {
        let mut tokens = Tokens::new(text, span);
        if quote.has_brackets() {
            if let Some(found) = scan(quote, &mut tokens, Brackets::Literal) {
                return Some(found);
            }
        }
        scan(quote, &mut tokens, Brackets::LiteralOrInsertion)
    }

    #[test]
    fn a_quotation_is_found_past_false_starts_at_its_longest_word() {
        let text = "T\n\nThey repaid it. People paying for it late, and now people are paying for it.\n";
        let span = 3..text.len() - 1;
        let quote = QuoteText::parse("now people are paying for it", &[]);
        assert_eq!(Anchor::of(&quote).map(|anchor| (anchor.finder.needle().to_vec(), anchor.before)), Some((b"people".to_vec(), 1)));
        let found = match_in(&quote, Anchor::of(&quote).as_ref(), text, &span).expect("the quotation is in the paragraph");
        assert_eq!(&text[found.clone()], "now people are paying for it");
        assert_eq!(Some(found), scanned(&quote, text, &span));
    }

    #[test]
    fn a_paragraph_without_white_space_is_read_from_its_start() {
        let paragraph = format!("{}now—people—are—paying—for—it", "word—".repeat(80));
        let text = format!("T\n\n{paragraph}\n");
        let span = 3..3 + paragraph.len();
        let quote = QuoteText::parse("now people are paying for it", &[]);
        assert_eq!(Anchor::of(&quote).unwrap().search(&quote, &text, &span, Brackets::LiteralOrInsertion), None);
        let found = match_in(&quote, Anchor::of(&quote).as_ref(), &text, &span).expect("the quotation is in the paragraph");
        assert_eq!(&text[found], "now—people—are—paying—for—it");
    }

    const VOCABULARY: &[&str] =
        &["now", "Now", "people", "People", "peoples", "paying", "for", "it", "Ukraine", "s", "2", "5", "1", "200", "naïve", "Zürich", "long", "as", "takes", "repaying", "prepaying"];
    const SEPARATORS: &[&str] = &[" ", " ", " ", "  ", "\n", ", ", " — ", "—", " “", "” ", "'", "’", ".", ",", " (", ") ", "…", " [", "] ", "\u{a0}"];

    proptest::proptest! {
        /// Words of a small vocabulary (so that the anchor also occurs where the quotation does
        /// not), joined by separators that split or join tokens, and a quotation cut from the same
        /// words, with a gap, a bracket or its first letter's case changed.
        #[test]
        fn the_anchored_search_finds_what_trying_every_start_finds(
            words in proptest::collection::vec(0..VOCABULARY.len(), 1..40),
            separators in proptest::collection::vec(0..SEPARATORS.len(), 40),
            from in 0usize..40,
            length in 1usize..8,
            edit in 0usize..5,
        ) {
            let mut paragraph = String::new();
            for (i, &word) in words.iter().enumerate() {
                if i > 0 {
                    paragraph.push_str(SEPARATORS[separators[i]]);
                }
                paragraph.push_str(VOCABULARY[word]);
            }
            let text = format!("Title\n\n{paragraph}\n\nEnd");
            let span = 7..7 + paragraph.len();
            let from = from % words.len();
            let mut quoted: Vec<String> = words[from..(from + length).min(words.len())].iter().map(|&w| VOCABULARY[w].to_string()).collect();
            match edit {
                1 if quoted.len() > 2 => quoted.insert(quoted.len() / 2, "...".into()),
                2 if quoted.len() > 2 => quoted[1] = "[it]".into(),
                3 => quoted[0] = quoted[0].to_lowercase(),
                4 if quoted.len() > 1 => quoted.swap(0, 1),
                _ => {}
            }
            let quote = QuoteText::parse(&quoted.join(" "), &[]);
            proptest::prop_assert_eq!(match_in(&quote, Anchor::of(&quote).as_ref(), &text, &span), scanned(&quote, &text, &span), "{:?} in {:?}", quoted, paragraph);
        }
    }
}
