//! A corpus kept elsewhere: a team's shared archive holds the articles and the sentence index, and
//! the snapshot holds only their list (names, paths, titles), fetching an article the first time
//! an answer needs it and asking the archive for the sentences that hold a term.
//!
//! The `Library` trait is the door: the workspace implements it over PostgreSQL, tests over an
//! embedded corpus. Search is the embedded index's BM25 with the same scores, ties and limits,
//! so both backends give the same answers. A library that holds its terms' sentences as lists
//! ranks a whole search in one call (`Library::ranked`); otherwise sentences are asked for one
//! term at a time, rarest first, and no more terms are asked once the terms left cannot lift an
//! unseen sentence into the best `limit` (MaxScore, as the embedded index prunes). No I/O here:
//! only calls of the trait.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use crate::analysis::corpus::article::{Article, ArticleId, ArticleSource};
pub use crate::analysis::corpus::search::Totals;
use crate::analysis::corpus::search::{bm25, idf, sort_hits, Hit, QueryTerm, SentenceRef};
use crate::analysis::text::date::Date;

/// An article as the archive lists it, without its text: enough to cite it and find it by name.
///
/// Its texts are kept one after another in one allocation: at 100,000 listed articles six
/// strings each (a display path among them, which nothing read) took 36 MB, about 20 MB more
/// than this.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Listing {
    /// Path, key, front-matter id, title and outlet, one after another.
    texts: Box<str>,
    /// Where each text but the last ends in `texts`.
    ends: [u32; 4],
    /// Whether the front-matter id and the outlet are given (an empty one may be).
    given: [bool; 2],
    pub date: Option<Date>,
}

/// The texts of a listing, as `Listing::new` receives them.
pub struct Listed<'a> {
    pub path: &'a str,
    pub key: &'a str,
    pub front_matter_id: Option<&'a str>,
    pub title: &'a str,
    pub outlet: Option<&'a str>,
    pub date: Option<Date>,
}

impl Listing {
    pub fn new(listed: Listed) -> Listing {
        let parts = [listed.path, listed.key, listed.front_matter_id.unwrap_or(""), listed.title, listed.outlet.unwrap_or("")];
        let mut texts = String::with_capacity(parts.iter().map(|part| part.len()).sum());
        let mut ends = [0; 4];
        for (at, part) in parts.iter().enumerate() {
            texts.push_str(part);
            if let Some(end) = ends.get_mut(at) {
                // Past 4 GB (never met: names and titles) a text reads as empty, see `text`.
                *end = u32::try_from(texts.len()).unwrap_or(u32::MAX);
            }
        }
        Listing {
            texts: texts.into_boxed_str(),
            ends,
            given: [listed.front_matter_id.is_some(), listed.outlet.is_some()],
            date: listed.date,
        }
    }

    /// How the archive lists a parsed article.
    pub fn of(article: &Article) -> Listing {
        Listing::new(Listed {
            path: &article.path,
            key: &article.key,
            front_matter_id: article.front_matter_id.as_deref(),
            title: &article.title,
            outlet: article.outlet.as_deref(),
            date: article.date,
        })
    }

    /// Text `at` of the five.
    fn text(&self, at: usize) -> &str {
        let start = if at == 0 { 0 } else { self.ends[at - 1] as usize };
        let end = self.ends.get(at).map_or(self.texts.len(), |&end| end as usize);
        self.texts.get(start..end).unwrap_or_default()
    }

    pub fn path(&self) -> &str {
        self.text(0)
    }

    pub fn key(&self) -> &str {
        self.text(1)
    }

    pub fn front_matter_id(&self) -> Option<&str> {
        self.given[0].then(|| self.text(2))
    }

    pub fn title(&self) -> &str {
        self.text(3)
    }

    pub fn outlet(&self) -> Option<&str> {
        self.given[1].then(|| self.text(4))
    }
}

/// A sentence of the index that holds a searched term, with its length in words and which of the
/// query's terms it holds (their positions in the query).
#[derive(Clone, Debug, PartialEq)]
pub struct Posting {
    pub sentence: SentenceRef,
    pub length: u32,
    pub holds: Vec<u16>,
}

/// A paragraph's text, read without its article: where a quotation may stand.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Passage {
    pub article: ArticleId,
    pub paragraph: u32,
    /// Its byte range in the article's text.
    pub span: Range<usize>,
    pub text: String,
}

/// How the search ranks sentences (BM25, as `search::bm25` scores them), told to the library so
/// that it sends only the sentences that may be among the best: at 100,000 articles a common
/// word's sentences are hundreds of thousands, and sending them all cost seconds.
#[derive(Clone, Debug, PartialEq)]
pub struct Ranking {
    /// Each query term's weight, by position in the query.
    pub weights: Vec<f32>,
    pub average_length: f32,
    /// The sentences scoring below it cannot be among the best (it is already lowered by
    /// `Ranking::lowered`).
    pub floor: Option<f64>,
    /// Only the sentences scoring no less than the `best`-th best of those found are wanted (that
    /// score lowered by `Ranking::lowered`).
    pub best: Option<usize>,
}

