//! The sentences an ingest writes, by term, as posting lists being built. Held in memory they
//! grow with the ingest: a first ingest of 100,000 articles builds 180 MB of lists, one of ten
//! million would build eighteen gigabytes. Past a budget, a first ingest (in bulk) stages every
//! list built so far in a temporary table of its transaction, as one *part*, and starts again
//! from empty; at the end, each list of a common term is read back part by part, in order, and
//! built again sentence by sentence, so that its bytes are those it would have had whole.
//!
//! A later ingest keeps its lists in memory: it merges them into the stored ones term by term,
//! and it holds only the sentences of the articles that changed.

use std::collections::HashMap;

use anyhow::{Context, Result};
use postgres::binary_copy::BinaryCopyInWriter;
use postgres::types::Type;

use crate::workspace::database::posting_lists::{self, Builder, Entry};

/// How much of the lists being built an ingest holds before it stages them: a few hundred
/// megabytes, whatever the size of the archive. A first ingest of 100,000 articles builds its
/// lists in two parts.
const BUDGET_BYTES: usize = 256 << 20;

/// What a term's list costs beyond its bytes: its map entry and the builder's own fields.
const PER_TERM_BYTES: usize = std::mem::size_of::<Builder>() + 32;

/// Lists staged but not yet needed, part by part.
const STAGED: &str = "noteproof_staged_lists";

/// Staged rows read back per round trip.
const READ_BACK_ROWS: i32 = 512;

#[derive(Default)]
pub struct NewPostings {
    lists: HashMap<i64, Builder>,
    /// What `lists` holds, about (the builders' capacities and their entries).
    held_bytes: usize,
    budget_bytes: usize,
    /// Parts staged so far.
    parts: i32,
}

impl NewPostings {
    pub fn new() -> NewPostings {
        NewPostings { budget_bytes: budget_bytes(), ..NewPostings::default() }
    }

    /// Adds a sentence to `term`'s list; sentences come in order of article, then position.
    pub fn push(&mut self, term: i64, entry: Entry) {
        let list = self.lists.entry(term).or_insert_with(|| {
            self.held_bytes += PER_TERM_BYTES;
            Builder::default()
        });
        let before = list.bytes_held();
        list.push(entry);
        self.held_bytes += list.bytes_held() - before;
    }

    pub fn over_budget(&self) -> bool {
        self.held_bytes >= self.budget_bytes
    }

    /// The lists built, whole (none staged: only a first ingest stages).
    pub fn into_lists(self) -> HashMap<i64, Builder> {
        self.lists
    }

    /// Writes every list built so far to the transaction's staging table, as the next part, and
    /// lets go of them.
    pub fn stage(&mut self, transaction: &mut postgres::Transaction) -> Result<()> {
        if self.parts == 0 {
            // Dropped with the transaction, committed or not. Stored as it comes: a list is
            // compact already, and compressing it would cost time for little.
            transaction.batch_execute(&format!(
                "CREATE TEMPORARY TABLE {STAGED} (term bigint NOT NULL, part integer NOT NULL, sentences integer NOT NULL, list bytea NOT NULL)
                     ON COMMIT DROP;
                 ALTER TABLE {STAGED} ALTER COLUMN list SET STORAGE EXTERNAL"
            ))?;
        }
        let sink = transaction.copy_in(&format!("COPY {STAGED} (term, part, sentences, list) FROM STDIN BINARY"))?;
        let mut writer = BinaryCopyInWriter::new(sink, &[Type::INT8, Type::INT4, Type::INT4, Type::BYTEA]);
        for (term, list) in self.lists.drain() {
            let sentences = i32::try_from(list.len()).unwrap_or(i32::MAX);
            writer.write(&[&term, &self.parts, &sentences, &list.finish()])?;
        }
        writer.finish()?;
        self.parts += 1;
        self.held_bytes = 0;
        Ok(())
    }

    /// Into an empty index: writes the list of every term `from` sentences or more hold.
    /// Returns how many parts they were staged in (none when they fitted).
    pub fn write_all(mut self, transaction: &mut postgres::Transaction, from: i64) -> Result<usize> {
        if self.parts == 0 {
            let lists = self.lists.into_iter().filter(|(_, list)| list.len() as i64 >= from);
            copy_lists(transaction, lists)?;
            return Ok(0);
        }
        if !self.lists.is_empty() {
            self.stage(transaction)?;
        }
        // The parts of the common terms' lists, term by term, each term's in the order they
        // were built: read a few hundred rows at a time, each term's list built again whole.
        let portal = transaction.bind(
            &format!(
                "SELECT term, list FROM {STAGED}
                 WHERE term IN (SELECT term FROM {STAGED} GROUP BY term HAVING sum(sentences) >= $1)
                 ORDER BY term, part"
            ),
            &[&from],
        )?;
        let mut building: Option<(i64, Builder)> = None;
        loop {
            let rows = transaction.query_portal(&portal, READ_BACK_ROWS)?;
            let mut built = Vec::new();
            for row in &rows {
                let term: i64 = row.get(0);
                let part = posting_lists::decode(row.get(1)).context("a staged posting list does not read back")?;
                match &mut building {
                    Some((building_term, _)) if *building_term == term => {}
                    _ => built.extend(building.replace((term, Builder::default()))),
                }
                let (_, list) = building.as_mut().expect("a list is being built");
                for entry in part {
                    list.push(entry);
                }
            }
            let done = rows.len() < READ_BACK_ROWS as usize;
            if done {
                built.extend(building.take());
            }
            copy_lists(transaction, built.into_iter())?;
            if done {
                return Ok(usize::try_from(self.parts).unwrap_or_default());
            }
        }
    }
}

fn copy_lists(transaction: &mut postgres::Transaction, lists: impl Iterator<Item = (i64, Builder)>) -> Result<()> {
    let sink = transaction.copy_in("COPY noteproof_posting_lists (term, sentences, list) FROM STDIN BINARY")?;
    let mut writer = BinaryCopyInWriter::new(sink, &[Type::INT8, Type::INT4, Type::BYTEA]);
    for (term, list) in lists {
        let sentences = i32::try_from(list.len()).unwrap_or(i32::MAX);
        writer.write(&[&term, &sentences, &list.finish()])?;
    }
    writer.finish()?;
    Ok(())
}

/// `BUDGET_BYTES`, or for tests (`NOTEPROOF_TEST_HOOKS=1`, `NOTEPROOF_TEST_LISTS_HELD_BYTES=N`)
/// another, so that a small corpus is staged in many parts.
fn budget_bytes() -> usize {
    let hooked = std::env::var_os("NOTEPROOF_TEST_HOOKS").is_some_and(|v| v == "1");
    hooked.then(|| std::env::var("NOTEPROOF_TEST_LISTS_HELD_BYTES").ok()?.parse().ok()).flatten().unwrap_or(BUDGET_BYTES)
}
