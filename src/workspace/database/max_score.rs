//! The best sentences of a whole query in one pass over its terms' posting lists, sentence by
//! sentence (MaxScore, document at a time). A search of common words asked in steps read every
//! list again at each step and decoded every sentence of the lightest terms; here the lists of the
//! heaviest terms (few sentences) name the candidates, and the long lists of the lightest terms
//! are only looked into at those candidates, their blocks in between passed over undecoded.
//!
//! The answer is what the database's ranking keeps (`ranked_postings`): every sentence holding
//! one of the terms, scored from its summed weights in f64 in query order, kept when its score
//! reaches the floor and the `best`-th best score, lowered (`Ranking::lowered`).

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::analysis::corpus::library::Ranking;
use crate::workspace::database::posting_lists::{Cursor, Entry};

/// One term of the query, in query order: its posting list and its weight (never negative).
pub struct Term<'a> {
    pub list: &'a [u8],
    pub weight: f64,
}

/// How sentences are kept: at or above the floor, and among the best `best` (that score lowered
/// by `Ranking::lowered`).
pub struct Cut {
    pub floor: Option<f64>,
    pub best: Option<usize>,
}

/// A margin on bounds, far below the cut's own tolerance, for sums added in another order.
const MARGIN: f64 = 1e-9;

/// A score as a total order, for the heap of the best.
#[derive(Clone, Copy, PartialEq)]
struct Score(f64);

impl Eq for Score {}

impl PartialOrd for Score {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Score {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&other.0)
    }
}

