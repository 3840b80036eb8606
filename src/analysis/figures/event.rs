//! Which articles speak about the same event as a note sentence, when the
//! sentence cites none: chosen by the words that identify the event (names,
//! places, what happened), from the sentence, its paragraph and its section
//! heading — never by the figures or the measure words, which every event shares.

use std::collections::BTreeMap;

use super::lexicon::Lexicon;
use crate::analysis::corpus::Corpus;
use crate::analysis::note::{BlockKind, Note};
use crate::analysis::retrieval::{index_term, ArticleId, QueryTerm};
use crate::analysis::text::{is_stopword, words};

/// Sentences retrieved to find candidate articles.
const CANDIDATE_SENTENCES: usize = 40;
/// Share of the identifying words an article must mention to be about the same event.
const EVENT_COVERAGE: f32 = 0.5;
/// Articles whose coverage falls below this share of the best one's are about another event.
const RELATIVE_COVERAGE: f32 = 0.75;
/// Sentences on each side of a sentence that make its paragraph context.
const CONTEXT_SENTENCES: usize = 2;
/// Context (paragraph, heading) counts, but less than the sentence itself.
const CONTEXT_WEIGHT: f32 = 0.5;

/// An identifying term, and whether it comes from the sentence itself or its context.
#[derive(Clone, Debug)]
pub struct EventTerm {
    pub term: String,
    pub weight: f32,
    pub own: bool,
}

/// The identifying terms of note sentence `index`: its own at full weight, its context at less.
/// A word the corpus has never seen says nothing about which of its events is meant, unless it
/// is a name (`Nairobi`): then it says the note is about something else.
pub fn event_query(corpus: &Corpus, note: &Note, index: usize, lexicon: &Lexicon) -> Vec<EventTerm> {
    let mut terms: Vec<EventTerm> = Vec::new();
    let mut add = |text_span: std::ops::Range<usize>, weight: f32, own: bool, heading: bool| {
        let skip = note.non_prose_within(&text_span);
        let text = &note.text[text_span];
        for (position, (span, word)) in words(text).enumerate() {
            if skip.iter().any(|s| s.start <= span.start && span.end <= s.end) {
                continue;
            }
            let term = index_term(word);
            if is_stopword(&term) || term.chars().count() < 2 || is_measure_word(&term, lexicon) || term.chars().any(|c| c.is_ascii_digit())
            {
                continue;
            }
            let is_name = word.chars().next().is_some_and(char::is_uppercase) && (position > 0 || heading);
            if corpus.document_frequency(&term) == 0 && !is_name {
                continue;
            }
            match terms.iter_mut().find(|t| t.term == term) {
                Some(existing) => {
                    existing.weight = existing.weight.max(weight);
                    existing.own |= own;
                }
                None => terms.push(EventTerm { term, weight, own }),
            }
        }
    };
    let Some(sentence) = note.sentences.get(index) else { return terms };
    add(sentence.span.clone(), 1.0, true, false);
    // The neighbouring sentences of the paragraph (a few: a paragraph of a thousand sentences is no context).
    let neighbours = index.saturating_sub(CONTEXT_SENTENCES)..(index + CONTEXT_SENTENCES + 1).min(note.sentences.len());
    for other_index in neighbours {
        let other = &note.sentences[other_index];
        if other.block == sentence.block && other_index != index {
            add(other.span.clone(), CONTEXT_WEIGHT, false, false);
        }
    }
    // The nearest heading above, and the note's title.
    let headings = note.blocks.iter().filter(|b| matches!(b.kind, BlockKind::Heading(_)) && b.span.start < sentence.span.start);
    if let Some(nearest) = headings.clone().next_back() {
        add(nearest.span.clone(), CONTEXT_WEIGHT, false, true);
    }
    if let Some(title) = note.blocks.iter().find(|b| b.kind == BlockKind::Heading(1) && b.span.start < sentence.span.start) {
        add(title.span.clone(), CONTEXT_WEIGHT, false, true);
    }
    terms
}

fn is_measure_word(term: &str, lexicon: &Lexicon) -> bool {
    lexicon.measures.values().flatten().any(|cue| cue == term)
        || super::lexicon::is_everyone(term)
        || super::lexicon::is_group(term)
        || matches!(term, "figure" | "number" | "total" | "official" | "officials" | "according")
}

/// Articles about the event of note sentence `index`, best first.
pub fn event_articles(corpus: &Corpus, note: &Note, index: usize, lexicon: &Lexicon) -> Vec<ArticleId> {
    articles_for(corpus, &event_query(corpus, note, index, lexicon))
}

/// Event lookups by their query: notes repeat themselves (the same sentence in a table, a list).
#[derive(Default)]
pub struct EventCache(std::collections::HashMap<String, Vec<ArticleId>>);

impl EventCache {
    pub fn event_articles(&mut self, corpus: &Corpus, note: &Note, index: usize) -> Vec<ArticleId> {
        let terms = event_query(corpus, note, index, corpus.lexicon());
        let key = terms.iter().map(|t| format!("{}:{}:{}", t.term, t.weight, t.own)).collect::<Vec<_>>().join(" ");
        self.0.entry(key).or_insert_with(|| articles_for(corpus, &terms)).clone()
    }
}

fn articles_for(corpus: &Corpus, terms: &[EventTerm]) -> Vec<ArticleId> {
    let has_own = terms.iter().any(|t| t.own);
    let weights: Vec<f32> = terms.iter().map(|t| t.weight * corpus.idf(&t.term)).collect();
    let total: f32 = weights.iter().sum();
    if total <= 0.0 {
        return Vec::new();
    }
    let query: Vec<QueryTerm> = terms.iter().map(|t| QueryTerm { term: t.term.clone(), weight: t.weight }).collect();
    let mut scores: BTreeMap<ArticleId, f32> = BTreeMap::new();
    for hit in corpus.search(&query, CANDIDATE_SENTENCES, |_| true) {
        *scores.entry(hit.sentence.article).or_default() += hit.score;
    }
    let mut candidates: Vec<(ArticleId, f32, f32)> = scores
        .into_iter()
        .filter_map(|(id, score)| {
            let article = corpus.article(id)?;
            let covered: f32 = terms.iter().zip(&weights).filter(|(t, _)| article.mentions(&t.term)).map(|(_, w)| w).sum();
            // When the sentence names something, the article must mention some of it.
            let own_word = !has_own || terms.iter().any(|t| t.own && article.mentions(&t.term));
            (own_word && covered / total >= EVENT_COVERAGE).then_some((id, score, covered / total))
        })
        .collect();
    // The event's own articles cover its words best; an article far behind the best is about something else.
    let best = candidates.iter().map(|c| c.2).fold(0.0f32, f32::max);
    candidates.retain(|c| c.2 >= best * RELATIVE_COVERAGE);
    candidates.sort_by(|a, b| b.1.total_cmp(&a.1));
    candidates.into_iter().map(|(id, _, _)| id).collect()
}
