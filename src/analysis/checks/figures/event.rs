//! Which articles speak about the same event as a note sentence, when the
//! sentence cites none: chosen by the words that identify the event (names,
//! places, what happened), from the sentence, its paragraph and its section
//! heading — never by the figures or the measure words, which every event shares.

use std::collections::BTreeMap;

use super::lexicon::Lexicon;
use crate::analysis::checks::memo::Memo;
use crate::analysis::checks::Snapshot;
use crate::analysis::corpus::search::{QueryTerm, MAX_QUERY_TERMS};
use crate::analysis::corpus::ArticleId;
use crate::analysis::note::{BlockKind, Note};
use crate::analysis::text::terms::{index_term, plain_term};
use crate::analysis::text::{is_stopword, words};

/// Sentences retrieved to find candidate articles.
const CANDIDATE_SENTENCES: usize = 40;
/// Share of the identifying words an article must mention to be about the same event.
const EVENT_COVERAGE: f32 = 0.5;
/// With a clause that names the event, the share of its context an article must still cover.
const CONTEXT_COVERAGE: f32 = 0.3;
/// Articles whose coverage falls below this share of the best one's are about another event.
const RELATIVE_COVERAGE: f32 = 0.75;
/// A name (`Crocus`, `Tarsk`) says which event far better than a common word.
const NAME_WEIGHT: f32 = 3.0;
/// The kind of event (`flood`, `shooting`) says more than a common word, less than a name.
const EVENT_WEIGHT: f32 = 2.0;
/// Sentences on each side of a sentence that make its paragraph context.
const CONTEXT_SENTENCES: usize = 2;
/// Context (paragraph, heading) counts, but less than the sentence itself.
const CONTEXT_WEIGHT: f32 = 0.5;

/// An identifying term, and whether it comes from the sentence itself or its context.
#[cfg(test)]
#[test]
fn non_identifying_words_are_sorted_for_binary_search() {
    assert!(NON_IDENTIFYING.windows(2).all(|w| w[0] < w[1]));
}

#[derive(Clone, Debug)]
pub struct EventTerm {
    pub term: String,
    pub weight: f32,
    pub own: bool,
    /// A name (`Crocus`): a word that can say which event is meant, as a kind of event cannot.
    pub name: bool,
    /// A kind of event (`flood`, `shooting`).
    pub kind: bool,
}

