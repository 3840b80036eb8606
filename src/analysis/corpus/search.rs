//! Sentence retrieval: a BM25 index over the evidence sentences of the corpus.
//!
//! The index is a list of immutable segments, each built from a batch of
//! articles (in parallel at load, one small segment per re-indexed article
//! later), so a corpus snapshot can be updated without rebuilding the whole
//! index. Scores weigh figures and names above common words. No I/O here.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use crate::analysis::corpus::article::{Article, ArticleId};
use crate::analysis::text::terms::{plain_term, stem, TermHasher};
use crate::analysis::text::{is_stopword, words};

pub use crate::analysis::text::terms::index_term;

/// BM25 parameters, the usual defaults for short documents.
pub(crate) const K1: f32 = 1.2;
pub(crate) const B: f32 = 0.75;
/// Figures and proper names identify an event far better than common words do.
const FIGURE_BOOST: f32 = 2.0;
const NAME_BOOST: f32 = 1.5;
/// The most distinct terms a query keeps, the first written. A real sentence has far fewer; a
/// pasted blob read as one sentence would cost a search per word and, through an archive, a
/// statement past PostgreSQL's limit of parameters. Both backends see the same query.
pub const MAX_QUERY_TERMS: usize = 128;

/// The sentence index's totals, from which every term's weight follows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    pub sentences: u64,
    pub words: u64,
}

/// A sentence of the corpus: which article, which of its evidence sentences.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub struct SentenceRef {
    pub article: ArticleId,
    pub index: u32,
}

#[derive(Clone, Debug)]
pub struct QueryTerm {
    pub term: String,
    pub weight: f32,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Hit {
    pub sentence: SentenceRef,
    pub score: f32,
    /// Share of the query's weight (idf × boost) that this sentence matches, 0–1.
    pub coverage: f32,
}

/// Dense score accumulators, reused across queries on a thread: a hash map per query costs more
/// than the scoring itself when common terms touch tens of thousands of sentences.
#[derive(Default)]
struct Scratch {
    scores: Vec<f32>,
    matched: Vec<f32>,
    touched: Vec<u32>,
}

impl Scratch {
    fn prepare(&mut self, sentences: usize) {
        if self.scores.len() < sentences {
            self.scores.resize(sentences, 0.0);
            self.matched.resize(sentences, 0.0);
        }
    }

    fn add(&mut self, local: u32, score: f32, weight: f32) {
        let slot = local as usize;
        if self.matched[slot] == 0.0 {
            self.touched.push(local);
        }
        self.scores[slot] += score;
        self.matched[slot] += weight;
    }

    /// The touched entries, leaving the accumulators zeroed for the next query.
    fn drain(&mut self) -> Vec<(u32, f32, f32)> {
        let touched = std::mem::take(&mut self.touched);
        let drained = touched
            .iter()
            .map(|&local| {
                let slot = local as usize;
                let entry = (local, self.scores[slot], self.matched[slot]);
                self.scores[slot] = 0.0;
                self.matched[slot] = 0.0;
                entry
            })
            .collect();
        self.touched = touched;
        self.touched.clear();
        drained
    }
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch::default());
}

/// An immutable part of the index.
///
/// The postings of every term lie end to end in one list (`postings[starts[t]..starts[t + 1]]`
/// for term `t`): a list of its own per term cost a header and an allocation each, which at
/// 100,000 news articles came to more than the postings themselves for the many terms that occur
/// in one or two sentences. A segment holds a batch of articles, far fewer than the 4 billion
/// postings a `u32` start can reach.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Segment {
    terms: HashMap<Box<str>, u32, TermHasher>,
    /// Per term, the segment-local sentences that contain it (each once, ascending), end to end.
    postings: Vec<u32>,
    /// Where each term's postings start in `postings`, and, last, where the last term's end.
    starts: Vec<u32>,
    sentences: Vec<SentenceRef>,
    lengths: Vec<u16>,
    total_length: u64,
}