impl Ranking {
    /// How far below a cut scores are still kept: a library scores in f64 and in its own order,
    /// the search in f32, so that no sentence the search would rank is left out by rounding.
    pub const TOLERANCE: f64 = 1e-4;

    pub fn lowered(cut: f64) -> f64 {
        cut - (cut.abs() * Ranking::TOLERANCE + Ranking::TOLERANCE)
    }
}

/// A library's answer to a whole search in one call (`Library::ranked`).
#[derive(Debug)]
pub enum Ranked {
    Postings(Vec<Posting>),
    /// The library could not answer (it says why in its log).
    Unanswered,
    /// The library would rather be asked term by term (`Library::postings`).
    InSteps,
}

/// Where the articles and the sentence index of a corpus kept elsewhere are read. Ids are the
/// snapshot's: position in its list of `Listing`s. Every answer is `None` when the library could
/// not give it (the archive away, a query timed out; the implementation says why in its log):
/// the corpus then answers with what it has, and counts the failure (`Corpus::library_failures`)
/// so that checks do not take a missing answer for a source's silence.
pub trait Library: Send + Sync + std::fmt::Debug {
    /// The articles at `ids`, with their ids (an id the library does not know is left out).
    fn fetch(&self, ids: &[ArticleId]) -> Option<Vec<(ArticleId, ArticleSource)>>;
    /// How many sentences hold each term (an index term), in order.
    fn document_frequencies(&self, terms: &[&str]) -> Option<Vec<u64>>;
    /// The sentences that hold every term of one of `wanted` (a term alone, or with the others
    /// it must come with) and none of `excluded`, each once, with which of `query` it holds;
    /// only those `ranking` keeps.
    fn postings(&self, wanted: &[Vec<&str>], excluded: &[&str], query: &[&str], ranking: &Ranking) -> Option<Vec<Posting>>;
    /// The sentences holding any of `query` that `admitted` admits, each once, with which of
    /// `query` it holds; only those `ranking` keeps among them: in one call, what `postings`
    /// answers with every term wanted alone (the articles left out before the ranking). A
    /// library for which reading every sentence of a common word costs a row each (a database
    /// without lists of them) would rather be asked in steps, term by term: the default.
    fn ranked(&self, _query: &[&str], _ranking: &Ranking, _admitted: &dyn Fn(ArticleId) -> bool) -> Ranked {
        Ranked::InSteps
    }
    /// Every sentence that holds `term`.
    fn sentences_with(&self, term: &str) -> Option<Vec<SentenceRef>>;
    /// The paragraphs whose sentences together hold every one of `terms` (the first the rarest),
    /// of the articles `within` or of all, each given to `visit` as it is read, in no particular
    /// order, one possibly twice (`Corpus::passages`). None when the library did not answer: then
    /// those visited may be only some.
    fn passages(&self, terms: &[&str], within: Option<&[ArticleId]>, visit: &mut (dyn FnMut(Passage) + Send)) -> Option<()>;
}

/// A corpus's articles fetched from a `Library` on first use.
/// How many sentences (by the terms' counts) a search asks the library for in one call, unless
/// one term alone holds more.
const SENTENCES_ASKED_TOGETHER: u64 = 1_000;

#[derive(Debug)]
pub struct Remote {
    library: Arc<dyn Library>,
    /// Shared by the snapshots that let go of fetched articles (`emptied`): 20 MB at 100,000.
    listings: Arc<Vec<Listing>>,
    totals: Totals,
    /// By id; an article stays once fetched (a snapshot is dropped to let go of them).
    fetched: Vec<OnceLock<Arc<Article>>>,
    fetched_bytes: std::sync::atomic::AtomicUsize,
    frequencies: Mutex<HashMap<String, u64>>,
    failures: AtomicU64,
    /// `SENTENCES_ASKED_TOGETHER`, unless a test asks term by term.
    sentences_asked_together: u64,
}

impl Remote {
    pub fn new(library: Arc<dyn Library>, listings: Vec<Listing>, totals: Totals) -> Remote {
        Remote::over(library, listings.into(), totals)
    }

    fn over(library: Arc<dyn Library>, listings: Arc<Vec<Listing>>, totals: Totals) -> Remote {
        let fetched = (0..listings.len()).map(|_| OnceLock::new()).collect();
        Remote {
            library,
            listings,
            totals,
            fetched,
            fetched_bytes: Default::default(),
            frequencies: Mutex::default(),
            failures: AtomicU64::new(0),
            sentences_asked_together: SENTENCES_ASKED_TOGETHER,
        }
    }

