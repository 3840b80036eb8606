//! The figure statements of every article: a side table that the figure check owns, built when
//! the corpus is indexed and kept beside it in the same immutable `Snapshot`.
//!
//! Indexed by `ArticleId`, like the corpus; a new table shares every unchanged article's
//! statements with the previous one. The corpus itself never stores a statement.

use std::sync::Arc;

use rayon::prelude::*;

use crate::analysis::checks::figures::lexicon::Lexicon;
use crate::analysis::checks::figures::{article_statements, Statement};
use crate::analysis::corpus::{ArticleId, Corpus};

#[derive(Clone, Debug, Default)]
pub struct FigureTable {
    lexicon: Arc<Lexicon>,
    /// By article id; empty for retired ids.
    by_article: Vec<Arc<Vec<Statement>>>,
}

impl FigureTable {
    /// Reads the statements of every live article, in parallel.
    pub fn build(corpus: &Corpus, lexicon: Arc<Lexicon>) -> FigureTable {
        let by_article = (0..corpus.id_count() as ArticleId)
            .into_par_iter()
            .map(|id| Arc::new(corpus.article(id).map_or_else(Vec::new, |a| article_statements(a, &lexicon))))
            .collect();
        FigureTable { lexicon, by_article }
    }

    /// A table from statements persisted earlier (by article id, as the corpus numbers them).
    pub fn from_statements(lexicon: Arc<Lexicon>, by_article: Vec<Vec<Statement>>) -> FigureTable {
        FigureTable { lexicon, by_article: by_article.into_iter().map(Arc::new).collect() }
    }

    /// The table for `corpus`, a later snapshot of the one this table was built for: ids are never
    /// reused, so the statements of every id still live are shared and only new ids are read.
    pub fn updated(&self, corpus: &Corpus) -> FigureTable {
        let known = self.by_article.len();
        let fresh: Vec<Arc<Vec<Statement>>> = (known as ArticleId..corpus.id_count() as ArticleId)
            .into_par_iter()
            .map(|id| Arc::new(corpus.article(id).map_or_else(Vec::new, |a| article_statements(a, &self.lexicon))))
            .collect();
        let kept = self.by_article.iter().enumerate().map(|(id, statements)| {
            if corpus.article(id as ArticleId).is_some() {
                statements.clone()
            } else {
                Arc::default()
            }
        });
        FigureTable { lexicon: self.lexicon.clone(), by_article: kept.chain(fresh).collect() }
    }

    /// The table renumbered as `Corpus::compacted` renumbers: live ids in order, from 0.
    pub fn compacted(&self, corpus: &Corpus) -> FigureTable {
        let by_article = corpus.live().map(|(id, _)| self.by_article[id as usize].clone()).collect();
        FigureTable { lexicon: self.lexicon.clone(), by_article }
    }

    /// What the figures of article `id` state (nothing for an unknown id).
    pub fn of(&self, id: ArticleId) -> &[Statement] {
        self.by_article.get(id as usize).map_or(&[], |s| s)
    }

    pub fn lexicon(&self) -> &Lexicon {
        &self.lexicon
    }
}
