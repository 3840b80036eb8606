//! The corpus: every source article, how each can be cited, and the indexes
//! that answer questions about them.
//!
//! This is the one narrow door through which analysis reads the sources:
//! article by id, key or path, and sentence retrieval. A snapshot is
//! immutable; `Corpus::updated` makes a new snapshot that shares every
//! unchanged article and index segment with the old one.

pub mod article;
pub mod html;
pub mod keys;
pub mod library;
pub mod names;
pub mod origin;
pub mod pdf;
pub mod search;
pub mod sources_file;

pub use article::ArticleId;

use std::sync::Arc;

use rayon::prelude::*;

use crate::analysis::corpus::article::{label, Article, ArticleSource};
use crate::analysis::corpus::keys::{KeyTable, Naming};
use crate::analysis::corpus::library::{Passage, Remote};
use crate::analysis::corpus::names::NameNeighbours;
use crate::analysis::corpus::search::{Hit, QueryTerm, SearchIndex, Segment, SentenceRef, Totals};
use crate::analysis::text::paths::normalize_path;

/// Articles per index segment at load: large enough to keep few segments, small enough to build in parallel.
const MIN_SEGMENT_ARTICLES: usize = 512;
/// Articles fetched from a library in one call when all are needed.
pub const LIBRARY_BATCH: usize = 256;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Resolution {
    Found(ArticleId),
    Ambiguous(Vec<ArticleId>),
    Unknown,
}

#[derive(Clone, Debug, Default)]
pub struct Corpus {
    /// Indexed by `ArticleId`; `None` where an article was removed (ids stay stable).
    articles: Vec<Option<Arc<Article>>>,
    /// Every name an article answers to (stem, unique-or-not short key, front-matter id), and
    /// its path.
    keys: KeyTable,
    search: SearchIndex,
    /// Corpus folders (absolute, normalised), to tell a link to a missing article from a link elsewhere.
    roots: Vec<String>,
    /// Unique per snapshot: caches of findings are valid for one generation only.
    generation: u64,
    /// The names' index for "did you mean", built the first time a key is unknown.
    neighbours: Arc<std::sync::OnceLock<NameNeighbours>>,
    /// Set when the articles and the index are kept elsewhere (a shared archive); `articles` and
    /// `search` are then empty.
    remote: Option<Arc<Remote>>,
}

/// Snapshot generations, unique within the process.
static GENERATIONS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