    /// The same list and library with nothing fetched.
    pub fn emptied(&self) -> Remote {
        Remote { sentences_asked_together: self.sentences_asked_together, ..Remote::over(self.library.clone(), self.listings.clone(), self.totals) }
    }

    pub fn totals(&self) -> Totals {
        self.totals
    }

    pub fn listings(&self) -> &[Listing] {
        &self.listings
    }

    /// How many answers the library could not give so far.
    pub fn failures(&self) -> u64 {
        self.failures.load(Ordering::Relaxed)
    }

    /// The library's answer, a failure counted.
    fn answered<T>(&self, answer: Option<T>) -> Option<T> {
        if answer.is_none() {
            self.failures.fetch_add(1, Ordering::Relaxed);
        }
        answer
    }

    /// Bytes of article text fetched so far.
    pub fn fetched_bytes(&self) -> usize {
        self.fetched_bytes.load(Ordering::Relaxed)
    }

    pub fn article(&self, id: ArticleId) -> Option<&Arc<Article>> {
        let cell = self.fetched.get(id as usize)?;
        if cell.get().is_none() {
            self.prefetch(&[id]);
        }
        cell.get()
    }

    /// Those of `ids` listed and not fetched yet, in order.
    fn not_fetched(&self, ids: &[ArticleId]) -> Vec<ArticleId> {
        ids.iter().copied().filter(|&id| self.fetched.get(id as usize).is_some_and(|cell| cell.get().is_none())).collect()
    }

    /// Fetches, in one call, those of `ids` not fetched yet.
    pub fn prefetch(&self, ids: &[ArticleId]) {
        let mut missing = self.not_fetched(ids);
        missing.sort_unstable();
        missing.dedup();
        if missing.is_empty() {
            return;
        }
        for (id, source) in self.answered(self.library.fetch(&missing)).unwrap_or_default() {
            let Some(cell) = self.fetched.get(id as usize) else { continue };
            let article = Arc::new(Article::parse(source));
            let bytes = article.text.len();
            if cell.set(article).is_ok() {
                self.fetched_bytes.fetch_add(bytes, Ordering::Relaxed);
            }
        }
    }

    /// The articles at `ids` (sorted), in order: those fetched already, and the others fetched in
    /// one call and parsed but not kept.
    pub fn read_once(&self, ids: &[ArticleId]) -> Vec<(ArticleId, Arc<Article>)> {
        let mut articles: Vec<(ArticleId, Arc<Article>)> =
            ids.iter().filter_map(|&id| Some((id, self.fetched.get(id as usize)?.get()?.clone()))).collect();
        let missing = self.not_fetched(ids);
        if !missing.is_empty() {
            for (id, source) in self.answered(self.library.fetch(&missing)).unwrap_or_default() {
                articles.push((id, Arc::new(Article::parse(source))));
            }
            articles.sort_by_key(|(id, _)| *id);
        }
        articles
    }

    /// How many sentences hold each term, asking the library only for those not asked before.
    fn frequencies(&self, terms: &[&str]) -> Vec<u64> {
        let mut known = self.frequencies.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let unknown: Vec<&str> = terms.iter().copied().filter(|t| !known.contains_key(*t)).collect();
        if !unknown.is_empty() {
            if let Some(counts) = self.answered(self.library.document_frequencies(&unknown)) {
                for (term, count) in unknown.iter().zip(counts) {
                    known.insert((*term).to_string(), count);
                }
            }
        }
        // Unknown after asking (the archive away): as if no sentence held it, so it weighs nothing found.
        terms.iter().map(|t| known.get(*t).copied().unwrap_or(0)).collect()
    }

    pub fn document_frequency(&self, term: &str) -> usize {
        self.frequencies(&[term])[0] as usize
    }

    fn statistics(&self) -> (f32, f32) {
        crate::analysis::corpus::search::statistics(self.totals)
    }

    pub fn idf(&self, term: &str) -> f32 {
        idf(self.document_frequency(term), self.statistics().0)
    }

    /// Query weights as the embedded index computes them.
    pub fn weights(&self, query: &[QueryTerm]) -> (Vec<f32>, f32) {
        let terms: Vec<&str> = query.iter().map(|q| q.term.as_str()).collect();
        let count = self.statistics().0;
        let frequencies = self.frequencies(&terms);
        (query.iter().zip(frequencies).map(|(q, df)| q.weight * idf(df as usize, count)).collect(), self.statistics().1)
    }

