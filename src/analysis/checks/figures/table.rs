//! The figure statements of every article: a side table that the figure check owns, kept beside
//! the corpus in the same immutable `Snapshot`.
//!
//! Indexed by `ArticleId`, like the corpus. An article's statements are read the first time a
//! check asks for them: indexing stays as cheap as splitting sentences, and a note pays only for
//! the articles it cites or whose event it is about. Statements persisted earlier stay where they
//! were persisted (a `StatementStore`: the index file) and are decoded on first use: at 100,000
//! articles, every statement in memory took 500 MB (encoded, 130 MB), and a session asks for a few
//! thousand articles'. The index writer encodes what was never asked for without keeping it
//! (`encoded`). `read_all` fills the table in parallel for those who need every statement (the
//! fact sheet). A new table shares the statements of every unchanged article read so far with the
//! previous one. The corpus never stores a statement.

use std::borrow::Cow;
use std::sync::{Arc, OnceLock};

use rayon::prelude::*;

use crate::analysis::checks::figures::lexicon::Lexicon;
use crate::analysis::checks::figures::written::Written;
use crate::analysis::checks::figures::{article_statements, Statement};
use crate::analysis::corpus::article::Article;
use crate::analysis::corpus::{ArticleId, Corpus};

/// One article's statements, read on first use. An empty cell takes 16 bytes and no allocation:
/// at 100,000 listed articles, of which a session reads a few thousand, shared cells
/// (`Arc<OnceLock<_>>`) took 13 MB.
type Cell = OnceLock<Arc<Vec<Statement>>>;
/// The numbers one article writes (`written.rs`), read on first use; never persisted.
type WrittenCell = OnceLock<Arc<Written>>;

/// Where statements persisted earlier are kept, by the article ids of the corpus they were
/// persisted with; each article's as `FigureTable::encoded` gave them.
pub trait StatementStore: Send + Sync + std::fmt::Debug {
    /// Whether article `id`'s statements are kept.
    fn has(&self, id: ArticleId) -> bool;
    /// Article `id`'s statements, encoded; `None` if not kept or no longer readable.
    fn encoded(&self, id: ArticleId) -> Option<Vec<u8>>;
    /// Readies, in one call, the statements of `ids` that `encoded` is about to be asked for:
    /// for a store elsewhere, where a call each would cost a round trip each.
    fn prefetch(&self, _ids: &[ArticleId]) {}
    /// Those of `ids` (sorted) whose statements give a measure filed under `key`
    /// (`Measure::index_key`), if the store can tell without reading them.
    fn stating(&self, _ids: &[ArticleId], _key: &str) -> Option<Vec<ArticleId>> {
        None
    }
    /// Every article (sorted) whose statements give a lexicon measure, if the store can tell
    /// without reading them.
    fn stating_any(&self) -> Option<Vec<ArticleId>> {
        None
    }
}

/// Statements kept in memory, by article id (for tests, and callers without a file).
impl StatementStore for Vec<Option<Vec<u8>>> {
    fn has(&self, id: ArticleId) -> bool {
        self.get(id as usize).is_some_and(Option::is_some)
    }

    fn encoded(&self, id: ArticleId) -> Option<Vec<u8>> {
        self.get(id as usize)?.clone()
    }
}

/// A table's persisted statements: the store, and this table's ids in the store's numbering
/// once a compaction renumbered them (`None`: the same).
#[derive(Clone, Debug, Default)]
struct Persisted {
    store: Option<Arc<dyn StatementStore>>,
    store_ids: Option<Arc<[ArticleId]>>,
}

impl Persisted {
    fn store_id(&self, id: ArticleId) -> Option<ArticleId> {
        match &self.store_ids {
            Some(ids) => ids.get(id as usize).copied(),
            None => Some(id),
        }
    }

    fn has(&self, id: ArticleId) -> bool {
        self.store.as_ref().zip(self.store_id(id)).is_some_and(|(store, id)| store.has(id))
    }