impl Segment {
    /// Indexes the evidence sentences of `articles` (pairs of id and article).
    pub fn build<'a>(articles: impl IntoIterator<Item = (ArticleId, &'a Article)>) -> Segment {
        let mut segment = Segment::default();
        // (term, sentence) in sentence order, then grouped by term below.
        let mut occurrences: Vec<(u32, u32)> = Vec::new();
        let mut seen: Vec<u32> = Vec::new();
        for (id, article) in articles {
            for (index, sentence) in article.sentences.iter().enumerate() {
                let local = segment.sentences.len() as u32;
                segment.sentences.push(SentenceRef { article: id, index: index as u32 });
                let mut length = 0u32;
                seen.clear();
                for term in word_terms(article.sentence_text(sentence)) {
                    length += 1;
                    let Some(term) = term else { continue };
                    let term_id = match segment.terms.get(term.as_str()) {
                        Some(&id) => id,
                        None => {
                            let id = segment.terms.len() as u32;
                            segment.terms.insert(term.into_boxed_str(), id);
                            id
                        }
                    };
                    if !seen.contains(&term_id) {
                        seen.push(term_id);
                        occurrences.push((term_id, local));
                    }
                }
                segment.lengths.push(length.min(u32::from(u16::MAX)) as u16);
                segment.total_length += u64::from(length);
            }
        }
        // A counting sort by term keeps each term's sentences in ascending order.
        let mut starts = vec![0u32; segment.terms.len() + 1];
        for &(term, _) in &occurrences {
            starts[term as usize + 1] += 1;
        }
        for t in 1..starts.len() {
            starts[t] += starts[t - 1];
        }
        let mut next: Vec<u32> = starts[..starts.len() - 1].to_vec();
        let mut postings = vec![0u32; occurrences.len()];
        for (term, local) in occurrences {
            let slot = &mut next[term as usize];
            postings[*slot as usize] = local;
            *slot += 1;
        }
        segment.postings = postings;
        segment.starts = starts;
        segment.terms.shrink_to_fit();
        segment.sentences.shrink_to_fit();
        segment.lengths.shrink_to_fit();
        segment
    }

    /// Whether every term's postings lie within the list and every posting names a sentence of
    /// the segment: a segment read from a file is used only if it is.
    pub fn is_consistent(&self) -> bool {
        let ends_right = self.starts.len() == self.terms.len() + 1
            && self.starts.first() == Some(&0)
            && self.starts.last().is_some_and(|&end| end as usize == self.postings.len())
            && self.starts.windows(2).all(|pair| pair[0] <= pair[1]);
        ends_right
            && self.lengths.len() == self.sentences.len()
            && self.terms.values().all(|&id| (id as usize) < self.terms.len())
            && self.postings.iter().all(|&local| (local as usize) < self.sentences.len())
            && self.sentences.windows(2).all(|pair| (pair[0].article, pair[0].index) < (pair[1].article, pair[1].index))
    }

    fn postings(&self, term: &str) -> &[u32] {
        self.terms.get(term).map_or(&[], |&id| &self.postings[self.starts[id as usize] as usize..self.starts[id as usize + 1] as usize])
    }

    /// The segment-local sentences of article `id`, if this segment holds any: a segment indexes
    /// its articles one after another, in ascending id order.
    fn sentences_of(&self, id: ArticleId) -> Option<Range<u32>> {
        let (first, last) = (self.sentences.first()?.article, self.sentences.last()?.article);
        if id < first || id > last {
            return None;
        }
        let start = self.sentences.partition_point(|s| s.article < id);
        let end = self.sentences.partition_point(|s| s.article <= id);
        (start < end).then_some(start as u32..end as u32)
    }
}

/// The whole index: segments plus the articles that were removed since they were built.
#[derive(Clone, Debug, Default)]
pub struct SearchIndex {
    pub segments: Vec<Arc<Segment>>,
}

impl SearchIndex {
    /// Sentences indexed and the words they hold, removed articles' included until compaction.
    pub fn totals(&self) -> Totals {
        Totals {
            sentences: self.segments.iter().map(|s| s.sentences.len() as u64).sum(),
            words: self.segments.iter().map(|s| s.total_length).sum(),
        }
    }

    fn statistics(&self) -> (f32, f32) {
        statistics(self.totals())
    }

    fn idf(&self, term: &str, sentence_count: f32) -> f32 {
        idf(self.document_frequency(term), sentence_count)
    }

    /// The idf of a term over all sentences.
    pub fn idf_of(&self, term: &str) -> f32 {
        let (count, _) = self.statistics();
        self.idf(term, count)
    }

