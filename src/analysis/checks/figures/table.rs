//! The figure statements of every article: a side table that the figure check owns, kept beside
//! the corpus in the same immutable `Snapshot`.
//!
//! Indexed by `ArticleId`, like the corpus. An article's statements are read the first time a
//! check asks for them: indexing stays as cheap as splitting sentences, and a note pays only for
//! the articles it cites or whose event it is about. `read_all` fills the table in parallel for
//! those who need every statement (the fact sheet, the index file). A new table shares the
//! statements of every unchanged article read so far with the previous one. The corpus never
//! stores a statement.

use std::sync::{Arc, OnceLock};

use rayon::prelude::*;

use crate::analysis::checks::figures::lexicon::Lexicon;
use crate::analysis::checks::figures::written::Written;
use crate::analysis::checks::figures::{article_statements, Statement};
use crate::analysis::corpus::{ArticleId, Corpus};

/// One article's statements, read on first use. An empty cell takes 16 bytes and no allocation:
/// at 100,000 listed articles, of which a session reads a few thousand, shared cells
/// (`Arc<OnceLock<_>>`) took 13 MB.
type Cell = OnceLock<Arc<Vec<Statement>>>;
/// The numbers one article writes (`written.rs`), read on first use; never persisted.
type WrittenCell = OnceLock<Arc<Written>>;

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
}

impl FigureTable {
    /// A table for every article of `corpus`, none read yet.
    pub fn build(corpus: &Corpus, lexicon: Arc<Lexicon>) -> FigureTable {
        let ids = corpus.id_count();
        FigureTable { lexicon, by_article: (0..ids).map(|_| Cell::default()).collect(), written: (0..ids).map(|_| WrittenCell::default()).collect() }
    }

    /// A table from statements persisted earlier (by article id, as the corpus numbers them;
    /// `None` where they had not been read).
    pub fn from_statements(lexicon: Arc<Lexicon>, by_article: Vec<Option<Vec<Statement>>>) -> FigureTable {
        let by_article = by_article
            .into_iter()
            .map(|statements| statements.map(|statements| OnceLock::from(Arc::new(statements))).unwrap_or_default())
            .collect::<Vec<Cell>>();
        let written = (0..by_article.len()).map(|_| WrittenCell::default()).collect();
        FigureTable { lexicon, by_article, written }
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
        }
    }

    /// The table renumbered as `Corpus::compacted` renumbers: live ids in order, from 0.
    pub fn compacted(&self, corpus: &Corpus) -> FigureTable {
        let by_article = corpus.live().map(|(id, _)| carried(&self.by_article[id as usize])).collect();
        let written = corpus.live().map(|(id, _)| self.written.get(id as usize).map(carried).unwrap_or_default()).collect();
        FigureTable { lexicon: self.lexicon.clone(), by_article, written }
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
            Some(article) => cell.get_or_init(|| Arc::new(article_statements(article, &self.lexicon))),
            None => &[],
        }
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

    /// The statements of article `id` if they have been read.
    pub fn read(&self, id: ArticleId) -> Option<&[Statement]> {
        self.by_article.get(id as usize)?.get().map(|statements| statements.as_slice())
    }

    pub fn all_read(&self) -> bool {
        self.by_article.iter().all(|cell| cell.get().is_some())
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
        assert!(next.all_statements_read());
        assert!(snapshot.statements_read(1).is_none(), "what a later snapshot reads is its own: an unread cell costs no allocation");
    }
}
