//! The corpus as the checks see it: one immutable snapshot of the corpus together with the side
//! tables that the checks precompute about it (figure statements) or remember while answering
//! (where quotations were found).
//!
//! Everything in the checks and editor features takes a `&Snapshot`; it dereferences to the
//! `Corpus`, so the corpus's narrow door (articles, keys, search) is used as before. Requests
//! clone an `Arc<Snapshot>` and hold no lock while computing.

use std::ops::Deref;
use std::sync::Arc;

use crate::analysis::checks::figures::lexicon::Lexicon;
use crate::analysis::checks::figures::table::{FigureTable, StatementStore};
use crate::analysis::checks::figures::Statement;
use crate::analysis::checks::evidence::EvidenceMemo;
use crate::analysis::checks::figures::event::EventMemo;
use crate::analysis::checks::quotes::memo::QuoteMemo;
use crate::analysis::corpus::article::{Article, ArticleSource};
use crate::analysis::corpus::{ArticleId, Corpus};

#[derive(Clone, Debug, Default)]
pub struct Snapshot {
    corpus: Corpus,
    figures: FigureTable,
    /// Start empty in every snapshot (cloning one gives empty memos); `emptied` carries them over.
    quotes: QuoteMemo,
    evidence: EvidenceMemo,
    events: EventMemo,
}

impl Deref for Snapshot {
    type Target = Corpus;

    fn deref(&self) -> &Corpus {
        &self.corpus
    }
}

/// Figure statements a snapshot that lets go of its articles carries over at most: about 14 MB
/// (a busy 1,000-line note's check reads 28,000).
const STATEMENTS_CARRIED: usize = 100_000;

impl Snapshot {
    /// Indexes articles with the default lexicon.
    pub fn build(sources: Vec<ArticleSource>, roots: Vec<String>) -> Snapshot {
        Snapshot::build_with_lexicon(sources, roots, Lexicon::default())
    }

    /// Indexes articles (in parallel); their figure statements are read with `lexicon` when asked.
    pub fn build_with_lexicon(sources: Vec<ArticleSource>, roots: Vec<String>, lexicon: Lexicon) -> Snapshot {
        Snapshot::new(Corpus::build(sources, roots), lexicon)
    }

    /// The checks' tables built for `corpus`.
    pub fn new(corpus: Corpus, lexicon: Lexicon) -> Snapshot {
        let figures = FigureTable::build(&corpus, Arc::new(lexicon));
        Snapshot { corpus, figures, quotes: QuoteMemo::default(), evidence: EvidenceMemo::default(), events: EventMemo::default() }
    }

    /// A snapshot from parts persisted earlier: the corpus, and where its articles' statements
    /// are kept (by the same ids, as `encoded_statements` gave them), to be read on first use.
    pub fn from_parts(corpus: Corpus, lexicon: Lexicon, statements: Arc<dyn StatementStore>) -> Snapshot {
        let figures = FigureTable::from_store(&corpus, Arc::new(lexicon), statements);
        Snapshot { corpus, figures, quotes: QuoteMemo::default(), evidence: EvidenceMemo::default(), events: EventMemo::default() }
    }

    /// A new snapshot with `changed` articles (re)indexed and those at `removed` paths dropped;
    /// unchanged articles, index segments and statements are shared with this one.
    pub fn updated(&self, changed: Vec<ArticleSource>, removed: &[String]) -> Snapshot {
        let corpus = self.corpus.updated(changed, removed);
        let figures = self.figures.updated(&corpus);
        Snapshot { corpus, figures, quotes: QuoteMemo::default(), evidence: EvidenceMemo::default(), events: EventMemo::default() }
    }

    /// The same snapshot with nothing fetched from a corpus's library: the same answers (and
    /// generation), without the memory the articles took. What the memos remember is kept, and
    /// the figure statements read, up to `STATEMENTS_CARRIED`: they are small, and answering them
    /// again would fetch the articles once more (a figure's hover after it took 20–30 ms, where
    /// it takes 3).
    pub fn emptied(&self) -> Snapshot {
        Snapshot {
            corpus: self.corpus.emptied(),
            figures: self.figures.emptied(STATEMENTS_CARRIED),
            quotes: self.quotes.carried(),
            evidence: self.evidence.carried(),
            events: self.events.carried(),
        }
    }