    /// How many sentences hold `term` (an index term).
    pub fn document_frequency(&self, term: &str) -> usize {
        self.segments.iter().map(|s| s.postings(term).len()).sum()
    }

    /// Whether an evidence sentence of article `id` holds `term` (an index term): the term's
    /// postings, in the segment that holds the article, searched for the article's sentences.
    /// The index answers it without a list of terms per article (200 MB at 100,000 articles).
    pub fn mentions(&self, id: ArticleId, term: &str) -> bool {
        let Some((segment, sentences)) = self.segments.iter().find_map(|segment| Some((segment, segment.sentences_of(id)?))) else {
            return false;
        };
        let postings = segment.postings(term);
        let at = postings.partition_point(|&local| local < sentences.start);
        postings.get(at).is_some_and(|&local| local < sentences.end)
    }

    /// The paragraphs whose sentences together hold every one of `terms` (the first the rarest),
    /// as (article, paragraph), ascending. `paragraph_of` names a sentence's paragraph and the
    /// run of its article's sentences that paragraph spans, or refuses the sentence.
    ///
    /// Segment by segment: the rarest term's sentences give the candidate paragraphs, runs of
    /// segment-local sentences in ascending order, and each later term's postings are searched
    /// forward for a sentence inside each run. A later term is commoner; walking all of its
    /// postings cost more than all the rest of locating a note's quotations.
    pub fn paragraphs_with(&self, terms: &[&str], paragraph_of: impl Fn(SentenceRef) -> Option<(u32, Range<u32>)>) -> Vec<(ArticleId, u32)> {
        let Some((rarest, others)) = terms.split_first() else { return Vec::new() };
        let mut found: Vec<(ArticleId, u32)> = Vec::new();
        for segment in &self.segments {
            // (article, paragraph, its segment-local sentences)
            let mut runs: Vec<(ArticleId, u32, Range<u32>)> = Vec::new();
            for &local in segment.postings(rarest) {
                if runs.last().is_some_and(|run| run.2.contains(&local)) {
                    continue;
                }
                let sentence = segment.sentences[local as usize];
                let Some((paragraph, within)) = paragraph_of(sentence) else { continue };
                let first = local - (sentence.index - within.start);
                runs.push((sentence.article, paragraph, first..first + (within.end - within.start)));
            }
            for term in others {
                if runs.is_empty() {
                    break;
                }
                let postings = segment.postings(term);
                let mut at = 0;
                runs.retain(|(_, _, run)| {
                    at += postings[at..].partition_point(|&local| local < run.start);
                    postings.get(at).is_some_and(|&local| local < run.end)
                });
            }
            found.extend(runs.into_iter().map(|(article, paragraph, _)| (article, paragraph)));
        }
        found.sort_unstable();
        found
    }

    /// Every sentence that holds `term` (an index term), removed articles included.
    pub fn sentences_with<'a>(&'a self, term: &'a str) -> impl Iterator<Item = SentenceRef> + 'a {
        self.segments.iter().flat_map(move |segment| segment.postings(term).iter().map(|&local| segment.sentences[local as usize]))
    }

    /// The best `limit` sentences for `query` among articles that `accept` admits.
    ///
    /// Exact top-`limit` with MaxScore pruning: terms are taken rarest first (highest possible
    /// contribution); once the contributions still possible from the remaining terms cannot lift
    /// a sentence none of the earlier terms touched above the `limit`-th best score so far, those
    /// terms only add to the sentences already touched, looked up in their postings, instead of
    /// walking postings that cover a good share of the corpus (`people`, `police`).
    pub fn search(&self, query: &[QueryTerm], limit: usize, accept: impl Fn(ArticleId) -> bool) -> Vec<Hit> {
        self.search_pruned(query, limit, accept, true).0
    }