    fn encoded(&self, id: ArticleId) -> Option<Vec<u8>> {
        self.store.as_ref()?.encoded(self.store_id(id)?)
    }

    /// The statements of `article` persisted for `id`, if they decode and fit its text: the
    /// store's checksum was checked when it was opened, but a file changed since gives other
    /// bytes, and a statement past the text's end would fail far from here.
    fn decoded(&self, id: ArticleId, article: &Article) -> Option<Vec<Statement>> {
        let statements: Vec<Statement> = postcard::from_bytes(&self.encoded(id)?).ok()?;
        let fits = |span: &std::ops::Range<usize>| span.start <= span.end && article.text.get(span.clone()).is_some();
        statements
            .iter()
            .all(|s| fits(&s.span) && fits(&s.value_span) && (s.sentence as usize) < article.sentences.len())
            .then_some(statements)
    }
}

/// A new cell holding what `cell` holds, if anything.
fn carried<T>(cell: &OnceLock<Arc<T>>) -> OnceLock<Arc<T>> {
    cell.get().map(|value| OnceLock::from(value.clone())).unwrap_or_default()
}

#[derive(Clone, Debug, Default)]
pub struct FigureTable {
    lexicon: Arc<Lexicon>,
    /// By article id; retired ids hold an empty, filled cell.
    by_article: Vec<Cell>,
    /// By article id, like `by_article`.
    written: Vec<WrittenCell>,
    /// The statements persisted earlier, decoded into `by_article` on first use. Shared with
    /// every later table: ids are never reused, so what was persisted for an id stays true for as
    /// long as the id is live (new ids have none).
    persisted: Persisted,
}

impl FigureTable {
    /// A table for every article of `corpus`, none read yet.
    pub fn build(corpus: &Corpus, lexicon: Arc<Lexicon>) -> FigureTable {
        let ids = corpus.id_count();
        FigureTable {
            lexicon,
            by_article: (0..ids).map(|_| Cell::default()).collect(),
            written: (0..ids).map(|_| WrittenCell::default()).collect(),
            persisted: Persisted::default(),
        }
    }

    /// A table for every article of `corpus`, whose statements `store` keeps by the same ids,
    /// decoded on first use.
    pub fn from_store(corpus: &Corpus, lexicon: Arc<Lexicon>, store: Arc<dyn StatementStore>) -> FigureTable {
        FigureTable { persisted: Persisted { store: Some(store), store_ids: None }, ..FigureTable::build(corpus, lexicon) }
    }

    /// The table for `corpus`, a later snapshot of the one this table was built for: ids are never
    /// reused, so what was read of every id still live is carried over and new ids get empty
    /// cells.
    pub fn updated(&self, corpus: &Corpus) -> FigureTable {
        let kept = self.by_article.iter().enumerate().map(|(id, cell)| {
            if corpus.article(id as ArticleId).is_some() {
                carried(cell)
            } else {
                OnceLock::from(Arc::new(Vec::new()))
            }
        });
        let fresh = (self.by_article.len()..corpus.id_count()).map(|_| Cell::default());
        let kept_written = self.written.iter().enumerate().map(|(id, cell)| {
            if corpus.article(id as ArticleId).is_some() {
                carried(cell)
            } else {
                WrittenCell::default()
            }
        });
        let fresh_written = (self.written.len()..corpus.id_count()).map(|_| WrittenCell::default());
        FigureTable {
            lexicon: self.lexicon.clone(),
            by_article: kept.chain(fresh).collect(),
            written: kept_written.chain(fresh_written).collect(),
            persisted: self.persisted.clone(),
        }
    }