    /// A new snapshot of the same corpus with nothing fetched and a new generation: answers
    /// computed on this one are not reused (some may lack what its library failed to give).
    pub fn refetched(&self) -> Snapshot {
        let corpus = self.corpus.refetched();
        let figures = self.figures.unread(&corpus);
        Snapshot { corpus, figures, quotes: QuoteMemo::default(), evidence: EvidenceMemo::default(), events: EventMemo::default() }
    }

    /// The same articles renumbered without retired ids.
    pub fn compacted(&self) -> Snapshot {
        let figures = self.figures.compacted(&self.corpus);
        Snapshot { corpus: self.corpus.compacted(), figures, quotes: QuoteMemo::default(), evidence: EvidenceMemo::default(), events: EventMemo::default() }
    }

    pub fn corpus(&self) -> &Corpus {
        &self.corpus
    }

    /// What the figures of article `id` state (read on first use).
    pub fn statements(&self, id: ArticleId) -> &[Statement] {
        self.figures.of(&self.corpus, id)
    }

    /// Readies, in one call, what is kept of the statements of `ids` elsewhere (in an archive),
    /// before they are read one by one.
    pub fn prefetch_statements(&self, ids: &[ArticleId]) {
        self.figures.prefetch(ids);
    }

    /// Those of `ids` that may state `measure`, sorted, when that is known without reading them
    /// (an archive says); else `None`, and every one of them may.
    pub fn stating(&self, ids: &[ArticleId], measure: &crate::analysis::checks::figures::measure::Measure) -> Option<Vec<ArticleId>> {
        self.figures.stating(ids, measure)
    }

    /// Calls `visit` with each of `ids` (sorted) that this corpus has, its article and its
    /// statements, in order. From a library, articles are fetched a batch at a time and let go
    /// of after, and their statements are read in parallel and not kept: a pass over a whole
    /// archive holds one batch at a time.
    pub fn each_with_statements(&self, ids: &[ArticleId], visit: &mut dyn FnMut(ArticleId, &Article, &[Statement])) {
        use rayon::prelude::*;
        if !self.corpus.is_remote() {
            self.read_all_statements(); // in memory already: read in parallel, and kept
        }
        for batch in ids.chunks(crate::analysis::corpus::LIBRARY_BATCH) {
            self.figures.prefetch(batch);
            let articles = self.corpus.read_together(batch);
            let statements: Vec<_> = articles.par_iter().map(|(id, article)| self.figures.of_once(*id, article)).collect();
            for ((id, article), statements) in articles.iter().zip(&statements) {
                visit(*id, article, statements);
            }
        }
    }

    /// The articles whose statements may give a lexicon measure: those an archive says do, else
    /// every live article.
    pub fn articles_stating_any(&self) -> Vec<ArticleId> {
        self.figures.stating_any().unwrap_or_else(|| self.corpus.live_ids())
    }

    /// Every number article `id` writes, in any role (read on first use).
    pub fn written(&self, id: ArticleId) -> &crate::analysis::checks::figures::written::Written {
        self.figures.written(&self.corpus, id)
    }

    /// The statements of article `id` if they have been read.
    pub fn statements_read(&self, id: ArticleId) -> Option<&[Statement]> {
        self.figures.read(id)
    }

    /// Whether every article's statements are at hand without reading its text: read, or
    /// persisted in the index this snapshot was loaded from.
    pub fn all_statements_kept(&self) -> bool {
        self.figures.all_kept(&self.corpus)
    }

    /// Article `id`'s statements encoded for the index file (`None` for an unknown id), without
    /// keeping those that had not been read.
    pub fn encoded_statements(&self, id: ArticleId) -> Option<Vec<u8>> {
        self.figures.encoded(&self.corpus, id)
    }

    /// Reads every article's statements not read yet, in parallel; how many articles it read.
    pub fn read_all_statements(&self) -> usize {
        self.figures.read_all(&self.corpus)
    }

    pub fn lexicon(&self) -> &Lexicon {
        self.figures.lexicon()
    }

    /// Where this snapshot has found quotations before.
    pub fn quote_memo(&self) -> &QuoteMemo {
        &self.quotes
    }

    pub fn evidence_memo(&self) -> &EvidenceMemo {
        &self.evidence
    }

    /// Which articles this snapshot has found about the events of figures before.
    pub fn event_memo(&self) -> &EventMemo {
        &self.events
    }
}