    /// The search, and how many postings it walked or looked up (to show what pruning saves).
    fn search_pruned(&self, query: &[QueryTerm], limit: usize, accept: impl Fn(ArticleId) -> bool, prune: bool) -> (Vec<Hit>, usize) {
        let (count, average_length) = self.statistics();
        let weights: Vec<f32> = query.iter().map(|q| q.weight * self.idf(&q.term, count)).collect();
        let total_weight: f32 = weights.iter().sum();
        if total_weight <= 0.0 || limit == 0 {
            return (Vec::new(), 0);
        }
        let mut visited = 0;
        // The most a term can add to a sentence's score (a sentence of length 0).
        let bound = |weight: f32| weight * (K1 + 1.0) / (1.0 + K1 * (1.0 - B));
        let mut order: Vec<usize> = (0..query.len()).collect();
        order.sort_by(|&a, &b| weights[b].total_cmp(&weights[a]).then(a.cmp(&b)));
        // remaining[i]: the most the terms from order[i] on can add together.
        let mut remaining: Vec<f32> = vec![0.0; order.len() + 1];
        for i in (0..order.len()).rev() {
            remaining[i] = remaining[i + 1] + bound(weights[order[i]]);
        }
        let mut hits: Vec<Hit> = Vec::new();
        let mut partial: Vec<f32> = Vec::new();
        SCRATCH.with(|scratch| {
            let mut scratch = scratch.borrow_mut();
            for segment in &self.segments {
                scratch.prepare(segment.sentences.len());
                let mut probing = false;
                for (rank, &term) in order.iter().enumerate() {
                    let weight = weights[term];
                    let postings = segment.postings(&query[term].term);
                    if postings.is_empty() {
                        continue;
                    }
                    if prune && !probing && rank > 0 && postings.len() > scratch.touched.len() {
                        // The `limit`-th best score so far, a floor under the final one: scores only grow.
                        partial.clear();
                        partial.extend(hits.iter().map(|hit| hit.score));
                        partial.extend(
                            scratch
                                .touched
                                .iter()
                                .filter(|&&local| accept(segment.sentences[local as usize].article))
                                .map(|&local| scratch.scores[local as usize]),
                        );
                        if partial.len() >= limit {
                            let (_, &mut floor, _) = partial.select_nth_unstable_by(limit - 1, |a, b| b.total_cmp(a));
                            probing = remaining[rank] < floor;
                        }
                    }
                    let score_at = |local: u32| bm25(weight, f32::from(segment.lengths[local as usize]), average_length);
                    if probing {
                        visited += scratch.touched.len();
                        for i in 0..scratch.touched.len() {
                            let local = scratch.touched[i];
                            if postings.binary_search(&local).is_ok() {
                                scratch.add(local, score_at(local), weight);
                            }
                        }
                    } else {
                        visited += postings.len();
                        for &local in postings {
                            scratch.add(local, score_at(local), weight);
                        }
                    }
                }
                // Only sentences that may be among the best `limit` become hits: with common terms,
                // tens of thousands are touched.
                // Which articles a sentence belongs to is a lookup far from the scores: first the
                // best `limit` scores whoever admits them, and if `accept` admits `limit` of those
                // (ties included), no sentence below them can be among the best.
                let drained = scratch.drain();
                let floor = if drained.len() > limit {
                    partial.clear();
                    partial.extend(drained.iter().map(|&(_, score, _)| score));
                    *partial.select_nth_unstable_by(limit - 1, |a, b| b.total_cmp(a)).1
                } else {
                    f32::NEG_INFINITY
                };
                let before = hits.len();
                let push_from = |floor: f32, hits: &mut Vec<Hit>| {
                    for &(local, score, matched) in &drained {
                        let sentence = segment.sentences[local as usize];
                        if score >= floor && accept(sentence.article) {
                            hits.push(Hit { sentence, score, coverage: matched / total_weight });
                        }
                    }
                };
                push_from(floor, &mut hits);
                if hits.len() - before < limit && floor > f32::NEG_INFINITY {
                    hits.truncate(before);
                    push_from(f32::NEG_INFINITY, &mut hits);
                }
                keep_best(&mut hits, limit);
            }
        });
        sort_hits(&mut hits);
        (hits, visited)
    }

    /// Ranks the sentences of one article for `query`, with corpus-wide term weights.
    pub fn rank_within(&self, id: ArticleId, article: &Article, query: &[QueryTerm], limit: usize) -> Vec<Hit> {
        let (count, average_length) = self.statistics();
        let weights: Vec<f32> = query.iter().map(|q| q.weight * self.idf(&q.term, count)).collect();
        rank_sentences(id, article, query, &weights, average_length, limit)
    }
}