/// The sentences holding any of `terms` that `admitted` admits and `cut` keeps, in list order,
/// each with the terms it holds (positions in `terms`, ascending). `score(sum, length)` is a
/// sentence's score from the summed weights of its terms and its length; it must grow with the
/// sum and be highest at length 0. Terms with a negative weight are not for this (the bounds
/// would not hold).
pub fn best(
    terms: &[Term],
    cut: &Cut,
    score: impl Fn(f64, u32) -> f64,
    mut admitted: impl FnMut(&Entry) -> bool,
) -> Vec<(Entry, Vec<u16>)> {
    let count = terms.len().min(usize::from(u16::MAX));
    let weight = |t: usize| terms[t].weight;
    // Lightest first; `lighter[i]` is the summed weight of the `i` lightest.
    let mut lightest: Vec<usize> = (0..count).collect();
    lightest.sort_by(|&x, &y| weight(x).total_cmp(&weight(y)).then(x.cmp(&y)));
    let mut lighter = vec![0.0f64; count + 1];
    for (i, &t) in lightest.iter().enumerate() {
        lighter[i + 1] = lighter[i] + weight(t);
    }
    let mut cursors: Vec<Cursor> = terms[..count].iter().map(|term| Cursor::new(term.list)).collect();
    // Each list's next sentence not yet passed.
    let mut heads: Vec<Option<Entry>> = cursors.iter_mut().map(|cursor| cursor.next()).collect();
    let mut best_scores: BinaryHeap<Reverse<Score>> = BinaryHeap::new();
    let wanted_best = cut.best.map(|best| best.max(1));
    let mut kept: Vec<(Entry, f64, Vec<u16>)> = Vec::new();
    let mut threshold = cut.floor.unwrap_or(f64::NEG_INFINITY);
    // The lists before `essential` (the lightest) cannot together lift a sentence to the
    // threshold: candidates come from the others.
    let essential_from = |threshold: f64, mut essential: usize| {
        while essential < count && score(lighter[essential + 1], 0) * (1.0 + MARGIN) < threshold {
            essential += 1;
        }
        essential
    };
    let mut essential = essential_from(threshold, 0);
    let mut held = vec![false; count];
    while let Some(sentence) = lightest[essential..].iter().filter_map(|&t| heads[t]).min_by_key(|entry| (entry.article, entry.position)) {
        let at = |entry: &Option<Entry>| entry.is_some_and(|e| (e.article, e.position) == (sentence.article, sentence.position));
        held.iter_mut().for_each(|h| *h = false);
        let mut sum = 0.0;
        for &t in &lightest[essential..] {
            if at(&heads[t]) {
                held[t] = true;
                sum += weight(t);
                heads[t] = cursors[t].next();
            }
        }
        // The lighter lists, heaviest first, while the sentence may still reach the threshold.
        let mut reachable = true;
        for i in (0..essential).rev() {
            if score(sum + lighter[i + 1], sentence.length) * (1.0 + MARGIN) < threshold {
                reachable = false;
                break;
            }
            let t = lightest[i];
            if heads[t].is_some_and(|head| (head.article, head.position) < (sentence.article, sentence.position)) {
                heads[t] = cursors[t].seek(&sentence);
            }
            if at(&heads[t]) {
                held[t] = true;
                sum += weight(t);
            }
        }
        // Admission last: it is a lookup, and most candidates fall short of the bounds first.
        if !reachable || !admitted(&sentence) {
            continue;
        }
        // Summed in query order, as the database sums.
        let exact = score((0..count).filter(|&t| held[t]).map(weight).sum(), sentence.length);
        if exact < threshold {
            continue;
        }
        kept.push((sentence, exact, (0..count as u16).filter(|&t| held[t as usize]).collect()));
        let Some(wanted_best) = wanted_best else { continue };
        if best_scores.len() < wanted_best {
            best_scores.push(Reverse(Score(exact)));
        } else if best_scores.peek().is_some_and(|Reverse(lowest)| exact > lowest.0) {
            best_scores.pop();
            best_scores.push(Reverse(Score(exact)));
        } else {
            continue;
        }
        if best_scores.len() == wanted_best {
            let lowest = best_scores.peek().map_or(f64::NEG_INFINITY, |Reverse(lowest)| lowest.0);
            threshold = threshold.max(Ranking::lowered(lowest));
            essential = essential_from(threshold, essential);
            if kept.len() > 4 * wanted_best + 64 {
                kept.retain(|(_, score, _)| *score >= threshold);
            }
        }
    }
    kept.into_iter().filter(|(_, score, _)| *score >= threshold).map(|(entry, _, holds)| (entry, holds)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workspace::database::posting_lists::encode;

    fn score(sum: f64, length: u32) -> f64 {
        sum * 2.2 / (1.0 + 1.2 * (0.25 + 0.75 * f64::from(length) / 9.0))
    }

    /// Every sentence holding a term, scored, then cut: what the database does.
    fn naive(lists: &[Vec<Entry>], weights: &[f64], cut: &Cut, admitted: impl Fn(&Entry) -> bool) -> Vec<(Entry, Vec<u16>)> {
        let mut all: Vec<Entry> = lists.iter().flatten().copied().filter(|e| admitted(e)).collect();
        all.sort_by_key(|e| (e.article, e.position));
        all.dedup_by_key(|e| (e.article, e.position));
        let found: Vec<(Entry, Vec<u16>, f64)> = all
            .into_iter()
            .map(|entry| {
                let holds: Vec<u16> = (0..lists.len() as u16).filter(|&t| lists[t as usize].contains(&entry)).collect();
                let sum: f64 = holds.iter().map(|&t| weights[t as usize]).sum();
                (entry, holds, score(sum, entry.length))
            })
            .collect();
        let mut scores: Vec<f64> = found.iter().map(|(_, _, s)| *s).collect();
        scores.sort_by(|a, b| b.total_cmp(a));
        let best = cut.best.map(|b| b.max(1)).filter(|&b| b <= scores.len()).map(|b| Ranking::lowered(scores[b - 1]));
        let threshold = cut.floor.into_iter().chain(best).fold(f64::NEG_INFINITY, f64::max);
        found.into_iter().filter(|(_, _, s)| *s >= threshold).map(|(e, h, _)| (e, h)).collect()
    }

    /// A small deterministic generator, so that a failure repeats.
    struct Numbers(u64);

    impl Numbers {
        fn below(&mut self, n: u64) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0 % n
        }
    }

    #[test]
    fn one_pass_keeps_what_scoring_every_sentence_keeps() {
        let mut numbers = Numbers(0x9e37_79b9_7f4a_7c15);
        let mut compared = 0;
        for round in 0..300 {
            // A few long lists of light terms and short ones of heavy terms, over 2,000 sentences
            // whose lengths are fixed by their place.
            let terms = 1 + numbers.below(6) as usize;
            let length = |article: i64, position: i32| 1 + ((article * 7 + i64::from(position) * 3) % 40) as u32;
            let mut lists = Vec::new();
            let mut weights = Vec::new();
            for _ in 0..terms {
                let share = [2, 10, 60, 400][numbers.below(4) as usize];
                let mut list = Vec::new();
                for article in 0..200i64 {
                    for position in 0..10i32 {
                        if numbers.below(1000) < share {
                            list.push(Entry { article: article * 3, position, length: length(article * 3, position) });
                        }
                    }
                }
                // Light terms for long lists, as idf weighs them; some ties.
                weights.push(if round % 5 == 0 { 1.0 } else { 8.0 / (1.0 + share as f64).ln() + numbers.below(3) as f64 * 0.25 });
                lists.push(list);
            }
            let encoded: Vec<Vec<u8>> = lists.iter().map(|list| encode(list)).collect();
            let terms: Vec<Term> = encoded.iter().zip(&weights).map(|(list, &weight)| Term { list, weight }).collect();
            let admit_every_other = round % 3 == 0;
            let admitted = |entry: &Entry| !admit_every_other || entry.article % 2 == 0;
            for (floor, best) in [(None, Some(1)), (None, Some(12)), (Some(2.0), None), (Some(1.5), Some(5)), (None, Some(5000))] {
                let cut = Cut { floor, best };
                assert_eq!(best_of(&terms, &cut, admitted), naive(&lists, &weights, &cut, admitted), "round {round}, {floor:?}/{best:?}");
                compared += 1;
            }
        }
        assert_eq!(compared, 1500);
    }

    fn best_of(terms: &[Term], cut: &Cut, admitted: impl Fn(&Entry) -> bool) -> Vec<(Entry, Vec<u16>)> {
        best(terms, cut, score, |entry| admitted(entry))
    }

    #[test]
    fn no_terms_or_empty_lists_keep_nothing() {
        let cut = Cut { floor: None, best: Some(3) };
        assert!(best_of(&[], &cut, |_| true).is_empty());
        let empty = encode(&[]);
        assert!(best_of(&[Term { list: &empty, weight: 2.0 }], &cut, |_| true).is_empty());
    }
}
