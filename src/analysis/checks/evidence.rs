//! Evidence for a note sentence: the source sentences that best support it,
//! ranked by BM25 over the corpus with figures and names weighing more.

use crate::analysis::checks::memo::Memo;
use crate::analysis::checks::Snapshot;
use crate::analysis::corpus::search::{query_terms, Hit, QueryTerm};
use crate::analysis::corpus::ArticleId;
use crate::analysis::note::Note;

/// Below this share of the sentence's weighted terms, a source sentence does not support it.
pub const MIN_SUPPORT: f32 = 0.35;
/// From this share on, support is strong enough to suggest citing the article.
pub const STRONG_SUPPORT: f32 = 0.6;

/// The weighted terms of note sentence `index`, leaving out citations, code and URLs.
pub fn sentence_query(note: &Note, index: usize) -> Vec<QueryTerm> {
    let Some(sentence) = note.sentences.get(index) else {
        return Vec::new();
    };
    let skip = note.non_prose_within(&sentence.span);
    query_terms(&note.text[sentence.span.clone()], &skip)
}

/// Up to `limit` corpus sentences that support note sentence `index`, best first.
pub fn supporting(corpus: &Snapshot, note: &Note, index: usize, limit: usize) -> Vec<Hit> {
    let query = sentence_query(note, index);
    if query.len() < 2 {
        return Vec::new();
    }
    let key = memo_key(&query, limit);
    if let Some(found) = corpus.evidence_memo().0.get(&key) {
        return found;
    }
    let chosen = search_supporting(corpus, &query, limit);
    corpus.evidence_memo().0.put(key, chosen.clone());
    chosen
}

fn search_supporting(corpus: &Snapshot, query: &[QueryTerm], limit: usize) -> Vec<Hit> {
    // Ask for more than needed: several outlets often carry the same sentence.
    let hits = corpus.search(query, limit * 4, |_| true);
    let mut chosen: Vec<Hit> = Vec::new();
    for hit in hits.into_iter().filter(|h| h.coverage >= MIN_SUPPORT) {
        if chosen.len() == limit {
            break;
        }
        chosen.push(hit);
    }
    chosen
}

fn memo_key(query: &[QueryTerm], limit: usize) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    limit.hash(&mut hasher);
    for term in query {
        term.term.hash(&mut hasher);
        term.weight.to_bits().hash(&mut hasher);
    }
    hasher.finish()
}

/// The evidence found in one snapshot, by the query that found it: a memo, so that the server can
/// find a note's evidence while the editor is idle and a hover answers at once. It changes how
/// often the work is done, never an answer, and a new snapshot starts empty.
#[derive(Clone, Debug)]
pub struct EvidenceMemo(Memo<u64, Vec<Hit>>);

/// Queries remembered at most, per snapshot: every sentence of a 10,000-line note, about 4 MB.
const EVIDENCE_REMEMBERED: usize = 16_384;

impl EvidenceMemo {
    /// What this memo remembers, for a snapshot that gives the same answers.
    pub fn carried(&self) -> EvidenceMemo {
        EvidenceMemo(self.0.carried())
    }
}

impl Default for EvidenceMemo {
    fn default() -> Self {
        EvidenceMemo(Memo::new(EVIDENCE_REMEMBERED))
    }
}

/// The best sentences of one cited article for note sentence `index`.
pub fn best_in_article(corpus: &Snapshot, note: &Note, index: usize, article: ArticleId, limit: usize) -> Vec<Hit> {
    let query = sentence_query(note, index);
    corpus.rank_within(article, &query, limit)
}
