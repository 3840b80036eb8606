//! Reading the archive: every article of its latest generation, from one consistent snapshot
//! (a read-only, repeatable-read transaction), so that an ingest committing meanwhile is seen
//! entirely or not at all.

use anyhow::{Context, Result};

use crate::analysis::corpus::article::ArticleSource;
use crate::workspace::database::connection::{connect, database_error, DatabaseUrl, Retry};
use crate::workspace::database::schema::check_version;

/// The archive's articles as the loader would have read them from the folders ingested.
pub struct Archive {
    pub sources: Vec<ArticleSource>,
    /// The folders ingested (absolute, as the ingest saw them).
    pub roots: Vec<String>,
    /// The latest committed ingest.
    pub generation: i64,
}

/// Reads every article of the archive.
pub fn read_archive(url: &DatabaseUrl, retry: Retry, warnings: &mut Vec<String>) -> Result<Archive> {
    let mut client = connect(url, retry)?;
    read(&mut client, warnings).map_err(|error| database_error(url, error))
}

/// The archive's latest generation (0 when nothing was ingested), to tell whether to read again.
pub fn latest_generation(url: &DatabaseUrl) -> Result<i64> {
    let mut client = connect(url, Retry::ONCE)?;
    generation(&mut client).map_err(|error| database_error(url, error))
}

fn generation(client: &mut postgres::Client) -> Result<i64> {
    check_version(client)?;
    Ok(client.query_one("SELECT coalesce(max(id), 0) FROM noteproof_generations", &[])?.get(0))
}

fn read(client: &mut postgres::Client, warnings: &mut Vec<String>) -> Result<Archive> {
    check_version(client)?;
    let mut transaction =
        client.build_transaction().isolation_level(postgres::IsolationLevel::RepeatableRead).read_only(true).start()?;
    let generation: i64 = transaction.query_one("SELECT coalesce(max(id), 0) FROM noteproof_generations", &[])?.get(0);
    let roots = transaction.query("SELECT path FROM noteproof_roots ORDER BY path", &[])?.iter().map(|row| row.get(0)).collect();
    let rows = transaction.query(
        "SELECT path, display_path, body, origin, file_meta, listed FROM noteproof_articles ORDER BY path",
        &[],
    )?;
    let mut sources = Vec::with_capacity(rows.len());
    for row in rows {
        let path: String = row.get(0);
        let display_path: String = row.get(1);
        let body: Vec<u8> = row.get(2);
        let text = match String::from_utf8(body) {
            Ok(text) => text,
            Err(error) => {
                warnings.push(format!("{display_path} in the archive is not valid UTF-8; read with replacement characters"));
                String::from_utf8_lossy(error.as_bytes()).into_owned()
            }
        };
        let origin = serde_json::from_str(row.get::<_, &str>(3)).with_context(|| format!("{display_path}: unreadable origin in the archive"))?;
        let file_meta = serde_json::from_str(row.get::<_, &str>(4)).with_context(|| format!("{display_path}: unreadable metadata in the archive"))?;
        let listed = row
            .get::<_, Option<String>>(5)
            .map(|listed| serde_json::from_str(&listed))
            .transpose()
            .with_context(|| format!("{display_path}: unreadable sources-file row in the archive"))?;
        // Its file may not be on this machine: editors open the archive's text, served.
        sources.push(ArticleSource { path, display_path, text, origin, file_meta, listed, served: true });
    }
    transaction.commit()?;
    Ok(Archive { sources, roots, generation })
}
