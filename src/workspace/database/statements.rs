//! The archive's figure statements (schema 7) as the figure check's store: each article's
//! statements as the ingest read them, fetched with many others in one query, and the articles
//! that state a measure, found by the archive's index of measures without reading any.
//!
//! Used only when the latest ingest read them as this reader would (the same build of
//! noteproof, the same lexicon); otherwise the statements are read from the fetched text, as
//! before. Whatever is decoded is checked against the article's text before use (`table.rs`), so
//! that an article changed between the two reads is read from its text.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::analysis::checks::figures::table::StatementStore;
use crate::analysis::corpus::ArticleId;
use crate::workspace::database::read::ArchiveLibrary;
use crate::workspace::database::schema::term_hash;

/// Statements fetched ahead and not yet asked for, at most (about 1.2 KB each): beyond, they are
/// let go of, since some are never asked for (an article whose text could not be fetched, a
/// search that ended early).
const PREFETCHED_HELD: usize = 4_096;

pub struct ArchiveStatements {
    library: Arc<ArchiveLibrary>,
    prefetched: Mutex<HashMap<ArticleId, Vec<u8>>>,
}

impl std::fmt::Debug for ArchiveStatements {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ArchiveStatements({:?})", self.library)
    }
}

impl ArchiveStatements {
    pub fn new(library: Arc<ArchiveLibrary>) -> ArchiveStatements {
        ArchiveStatements { library, prefetched: Mutex::default() }
    }

    fn archive_ids(&self, ids: &[ArticleId]) -> Vec<i64> {
        ids.iter().filter_map(|&id| self.library.ids.get(id as usize).copied()).collect()
    }

    /// The snapshot's ids of archive ids, sorted; those not listed left out.
    fn snapshot_ids(&self, archive_ids: impl Iterator<Item = i64>) -> Vec<ArticleId> {
        let mut ids: Vec<ArticleId> = archive_ids.filter_map(|id| self.library.by_archive_id.get(&id).copied()).collect();
        ids.sort_unstable();
        ids
    }

    fn held(&self) -> std::sync::MutexGuard<'_, HashMap<ArticleId, Vec<u8>>> {
        self.prefetched.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn fetch(&self, ids: &[ArticleId]) -> Option<Vec<(ArticleId, Vec<u8>)>> {
        let archive_ids = self.archive_ids(ids);
        let rows = self.library.with_client("reading figure statements", |client| {
            client.query("SELECT article, encoded FROM noteproof_statements WHERE article = ANY($1)", &[&archive_ids])
        })?;
        Some(
            rows.into_iter()
                .filter_map(|row| Some((*self.library.by_archive_id.get(&row.get::<_, i64>(0))?, row.get::<_, Vec<u8>>(1))))
                .collect(),
        )
    }
}

impl StatementStore for ArchiveStatements {
    fn has(&self, id: ArticleId) -> bool {
        (id as usize) < self.library.ids.len()
    }

    fn encoded(&self, id: ArticleId) -> Option<Vec<u8>> {
        if let Some(encoded) = self.held().remove(&id) {
            return Some(encoded);
        }
        self.fetch(&[id])?.pop().map(|(_, encoded)| encoded)
    }

    fn prefetch(&self, ids: &[ArticleId]) {
        let missing: Vec<ArticleId> = {
            let held = self.held();
            ids.iter().copied().filter(|id| !held.contains_key(id)).collect()
        };
        if missing.is_empty() {
            return;
        }
        let Some(fetched) = self.fetch(&missing) else { return };
        let mut held = self.held();
        if held.len() + fetched.len() > PREFETCHED_HELD {
            held.clear();
        }
        held.extend(fetched.into_iter().take(PREFETCHED_HELD));
    }

    fn stating(&self, ids: &[ArticleId], key: &str) -> Option<Vec<ArticleId>> {
        if ids.is_empty() {
            return Some(Vec::new());
        }
        let (archive_ids, key) = (self.archive_ids(ids), vec![term_hash(key)]);
        let rows = self.library.with_client("finding the articles that state a measure", |client| {
            client.query("SELECT article FROM noteproof_statements WHERE article = ANY($1) AND measures && $2", &[&archive_ids, &key])
        })?;
        Some(self.snapshot_ids(rows.iter().map(|row| row.get(0))))
    }

    fn stating_any(&self) -> Option<Vec<ArticleId>> {
        let rows = self.library.with_client("finding the articles that state a measure", |client| {
            client.query("SELECT article FROM noteproof_statements WHERE cardinality(measures) > 0", &[])
        })?;
        Some(self.snapshot_ids(rows.iter().map(|row| row.get(0))))
    }
}