    /// The best `limit` sentences for `query` among articles `accept` admits: the embedded
    /// index's answer (`SearchIndex::search`), asked of the library term by term.
    pub fn search(&self, query: &[QueryTerm], limit: usize, accept: impl Fn(ArticleId) -> bool) -> Vec<Hit> {
        let (weights, average_length) = self.weights(query);
        let total_weight: f32 = weights.iter().sum();
        if total_weight <= 0.0 || limit == 0 {
            return Vec::new();
        }
        let terms: Vec<&str> = query.iter().map(|q| q.term.as_str()).collect();
        let frequencies = self.frequencies(&terms);
        let mut order: Vec<usize> = (0..query.len()).collect();
        order.sort_by(|&a, &b| weights[b].total_cmp(&weights[a]).then(a.cmp(&b)));
        let admitted = |article: ArticleId| accept(article) && self.fetched.get(article as usize).is_some();
        let hit = |posting: Posting| {
            // Summed in the order the embedded index adds them, so that scores are identical.
            let (mut score, mut matched) = (0.0f32, 0.0f32);
            for &t in &order {
                if posting.holds.contains(&(t as u16)) {
                    score += bm25(weights[t], posting.length as f32, average_length);
                    matched += weights[t];
                }
            }
            Hit { sentence: posting.sentence, score, coverage: matched / total_weight }
        };
        let best = |mut hits: Vec<Hit>| {
            sort_hits(&mut hits);
            hits.truncate(limit);
            self.prefetch(&hits.iter().map(|hit| hit.sentence.article).collect::<Vec<_>>());
            hits
        };
        let ranking = Ranking { weights: weights.clone(), average_length, floor: None, best: Some(limit) };
        match self.library.ranked(&terms, &ranking, &admitted) {
            Ranked::Postings(postings) => {
                return best(postings.into_iter().filter(|posting| admitted(posting.sentence.article)).map(hit).collect())
            }
            Ranked::Unanswered => {
                self.failures.fetch_add(1, Ordering::Relaxed);
                return Vec::new();
            }
            Ranked::InSteps => {}
        }
        let bound = |weight: f32| bm25(weight, 0.0, average_length);
        let mut remaining: Vec<f32> = vec![0.0; order.len() + 1];
        for i in (0..order.len()).rev() {
            remaining[i] = remaining[i + 1] + bound(weights[order[i]]);
        }
        // The sentences holding every term of one of `wanted` and none of `excluded`, scored, those
        // the search admits; only those that may be among the best (`Ranking`).
        let ask = |wanted: &[Vec<&str>], excluded: &[&str], floor: Option<f32>| -> Vec<Hit> {
            let admitted = |posting: &Posting| admitted(posting.sentence.article);
            // Until `limit` hits are found, the library sends the best `limit` of those it finds.
            let mut ranking = Ranking {
                weights: weights.clone(),
                average_length,
                floor: floor.map(|floor| Ranking::lowered(f64::from(floor))),
                best: floor.is_none().then_some(limit),
            };
            let mut postings = self.answered(self.library.postings(wanted, excluded, &terms, &ranking)).unwrap_or_default();
            if postings.iter().any(|posting| !admitted(posting)) && ranking.best.take().is_some() {
                // Some of the best are of articles this search leaves out: those behind them count.
                postings = self.answered(self.library.postings(wanted, excluded, &terms, &ranking)).unwrap_or_default();
            }
            postings.into_iter().filter(admitted).map(hit).collect()
        };
        let mut hits: Vec<Hit> = Vec::new();
        // When even the rarest term is common, no floor rules out a sentence before its sentences
        // are all read: those holding two of the three rarest terms are asked for first, and the
        // best of them set one. They are found again below, and counted once.
        let mut probed: HashSet<SentenceRef> = HashSet::new();
        if order.len() >= 2 && frequencies[order[0]] > self.sentences_asked_together {
            let rarest: Vec<&str> = order[..order.len().min(3)].iter().map(|&t| terms[t]).collect();
            let pairs: Vec<Vec<&str>> =
                (0..rarest.len()).flat_map(|a| (a + 1..rarest.len()).map(move |b| (a, b))).map(|(a, b)| vec![rarest[a], rarest[b]]).collect();
            hits = ask(&pairs, &[], None);
            probed.extend(hits.iter().map(|hit| hit.sentence));
        }
        let mut scores: Vec<f32> = Vec::new();
        let mut rank = 0;
        while rank < order.len() {
            // The score of the last of the best `limit` found so far, once there are as many.
            let mut floor = None;
            if hits.len() >= limit {
                scores.clear();
                scores.extend(hits.iter().map(|hit| hit.score));
                let (_, &mut last, _) = scores.select_nth_unstable_by(limit - 1, |a, b| b.total_cmp(a));
                // A sentence holding none of the terms asked so far scores at most `remaining[rank]`.
                if remaining[rank] < last {
                    break;
                }
                // Below the floor, hits cannot be among the best: let them go.
                hits.retain(|hit| hit.score >= last);
                floor = Some(last);
            }
            let excluded: Vec<&str> = order[..rank].iter().map(|&t| terms[t]).collect();
            let term = order[rank];
            let others = &order[rank + 1..];
            // How many of the other terms left a sentence holding this one must hold too to reach
            // the floor (`Some(None)`: no sentence holding it can).
            let needed = floor.map(|floor| {
                let floor = Ranking::lowered(f64::from(floor));
                // A sentence holding k index terms has at least k words: the heaviest j others,
                // at the shortest length j + 1, are the most it can score.
                (0..=others.len()).find(|&j| {
                    let weight = weights[term] + others[..j].iter().map(|&o| weights[o]).sum::<f32>();
                    f64::from(bm25(weight, (j + 1) as f32, average_length)) >= floor
                })
            });
            let wanted: Vec<Vec<&str>> = match needed {
                Some(None) => {
                    rank += 1;
                    continue;
                }
                Some(Some(needed)) if needed > 0 => {
                    rank += 1;
                    // A sentence holding this term alone of those left scores below the floor: only
                    // those holding others with it are asked for, in pairs (a common word's sentences
                    // are most of the archive; those holding two of the query's words are few). One
                    // holding `needed` of the others holds at least one of any `others - needed + 1`
                    // of them: the rarest, whose pairs are the fewest sentences.
                    let mut rarest = others.to_vec();
                    rarest.sort_by_key(|&other| frequencies[other]);
                    rarest.truncate(others.len() + 1 - needed);
                    rarest.iter().map(|&other| vec![terms[term], terms[other]]).collect()
                }
                _ => {
                    // The next terms asked together, one round trip, while the sentences they bring
                    // stay few: the sentences found past the point where the embedded index would
                    // have stopped score below its last hit, so the answer is the same.
                    let mut end = rank + 1;
                    let mut sentences = frequencies[term];
                    while end < order.len() && sentences + frequencies[order[end]] <= self.sentences_asked_together {
                        sentences += frequencies[order[end]];
                        end += 1;
                    }
                    let asked = order[rank..end].iter().map(|&t| vec![terms[t]]).collect();
                    rank = end;
                    asked
                }
            };
            if !wanted.is_empty() {
                hits.extend(ask(&wanted, &excluded, floor).into_iter().filter(|hit| !probed.contains(&hit.sentence)));
            }
        }
        best(hits)
    }

