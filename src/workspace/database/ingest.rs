//! `noteproof ingest`: reads corpus folders as the embedded index does and writes what changed
//! into the archive, as one transaction. Readers see the archive before or after an ingest, never
//! half of one; an ingest killed midway leaves the archive as it was, and the next one does the
//! whole work again.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::analysis::corpus::article::ArticleSource;
use crate::workspace::database::connection::{connect, database_error, describe, DatabaseUrl, Retry};
use crate::workspace::database::schema::{migrate, WRITER_LOCK};
use crate::workspace::files::{file_stem, read_corpus, CorpusFile, Limits};
use crate::workspace::paths::path_string;

/// What one ingest did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IngestReport {
    pub generation: i64,
    pub added: usize,
    pub changed: usize,
    pub removed: usize,
    pub unchanged: usize,
    /// Bytes of article text written.
    pub bytes: usize,
}

/// The archive's row of one article, as far as deciding whether it changed needs.
struct Stored {
    bytes_hash: Option<i64>,
    content_hash: i64,
    listed: Option<String>,
}

/// An article as the archive stores it.
struct Row {
    path: String,
    display_path: String,
    bytes_hash: Option<i64>,
    content_hash: i64,
    body: Vec<u8>,
    origin: String,
    file_meta: String,
    listed: Option<String>,
}

impl Row {
    fn of(source: ArticleSource) -> Result<Row> {
        let origin = serde_json::to_string(&source.origin)?;
        let file_meta = serde_json::to_string(&source.file_meta)?;
        let listed = source.listed.as_ref().map(serde_json::to_string).transpose()?;
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        for part in [source.display_path.as_str(), &source.text, &origin, &file_meta] {
            hasher.update(&(part.len() as u64).to_le_bytes());
            hasher.update(part.as_bytes());
        }
        Ok(Row {
            bytes_hash: source.origin.file_hash().map(|hash| hash as i64),
            content_hash: hasher.digest() as i64,
            path: source.path,
            display_path: source.display_path,
            body: source.text.into_bytes(),
            origin,
            file_meta,
            listed,
        })
    }
}

/// Ingests every corpus file under `dirs`: new and changed articles are written, articles whose
/// files are gone from these folders are removed, others are left alone. Problems with single
/// files become warnings, as when indexing.
pub fn ingest(url: &DatabaseUrl, root: &Path, dirs: &[PathBuf], limits: Limits, warnings: &mut Vec<String>) -> Result<IngestReport> {
    let mut client = connect(url, Retry::COMMAND)?;
    migrate(&mut client).map_err(|error| database_error(url, error))?;
    let mut transaction = client.transaction()?;
    // One writer at a time; readers are never blocked.
    transaction.execute("SELECT pg_advisory_xact_lock($1)", &[&WRITER_LOCK])?;
    let mut stored: HashMap<String, Stored> = HashMap::new();
    for row in transaction.query("SELECT path, bytes_hash, content_hash, listed FROM noteproof_articles", &[])? {
        stored.insert(row.get(0), Stored { bytes_hash: row.get(1), content_hash: row.get(2), listed: row.get(3) });
    }
    // A page or PDF whose bytes are unchanged is not extracted again.
    let unchanged_bytes = |path: &str, hash: u64| stored.get(path).is_some_and(|s| s.bytes_hash == Some(hash as i64));
    let (files, table) = read_corpus(root, dirs, limits, &unchanged_bytes, warnings);

    let generation: i64 = transaction.query_one("INSERT INTO noteproof_generations DEFAULT VALUES RETURNING id", &[])?.get(0);
    let upsert = transaction.prepare(
        "INSERT INTO noteproof_articles (path, display_path, bytes_hash, content_hash, body, origin, file_meta, listed, generation)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (path) DO UPDATE SET display_path = $2, bytes_hash = $3, content_hash = $4, body = $5, origin = $6,
             file_meta = $7, listed = $8, generation = $9",
    )?;
    let relist = transaction.prepare("UPDATE noteproof_articles SET listed = $2, generation = $3 WHERE path = $1")?;
    let mut report = IngestReport { generation, ..IngestReport::default() };
    let mut seen = HashSet::new();
    let stall_after = test_stall_after();
    for file in files {
        if stall_after == Some(report.added + report.changed) {
            stall(stall_after.unwrap_or_default());
        }
        match file {
            CorpusFile::Read(source) => {
                let row = Row::of(*source)?;
                seen.insert(row.path.clone());
                let before = stored.get(&row.path);
                if before.is_some_and(|s| s.content_hash == row.content_hash && s.listed == row.listed) {
                    report.unchanged += 1;
                    continue;
                }
                if before.is_some() {
                    report.changed += 1;
                } else {
                    report.added += 1;
                }
                report.bytes += row.body.len();
                transaction
                    .execute(
                        &upsert,
                        &[
                            &row.path,
                            &row.display_path,
                            &row.bytes_hash,
                            &row.content_hash,
                            &row.body,
                            &row.origin,
                            &row.file_meta,
                            &row.listed,
                            &generation,
                        ],
                    )
                    .with_context(|| format!("cannot write {}", row.display_path))?;
            }
            CorpusFile::Unchanged { path } => {
                // The text is the archive's; only the analyst's row in the sources file may have moved.
                let listed = table.row_for(file_stem(Path::new(&path))).map(serde_json::to_string).transpose()?;
                if stored.get(&path).is_some_and(|s| s.listed != listed) {
                    transaction.execute(&relist, &[&path, &listed, &generation])?;
                    report.changed += 1;
                } else {
                    report.unchanged += 1;
                }
                seen.insert(path);
            }
        }
    }
    let roots: Vec<String> = dirs.iter().map(|dir| path_string(dir)).collect();
    let removed: Vec<String> = stored
        .keys()
        .filter(|path| !seen.contains(*path) && roots.iter().any(|root| is_within(path, root)))
        .cloned()
        .collect();
    report.removed = removed.len();
    transaction.execute("DELETE FROM noteproof_articles WHERE path = ANY($1)", &[&removed])?;
    for root in &roots {
        transaction.execute("INSERT INTO noteproof_roots (path) VALUES ($1) ON CONFLICT DO NOTHING", &[root])?;
    }
    let counts = [report.added, report.changed, report.removed].map(|n| n as i32);
    transaction.execute(
        "UPDATE noteproof_generations SET added = $2, changed = $3, removed = $4, committed_at = now() WHERE id = $1",
        &[&generation, &counts[0], &counts[1], &counts[2]],
    )?;
    transaction.commit().map_err(|error| anyhow::anyhow!("the ingest was not committed: {}", describe(&error)))?;
    Ok(report)
}

fn is_within(path: &str, root: &str) -> bool {
    path.strip_prefix(root).is_some_and(|rest| rest.starts_with('/'))
}


/// For tests of an ingest killed midway (`NOTEPROOF_TEST_HOOKS=1`,
/// `NOTEPROOF_TEST_INGEST_STALL_AFTER=N`): the article count after which the ingest stops, its
/// transaction open, and waits to be killed.
fn test_stall_after() -> Option<usize> {
    if std::env::var_os("NOTEPROOF_TEST_HOOKS").is_none_or(|v| v != "1") {
        return None;
    }
    std::env::var("NOTEPROOF_TEST_INGEST_STALL_AFTER").ok()?.parse().ok()
}

fn stall(written: usize) -> ! {
    eprintln!("noteproof: test hook: ingest stalled after {written} articles");
    loop {
        std::thread::park();
    }
}