fn next_generation() -> u64 {
    GENERATIONS.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

impl Corpus {
    /// Parses and indexes articles in parallel: sentences and search segments.
    pub fn build(sources: Vec<ArticleSource>, roots: Vec<String>) -> Corpus {
        let mut articles: Vec<Arc<Article>> = sources.into_par_iter().map(|s| Arc::new(Article::parse(s))).collect();
        articles.sort_by(|a, b| a.path.cmp(&b.path));
        let segments = build_segments(&articles);
        Corpus::from_parts(articles.into_iter().map(Some).collect(), segments, roots)
    }

    /// A corpus made of parts persisted earlier (articles by id, `None` where retired, and their
    /// index segments); the articles must carry their texts again.
    pub fn from_parts(articles: Vec<Option<Arc<Article>>>, segments: Vec<Arc<Segment>>, roots: Vec<String>) -> Corpus {
        let mut corpus = Corpus {
            articles,
            keys: KeyTable::default(),
            search: SearchIndex { segments },
            roots: roots.iter().map(|r| normalize_path(r)).collect(),
            generation: next_generation(),
            neighbours: Arc::default(),
            remote: None,
        };
        corpus.rebuild_names();
        corpus
    }

    /// A corpus whose articles and index a library keeps: only their list is held here.
    pub fn remote(remote: Remote, roots: Vec<String>) -> Corpus {
        let mut corpus = Corpus {
            roots: roots.iter().map(|r| normalize_path(r)).collect(),
            generation: next_generation(),
            remote: Some(Arc::new(remote)),
            ..Corpus::default()
        };
        corpus.rebuild_names();
        corpus
    }

    /// The same corpus with nothing fetched from its library, to let go of what answers fetched
    /// (the same generation: its answers are the same). A corpus held here is returned as is.
    pub fn emptied(&self) -> Corpus {
        let mut next = self.clone();
        if let Some(remote) = &self.remote {
            next.remote = Some(Arc::new(remote.emptied()));
        }
        next
    }

    /// As `emptied`, with a new generation: nothing computed on this snapshot is reused.
    pub fn refetched(&self) -> Corpus {
        Corpus { generation: next_generation(), ..self.emptied() }
    }

    /// Bytes of article text fetched from the library (0 for a corpus held here).
    pub fn fetched_bytes(&self) -> usize {
        self.remote.as_ref().map_or(0, |remote| remote.fetched_bytes())
    }

    /// How many answers a corpus kept elsewhere could not get from its library so far (0 for a
    /// corpus held here): a check run during which it grew may have missed evidence.
    pub fn library_failures(&self) -> u64 {
        self.remote.as_ref().map_or(0, |remote| remote.failures())
    }

    /// Whether the articles are kept elsewhere and fetched when answers need them.
    pub fn is_remote(&self) -> bool {
        self.remote.is_some()
    }

    /// The sentence index's totals.
    pub fn totals(&self) -> Totals {
        match &self.remote {
            Some(remote) => remote.totals(),
            None => self.search.totals(),
        }
    }

    /// The parts to persist: articles by id (`None` where retired) and the index segments.
    pub fn parts(&self) -> (&[Option<Arc<Article>>], &[Arc<Segment>]) {
        (&self.articles, &self.search.segments)
    }

    /// Share of article ids that belong to removed or replaced articles.
    pub fn retired_share(&self) -> f32 {
        if self.articles.is_empty() {
            0.0
        } else {
            1.0 - self.len() as f32 / self.articles.len() as f32
        }
    }

    /// The same articles re-indexed without retired ids (their postings only cost space).
    pub fn compacted(&self) -> Corpus {
        if self.remote.is_some() {
            return self.clone();
        }
        let articles: Vec<Arc<Article>> = self.live().map(|(_, a)| a.clone()).collect();
        let segments = build_segments(&articles);
        Corpus::from_parts(articles.into_iter().map(Some).collect(), segments, self.roots.clone())
    }

    /// A new snapshot with `changed` articles (re)indexed and the articles at `removed` paths dropped.
    pub fn updated(&self, changed: Vec<ArticleSource>, removed: &[String]) -> Corpus {
        if self.remote.is_some() {
            // Changes come from the archive's next generation, read as a whole; held here if asked.
            let sources = self.live().map(|(_, a)| a.relisted(a.listed.clone())).collect();
            return Corpus::build(sources, self.roots.clone()).updated(changed, removed);
        }
        let mut next = self.clone();
        let parsed: Vec<Article> = changed.into_par_iter().map(Article::parse).collect();
        for path in removed.iter().map(|p| normalize_path(p)).chain(parsed.iter().map(|a| normalize_path(&a.path))) {
            if let Some(id) = next.article_by_path(&path) {
                next.articles[id as usize] = None;
            }
        }
        let first = next.articles.len() as ArticleId;
        let added: Vec<(ArticleId, &Article)> = parsed.iter().enumerate().map(|(i, a)| (first + i as ArticleId, a)).collect();
        if !added.is_empty() {
            next.search.segments.push(Arc::new(Segment::build(added)));
        }
        next.articles.extend(parsed.into_iter().map(|a| Some(Arc::new(a))));
        next.rebuild_names();
        next.generation = next_generation();
        next
    }

    fn rebuild_names(&mut self) {
        let naming = |path: &str, key, front_matter_id| Naming { path: normalize_path(path), key, front_matter_id };
        let keys = match &self.remote {
            Some(remote) => {
                let listed = remote.listings().iter().enumerate();
                KeyTable::new(&listed.map(|(id, l)| (id as ArticleId, naming(l.path(), l.key(), l.front_matter_id()))).collect::<Vec<_>>())
            }
            None => {
                KeyTable::new(&self.live().map(|(id, a)| (id, naming(&a.path, &a.key, a.front_matter_id.as_deref()))).collect::<Vec<_>>())
            }
        };
        self.keys = keys;
        self.neighbours = Arc::default();
    }

    /// The key and front-matter id article `id` is cited by, from the list when kept elsewhere.
    fn naming(&self, id: ArticleId) -> Option<(&str, Option<&str>)> {
        match &self.remote {
            Some(remote) => remote.listings().get(id as usize).map(|l| (l.key(), l.front_matter_id())),
            None => self.articles.get(id as usize)?.as_ref().map(|a| (a.key.as_str(), a.front_matter_id.as_deref())),
        }
    }

    /// Article `id`'s path as listed, without fetching it.
    fn listed_path(&self, id: ArticleId) -> Option<&str> {
        match &self.remote {
            Some(remote) => remote.listings().get(id as usize).map(|l| l.path()),
            None => self.articles.get(id as usize)?.as_ref().map(|a| a.path.as_str()),
        }
    }

    /// Live articles with their ids.
    /// Kept elsewhere, every article is fetched first: only commands that need them all ask.
    pub fn live(&self) -> Box<dyn Iterator<Item = (ArticleId, &Arc<Article>)> + '_> {
        match &self.remote {
            Some(remote) => {
                let ids: Vec<ArticleId> = (0..remote.listings().len() as ArticleId).collect();
                self.prefetch(&ids);
                Box::new(ids.into_iter().filter_map(|id| remote.article(id).map(|a| (id, a))))
            }
            None => Box::new(self.articles.iter().enumerate().filter_map(|(id, a)| a.as_ref().map(|a| (id as ArticleId, a)))),
        }
    }

    /// How the list names every article, without fetching any: (id, key, title, outlet).
    pub fn listed(&self) -> Box<dyn Iterator<Item = (ArticleId, &str, &str, Option<&str>)> + '_> {
        match &self.remote {
            Some(remote) => Box::new(remote.listings().iter().enumerate().map(|(id, l)| (id as ArticleId, l.key(), l.title(), l.outlet()))),
            None => Box::new(self.live().map(|(id, a)| (id, a.key.as_str(), a.title.as_str(), a.outlet.as_deref()))),
        }
    }

    /// Fetches, in one call, the articles at `ids` that a corpus kept elsewhere has not fetched yet.
    /// Calls `read` with each of the articles at `ids` (sorted, each once) that this corpus has,
    /// in order. Those a library keeps elsewhere and not fetched yet are fetched a batch at a time
    /// and let go of after reading: for passes over more articles than answers keep.
    pub fn read_each(&self, ids: &[ArticleId], read: &mut dyn FnMut(ArticleId, &Article)) {
        for batch in ids.chunks(LIBRARY_BATCH) {
            for (id, article) in self.read_together(batch) {
                read(id, &article);
            }
        }
    }

    /// The articles at `ids` (sorted, each once) that this corpus has, in order: those a library
    /// keeps elsewhere and not fetched yet are fetched in one call and not kept.
    pub fn read_together(&self, ids: &[ArticleId]) -> Vec<(ArticleId, Arc<Article>)> {
        match &self.remote {
            Some(remote) => remote.read_once(ids),
            None => ids.iter().filter_map(|&id| Some((id, self.article(id)?.clone()))).collect(),
        }
    }

    /// The ids of the live articles, in order, without fetching any.
    pub fn live_ids(&self) -> Vec<ArticleId> {
        match &self.remote {
            Some(remote) => (0..remote.listings().len() as ArticleId).collect(),
            None => self.articles.iter().enumerate().filter(|(_, a)| a.is_some()).map(|(id, _)| id as ArticleId).collect(),
        }
    }

    /// Fetches from the library, in as few calls as it takes, those of `ids` not fetched yet: a
    /// caller about to read many articles asks for them together rather than one at a time.
    pub fn prefetch(&self, ids: &[ArticleId]) {
        if let Some(remote) = &self.remote {
            for batch in ids.chunks(LIBRARY_BATCH) {
                remote.prefetch(batch);
            }
        }
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// How many ids this snapshot has handed out, retired ones included (ids run from 0).
    pub fn id_count(&self) -> usize {
        match &self.remote {
            Some(remote) => remote.listings().len(),
            None => self.articles.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    pub fn article(&self, id: ArticleId) -> Option<&Arc<Article>> {
        match &self.remote {
            Some(remote) => remote.article(id),
            None => self.articles.get(id as usize).and_then(Option::as_ref),
        }
    }

    /// Resolves a citation key: stem, unique short key, or front-matter id.
    pub fn resolve(&self, key: &str) -> Resolution {
        let ids: Vec<ArticleId> =
            self.keys.named(key).filter(|&id| self.naming(id).is_some_and(|naming| keys::names(naming, key))).collect();
        match ids.as_slice() {
            [] => Resolution::Unknown,
            [id] => Resolution::Found(*id),
            _ => Resolution::Ambiguous(ids),
        }
    }

    /// The shortest name that cites this article unambiguously.
    pub fn preferred_key(&self, id: ArticleId) -> &str {
        let key = match &self.remote {
            Some(remote) => remote.listings().get(id as usize).map(|l| l.key()),
            None => self.article(id).map(|a| a.key.as_str()),
        };
        let Some(key) = key else {
            return "";
        };
        if let Some((prefix, _)) = key.split_once('_') {
            if self.resolve(prefix) == Resolution::Found(id) {
                return prefix;
            }
        }
        key
    }

    /// The one way answers name a source: outlet and date when known, and the key to cite it by.
    pub fn source_label(&self, id: ArticleId) -> String {
        // From a library's list, not its article: a quotation found in thousands of articles is
        // named without fetching them.
        if let Some(remote) = &self.remote {
            return remote.listings().get(id as usize).map_or_else(String::new, |l| label(l.outlet(), l.date, self.preferred_key(id)));
        }
        self.article(id).map_or_else(String::new, |article| article.label(self.preferred_key(id)))
    }

    /// The article's key, from a library's list when the corpus is kept elsewhere (no fetch).
    pub fn key(&self, id: ArticleId) -> Option<&str> {
        match &self.remote {
            Some(remote) => Some(remote.listings().get(id as usize)?.key()),
            None => Some(self.article(id)?.key.as_str()),
        }
    }

    /// The article's date, from a library's list when the corpus is kept elsewhere (no fetch).
    pub fn date(&self, id: ArticleId) -> Option<crate::analysis::text::date::Date> {
        match &self.remote {
            Some(remote) => remote.listings().get(id as usize)?.date,
            None => self.article(id)?.date,
        }
    }

    pub fn article_by_path(&self, path: &str) -> Option<ArticleId> {
        let path = normalize_path(path);
        self.keys.at(&path).filter(|&id| self.listed_path(id).is_some_and(|listed| normalize_path(listed) == path)).last()
    }

    /// Whether `path` lies inside one of the corpus folders (whether or not a file is there).
    pub fn is_within_roots(&self, path: &str) -> bool {
        let path = normalize_path(path);
        self.roots.iter().any(|root| path.strip_prefix(root.as_str()).is_some_and(|rest| rest.starts_with('/')))
    }

    pub fn roots(&self) -> &[String] {
        &self.roots
    }

    /// Unique per snapshot (two snapshots never share one, even at the same address).
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// How much a term says about a sentence (BM25's idf over the corpus's sentences).
    pub fn idf(&self, term: &str) -> f32 {
        match &self.remote {
            Some(remote) => remote.idf(term),
            None => self.search.idf_of(term),
        }
    }

    /// Keys close to `key` (for "did you mean"), best first: within two edits, or one a prefix of the other.
    pub fn similar_keys(&self, key: &str, limit: usize) -> Vec<&str> {
        self.neighbours.get_or_init(|| NameNeighbours::new(self.citable_names())).similar(key, limit)
    }

    /// Every name an article can be cited by (some more than once): keys, front-matter ids, and
    /// the parts of keys before their first `_`.
    fn citable_names(&self) -> impl Iterator<Item = &str> {
        let ids = 0..self.id_count() as ArticleId;
        ids.filter_map(|id| self.naming(id)).flat_map(|(key, front_matter_id)| {
            let short = key.split_once('_').map(|(prefix, _)| prefix).filter(|prefix| !prefix.is_empty());
            [Some(key), front_matter_id, short].into_iter().flatten()
        })
    }

    /// Best sentences of the whole corpus for a query.
    pub fn search(&self, query: &[QueryTerm], limit: usize, accept: impl Fn(ArticleId) -> bool) -> Vec<Hit> {
        let query = &query[..query.len().min(search::MAX_QUERY_TERMS)];
        match &self.remote {
            Some(remote) => remote.search(query, limit, accept),
            None => self.search.search(query, limit, |id| self.article(id).is_some() && accept(id)),
        }
    }

    /// Whether an evidence sentence of article `id` holds an index term.
    pub fn mentions(&self, id: ArticleId, term: &str) -> bool {
        match &self.remote {
            // An article fetched from a library: its own words, hashed once.
            Some(_) => self.article(id).is_some_and(|article| article.mentions(term)),
            None => self.article(id).is_some() && self.search.mentions(id, term),
        }
    }

    /// How many sentences of the corpus hold an index term.
    pub fn document_frequency(&self, term: &str) -> usize {
        match &self.remote {
            Some(remote) => remote.document_frequency(term),
            None => self.search.document_frequency(term),
        }
    }

    /// The live sentences that hold an index term.
    pub fn sentences_with<'a>(&'a self, term: &'a str) -> Box<dyn Iterator<Item = SentenceRef> + 'a> {
        match &self.remote {
            Some(remote) => Box::new(remote.sentences_with(term).into_iter()),
            None => Box::new(self.search.sentences_with(term).filter(|s| self.article(s.article).is_some())),
        }
    }

    /// The paragraphs whose sentences together hold every one of `terms` (index terms, the first
    /// the rarest: its sentences are the candidates), of the articles `within` or of all: where a
    /// quotation of those words can stand. Each is given to `visit` as it is read, in no
    /// particular order and possibly twice: from a library, whose reading them (without their
    /// articles) then overlaps with what `visit` does, and none is held longer.
    pub fn passages(&self, terms: &[&str], within: Option<&[ArticleId]>, visit: &mut (dyn FnMut(Passage) + Send)) {
        match &self.remote {
            Some(remote) => remote.passages(terms, within, visit),
            None => self.embedded_passages(terms, within).into_iter().for_each(visit),
        }
    }

    /// `passages` in article and paragraph order, each once.
    #[cfg(test)]
    pub(crate) fn passages_in_order(&self, terms: &[&str], within: Option<&[ArticleId]>) -> Vec<Passage> {
        let mut passages = Vec::new();
        self.passages(terms, within, &mut |passage| passages.push(passage));
        passages.sort_by_key(|p| (p.article, p.paragraph));
        passages.dedup();
        passages
    }

    fn embedded_passages(&self, terms: &[&str], within: Option<&[ArticleId]>) -> Vec<Passage> {
        let paragraph_of = |s: SentenceRef| {
            if within.is_some_and(|ids| !ids.contains(&s.article)) {
                return None;
            }
            let article = self.article(s.article)?;
            let paragraph = article.sentences.get(s.index as usize)?.paragraph;
            Some((paragraph, article.sentences_of_paragraph(paragraph)))
        };
        self.search
            .paragraphs_with(terms, paragraph_of)
            .into_iter()
            .filter_map(|(id, paragraph)| {
                let article = self.article(id)?;
                let span = article.paragraphs.get(paragraph as usize)?.span.range();
                Some(Passage { article: id, paragraph, text: article.text[span.clone()].to_string(), span })
            })
            .collect()
    }

    /// Best sentences of one article for a query.
    pub fn rank_within(&self, id: ArticleId, query: &[QueryTerm], limit: usize) -> Vec<Hit> {
        let Some(article) = self.article(id) else {
            return Vec::new();
        };
        match &self.remote {
            Some(remote) => {
                let (weights, average_length) = remote.weights(query);
                search::rank_sentences(id, article, query, &weights, average_length, limit)
            }
            None => self.search.rank_within(id, article, query, limit),
        }
    }
}

/// Search segments for articles numbered from 0, one batch per segment, built in parallel.
fn build_segments(articles: &[Arc<Article>]) -> Vec<Arc<Segment>> {
    let chunk = MIN_SEGMENT_ARTICLES.max(articles.len().div_ceil(rayon::current_num_threads().max(1) * 4));
    articles
        .par_chunks(chunk)
        .enumerate()
        .map(|(n, batch)| Arc::new(Segment::build(batch.iter().enumerate().map(|(i, a)| ((n * chunk + i) as ArticleId, a.as_ref())))))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(name: &str, text: &str) -> ArticleSource {
        ArticleSource { path: format!("/w/seeds/{name}"), display_path: format!("seeds/{name}"), text: text.into(), ..Default::default() }
    }

    fn corpus() -> Corpus {
        Corpus::build(
            vec![
                source("003_0374629e18bf1a2b.txt", "Title three\n\nBody."),
                source("004_fb2ae5532553813c.txt", "Title four\n\nBody."),
                source("010_aaa.txt", "Ten a\n\nBody."),
                source("010_bbb.txt", "Ten b\n\nBody."),
                source("flood.md", "---\nid: narvik-flood\n---\nFlood\n\nBody."),
            ],
            vec!["/w/seeds".into()],
        )
    }

    #[test]
    fn keys_resolve_by_stem_short_prefix_and_front_matter_id() {
        let corpus = corpus();
        let three = corpus.resolve("003_0374629e18bf1a2b");
        assert!(matches!(three, Resolution::Found(_)));
        assert_eq!(corpus.resolve("003"), three);
        assert!(matches!(corpus.resolve("narvik-flood"), Resolution::Found(_)));
        assert!(matches!(corpus.resolve("010"), Resolution::Ambiguous(ref ids) if ids.len() == 2));
        assert_eq!(corpus.resolve("999"), Resolution::Unknown);
        let Resolution::Found(id) = three else { unreachable!() };
        assert_eq!(corpus.preferred_key(id), "003");
    }

    #[test]
    fn updates_replace_and_remove_articles_without_touching_the_rest() {
        let corpus = corpus();
        let next =
            corpus.updated(vec![source("005_new.txt", "New\n\nThe toll rose to 140.")], &["/w/seeds/004_fb2ae5532553813c.txt".into()]);
        assert_eq!(next.resolve("004"), Resolution::Unknown);
        assert!(matches!(next.resolve("005"), Resolution::Found(_)));
        assert_eq!(next.len(), corpus.len());
        let hits = next.search(&crate::analysis::corpus::search::query_terms("toll rose 140", &[]), 3, |_| true);
        assert_eq!(next.article(hits[0].sentence.article).unwrap().key, "005_new");
        assert!(matches!(corpus.resolve("004"), Resolution::Found(_)), "the old snapshot is unchanged");
    }

    #[test]
    fn an_article_mentions_exactly_the_terms_of_its_own_sentences_in_any_segment() {
        let first = Corpus::build(
            vec![
                source("001_a.txt", "Kraków\n\nKraków’s mayor said 1,200 people fled the floods.\n\nThe river crested on Tuesday."),
                source("002_b.txt", "Zürich\n\nShares in Zürich fell 3.5% — the steepest fall since May."),
                source("003_c.txt", "Empty\n\n"),
            ],
            vec!["/w/seeds".into()],
        );
        // A second segment: a new article, and a new version of the first under a new id.
        let corpus = first.updated(
            vec![
                source("004_d.txt", "Courts\n\nThe judge sentenced him to 18 years; the mayor appealed."),
                source("001_a.txt", "Kraków\n\nThe river crested on Wednesday."),
            ],
            &[],
        );
        let texts = ["Kraków’s mayor said 1,200 people fled the floods.", "Shares in Zürich fell 3.5% — the steepest fall since May.", "The judge sentenced him to 18 years; the mayor appealed. Wednesday Tuesday absent"];
        let terms: Vec<String> = texts.iter().flat_map(|text| search::sentence_index_terms(text).1).collect();
        assert!(terms.len() > 20);
        let mut mentioned = 0;
        for (id, article) in corpus.live() {
            for term in &terms {
                // Hashes of the article's own words: what a library's article answers by.
                assert_eq!(corpus.mentions(id, term), article.mentions(term), "{} and {term:?}", article.key);
                mentioned += usize::from(corpus.mentions(id, term));
            }
        }
        assert!(mentioned > 15, "{mentioned}");
        let Resolution::Found(old) = first.resolve("001") else { panic!() };
        let Resolution::Found(new) = corpus.resolve("001") else { panic!() };
        assert!(first.mentions(old, "tuesday") && !corpus.mentions(old, "tuesday"), "a retired version mentions nothing");
        assert!(corpus.mentions(new, "wednesday") && !corpus.mentions(new, "tuesday"));
        assert!(!corpus.mentions(99, "mayor"), "an unknown id mentions nothing");
    }

    #[test]
    fn passages_are_the_paragraphs_holding_every_term_across_their_sentences_in_any_segment() {
        let first = Corpus::build(
            vec![
                source(
                    "001_a.txt",
                    "Kraków\n\nThe mayor spoke at noon. “The river will crest,” she said.\n\nThe river rose; the mayor left.",
                ),
                source("002_b.txt", "Zürich\n\nThe mayor of Zürich met bankers.\n\nThe river Limmat is calm."),
            ],
            vec!["/w/seeds".into()],
        );
        // A second segment: a new article, and a new version of the first under a new id.
        let corpus = first.updated(
            vec![
                source("003_c.txt", "Łódź\n\nA river flooded. Łódź’s mayor declared an emergency."),
                source("001_a.txt", "Kraków\n\nThe mayor spoke. Nothing else."),
            ],
            &[],
        );
        let paragraphs = |corpus: &Corpus, terms: &[&str], within: Option<&[ArticleId]>| -> Vec<(String, String)> {
            let found = corpus.passages_in_order(terms, within);
            found.iter().map(|p| (corpus.article(p.article).unwrap().key.clone(), p.text.clone())).collect()
        };
        // Two sentences of one paragraph together hold both words; two paragraphs do not.
        assert_eq!(
            paragraphs(&first, &["river", "mayor"], None),
            [
                ("001_a".into(), "The mayor spoke at noon. “The river will crest,” she said.".into()),
                ("001_a".into(), "The river rose; the mayor left.".into())
            ]
        );
        // The retired version is gone, the new article (in the second segment) is found.
        assert_eq!(paragraphs(&corpus, &["river", "mayor"], None), [("003_c".to_string(), "A river flooded. Łódź’s mayor declared an emergency.".to_string())]);
        let Resolution::Found(zurich) = corpus.resolve("002") else { panic!() };
        assert!(paragraphs(&corpus, &["mayor"], Some(&[zurich])).iter().all(|(key, _)| key == "002_b"));
        assert!(paragraphs(&corpus, &["river", "mayor", "bankers"], None).is_empty());
    }

    #[test]
    fn links_inside_corpus_folders_are_recognised() {
        let corpus = corpus();
        assert!(corpus.is_within_roots("/w/seeds/../seeds/missing.txt"));
        assert!(!corpus.is_within_roots("/w/notes/other.md"));
        assert!(corpus.article_by_path("/w/notes/../seeds/003_0374629e18bf1a2b.txt").is_some());
    }

    #[test]
    fn similar_keys_suggest_near_misses() {
        assert_eq!(corpus().similar_keys("00", 2), ["003", "004"]);
    }
}