    pub fn sentences_with(&self, term: &str) -> Vec<SentenceRef> {
        let mut sentences = self.answered(self.library.sentences_with(term)).unwrap_or_default();
        sentences.retain(|s| (s.article as usize) < self.listings.len());
        sentences
    }

    /// Paragraphs read without their articles: none is fetched, so none is kept.
    pub fn passages(&self, terms: &[&str], within: Option<&[ArticleId]>, visit: &mut (dyn FnMut(Passage) + Send)) {
        let listed = self.listings.len();
        let mut listed_only = |passage: Passage| {
            if (passage.article as usize) < listed {
                visit(passage);
            }
        };
        self.answered(self.library.passages(terms, within, &mut listed_only));
    }
}

/// A library over an embedded corpus, for tests: what an archive answers, computed the embedded
/// way; it can be made to fail, as an archive away does.
#[cfg(test)]
pub(crate) mod testing {
    use super::*;
    use crate::analysis::corpus::search::sentence_index_terms;
    use crate::analysis::corpus::Corpus;
    use std::sync::atomic::AtomicBool;

    #[derive(Debug)]
    pub struct Embedded {
        corpus: Corpus,
        pub failing: AtomicBool,
        /// How many times articles were fetched (calls, not articles).
        pub fetches: std::sync::atomic::AtomicUsize,
        /// Whether a whole search is answered in one call (`Library::ranked`).
        in_one_pass: bool,
    }

    impl Embedded {
        /// The corpus as a remote one over a library that answers from `corpus`.
        pub fn remote(corpus: &Corpus) -> (Corpus, Arc<Embedded>) {
            Embedded::remote_asking(corpus, SENTENCES_ASKED_TOGETHER)
        }

        /// The same, asking for the sentences of terms together up to `sentences` of them.
        pub fn remote_asking(corpus: &Corpus, sentences: u64) -> (Corpus, Arc<Embedded>) {
            Embedded::remote_with(
                Embedded { corpus: corpus.clone(), failing: AtomicBool::new(false), fetches: Default::default(), in_one_pass: false },
                sentences,
            )
        }