/// The best `limit` sentences of one article for `query`, whose terms weigh `weights`.
pub(crate) fn rank_sentences(
    id: ArticleId,
    article: &Article,
    query: &[QueryTerm],
    weights: &[f32],
    average_length: f32,
    limit: usize,
) -> Vec<Hit> {
    let total_weight: f32 = weights.iter().sum::<f32>().max(f32::EPSILON);
    let mut hits: Vec<Hit> = article
        .sentences
        .iter()
        .enumerate()
        .filter_map(|(index, sentence)| {
            let sentence_terms: Vec<String> = words(&article.text[sentence.span.range()]).map(|(_, w)| index_term(w)).collect();
            let length = sentence_terms.len() as f32;
            let mut score = 0.0;
            let mut matched = 0.0;
            for (query_term, &weight) in query.iter().zip(weights) {
                if sentence_terms.contains(&query_term.term) {
                    score += bm25(weight, length, average_length);
                    matched += weight;
                }
            }
            (score > 0.0).then_some(Hit { sentence: SentenceRef { article: id, index: index as u32 }, score, coverage: matched / total_weight })
        })
        .collect();
    sort_hits(&mut hits);
    hits.truncate(limit);
    hits
}

/// Sentence count and average length (at least 1) from the index's totals.
pub(crate) fn statistics(totals: Totals) -> (f32, f32) {
    let count = totals.sentences.max(1) as f32;
    (count, (totals.words as f32 / count).max(1.0))
}

/// BM25's idf of a term held by `df` of `sentence_count` sentences.
pub(crate) fn idf(df: usize, sentence_count: f32) -> f32 {
    let df = df as f32;
    ((sentence_count - df + 0.5) / (df + 0.5) + 1.0).ln()
}

/// What a matched term of weight `weight` adds to a sentence of `length` words (BM25 with every
/// term counted once).
pub(crate) fn bm25(weight: f32, length: f32, average_length: f32) -> f32 {
    weight * (K1 + 1.0) / (1.0 + K1 * (1.0 - B + B * length / average_length))
}

/// A sentence as the index holds it: its length in words, and its index terms (stop words left
/// out), each once, in order of first appearance, read as `Segment::build` reads it.
pub fn sentence_index_terms(text: &str) -> (u32, Vec<String>) {
    let mut length = 0u32;
    let mut terms: Vec<String> = Vec::new();
    for term in word_terms(text) {
        length += 1;
        let Some(term) = term else { continue };
        if !terms.contains(&term) {
            terms.push(term);
        }
    }
    (length, terms)
}

/// Each word of `text` as the index reads it: its index term, or `None` for a stopword (which
/// still counts in the sentence's length). The embedded index and the archive's ingest both
/// read sentences through it, so that their terms are the same.
fn word_terms(text: &str) -> impl Iterator<Item = Option<String>> + '_ {
    words(text).map(|(_, word)| {
        let plain = plain_term(word);
        (!is_stopword(&plain)).then(|| stem(plain))
    })
}

/// Keeps the best `limit` hits (in no particular order).
fn keep_best(hits: &mut Vec<Hit>, limit: usize) {
    if hits.len() > limit {
        hits.select_nth_unstable_by(limit, |a, b| b.score.total_cmp(&a.score).then(a.sentence.cmp(&b.sentence)));
        hits.truncate(limit);
    }
}

pub(crate) fn sort_hits(hits: &mut [Hit]) {
    hits.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.sentence.cmp(&b.sentence)));
}