/// The identifying terms of note sentence `index`: its own at full weight, its context at less.
/// A word the corpus has never seen says nothing about which of its events is meant, unless it
/// is a name (`Nairobi`): then it says the note is about something else.
pub fn event_query(
    corpus: &Snapshot,
    note: &Note,
    index: usize,
    figure: Option<std::ops::Range<usize>>,
    lexicon: &Lexicon,
) -> Vec<EventTerm> {
    let mut terms: Vec<EventTerm> = Vec::new();
    let mut add = |text_span: std::ops::Range<usize>, weight: f32, own: bool, heading: bool| {
        let skip = note.non_prose_within(&text_span);
        let text = &note.text[text_span];
        for (position, (span, word)) in words(text).enumerate() {
            if skip.iter().any(|s| s.start <= span.start && span.end <= s.end) {
                continue;
            }
            let plain = plain_term(word);
            if is_stopword(&plain)
                || plain.chars().count() < 2
                || is_measure_word(&plain, lexicon)
                || plain.chars().any(|c| c.is_ascii_digit())
            {
                continue;
            }
            let term = index_term(word);
            if terms.len() >= MAX_QUERY_TERMS && !terms.iter().any(|t| t.term == term) {
                continue;
            }
            let capitalised = word.chars().next().is_some_and(char::is_uppercase);
            let known = corpus.document_frequency(&term) > 0;
            // A capital at a sentence's start proves nothing, unless the corpus knows the word.
            let is_name = capitalised && (position > 0 || heading || known);
            if !known && !is_name {
                continue;
            }
            // Names and kinds of event identify an event best; other words help less.
            let kind = lexicon.events.values().flatten().any(|cue| *cue == term);
            let weight = if is_name {
                weight * NAME_WEIGHT
            } else if kind {
                weight * EVENT_WEIGHT
            } else {
                weight
            };
            match terms.iter_mut().find(|t| t.term == term) {
                Some(existing) => {
                    existing.weight = existing.weight.max(weight);
                    existing.own |= own;
                    existing.name |= is_name;
                    existing.kind |= kind;
                }
                None => terms.push(EventTerm { term, weight, own, name: is_name, kind }),
            }
        }
    };
    let Some(sentence) = note.sentences.get(index) else { return terms };
    // The figure's own clause speaks for it (`Police held 14 people after Tarsk; after Crocus the FSB
    // announced 11 arrests`); the rest of the sentence is context.
    match figure.map(|figure| clause_around(&note.text, &sentence.span, &figure)) {
        Some(clause) => {
            add(clause.clone(), 1.0, true, false);
            add(sentence.span.start..clause.start, CONTEXT_WEIGHT, false, false);
            add(clause.end..sentence.span.end, CONTEXT_WEIGHT, false, false);
        }
        None => add(sentence.span.clone(), 1.0, true, false),
    }
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

/// Words that every event's reporting shares: how tolls move and how reports are written.
const NON_IDENTIFYING: &[&str] = &[
    "about",
    "above",
    "according",
    "agencies",
    "agency",
    "almost",
    "analyst",
    "approximately",
    "around",
    "brief",
    "came",
    "climbed",
    "close",
    "confirmed",
    "copy",
    "count",
    "counts",
    "day",
    "days",
    "draft",
    "earlier",
    "ends",
    "estimate",
    "estimated",
    "estimates",
    "evening",
    "eventually",
    "fewer",
    "figure",
    "figures",
    "final",
    "first",
    "follow",
    "gave",
    "happened",
    "heavy",
    "initial",
    "later",
    "latest",
    "least",
    "left",
    "less",
    "loose",
    "lost",
    "made",
    "more",
    "morning",
    "moved",
    "nearly",
    "new",
    "night",
    "note",
    "notes",
    "number",
    "numbers",
    "official",
    "officials",
    "open",
    "outlet",
    "outlets",
    "over",
    "part",
    "piece",
    "put",
    "puts",
    "question",
    "questions",
    "reached",
    "report",
    "reported",
    "reports",
    "risen",
    "rose",
    "roughly",
    "second",
    "some",
    "source",
    "sources",
    "stood",
    "story",
    "take",
    "taken",
    "than",
    "third",
    "timeline",
    "toll",
    "tolls",
    "took",
    "total",
    "under",
    "update",
    "updates",
    "upwards",
    "week",
    "weeks",
    "working",
];

/// The other single words for the same kind of event (`blast` → `explosion`, `exploded`).
fn same_kind_of_event<'a>(corpus: &'a Snapshot, term: &str) -> Vec<&'a str> {
    corpus
        .lexicon()
        .events
        .values()
        .filter(|cues| cues.iter().any(|cue| cue == term))
        .flatten()
        .filter(|cue| !cue.contains(' ') && *cue != term)
        .map(String::as_str)
        .collect()
}

/// The clause of `sentence` that holds `figure`: bounded by `;`, `:`, a dash, or a comma that opens
/// a clause about a name (`Tarsk was attacked on October 13, Crocus on March 22`).
fn clause_around(text: &str, sentence: &std::ops::Range<usize>, figure: &std::ops::Range<usize>) -> std::ops::Range<usize> {
    let is_boundary = |at: usize| {
        let rest = &text[at..];
        if rest.starts_with([';', ':', '—', '–']) {
            return true;
        }
        rest.starts_with(", ") && rest[2..].chars().next().is_some_and(char::is_uppercase) && !rest[2..].starts_with("I ")
    };
    let before = &text[sentence.start..figure.start.max(sentence.start)];
    let start = before
        .char_indices()
        .rev()
        .find(|&(i, _)| is_boundary(sentence.start + i))
        .map_or(sentence.start, |(i, c)| sentence.start + i + c.len_utf8());
    let after_start = figure.end.min(sentence.end);
    let end = text[after_start..sentence.end]
        .char_indices()
        .find(|&(i, _)| is_boundary(after_start + i))
        .map_or(sentence.end, |(i, _)| after_start + i);
    start..end.max(start)
}

fn is_measure_word(term: &str, lexicon: &Lexicon) -> bool {
    lexicon.measures.values().flatten().any(|cue| cue == term)
        || super::lexicon::is_everyone(term)
        || super::lexicon::is_group(term)
        || NON_IDENTIFYING.binary_search(&term).is_ok()
        // Number words are figures, not identities.
        || crate::analysis::checks::quantities::is_number_word(term)
        || matches!(term, "decade" | "decades")
}