    /// The table for the same corpus once it let go of its articles' text: what was read of them
    /// (their statements, the numbers they write) is carried over while the statements number
    /// at most `limit` in all (a tenth of the text they were read from, and reading them again
    /// means fetching that text and parsing it), else nothing is.
    pub fn emptied(&self, limit: usize) -> FigureTable {
        let read: usize = self.by_article.iter().filter_map(OnceLock::get).map(|statements| statements.len()).sum();
        let keep = read <= limit;
        FigureTable {
            lexicon: self.lexicon.clone(),
            by_article: self.by_article.iter().map(|cell| if keep { carried(cell) } else { Cell::default() }).collect(),
            written: self.written.iter().map(|cell| if keep { carried(cell) } else { WrittenCell::default() }).collect(),
            persisted: self.persisted.clone(),
        }
    }

    /// The table renumbered as `Corpus::compacted` renumbers: live ids in order, from 0.
    pub fn compacted(&self, corpus: &Corpus) -> FigureTable {
        let by_article = corpus.live().map(|(id, _)| carried(&self.by_article[id as usize])).collect();
        let written = corpus.live().map(|(id, _)| self.written.get(id as usize).map(carried).unwrap_or_default()).collect();
        let store_ids = corpus.live().map(|(id, _)| self.persisted.store_id(id).unwrap_or(ArticleId::MAX)).collect();
        let persisted = Persisted { store: self.persisted.store.clone(), store_ids: Some(store_ids) };
        FigureTable { lexicon: self.lexicon.clone(), by_article, written, persisted }
    }

    /// What the figures of article `id` of `corpus` state (nothing for an unknown id), read now
    /// if they were not yet.
    pub fn of(&self, corpus: &Corpus, id: ArticleId) -> &[Statement] {
        let Some(cell) = self.by_article.get(id as usize) else { return &[] };
        if let Some(statements) = cell.get() {
            return statements;
        }
        // An article a library could not fetch now may be fetched later: nothing is kept for it.
        match corpus.article(id) {
            Some(article) => cell.get_or_init(|| {
                // Should what was persisted not be readable, the text gives the same statements,
                // only slower.
                let decoded = self.persisted.decoded(id, article);
                Arc::new(decoded.unwrap_or_else(|| article_statements(article, &self.lexicon)))
            }),
            None => &[],
        }
    }

    /// Article `id`'s statements encoded for the index file (`None` for an unknown id): as they
    /// were read, or as they were persisted, or read now and not kept, so that writing the index
    /// does not fill the table with statements no one asked for.
    pub fn encoded(&self, corpus: &Corpus, id: ArticleId) -> Option<Vec<u8>> {
        let article = corpus.article(id)?;
        let read = self.by_article.get(id as usize).and_then(OnceLock::get);
        if read.is_none() {
            if let Some(bytes) = self.persisted.encoded(id) {
                return Some(bytes);
            }
        }
        let statements = match read {
            Some(statements) => Cow::Borrowed(statements.as_slice()),
            None => Cow::Owned(article_statements(article, &self.lexicon)),
        };
        postcard::to_stdvec(statements.as_ref()).ok()
    }

    /// Every number article `id` writes, in any role (nothing for an unknown id).
    pub fn written(&self, corpus: &Corpus, id: ArticleId) -> &Written {
        static NOTHING: OnceLock<Written> = OnceLock::new();
        match (self.written.get(id as usize), corpus.article(id)) {
            (Some(cell), Some(article)) => cell.get_or_init(|| Arc::new(Written::of(article, self.of(corpus, id)))),
            // As above: an article not fetched keeps no cell filled.
            _ => NOTHING.get_or_init(Written::default),
        }
    }

    /// The statements of article `id` if they have been read (or decoded).
    pub fn read(&self, id: ArticleId) -> Option<&[Statement]> {
        self.by_article.get(id as usize)?.get().map(|statements| statements.as_slice())
    }

    /// Readies, in one call, the persisted statements of those of `ids` not read yet.
    pub fn prefetch(&self, ids: &[ArticleId]) {
        let Some(store) = &self.persisted.store else { return };
        let unread: Vec<ArticleId> = ids
            .iter()
            .filter(|&&id| self.by_article.get(id as usize).is_some_and(|cell| cell.get().is_none()))
            .filter_map(|&id| self.persisted.store_id(id))
            .collect();
        if !unread.is_empty() {
            store.prefetch(&unread);
        }
    }