/// The weighted terms of a piece of note text, skipping the byte ranges in `skip` (citations, code).
pub fn query_terms(text: &str, skip: &[Range<usize>]) -> Vec<QueryTerm> {
    let mut terms: Vec<QueryTerm> = Vec::new();
    let mut first = true;
    for (span, word) in words(text) {
        if skip.iter().any(|s| s.start <= span.start && span.end <= s.end) {
            continue;
        }
        let sentence_start = std::mem::replace(&mut first, false);
        let plain = plain_term(word);
        if is_stopword(&plain) || (plain.chars().count() < 2 && !plain.chars().all(|c| c.is_ascii_digit())) {
            continue;
        }
        let term = stem(plain);
        let weight = if term.chars().any(|c| c.is_ascii_digit()) {
            FIGURE_BOOST
        } else if !sentence_start && word.chars().next().is_some_and(char::is_uppercase) {
            NAME_BOOST
        } else {
            1.0
        };
        let full = terms.len() >= MAX_QUERY_TERMS;
        match terms.iter_mut().find(|q| q.term == term) {
            Some(existing) => existing.weight = existing.weight.max(weight),
            None if !full => terms.push(QueryTerm { term, weight }),
            None => {}
        }
    }
    terms
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::corpus::article::ArticleSource;

    fn article(name: &str, text: &str) -> Article {
        Article::parse(ArticleSource {
            path: format!("/c/{name}.txt"),
            display_path: format!("{name}.txt"),
            text: text.into(),
            ..Default::default()
        })
    }

    /// Pruning changes what is walked, never what is found: on a corpus of common and rare words,
    /// every query and limit gives the same hits, scores and coverage as the full walk.
    #[test]
    fn pruned_search_finds_exactly_what_the_full_walk_finds() {
        let vocabulary: Vec<String> = (0..400).map(|i| format!("w{i}x")).collect();
        let mut state: u64 = 7;
        let mut next = move |below: usize| {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((state >> 33) as usize) % below
        };
        // Zipf-like: word i is drawn about 1/(i+1) as often, so a few words are in most sentences.
        let draw = |next: &mut dyn FnMut(usize) -> usize| {
            let r = next(10_000) as f64 / 10_000.0;
            let i = ((400f64).powf(r) - 1.0) as usize;
            vocabulary[i.min(399)].clone()
        };
        let articles: Vec<Article> = (0..60)
            .map(|a| {
                let sentences: Vec<String> = (0..12)
                    .map(|_| {
                        let words: Vec<String> = (0..3 + next(14)).map(|_| draw(&mut next)).collect();
                        format!("{}.", words.join(" "))
                    })
                    .collect();
                article(&format!("a{a}"), &format!("Title {a}\n\n{}", sentences.join(" ")))
            })
            .collect();
        let (first, second) = articles.split_at(30);
        let index = SearchIndex {
            segments: vec![
                Arc::new(Segment::build(first.iter().enumerate().map(|(i, a)| (i as ArticleId, a)))),
                Arc::new(Segment::build(second.iter().enumerate().map(|(i, a)| (30 + i as ArticleId, a)))),
            ],
        };
        let mut saved = 0;
        for _ in 0..300 {
            let words: Vec<String> = (0..2 + next(10)).map(|_| draw(&mut next)).collect();
            let query = query_terms(&words.join(" "), &[]);
            let limit = 1 + next(12);
            let odd_only = next(2) == 0;
            let accept = |id: ArticleId| !odd_only || id % 2 == 1;
            let (pruned, walked_pruned) = index.search_pruned(&query, limit, accept, true);
            let (full, walked_full) = index.search_pruned(&query, limit, accept, false);
            assert_eq!(pruned, full, "query {words:?}, limit {limit}");
            assert!(walked_pruned <= walked_full);
            saved += walked_full - walked_pruned;
        }
        assert!(saved > 0, "pruning never applied: the test corpus no longer exercises it");
    }

    /// Each term's postings, end to end in one list, are exactly the sentences that hold it,
    /// ascending, each once, as reading every sentence's terms says.
    #[test]
    fn a_terms_postings_are_the_sentences_that_hold_it() {
        let a = article("a", "Title\n\nThe FSB held 11 people in Москва. Москва mourned.\n\nThe FSB said the 11 — all men — were held.");
        let b = article("b", "Title\n\nNothing about Москва here. Prices rose 11% in «Q3».");
        let segment = Segment::build([(3, &a), (4, &b)]);
        assert!(segment.is_consistent());
        let sentences: Vec<(SentenceRef, Vec<String>)> = [(3, &a), (4, &b)]
            .into_iter()
            .flat_map(|(id, article)| {
                article.sentences.iter().enumerate().map(move |(index, sentence)| {
                    (SentenceRef { article: id, index: index as u32 }, sentence_index_terms(article.sentence_text(sentence)).1)
                })
            })
            .collect();
        let vocabulary: std::collections::BTreeSet<&String> = sentences.iter().flat_map(|(_, terms)| terms).collect();
        assert!(vocabulary.len() > 10, "{vocabulary:?}");
        for term in vocabulary {
            let expected: Vec<SentenceRef> =
                sentences.iter().filter(|(_, terms)| terms.contains(term)).map(|(sentence, _)| *sentence).collect();
            let found: Vec<SentenceRef> = segment.postings(term).iter().map(|&local| segment.sentences[local as usize]).collect();
            assert_eq!(found, expected, "{term}");
        }
        assert!(segment.postings("absent").is_empty());
    }

    /// A segment read from a damaged or foreign index file is refused, not trusted to slice.
    #[test]
    fn a_segment_whose_postings_overrun_is_not_consistent() {
        let a = article("a", "Title\n\nThe FSB held 11 people. Москва mourned.");
        let mut segment = Segment::build([(0, &a)]);
        assert!(segment.is_consistent());
        segment.postings.pop();
        assert!(!segment.is_consistent(), "the last term ends past the list");
        let mut segment = Segment::build([(0, &a)]);
        segment.postings[0] = segment.sentences.len() as u32;
        assert!(!segment.is_consistent(), "a posting names no sentence");
        assert!(Segment::default().starts.is_empty() && !Segment::default().is_consistent());
    }

    #[test]
    fn figures_and_names_outrank_common_words() {
        let a = article(
            "a",
            "Title A\n\nThe concert hall attack killed 139 people in Krasnogorsk.\n\nPeople gathered in the hall for a concert.",
        );
        let b = article("b", "Title B\n\nA flood in Narvik killed 12 people.");
        let index = SearchIndex { segments: vec![Arc::new(Segment::build([(0, &a), (1, &b)]))] };
        let query = query_terms("The attack in Krasnogorsk killed 139 people.", &[]);
        let hits = index.search(&query, 3, |_| true);
        assert_eq!(hits[0].sentence, SentenceRef { article: 0, index: 1 });
        assert!(hits[0].coverage > 0.9, "{hits:?}");
        let only_b = index.search(&query, 3, |id| id == 1);
        assert!(only_b.iter().all(|h| h.sentence.article == 1));
    }

    #[test]
    fn ranking_within_one_article_uses_the_same_scores() {
        let a = article("a", "Title\n\nRussia mourned.\n\nThe FSB arrested 11 people, including four gunmen.");
        let index = SearchIndex { segments: vec![Arc::new(Segment::build([(7, &a)]))] };
        let hits = index.rank_within(7, &a, &query_terms("eleven arrested by the FSB", &[]), 3);
        assert_eq!(hits[0].sentence.index, 2);
    }

    #[test]
    fn stems_merge_inflections_conservatively() {
        let stems: Vec<String> =
            ["attacked", "attacks", "attacking", "homes", "injuries", "shopping", "boss", "crisis", "press", "floods", "news", "dies"]
                .iter()
                .map(|w| index_term(w))
                .collect();
        assert_eq!(stems, ["attack", "attack", "attack", "home", "injury", "shop", "boss", "crisis", "press", "flood", "news", "dies"]);
    }

    #[test]
    fn query_terms_skip_stopwords_and_citations() {
        let text = "Putin said 1,200 troops [@003] moved.";
        let skip = text.find('[').unwrap()..text.find(']').unwrap() + 1;
        let terms: Vec<String> = query_terms(text, std::slice::from_ref(&skip)).into_iter().map(|q| q.term).collect();
        assert_eq!(terms, ["putin", "1200", "troop", "moved"]);
    }

    #[test]
    fn a_query_keeps_its_first_distinct_terms_up_to_the_cap() {
        let words: Vec<String> = (0..MAX_QUERY_TERMS + 50).map(|i| format!("wörd{i}")).collect();
        // A figure after the cap, which would have weighed most, is left out all the same.
        let text = format!("{} wörd0 “1,200”", words.join(" – "));
        let terms = query_terms(&text, &[]);
        assert_eq!(terms.len(), MAX_QUERY_TERMS);
        assert_eq!(terms.last().unwrap().term, format!("wörd{}", MAX_QUERY_TERMS - 1));
        assert!(terms.iter().all(|term| term.term != "1200"), "a new term past the cap is left out");
    }
}