/// Articles about the event of note sentence `index`, best first; each snapshot remembers them
/// by their query (notes repeat themselves, and an edit leaves most sentences' queries as they were).
pub fn event_articles(corpus: &Snapshot, note: &Note, index: usize, figure: Option<std::ops::Range<usize>>) -> Vec<ArticleId> {
    let terms = event_query(corpus, note, index, figure, corpus.lexicon());
    let key = terms.iter().map(|t| format!("{}:{}:{}:{}:{}", t.term, t.weight, t.own, t.name, t.kind)).collect::<Vec<_>>().join(" ");
    if let Some(found) = corpus.event_memo().0.get(&key) {
        return found;
    }
    let found = articles_for(corpus, &terms);
    corpus.event_memo().0.put(key, found.clone());
    found
}

/// The articles found about events in one snapshot, by the query that found them. A memo: it
/// changes how often the work is done, never an answer, and a new snapshot starts empty.
#[derive(Clone, Debug)]
pub struct EventMemo(Memo<String, Vec<ArticleId>>);

/// Queries remembered at most, per snapshot: every figure of a 10,000-line note.
const EVENTS_REMEMBERED: usize = 16_384;

impl EventMemo {
    /// What this memo remembers, for a snapshot that gives the same answers.
    pub fn carried(&self) -> EventMemo {
        EventMemo(self.0.carried())
    }
}

impl Default for EventMemo {
    fn default() -> Self {
        EventMemo(Memo::new(EVENTS_REMEMBERED))
    }
}

fn articles_for(corpus: &Snapshot, terms: &[EventTerm]) -> Vec<ArticleId> {
    // A clause that names nothing (`The attack was carried out by two gunmen`) says what happened,
    // not which event: its heading and paragraph say that, by their names and kinds of event, and
    // its other words (`carried`) count no more than context.
    let has_own = terms.iter().any(|t| t.own && t.name);
    let identifying = |t: &EventTerm| t.name || t.kind;
    let by_identity = !has_own && terms.iter().any(identifying);
    let weights: Vec<f32> = terms
        .iter()
        .map(|t| {
            let weight = if by_identity && t.own && !identifying(t) { t.weight * CONTEXT_WEIGHT } else { t.weight };
            weight * corpus.idf(&t.term)
        })
        .collect();
    let total: f32 = weights.iter().sum();
    if total <= 0.0 {
        return Vec::new();
    }
    let query: Vec<QueryTerm> = terms.iter().map(|t| QueryTerm { term: t.term.clone(), weight: t.weight }).collect();
    // The other words for each term's kind of event, found once for every candidate.
    let kinds: Vec<Vec<&str>> = terms.iter().map(|t| same_kind_of_event(corpus, &t.term)).collect();
    let mut scores: BTreeMap<ArticleId, f32> = BTreeMap::new();
    for hit in corpus.search(&query, CANDIDATE_SENTENCES, |_| true) {
        *scores.entry(hit.sentence.article).or_default() += hit.score;
    }
    let mut candidates: Vec<(ArticleId, f32, f32)> = scores
        .into_iter()
        .filter_map(|(id, score)| {
            corpus.article(id)?;
            let mentioned: Vec<bool> = terms
                .iter()
                .zip(&kinds)
                .map(|(t, kind)| corpus.mentions(id, &t.term) || kind.iter().any(|cue| corpus.mentions(id, cue)))
                .collect();
            let covered: f32 = weights.iter().zip(&mentioned).filter(|(_, &m)| m).map(|(w, _)| w).sum();
            let coverage = covered / total;
            // When the clause names something, the article must cover most of the clause itself,
            // and some of its context; otherwise the context alone must be covered.
            let accepted = if has_own {
                let own: f32 = terms.iter().zip(&weights).filter(|(t, _)| t.own).map(|(_, w)| w).sum();
                let own_covered: f32 =
                    terms.iter().zip(&weights).zip(&mentioned).filter(|((t, _), &m)| t.own && m).map(|((_, w), _)| w).sum();
                own > 0.0 && own_covered / own >= EVENT_COVERAGE && coverage >= CONTEXT_COVERAGE
            } else {
                coverage >= EVENT_COVERAGE
            };
            accepted.then_some((id, score, coverage))
        })
        .collect();
    // The event's own articles cover its words best; an article far behind the best is about something else.
    let best = candidates.iter().map(|c| c.2).fold(0.0f32, f32::max);
    candidates.retain(|c| c.2 >= best * RELATIVE_COVERAGE);
    candidates.sort_by(|a, b| b.1.total_cmp(&a.1));
    candidates.into_iter().map(|(id, _, _)| id).collect()
}
