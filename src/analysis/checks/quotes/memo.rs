//! Where quotations were found in one snapshot: a memo that the quotation check owns, so that
//! hover and definition reuse the work of the diagnostics.

use crate::analysis::checks::memo::Memo;
use crate::analysis::checks::quotes::matching::{Closest, QuoteMatch, QuoteText};
use crate::analysis::corpus::ArticleId;

/// Where quotations were found in this snapshot. A memo: it changes how often the work is done,
/// never an answer, and a new snapshot starts empty.
#[derive(Clone, Debug)]
pub struct QuoteMemo {
    found: Memo<QuoteKey, Vec<QuoteMatch>>,
    closest: Memo<ClosestKey, Option<Closest>>,
}

type QuoteKey = (QuoteText, Option<Vec<ArticleId>>);
type ClosestKey = (QuoteText, Option<Vec<ArticleId>>, Vec<ArticleId>);

/// Quotations remembered at most, per snapshot (a note has hundreds, not thousands).
const QUOTES_REMEMBERED: usize = 4096;

impl Default for QuoteMemo {
    fn default() -> Self {
        QuoteMemo { found: Memo::new(QUOTES_REMEMBERED), closest: Memo::new(QUOTES_REMEMBERED) }
    }
}

impl QuoteMemo {
    /// What this memo remembers, for a snapshot that gives the same answers.
    pub fn carried(&self) -> QuoteMemo {
        QuoteMemo { found: self.found.carried(), closest: self.closest.carried() }
    }

    pub fn get(&self, key: &QuoteKey) -> Option<Vec<QuoteMatch>> {
        self.found.get(key)
    }

    pub fn put(&self, key: QuoteKey, found: Vec<QuoteMatch>) {
        self.found.put(key, found);
    }

    pub fn get_closest(&self, key: &ClosestKey) -> Option<Option<Closest>> {
        self.closest.get(key)
    }

    pub fn put_closest(&self, key: ClosestKey, found: Option<Closest>) {
        self.closest.put(key, found);
    }
}