    /// Those of `ids` that may state `measure` (a superset: every article whose statements match
    /// it), sorted, when the persisted statements can tell without their text.
    pub fn stating(&self, ids: &[ArticleId], measure: &super::measure::Measure) -> Option<Vec<ArticleId>> {
        let (Some(store), None) = (&self.persisted.store, &self.persisted.store_ids) else { return None };
        let key = measure.index_key()?;
        let (read, mut unread): (Vec<ArticleId>, Vec<ArticleId>) =
            ids.iter().partition(|&&id| self.by_article.get(id as usize).is_some_and(|cell| cell.get().is_some()));
        unread.sort_unstable();
        let mut stating = store.stating(&unread, &key)?;
        // What was read already is known here: no need to ask.
        stating.extend(read.into_iter().filter(|&id| self.read(id).is_some_and(|s| s.iter().any(|s| s.measure.matches(measure)))));
        stating.sort_unstable();
        Some(stating)
    }

    /// Every article that may state a lexicon measure, when the persisted statements can tell
    /// without their text.
    pub fn stating_any(&self) -> Option<Vec<ArticleId>> {
        match (&self.persisted.store, &self.persisted.store_ids) {
            (Some(store), None) => store.stating_any(),
            _ => None,
        }
    }

    /// The statements of `article` (article `id`): as read, or decoded or read now and not kept,
    /// for passes over more articles than a table should keep.
    pub fn of_once<'a>(&'a self, id: ArticleId, article: &Article) -> Cow<'a, [Statement]> {
        if let Some(statements) = self.read(id) {
            return Cow::Borrowed(statements);
        }
        Cow::Owned(self.persisted.decoded(id, article).unwrap_or_else(|| article_statements(article, &self.lexicon)))
    }

    /// A table for the same corpus with nothing read, persisted statements still at hand.
    pub fn unread(&self, corpus: &Corpus) -> FigureTable {
        FigureTable { persisted: self.persisted.clone(), ..FigureTable::build(corpus, self.lexicon.clone()) }
    }

    /// Whether every live article's statements are at hand without reading its text: read, or
    /// persisted.
    pub fn all_kept(&self, corpus: &Corpus) -> bool {
        self.by_article.iter().enumerate().all(|(id, cell)| {
            let id = id as ArticleId;
            cell.get().is_some() || self.persisted.has(id) || corpus.article(id).is_none()
        })
    }

    /// Reads the statements of every article not read yet, in parallel; how many it read.
    pub fn read_all(&self, corpus: &Corpus) -> usize {
        (0..self.by_article.len() as ArticleId)
            .into_par_iter()
            .filter(|&id| {
                let unread = self.by_article[id as usize].get().is_none();
                if unread {
                    self.of(corpus, id);
                }
                unread
            })
            .count()
    }

    pub fn lexicon(&self) -> &Lexicon {
        &self.lexicon
    }
}

#[cfg(test)]
mod tests {
    use crate::analysis::checks::Snapshot;
    use crate::analysis::corpus::article::ArticleSource;

    fn source(name: &str, text: &str) -> ArticleSource {
        ArticleSource { path: format!("/w/seeds/{name}"), display_path: format!("seeds/{name}"), text: text.into(), ..Default::default() }
    }

