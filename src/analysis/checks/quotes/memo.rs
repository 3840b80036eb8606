//! Where quotations were found in one snapshot: a memo that the quotation check owns, so that
//! hover and definition reuse the work of the diagnostics.

use std::collections::HashMap;
use std::sync::Mutex;

use crate::analysis::checks::quotes::matching::{Closest, QuoteMatch, QuoteText};
use crate::analysis::corpus::ArticleId;

/// Where quotations were found in this snapshot. A memo: it changes how often the work is done,
/// never an answer, and a new snapshot starts empty.
#[derive(Default)]
pub struct QuoteMemo {
    found: Mutex<HashMap<QuoteKey, Vec<QuoteMatch>>>,
    closest: Mutex<HashMap<ClosestKey, Option<Closest>>>,
}

type QuoteKey = (QuoteText, Option<Vec<ArticleId>>);
type ClosestKey = (QuoteText, Option<Vec<ArticleId>>, Vec<ArticleId>);

/// Quotations remembered at most, per snapshot (a note has hundreds, not thousands).
const QUOTES_REMEMBERED: usize = 4096;

impl QuoteMemo {
    pub fn get(&self, key: &QuoteKey) -> Option<Vec<QuoteMatch>> {
        self.found.lock().unwrap_or_else(|p| p.into_inner()).get(key).cloned()
    }

    pub fn put(&self, key: QuoteKey, found: Vec<QuoteMatch>) {
        remember(&self.found, key, found);
    }

    pub fn get_closest(&self, key: &ClosestKey) -> Option<Option<Closest>> {
        self.closest.lock().unwrap_or_else(|p| p.into_inner()).get(key).cloned()
    }

    pub fn put_closest(&self, key: ClosestKey, found: Option<Closest>) {
        remember(&self.closest, key, found);
    }
}

fn remember<K: std::hash::Hash + Eq, V>(memo: &Mutex<HashMap<K, V>>, key: K, value: V) {
    let mut memo = memo.lock().unwrap_or_else(|p| p.into_inner());
    if memo.len() >= QUOTES_REMEMBERED {
        memo.clear();
    }
    memo.insert(key, value);
}

impl Clone for QuoteMemo {
    fn clone(&self) -> Self {
        QuoteMemo::default()
    }
}

impl std::fmt::Debug for QuoteMemo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("QuoteMemo")
    }
}