        /// The same, a whole search answered in one call.
        pub fn remote_in_one_pass(corpus: &Corpus) -> (Corpus, Arc<Embedded>) {
            Embedded::remote_with(
                Embedded { corpus: corpus.clone(), failing: AtomicBool::new(false), fetches: Default::default(), in_one_pass: true },
                SENTENCES_ASKED_TOGETHER,
            )
        }

        fn remote_with(library: Embedded, sentences: u64) -> (Corpus, Arc<Embedded>) {
            let corpus = library.corpus.clone();
            let library = Arc::new(library);
            let listings: Vec<Listing> = corpus.live().map(|(_, a)| Listing::of(a)).collect();
            let remote = Remote { sentences_asked_together: sentences, ..Remote::new(library.clone(), listings, corpus.totals()) };
            (Corpus::remote(remote, corpus.roots().to_vec()), library)
        }

        fn answer<T>(&self, answer: impl FnOnce() -> T) -> Option<T> {
            (!self.failing.load(Ordering::Relaxed)).then(answer)
        }

        fn indexed(&self, sentence: SentenceRef) -> (u32, Vec<String>) {
            let article = self.corpus.article(sentence.article).unwrap();
            sentence_index_terms(article.sentence_text(&article.sentences[sentence.index as usize]))
        }
    }

    /// Those of `postings` that `ranking` keeps, scored as a database would: in f64, weights summed
    /// in query order.
    fn ranked(mut postings: Vec<Posting>, ranking: &Ranking) -> Vec<Posting> {
        let score = |posting: &Posting| {
            let weight: f64 = posting.holds.iter().map(|&t| f64::from(ranking.weights[t as usize])).sum();
            weight * f64::from(bm25(1.0, posting.length as f32, ranking.average_length))
        };
        let mut scores: Vec<f64> = postings.iter().map(score).collect();
        let best = ranking.best.filter(|&best| best > 0 && best <= scores.len()).map(|best| {
            let (_, &mut score, _) = scores.select_nth_unstable_by(best - 1, |a, b| b.total_cmp(a));
            Ranking::lowered(score)
        });
        let cut = ranking.floor.into_iter().chain(best).fold(f64::NEG_INFINITY, f64::max);
        postings.retain(|posting| score(posting) >= cut);
        postings
    }

    impl Library for Embedded {
        fn fetch(&self, ids: &[ArticleId]) -> Option<Vec<(ArticleId, ArticleSource)>> {
            self.fetches.fetch_add(1, Ordering::Relaxed);
            self.answer(|| ids.iter().filter_map(|&id| self.corpus.article(id).map(|a| (id, a.relisted(a.listed.clone())))).collect())
        }

        fn document_frequencies(&self, terms: &[&str]) -> Option<Vec<u64>> {
            self.answer(|| terms.iter().map(|t| self.corpus.document_frequency(t) as u64).collect())
        }

        fn postings(&self, wanted: &[Vec<&str>], excluded: &[&str], query: &[&str], ranking: &Ranking) -> Option<Vec<Posting>> {
            self.answer(|| {
                let mut postings = Vec::new();
                let sentences: std::collections::BTreeSet<SentenceRef> =
                    wanted.iter().flat_map(|together| self.corpus.sentences_with(together[0])).collect();
                for sentence in sentences {
                    let (length, terms) = self.indexed(sentence);
                    let holds = |term: &&str| terms.iter().any(|t| t == term);
                    if excluded.iter().any(holds) || !wanted.iter().any(|together| together.iter().all(holds)) {
                        continue;
                    }
                    let holds = (0..query.len() as u16).filter(|&i| terms.iter().any(|t| t == query[i as usize])).collect();
                    postings.push(Posting { sentence, length, holds });
                }
                ranked(postings, ranking)
            })
        }

        fn ranked(&self, query: &[&str], ranking: &Ranking, admitted: &dyn Fn(ArticleId) -> bool) -> Ranked {
            if !self.in_one_pass {
                return Ranked::InSteps;
            }
            let wanted: Vec<Vec<&str>> = query.iter().map(|&term| vec![term]).collect();
            let everything = Ranking { floor: None, best: None, ..ranking.clone() };
            let Some(mut postings) = self.postings(&wanted, &[], query, &everything) else { return Ranked::Unanswered };
            postings.retain(|posting| admitted(posting.sentence.article));
            Ranked::Postings(ranked(postings, ranking))
        }

        fn sentences_with(&self, term: &str) -> Option<Vec<SentenceRef>> {
            self.answer(|| self.corpus.sentences_with(term).collect())
        }