    #[test]
    fn statements_are_read_on_first_use_and_carried_into_later_snapshots() {
        let snapshot = Snapshot::build(
            vec![
                source("001_a.txt", "Toll rises\n\nThe attack killed 139 people, officials said on 24 March."),
                source("002_b.txt", "Arrests\n\nThe FSB said it had detained “eleven” people – four of them gunmen."),
            ],
            vec!["/w/seeds".into()],
        );
        assert_eq!((snapshot.statements_read(0), snapshot.statements_read(1)), (None, None), "indexing reads no figure");
        assert!(!snapshot.statements(0).is_empty());
        assert!(snapshot.statements_read(0).is_some() && snapshot.statements_read(1).is_none());

        let next = snapshot.updated(vec![source("003_c.txt", "Floods\n\nThe river rose 2.5 metres.")], &[]);
        assert!(next.statements_read(0).is_some(), "an unchanged article keeps what was read");
        assert_eq!(next.read_all_statements(), 2, "the two articles not yet read");
        assert!(next.all_statements_kept());
        assert!(snapshot.statements_read(1).is_none(), "what a later snapshot reads is its own: an unread cell costs no allocation");
    }

    #[test]
    fn persisted_statements_are_decoded_on_first_use_and_written_back_as_they_came() {
        use crate::analysis::checks::figures::lexicon::Lexicon;
        use std::sync::Arc;
        let first = Snapshot::build(
            vec![
                source("001_a.txt", "Toll rises\n\nThe attack killed 139 people, officials said on 24 March."),
                source("002_b.txt", "Arrests\n\nThe FSB said it had detained “eleven” people – four of them gunmen."),
            ],
            vec!["/w/seeds".into()],
        );
        let encoded: Vec<Option<Vec<u8>>> = (0..2).map(|id| first.encoded_statements(id)).collect();
        assert!(first.statements_read(0).is_none(), "encoding for the index file keeps nothing in memory");
        assert!(first.encoded_statements(2).is_none(), "no article, no statements");

        let loaded = Snapshot::from_parts(first.corpus().clone(), Lexicon::default(), Arc::new(encoded.clone()));
        assert!(loaded.all_statements_kept() && loaded.statements_read(0).is_none(), "persisted, not yet decoded");
        assert_eq!(loaded.statements(1), first.statements(1));
        assert!(!loaded.statements(1).is_empty());
        assert!(loaded.statements_read(0).is_none(), "only what was asked for is decoded");
        assert_eq!(loaded.encoded_statements(0), encoded[0], "written back as persisted");
        assert_eq!(loaded.encoded_statements(1), encoded[1], "and as decoded");
        let compacted = loaded.updated(vec![], &["/w/seeds/001_a.txt".into()]).compacted();
        assert_eq!(compacted.encoded_statements(0), encoded[1], "renumbered, it still finds what was persisted");
        assert_eq!(compacted.statements(0), first.statements(1));

        // What the store gives is what is used: the statements of a text of the same length,
        // persisted for the first article, are the first's once decoded.
        let other = Snapshot::build(vec![source("001_a.txt", "Toll rises\n\nThe attack killed 140 people, officials said on 25 March.")], vec![]);
        let swapped = Snapshot::from_parts(first.corpus().clone(), Lexicon::default(), Arc::new(vec![other.encoded_statements(0)]));
        let values = |snapshot: &Snapshot, id| snapshot.statements(id).iter().map(|s| s.value).collect::<Vec<f64>>();
        assert_eq!(values(&swapped, 0), values(&other, 0));
        assert_ne!(values(&swapped, 0), values(&first, 0));
        assert!(!swapped.all_statements_kept(), "an article with nothing persisted is not kept");

        // Bytes that do not decode, and statements that decode but do not fit the text (those of
        // a longer text): both are read from the text again.
        let long = Snapshot::build(
            vec![source("001_a.txt", "Long\n\nThe attack in the city centre on Friday evening, in the suburbs north of the river, killed 139 people, officials said on 24 March.")],
            vec![],
        );
        let damaged = vec![Some(vec![0xFF, 0xFF]), long.encoded_statements(0)];
        let damaged = Snapshot::from_parts(first.corpus().clone(), Lexicon::default(), Arc::new(damaged));
        assert_eq!(damaged.statements(0), first.statements(0));
        assert_eq!(damaged.statements(1), first.statements(1));
    }