        fn passages(&self, terms: &[&str], within: Option<&[ArticleId]>, visit: &mut (dyn FnMut(Passage) + Send)) -> Option<()> {
            // Last first, as a database may send them in any order.
            let mut passages = self.answer(|| self.corpus.passages_in_order(terms, within))?;
            passages.reverse();
            passages.into_iter().for_each(visit);
            Some(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::testing::Embedded;
    use super::*;
    use crate::analysis::corpus::search::query_terms;
    use crate::analysis::corpus::{Corpus, Resolution};

    fn source(name: &str, text: &str) -> ArticleSource {
        ArticleSource { path: format!("/w/seeds/{name}"), display_path: format!("seeds/{name}"), text: text.into(), ..Default::default() }
    }

    #[test]
    fn a_listing_gives_back_each_text_it_was_given() {
        let date = Some(Date { year: 2024, month: 3, day: 22 });
        let listed = |front_matter_id, outlet| Listed {
            path: "/w/seeds/003_crocus.txt",
            key: "003_crocus",
            front_matter_id,
            title: "«Крокус»: the toll — 139",
            outlet,
            date,
        };
        let listing = Listing::new(listed(Some("crocus-toll"), Some("Reuters")));
        assert_eq!(
            (listing.path(), listing.key(), listing.front_matter_id(), listing.title(), listing.outlet(), listing.date),
            ("/w/seeds/003_crocus.txt", "003_crocus", Some("crocus-toll"), "«Крокус»: the toll — 139", Some("Reuters"), date)
        );
        let bare = Listing::new(listed(None, None));
        assert_eq!((bare.front_matter_id(), bare.outlet(), bare.title()), (None, None, "«Крокус»: the toll — 139"));
        let empty = Listing::new(listed(Some(""), Some("")));
        assert_eq!((empty.front_matter_id(), empty.outlet()), (Some(""), Some("")), "an empty text given is not an absent one");
    }

    /// The seeds and a few more: common words in most sentences, figures and names in few.
    fn sources() -> Vec<ArticleSource> {
        let seeds = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
        let mut sources: Vec<ArticleSource> = std::fs::read_dir(&seeds)
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .filter(|path| path.extension().is_some_and(|e| e == "txt"))
            .map(|path| source(&path.file_name().unwrap().to_string_lossy(), &std::fs::read_to_string(&path).unwrap()))
            .collect();
        sources.push(source("flood.md", "---\nid: narvik-flood\n---\nFlood in Narvik\n\nA flood in Narvik killed 12 people on Tuesday, police said. Police said 40 people were missing."));
        sources
    }

    fn remote_of(corpus: &Corpus) -> Corpus {
        Embedded::remote(corpus).0
    }

    #[test]
    fn a_remote_corpus_answers_as_the_embedded_one() {
        let embedded = Corpus::build(sources(), vec!["/w/seeds".into()]);
        let remote = remote_of(&embedded);
        assert_eq!(remote.len(), embedded.len());
        for key in ["001", "003", "narvik-flood", "999", "flood"] {
            assert_eq!(remote.resolve(key), embedded.resolve(key), "{key}");
        }
        let queries = [
            "The attack on Crocus City Hall killed 139 people",
            "Police said 40 people were missing in Narvik",
            "four gunmen were arrested",
            "people said police",
            "Tajik nationals detained by the FSB on Saturday",
        ];
        // Term by term, as the embedded index, several terms to a call, and the whole search in
        // one call: the same hits.
        let asking: Vec<Corpus> = [1, 3]
            .into_iter()
            .map(|sentences| Embedded::remote_asking(&embedded, sentences).0)
            .chain([Embedded::remote_in_one_pass(&embedded).0])
            .collect();
        for text in queries {
            let query = query_terms(text, &[]);
            for limit in [1, 3, 10, 50] {
                for remote in std::iter::once(&remote).chain(&asking) {
                    assert_eq!(remote.search(&query, limit, |_| true), embedded.search(&query, limit, |_| true), "{text} / {limit}");
                    assert_eq!(remote.search(&query, limit, |id| id % 2 == 0), embedded.search(&query, limit, |id| id % 2 == 0));
                }
            }
            for (id, _) in embedded.live() {
                assert_eq!(remote.rank_within(id, &query, 5), embedded.rank_within(id, &query, 5));
            }
        }
        for term in ["police", "139", "narvik", "absent"] {
            assert_eq!(remote.document_frequency(term), embedded.document_frequency(term));
            assert_eq!(remote.idf(term), embedded.idf(term));
            assert_eq!(remote.sentences_with(term).collect::<Vec<_>>(), embedded.sentences_with(term).collect::<Vec<_>>());
        }
        let (id, article) = embedded.live().last().unwrap();
        assert_eq!(remote.article(id).unwrap().text, article.text);
        assert_eq!(remote.source_label(id), embedded.source_label(id));
    }

    #[test]
    fn every_seed_sentence_finds_the_same_sentences_through_a_library() {
        // Each sentence as a query: common words only, names and figures, long and short; the
        // library is asked term by term, so that every way the search prunes is taken.
        let embedded = Corpus::build(sources(), vec!["/w/seeds".into()]);
        let remotes = [Embedded::remote_asking(&embedded, 1).0, Embedded::remote(&embedded).0, Embedded::remote_in_one_pass(&embedded).0];
        let mut compared = 0;
        for (_, article) in embedded.live() {
            for sentence in &article.sentences {
                let query = query_terms(article.sentence_text(sentence), &[]);
                for limit in [1, 4, 12] {
                    for remote in &remotes {
                        assert_eq!(remote.search(&query, limit, |_| true), embedded.search(&query, limit, |_| true), "{query:?} / {limit}");
                        compared += 1;
                    }
                }
            }
        }
        assert!(compared > 500, "{compared} searches compared");
    }

    #[test]
    fn only_articles_answers_need_are_fetched() {
        let embedded = Corpus::build(sources(), vec!["/w/seeds".into()]);
        let remote = remote_of(&embedded);
        assert_eq!(remote.fetched_bytes(), 0);
        let Resolution::Found(id) = remote.resolve("narvik-flood") else { panic!("narvik-flood is listed") };
        assert_eq!(remote.fetched_bytes(), 0, "resolving a key needs only the list");
        assert_eq!(remote.passages_in_order(&["narvik", "flood"], None), embedded.passages_in_order(&["narvik", "flood"], None));
        assert_eq!(remote.date(id), embedded.date(id));
        assert!(remote.date(id).is_none(), "the flood article has no date");
        let dated = embedded.live().find(|(_, a)| a.date.is_some()).map(|(id, _)| id).expect("a seed has a date");
        assert_eq!(remote.date(dated), embedded.date(dated));
        assert_eq!(remote.fetched_bytes(), 0, "passages and dates are read without their articles");
        remote.article(id);
        assert_eq!(remote.fetched_bytes(), embedded.article(id).unwrap().text.len());
    }

    #[test]
    fn passages_are_the_paragraphs_whose_sentences_together_hold_every_term() {
        let corpus = Corpus::build(
            vec![
                source("a.txt", "T\n\nThe dam at Kårvatn broke. Water reached the école by noon.\n\nThe école closed; Kårvatn did not.\n"),
                source("b.txt", "T\n\nKårvatn’s école was spared.\n"),
            ],
            vec!["/w/seeds".into()],
        );
        let found = |terms: &[&str], within: Option<&[ArticleId]>| -> Vec<(String, String)> {
            corpus
                .passages_in_order(terms, within)
                .into_iter()
                .map(|p| {
                    let article = corpus.article(p.article).unwrap();
                    assert_eq!(article.text[p.span.clone()], p.text, "the text is the article's at the span");
                    (article.display_path.clone(), p.text)
                })
                .collect()
        };
        let [karvatn, ecole, noon] = ["Kårvatn", "école", "noon"].map(crate::analysis::text::terms::index_term);
        assert_eq!(
            found(&[&noon, &karvatn], None),
            [("seeds/a.txt".to_string(), "The dam at Kårvatn broke. Water reached the école by noon.".to_string())],
            "two sentences of one paragraph hold the terms together"
        );
        assert_eq!(found(&[&ecole, &karvatn], None).len(), 3, "every paragraph holding both, in order");
        assert_eq!(found(&[&ecole, &karvatn], Some(&[1])), [("seeds/b.txt".to_string(), "Kårvatn’s école was spared.".to_string())]);
        assert!(found(&[&noon, "absent"], None).is_empty());
        assert!(found(&[], None).is_empty());
    }

    #[test]
    fn a_library_that_fails_answers_nothing_and_counts_it() {
        let embedded = Corpus::build(sources(), vec!["/w/seeds".into()]);
        for (remote, library) in [Embedded::remote(&embedded), Embedded::remote_in_one_pass(&embedded)] {
            fails_and_counts_it(&embedded, remote, library);
        }
    }

    fn fails_and_counts_it(embedded: &Corpus, remote: Corpus, library: Arc<Embedded>) {
        library.failing.store(true, Ordering::Relaxed);
        let Resolution::Found(id) = remote.resolve("narvik-flood") else { panic!("narvik-flood is listed") };
        assert!(remote.article(id).is_none());
        assert!(remote.search(&query_terms("flood in Narvik", &[]), 3, |_| true).is_empty());
        assert!(remote.library_failures() >= 2);
        library.failing.store(false, Ordering::Relaxed);
        assert!(remote.article(id).is_some(), "an article that could not be fetched is fetched when asked again");
        assert_eq!(
            remote.search(&query_terms("flood in Narvik", &[]), 3, |_| true),
            embedded.search(&query_terms("flood in Narvik", &[]), 3, |_| true)
        );
    }
}