    /// A store that can say which articles state a measure (as the archive's index of measures
    /// does), from the statements it keeps.
    #[derive(Debug)]
    struct Indexed(Vec<Option<Vec<u8>>>);

    impl super::StatementStore for Indexed {
        fn has(&self, id: super::ArticleId) -> bool {
            self.0.has(id)
        }

        fn encoded(&self, id: super::ArticleId) -> Option<Vec<u8>> {
            self.0.encoded(id)
        }

        fn stating(&self, ids: &[super::ArticleId], key: &str) -> Option<Vec<super::ArticleId>> {
            let states = |id: super::ArticleId| {
                let statements: Vec<super::Statement> = postcard::from_bytes(&self.0.encoded(id)?).ok()?;
                Some(statements.iter().any(|s| s.measure.index_key().as_deref() == Some(key)))
            };
            Some(ids.iter().copied().filter(|&id| states(id) == Some(true)).collect())
        }
    }

    #[test]
    fn the_articles_that_state_a_measure_are_those_a_store_names_and_those_read_that_do() {
        use crate::analysis::checks::figures::lexicon::Lexicon;
        use crate::analysis::checks::figures::measure::Measure;
        use std::sync::Arc;
        let first = Snapshot::build(
            vec![
                source("001_a.txt", "Toll rises\n\nThe attack killed 139 people, officials said on 24 March."),
                source("002_b.txt", "Arrests\n\nThe FSB said it had detained “eleven” people – four of them gunmen."),
                source("003_c.txt", "Floods\n\nThe river rose 2.5 metres; 14 people died."),
            ],
            vec!["/w/seeds".into()],
        );
        let killed = first.statements(0).iter().find(|s| matches!(s.measure, Measure::Counted { .. })).unwrap().measure.clone();
        assert_eq!(first.stating(&[0, 1, 2], &killed), None, "without a store that can tell, every article may");
        let store = Indexed((0..3).map(|id| first.encoded_statements(id)).collect());
        let indexed = Snapshot::from_parts(first.corpus().clone(), Lexicon::default(), Arc::new(store));
        assert_eq!(indexed.stating(&[2, 1, 0], &killed), Some(vec![0, 2]));
        assert_eq!(indexed.statements_read(0), None, "found without reading any");
        // Read already, an article is judged by what was read (the store is not asked for it).
        indexed.statements(1);
        assert_eq!(indexed.stating(&[1, 2], &killed), Some(vec![2]));
    }

    /// Whatever an index of measures files a statement under, every statement that matches it is
    /// filed under the same key: looked up by key, none is missed.
    #[test]
    fn statements_that_match_share_their_index_key() {
        let seeds = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
        let mut sources: Vec<ArticleSource> = std::fs::read_dir(&seeds)
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .filter(|path| path.extension().is_some_and(|e| e == "txt" || e == "md"))
            .map(|path| source(&path.file_name().unwrap().to_string_lossy(), &std::fs::read_to_string(&path).unwrap()))
            .collect();
        sources.push(source("ages.txt", "Ages\n\nKerry Lowther, 54, and Kerry, aged 54, spoke. Maria Silva, 31, was there."));
        let snapshot = Snapshot::build(sources, vec!["/w/seeds".into()]);
        let statements: Vec<super::Statement> = (0..snapshot.len() as u32).flat_map(|id| snapshot.statements(id).to_vec()).collect();
        assert!(statements.iter().filter(|s| s.measure.index_key().is_some()).count() > 20, "{} statements", statements.len());
        assert!(statements.iter().any(|s| s.measure.index_key().is_none()), "figures outside the lexicon are filed under none");
        for a in &statements {
            for b in statements.iter().filter(|b| a.measure.matches(&b.measure)) {
                assert_eq!(a.measure.index_key(), b.measure.index_key(), "{} and {}", a.measure, b.measure);
            }
        }
    }
}
