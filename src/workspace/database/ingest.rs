//! `noteproof ingest`: reads corpus folders as the embedded index does and writes what changed
//! into the archive, as one transaction (with the schema's upgrade, if any). Readers see the
//! archive before or after an ingest, never half of one; an ingest killed midway leaves the
//! archive as it was, and the next one does the whole work again.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use postgres::binary_copy::BinaryCopyInWriter;
use postgres::types::Type;
use rayon::prelude::*;

use crate::analysis::checks::figures::article_statements;
use crate::analysis::checks::figures::lexicon::Lexicon;
use crate::analysis::corpus::article::{Article, ArticleSource};
use crate::analysis::corpus::library::Listing;
use crate::analysis::corpus::search::sentence_index_terms;
use crate::workspace::database::read::source_of_row;
use crate::workspace::database::connection::{connect, database_error, describe, DatabaseUrl, Retry};
use crate::workspace::database::new_postings::NewPostings;
use crate::workspace::database::posting_lists::{self, Entry};
use crate::workspace::database::schema::{date_number, migrate, term_hash, WRITER_LOCK};
use crate::workspace::database::spill::Spill;
use crate::workspace::cache::statements_extractor;
use crate::workspace::files::{file_stem, CorpusFile, CorpusReader, Limits};
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
    /// How many parts a first ingest's posting lists were staged in, to bound its memory.
    pub staged_parts: usize,
    /// Articles not written now whose figure statements were read again: the archive had none
    /// for them, or another build of noteproof or another lexicon had read them.
    pub statements_read_again: usize,
}

/// How this ingest reads figure statements: with which lexicon, and what the archive calls that
/// (`cache::statements_extractor`).
struct Extraction<'a> {
    lexicon: &'a Lexicon,
    extractor: i64,
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
/// files become warnings, as when indexing. Figure statements are read with `lexicon`.
pub fn ingest(
    url: &DatabaseUrl,
    root: &Path,
    dirs: &[PathBuf],
    limits: Limits,
    lexicon: &Lexicon,
    warnings: &mut Vec<String>,
) -> Result<IngestReport> {
    let extraction = Extraction { lexicon, extractor: statements_extractor(lexicon) as i64 };
    let mut client = connect(url, Retry::COMMAND)?;
    let mut transaction = client.transaction()?;
    // One writer at a time; readers are never blocked, except by an upgrade.
    transaction.execute("SELECT pg_advisory_xact_lock($1)", &[&WRITER_LOCK])?;
    // An upgrade commits with the ingest that indexes the archive again: until then readers see
    // the archive as it was, whole, never an upgraded one with its index still empty (a reader of
    // the older version waits on the emptied tables' lock, and its queries time out).
    migrate(&mut transaction).map_err(|error| database_error(url, error))?;
    let reader = CorpusReader::new(root, dirs, limits, warnings);

    let generation: i64 = transaction.query_one("INSERT INTO noteproof_generations DEFAULT VALUES RETURNING id", &[])?.get(0);
    let mut writing = Writing::new(&mut transaction, generation)?;
    let relist = transaction.prepare("UPDATE noteproof_articles SET listed = $2, generation = $3, indexed = false WHERE path = $1")?;
    let mut report = IngestReport { generation, ..IngestReport::default() };
    // The stored articles found again, so that those not found are removed: in the database, not
    // in memory, whose use would grow with the archive (dropped with the transaction).
    transaction.batch_execute("CREATE TEMPORARY TABLE noteproof_ingest_seen (path text NOT NULL) ON COMMIT DROP")?;
    let stall_after = test_stall_after();
    // A part of the files at a time, with the archive's rows of those files alone: neither the
    // corpus nor the archive need fit in memory.
    for paths in reader.paths().chunks(FILES_READ_TOGETHER) {
        let stored = stored_rows(&mut transaction, paths)?;
        // A page or PDF whose bytes are unchanged is not extracted again.
        let unchanged_bytes = |path: &str, hash: u64| stored.get(path).is_some_and(|s| s.bytes_hash == Some(hash as i64));
        let mut seen: Vec<String> = Vec::new();
        for file in reader.read(paths, &unchanged_bytes, warnings) {
            if stall_after == Some(report.added + report.changed) {
                writing.flush(&mut transaction)?;
                stall(stall_after.unwrap_or_default());
            }
            match file {
                CorpusFile::Read(source) => {
                    let row = Row::of(*source)?;
                    let before = stored.get(&row.path);
                    if before.is_some() {
                        seen.push(row.path.clone());
                    }
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
                    writing.write(&mut transaction, row)?;
                }
                CorpusFile::Unchanged { path } => {
                    // The text is the archive's; only the analyst's row in the sources file may have moved.
                    let listed = reader.table.row_for(file_stem(Path::new(&path))).map(serde_json::to_string).transpose()?;
                    if stored.get(&path).is_some_and(|s| s.listed != listed) {
                        transaction.execute(&relist, &[&path, &listed, &generation])?;
                        report.changed += 1;
                    } else {
                        report.unchanged += 1;
                    }
                    seen.push(path);
                }
            }
        }
        transaction.execute("INSERT INTO noteproof_ingest_seen SELECT unnest($1::text[])", &[&seen])?;
    }
    writing.flush(&mut transaction)?;
    let roots: Vec<String> = dirs.iter().map(|dir| path_string(dir)).collect();
    // What these folders held and no longer do (neither written now nor found again); articles of
    // other folders stay. One query per folder, so that the paths' index finds the folder's
    // articles by their common start.
    let mut removed_ids: Vec<i64> = Vec::new();
    for root in &roots {
        let within = format!("{}/%", like_escaped(root));
        let rows = transaction.query(
            "SELECT a.id FROM noteproof_articles AS a
             WHERE a.path LIKE $1 AND a.generation <> $2
               AND NOT EXISTS (SELECT 1 FROM noteproof_ingest_seen AS s WHERE s.path = a.path)",
            &[&within, &generation],
        )?;
        removed_ids.extend(rows.iter().map(|row| row.get::<_, i64>(0)));
    }
    removed_ids.sort_unstable();
    removed_ids.dedup();
    report.removed = removed_ids.len();
    let mut forgotten = Forgotten::default();
    forgotten.forget(&mut transaction, &removed_ids)?;
    transaction.execute("DELETE FROM noteproof_articles WHERE id = ANY($1)", &[&removed_ids])?;
    report.staged_parts = index_pending(&mut transaction, forgotten, &extraction, warnings)?;
    report.statements_read_again = read_statements_again(&mut transaction, generation, &extraction, warnings)?;
    merge_pending_index_entries(&mut transaction, warnings)?;
    for root in &roots {
        transaction.execute("INSERT INTO noteproof_roots (path) VALUES ($1) ON CONFLICT DO NOTHING", &[root])?;
    }
    let counts = [report.added, report.changed, report.removed].map(|n| n as i32);
    transaction.execute(
        "UPDATE noteproof_generations SET added = $2, changed = $3, removed = $4, extractor = $5, committed_at = now() WHERE id = $1",
        &[&generation, &counts[0], &counts[1], &counts[2], &extraction.extractor],
    )?;
    transaction.commit().map_err(|error| anyhow::anyhow!("the ingest was not committed: {}", describe(&error)))?;
    Ok(report)
}

/// Corpus files read (in parallel) before they are written: a few megabytes of text, where
/// reading them all first held the whole corpus (0.84 GB at 100,000 articles).
const FILES_READ_TOGETHER: usize = 256;

/// Articles written by one statement, and the most text one statement carries: a round trip per
/// article took a sixth of a first ingest.
const WRITE_BATCH: usize = 128;
const WRITE_BATCH_BYTES: usize = 16 << 20;

/// New and changed articles on their way to the archive, written a batch at a time.
struct Writing {
    upsert: postgres::Statement,
    generation: i64,
    pending: Vec<Row>,
    pending_bytes: usize,
}

impl Writing {
    fn new(transaction: &mut postgres::Transaction, generation: i64) -> Result<Writing> {
        let upsert = transaction.prepare(
            "INSERT INTO noteproof_articles (path, display_path, bytes_hash, content_hash, body, origin, file_meta, listed, generation)
             SELECT *, $9 FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::bytea[], $6::text[], $7::text[], $8::text[])
             ON CONFLICT (path) DO UPDATE SET display_path = EXCLUDED.display_path, bytes_hash = EXCLUDED.bytes_hash,
                 content_hash = EXCLUDED.content_hash, body = EXCLUDED.body, origin = EXCLUDED.origin,
                 file_meta = EXCLUDED.file_meta, listed = EXCLUDED.listed, generation = EXCLUDED.generation, indexed = false",
        )?;
        Ok(Writing { upsert, generation, pending: Vec::new(), pending_bytes: 0 })
    }

    fn write(&mut self, transaction: &mut postgres::Transaction, row: Row) -> Result<()> {
        self.pending_bytes += row.body.len();
        self.pending.push(row);
        if self.pending.len() >= WRITE_BATCH || self.pending_bytes >= WRITE_BATCH_BYTES {
            self.flush(transaction)?;
        }
        Ok(())
    }

    fn flush(&mut self, transaction: &mut postgres::Transaction) -> Result<()> {
        let rows = std::mem::take(&mut self.pending);
        self.pending_bytes = 0;
        let (Some(first), Some(last)) = (rows.first(), rows.last()) else { return Ok(()) };
        let column = |get: fn(&Row) -> &str| rows.iter().map(get).collect::<Vec<&str>>();
        transaction
            .execute(
                &self.upsert,
                &[
                    &column(|row| &row.path),
                    &column(|row| &row.display_path),
                    &rows.iter().map(|row| row.bytes_hash).collect::<Vec<_>>(),
                    &rows.iter().map(|row| row.content_hash).collect::<Vec<_>>(),
                    &rows.iter().map(|row| row.body.as_slice()).collect::<Vec<_>>(),
                    &column(|row| &row.origin),
                    &column(|row| &row.file_meta),
                    &rows.iter().map(|row| row.listed.as_deref()).collect::<Vec<_>>(),
                    &self.generation,
                ],
            )
            .with_context(|| match rows.len() {
                1 => format!("cannot write {}", first.display_path),
                n => format!("cannot write {n} articles, {} to {}", first.display_path, last.display_path),
            })?;
        Ok(())
    }
}

/// What an article's parse gives the index: what lists it, its date (yyyymmdd), each evidence
/// sentence's length in words and index terms in order, and each paragraph that holds evidence.
struct IndexedArticle {
    id: i64,
    listing: Listing,
    date: Option<i32>,
    sentences: Vec<IndexedSentence>,
    paragraphs: Vec<IndexedParagraph>,
    /// None where they are read later (`DeferredStatements`).
    statements: Option<StoredStatements>,
}

/// An article's figure statements as the archive stores them (see migration 7).
#[derive(serde::Serialize, serde::Deserialize)]
struct StoredStatements {
    article: i64,
    /// The hashes of the measures they give (`Measure::index_key`), sorted, each once.
    measures: Vec<i64>,
    encoded: Vec<u8>,
}

impl StoredStatements {
    fn of(id: i64, article: &Article, lexicon: &Lexicon) -> Result<StoredStatements> {
        let statements = article_statements(article, lexicon);
        let mut measures: Vec<i64> = statements.iter().filter_map(|s| s.measure.index_key()).map(|key| term_hash(&key)).collect();
        measures.sort_unstable();
        measures.dedup();
        Ok(StoredStatements { article: id, measures, encoded: postcard::to_stdvec(&statements)? })
    }
}

/// Writes `statements` in place of what the archive kept for their articles.
fn write_statements(transaction: &mut postgres::Transaction, statements: &[&StoredStatements], extractor: i64) -> Result<()> {
    let ids: Vec<i64> = statements.iter().map(|s| s.article).collect();
    transaction.execute("DELETE FROM noteproof_statements WHERE article = ANY($1)", &[&ids])?;
    let sink = transaction.copy_in("COPY noteproof_statements (article, extractor, measures, encoded) FROM STDIN BINARY")?;
    let mut writer = BinaryCopyInWriter::new(sink, &[Type::INT8, Type::INT8, Type::INT8_ARRAY, Type::BYTEA]);
    for stored in statements {
        writer.write(&[&stored.article, &extractor, &stored.measures, &stored.encoded.as_slice()])?;
    }
    writer.finish()?;
    Ok(())
}

/// Reads again the figure statements of every article whose statements another build or lexicon
/// read (or none did: an archive ingested before they were kept), so that the archive holds this
/// ingest's throughout, as its generation will say. How many it read.
fn read_statements_again(
    transaction: &mut postgres::Transaction,
    generation: i64,
    extraction: &Extraction,
    warnings: &mut Vec<String>,
) -> Result<usize> {
    // Each ingest leaves every article with its own statements, and this one wrote those of the
    // articles it indexed: after an ingest of the same build and lexicon, none is left to read.
    let previous: Option<i64> = transaction
        .query_opt("SELECT extractor FROM noteproof_generations WHERE id < $1 ORDER BY id DESC LIMIT 1", &[&generation])?
        .and_then(|row| row.get(0));
    if previous == Some(extraction.extractor) {
        return Ok(0);
    }
    let mut read = 0;
    let mut after = 0i64;
    loop {
        // Each article's statements looked up by its key: asked as `NOT EXISTS`, the planner
        // expected no statement of this extractor and scanned them all for every part (392
        // scans at 100,000 articles, 144 s of a 189 s ingest).
        let rows = transaction.query(
            "SELECT id, path, display_path, body, origin, file_meta, listed FROM noteproof_articles AS a
             WHERE id > $1 AND (SELECT s.extractor FROM noteproof_statements AS s WHERE s.article = a.id) IS DISTINCT FROM $2
             ORDER BY id LIMIT $3",
            &[&after, &extraction.extractor, &INDEX_BATCH],
        )?;
        let Some(last) = rows.last() else { return Ok(read) };
        after = last.get(0);
        let sources = sources_of(&rows, warnings)?;
        drop(rows);
        let statements: Vec<StoredStatements> = sources
            .into_par_iter()
            .map(|(id, source)| StoredStatements::of(id, &Article::parse(source), extraction.lexicon))
            .collect::<Result<_>>()?;
        read += statements.len();
        write_statements(transaction, &statements.iter().collect::<Vec<_>>(), extraction.extractor)?;
    }
}

/// An evidence sentence as the index stores it: its length in words, and its index terms (counted
/// by text) with their hashes (stored), both in order.
struct IndexedSentence {
    length: u32,
    terms: Vec<String>,
    hashes: Vec<i64>,
}

/// A paragraph as the quotation index stores it: every index term of its sentences, as hashes,
/// and its text.
struct IndexedParagraph {
    paragraph: u32,
    span: std::ops::Range<usize>,
    terms: Vec<i64>,
    text: String,
}

/// Articles indexed per round trip: parsed in parallel, their sentences written with one `COPY`.
const INDEX_BATCH: i64 = 256;

/// Indexes every article written or relisted by this ingest (and any an older schema left
/// unindexed): its sentences' index terms as the embedded index makes them, the term counts and
/// totals BM25 weighs with, and what cites it without its text. Returns how many parts the
/// posting lists were staged in (`new_postings`).
fn index_pending(
    transaction: &mut postgres::Transaction,
    mut forgotten: Forgotten,
    extraction: &Extraction,
    warnings: &mut Vec<String>,
) -> Result<usize> {
    // Into an empty index (a first ingest), building the GIN index once at the end is several
    // times faster than updating it row by row; and the sentences' and paragraphs' references to
    // their articles are checked once, by one join, instead of by a trigger for each row written
    // (a fifth of a first ingest's time). Nobody reads an index that is still empty: a first
    // ingest creates the tables in its own transaction, an upgrade's readers wait for it anyway.
    let bulk: bool = transaction.query_one("SELECT NOT EXISTS (SELECT 1 FROM noteproof_sentences)", &[])?.get(0);
    if bulk {
        // Paragraphs without sentences are left from an interrupted upgrade: none describes an
        // indexed article.
        transaction.batch_execute(
            "DELETE FROM noteproof_paragraphs; DELETE FROM noteproof_posting_lists;
             DROP INDEX IF EXISTS noteproof_sentences_terms; DROP INDEX IF EXISTS noteproof_paragraphs_terms;
             ALTER TABLE noteproof_sentences DROP CONSTRAINT IF EXISTS noteproof_sentences_article_fkey;
             ALTER TABLE noteproof_paragraphs DROP CONSTRAINT IF EXISTS noteproof_paragraphs_article_fkey",
        )?;
    }
    // Sentences added per term, written at the end (per batch it would cost more than the
    // rest), or when they are too many to hold.
    let mut counts = TermCounts::new();
    let counts_held = counts_held();
    // The sentences written, by term, as posting lists: articles are indexed in order of id.
    let mut postings = NewPostings::new();
    let mut deferred = if bulk { Some(DeferredStatements::new()?) } else { None };
    let mut parse = |sources: Vec<(i64, ArticleSource)>| -> Result<Vec<IndexedArticle>> {
        match deferred.as_mut() {
            Some(deferred) => {
                deferred.keep(&sources)?;
                parse_batch(sources, None)
            }
            None => parse_batch(sources, Some(extraction.lexicon)),
        }
    };
    // The next batch is parsed while the database writes this one.
    let mut batch = parse(read_batch(transaction, 0, warnings)?)?;
    // The sentences and words written, by which a later ingest moves the totals.
    let (mut sentences_written, mut words_written) = (0i64, 0i64);
    while let Some(last) = batch.last().map(|article| article.id) {
        for sentence in batch.iter().flat_map(|article| &article.sentences) {
            sentences_written += 1;
            words_written += i64::from(sentence.length);
        }
        let next = read_batch(transaction, last, warnings)?;
        let (next, written) = rayon::join(
            || parse(next),
            || write_batch(transaction, &batch, bulk, &mut counts, &mut postings, &mut forgotten, extraction.extractor),
        );
        written?;
        batch = next?;
        if bulk && postings.over_budget() {
            postings.stage(transaction)?;
        }
        if counts.len() >= counts_held {
            write_counts(transaction, &mut counts)?;
        }
    }
    write_counts(transaction, &mut counts)?;
    transaction.execute("DELETE FROM noteproof_terms WHERE sentences <= 0", &[])?;
    let mut staged_parts = 0;
    if bulk {
        staged_parts = postings.write_all(transaction, posting_lists_from())?;
    } else {
        update_posting_lists(transaction, postings.into_lists(), &forgotten)?;
    }
    if let Some(deferred) = deferred {
        // PostgreSQL builds each index on one core while this process would wait: the statements
        // are read meanwhile, on the other (a first ingest of 100,000 articles: 40 s of index
        // building, and the statements a third of the rest).
        let statements = std::thread::scope(|scope| {
            let building = scope.spawn(|| build_bulk_indexes(transaction));
            let statements = deferred.read(extraction.lexicon);
            building.join().map_err(|_| anyhow::anyhow!("building the archive's indexes failed (a bug in noteproof)"))??;
            statements
        })?;
        deferred_statements_written(transaction, statements, extraction.extractor)?;
    }
    // A later ingest moves the totals by what it wrote and forgot: counting the archive's
    // sentences again took half a second at 100,000 articles, and grows with the archive.
    let moved = !bulk
        && transaction.execute(
            "UPDATE noteproof_totals SET sentences = sentences + $1, words = words + $2",
            &[&(sentences_written - forgotten.sentences), &(words_written - forgotten.words)],
        )? == 1;
    if !moved {
        transaction.execute(
            "INSERT INTO noteproof_totals (sentences, words) SELECT count(*), coalesce(sum(length), 0) FROM noteproof_sentences
             ON CONFLICT (only_row) DO UPDATE SET sentences = EXCLUDED.sentences, words = EXCLUDED.words",
            &[],
        )?;
    }
    Ok(staged_parts)
}

/// Builds the indexes and checks the references a first ingest left out while it wrote.
fn build_bulk_indexes(transaction: &mut postgres::Transaction) -> Result<()> {
    transaction.batch_execute(
        "SET LOCAL maintenance_work_mem = '256MB';
         CREATE INDEX IF NOT EXISTS noteproof_sentences_terms ON noteproof_sentences USING gin (terms);
         CREATE INDEX IF NOT EXISTS noteproof_paragraphs_terms ON noteproof_paragraphs USING gin (terms);
         ALTER TABLE noteproof_sentences ADD CONSTRAINT noteproof_sentences_article_fkey
             FOREIGN KEY (article) REFERENCES noteproof_articles (id) ON DELETE CASCADE;
         ALTER TABLE noteproof_paragraphs ADD CONSTRAINT noteproof_paragraphs_article_fkey
             FOREIGN KEY (article) REFERENCES noteproof_articles (id) ON DELETE CASCADE",
    )?;
    Ok(())
}

/// The articles of a first ingest whose figure statements are read once their sentences are
/// written, while the database builds its indexes: kept in a temporary file until then (as much
/// disk as the articles' text), since neither memory nor the busy connection can hold them.
struct DeferredStatements {
    sources: Spill<(i64, ArticleSource)>,
}

impl DeferredStatements {
    fn new() -> Result<DeferredStatements> {
        Ok(DeferredStatements { sources: Spill::new()? })
    }

    fn keep(&mut self, sources: &[(i64, ArticleSource)]) -> Result<()> {
        sources.iter().try_for_each(|source| self.sources.push(source))
    }

    /// Every kept article's statements, read a batch at a time (in parallel), kept in turn.
    fn read(self, lexicon: &Lexicon) -> Result<Spill<StoredStatements>> {
        let mut read = Spill::new()?;
        let mut sources = self.sources.into_values()?;
        loop {
            let batch: Vec<(i64, ArticleSource)> = sources.by_ref().take(INDEX_BATCH as usize).collect::<Result<_>>()?;
            if batch.is_empty() {
                return Ok(read);
            }
            let statements: Vec<StoredStatements> = batch
                .into_par_iter()
                .map(|(id, source)| StoredStatements::of(id, &Article::parse(source), lexicon))
                .collect::<Result<_>>()?;
            statements.iter().try_for_each(|stored| read.push(stored))?;
        }
    }
}

/// Writes the statements `DeferredStatements::read` kept, a batch at a time.
fn deferred_statements_written(transaction: &mut postgres::Transaction, read: Spill<StoredStatements>, extractor: i64) -> Result<()> {
    let mut statements = read.into_values()?;
    loop {
        let batch: Vec<StoredStatements> = statements.by_ref().take(INDEX_BATCH as usize).collect::<Result<_>>()?;
        if batch.is_empty() {
            return Ok(());
        }
        write_statements(transaction, &batch.iter().collect::<Vec<_>>(), extractor)?;
    }
}

/// Merges the entries this ingest added to the GIN indexes' pending lists into the indexes. Every
/// search reads a pending list whole (after 100 articles were added to 100,000, 200 pages: a rare
/// word's lookup took 1.4 ms instead of 0.12), and nothing merges a list below 4 MB before
/// autovacuum, which waits for a fifth of the table to be new. A role that does not own the
/// indexes may not merge them: the ingest goes on, and says so.
fn merge_pending_index_entries(transaction: &mut postgres::Transaction, warnings: &mut Vec<String>) -> Result<()> {
    let mut savepoint = transaction.savepoint("merge_pending_index_entries")?;
    let merged = savepoint.batch_execute(
        "SELECT gin_clean_pending_list('noteproof_sentences_terms'::regclass), gin_clean_pending_list('noteproof_paragraphs_terms'::regclass)",
    );
    match merged {
        Ok(()) => savepoint.commit()?,
        Err(error) => {
            warnings.push(format!(
                "the entries this ingest added to the search indexes were left for autovacuum to merge, and searches are slower until it does (only the tables' owner may merge them: ingest as that role to merge them now): {}",
                describe(&error)
            ));
            savepoint.rollback()?;
        }
    }
    Ok(())
}

/// Adds the sentences counted per term to the archive's counts, and empties `counts`.
fn write_counts(transaction: &mut postgres::Transaction, counts: &mut TermCounts) -> Result<()> {
    let (hashes, (terms, sentences)): (Vec<i64>, (Vec<String>, Vec<i64>)) = counts.drain().unzip();
    transaction.execute(
        "INSERT INTO noteproof_terms (hash, term, sentences) SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[])
         ON CONFLICT (hash) DO UPDATE SET sentences = noteproof_terms.sentences + EXCLUDED.sentences",
        &[&hashes, &terms, &sentences],
    )?;
    Ok(())
}

/// Sentences counted per term, by the term's hash (the archive's key for it), with its text:
/// hashing the text again for every word written took 3% of a first ingest's CPU time.
type TermCounts = HashMap<i64, (String, i64)>;

/// Terms counted before their counts are written: a million, about 100 MB.
const COUNTS_HELD: usize = 1_000_000;

/// `COUNTS_HELD`, or for tests (`NOTEPROOF_TEST_HOOKS=1`, `NOTEPROOF_TEST_COUNTS_HELD=N`) another.
fn counts_held() -> usize {
    let hooked = std::env::var_os("NOTEPROOF_TEST_HOOKS").is_some_and(|v| v == "1");
    hooked.then(|| std::env::var("NOTEPROOF_TEST_COUNTS_HELD").ok()?.parse().ok()).flatten().unwrap_or(COUNTS_HELD)
}

/// The next articles to index after archive id `after`, as the loader would have read them.
fn read_batch(transaction: &mut postgres::Transaction, after: i64, warnings: &mut Vec<String>) -> Result<Vec<(i64, ArticleSource)>> {
    let rows = transaction.query(
        "SELECT id, path, display_path, body, origin, file_meta, listed FROM noteproof_articles
         WHERE NOT indexed AND id > $1 ORDER BY id LIMIT $2",
        &[&after, &INDEX_BATCH],
    )?;
    sources_of(&rows, warnings)
}

/// Articles as the loader would have read them, from rows of (id, then `source_of_row`'s columns).
fn sources_of(rows: &[postgres::Row], warnings: &mut Vec<String>) -> Result<Vec<(i64, ArticleSource)>> {
    rows.iter().map(|row| Ok((row.get::<_, i64>(0), source_of_row(row, 1, warnings)?))).collect()
}

/// Each article parsed (in parallel) as the embedded index does, its figure statements read
/// with `lexicon` unless they are read later (None).
fn parse_batch(sources: Vec<(i64, ArticleSource)>, lexicon: Option<&Lexicon>) -> Result<Vec<IndexedArticle>> {
    sources
        .into_par_iter()
        .map(|(id, source)| {
            let article = Article::parse(source);
            let statements = lexicon.map(|lexicon| StoredStatements::of(id, &article, lexicon)).transpose()?;
            let sentences: Vec<IndexedSentence> = article
                .sentences
                .iter()
                .map(|s| {
                    let (length, terms) = sentence_index_terms(article.sentence_text(s));
                    let hashes = terms.iter().map(|term| term_hash(term)).collect();
                    IndexedSentence { length, terms, hashes }
                })
                .collect();
            // By paragraph: sentences come in text order, but a paragraph's need not be adjacent.
            let mut paragraphs: std::collections::BTreeMap<u32, IndexedParagraph> = Default::default();
            for (sentence, indexed) in article.sentences.iter().zip(&sentences) {
                let Some(span) = article.paragraphs.get(sentence.paragraph as usize).map(|p| p.span.range()) else { continue };
                let paragraph = paragraphs.entry(sentence.paragraph).or_insert_with(|| IndexedParagraph {
                    paragraph: sentence.paragraph,
                    text: article.text.get(span.clone()).unwrap_or_default().to_string(),
                    span,
                    terms: Vec::new(),
                });
                paragraph.terms.extend(&indexed.hashes);
            }
            let paragraphs: Vec<IndexedParagraph> = paragraphs
                .into_values()
                .map(|mut paragraph| {
                    paragraph.terms.sort_unstable();
                    paragraph.terms.dedup();
                    paragraph
                })
                .collect();
            Ok(IndexedArticle { id, listing: Listing::of(&article), date: article.date.map(date_number), sentences, paragraphs, statements })
        })
        .collect()
}

/// Writes a parsed batch: its sentences (replacing any older ones), their terms counted into
/// `counts`, the articles' listing and their figure statements.
fn write_batch(
    transaction: &mut postgres::Transaction,
    batch: &[IndexedArticle],
    bulk: bool,
    counts: &mut TermCounts,
    postings: &mut NewPostings,
    forgotten: &mut Forgotten,
    extractor: i64,
) -> Result<()> {
    let ids: Vec<i64> = batch.iter().map(|article| article.id).collect();
    if !bulk {
        forgotten.forget(transaction, &ids)?;
    }
    let sink = transaction.copy_in("COPY noteproof_sentences (article, position, length, terms) FROM STDIN BINARY")?;
    let mut writer = BinaryCopyInWriter::new(sink, &[Type::INT8, Type::INT4, Type::INT4, Type::INT8_ARRAY]);
    for article in batch {
        for (position, sentence) in article.sentences.iter().enumerate() {
            for (term, &hash) in sentence.terms.iter().zip(&sentence.hashes) {
                counts.entry(hash).or_insert_with(|| (term.clone(), 0)).1 += 1;
            }
            for &hash in &sentence.hashes {
                let entry = Entry { article: article.id, position: position as i32, length: sentence.length };
                postings.push(hash, entry);
            }
            writer.write(&[&article.id, &(position as i32), &(sentence.length as i32), &sentence.hashes])?;
        }
    }
    writer.finish()?;
    let sink = transaction.copy_in("COPY noteproof_paragraphs (article, paragraph, start_byte, end_byte, terms, text) FROM STDIN BINARY")?;
    let mut writer = BinaryCopyInWriter::new(sink, &[Type::INT8, Type::INT4, Type::INT4, Type::INT4, Type::INT8_ARRAY, Type::BYTEA]);
    let offset = |at: usize| i32::try_from(at).unwrap_or(i32::MAX);
    for article in batch {
        for paragraph in &article.paragraphs {
            let (start, end) = (offset(paragraph.span.start), offset(paragraph.span.end));
            let text = paragraph.text.as_bytes();
            writer.write(&[&article.id, &(paragraph.paragraph as i32), &start, &end, &paragraph.terms, &text])?;
        }
    }
    writer.finish()?;
    write_statements(transaction, &batch.iter().filter_map(|article| article.statements.as_ref()).collect::<Vec<_>>(), extractor)?;
    let listings: Vec<&Listing> = batch.iter().map(|article| &article.listing).collect();
    transaction.execute(
        "UPDATE noteproof_articles AS a SET indexed = true, key = v.key, front_matter_id = v.front_matter_id, title = v.title,
             outlet = v.outlet, date = v.date
         FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::integer[])
             AS v(id, key, front_matter_id, title, outlet, date)
         WHERE a.id = v.id",
        &[
            &ids,
            &listings.iter().map(|l| l.key()).collect::<Vec<_>>(),
            &listings.iter().map(|l| l.front_matter_id()).collect::<Vec<_>>(),
            &listings.iter().map(|l| l.title()).collect::<Vec<_>>(),
            &listings.iter().map(|l| l.outlet()).collect::<Vec<_>>(),
            &batch.iter().map(|article| article.date).collect::<Vec<_>>(),
        ],
    )?;
    Ok(())
}

/// What an ingest took out of the index: the articles whose sentences it forgot (removed, or to
/// be indexed again), the terms those held, whose posting lists change, and how many sentences
/// and words they were.
#[derive(Default)]
struct Forgotten {
    articles: HashSet<i64>,
    terms: HashSet<i64>,
    sentences: i64,
    words: i64,
}

impl Forgotten {
    /// Takes the sentences of articles `ids` out of the index and out of the term counts.
    fn forget(&mut self, transaction: &mut postgres::Transaction, ids: &[i64]) -> Result<()> {
        let rows = transaction.query(
            "UPDATE noteproof_terms AS t SET sentences = t.sentences - d.count
             FROM (SELECT hash, count(*) AS count FROM noteproof_sentences, unnest(terms) AS hash WHERE article = ANY($1) GROUP BY hash) AS d
             WHERE t.hash = d.hash
             RETURNING t.hash",
            &[&ids],
        )?;
        self.terms.extend(rows.iter().map(|row| row.get::<_, i64>(0)));
        self.articles.extend(ids);
        let gone = transaction.query_one(
            "WITH gone AS (DELETE FROM noteproof_sentences WHERE article = ANY($1) RETURNING length)
             SELECT count(*), coalesce(sum(length), 0)::bigint FROM gone",
            &[&ids],
        )?;
        self.sentences += gone.get::<_, i64>(0);
        self.words += gone.get::<_, i64>(1);
        transaction.execute("DELETE FROM noteproof_paragraphs WHERE article = ANY($1)", &[&ids])?;
        Ok(())
    }
}

/// A term has a posting list once this many sentences hold it: below, its sentences are read
/// through the GIN index at once (the searches ask for up to 1,000 sentences together).
const POSTING_LISTS_FROM: i64 = 1_000;

/// `POSTING_LISTS_FROM`, or for tests (`NOTEPROOF_TEST_HOOKS=1`,
/// `NOTEPROOF_TEST_POSTING_LISTS_FROM=N`) another count, so that small corpora have lists.
fn posting_lists_from() -> i64 {
    let hooked = std::env::var_os("NOTEPROOF_TEST_HOOKS").is_some_and(|v| v == "1");
    hooked.then(|| std::env::var("NOTEPROOF_TEST_POSTING_LISTS_FROM").ok()?.parse().ok()).flatten().unwrap_or(POSTING_LISTS_FROM)
}

/// Stored posting lists a later ingest reads per round trip to rewrite them.
const STORED_LISTS_READ_TOGETHER: i32 = 64;

/// After an ingest that changed some articles: each list holding a term of their sentences,
/// before or after, without the sentences forgotten and with those added; a term that became
/// common gets its list, one no sentence holds any longer loses it.
fn update_posting_lists(
    transaction: &mut postgres::Transaction,
    mut added: HashMap<i64, posting_lists::Builder>,
    forgotten: &Forgotten,
) -> Result<()> {
    let mut touched: HashSet<i64> = forgotten.terms.clone();
    touched.extend(added.keys());
    let touched: Vec<i64> = touched.into_iter().collect();
    let mut take_added = |term: i64| -> Result<Vec<Entry>> {
        let bytes = added.remove(&term).map(posting_lists::Builder::finish).unwrap_or_default();
        posting_lists::decode(&bytes).context("a posting list built by this ingest does not read back")
    };
    let write = transaction.prepare(
        "INSERT INTO noteproof_posting_lists (term, sentences, list) VALUES ($1, $2, $3)
         ON CONFLICT (term) DO UPDATE SET sentences = $2, list = $3",
    )?;
    let delete = transaction.prepare("DELETE FROM noteproof_posting_lists WHERE term = $1")?;
    // A few stored lists at a time: a change to a few articles touches most common terms, and
    // all their lists at once are the archive's whole list table (180 MB at 100,000 articles).
    // The portal reads the lists as they were before this loop rewrites them.
    let stored = transaction.bind("SELECT term, list FROM noteproof_posting_lists WHERE term = ANY($1)", &[&touched])?;
    let mut listed = HashSet::new();
    loop {
        let rows = transaction.query_portal(&stored, STORED_LISTS_READ_TOGETHER)?;
        for row in &rows {
            let term: i64 = row.get(0);
            listed.insert(term);
            let mut old = posting_lists::decode(row.get(1)).context("a posting list in the archive does not read")?;
            old.retain(|entry| !forgotten.articles.contains(&entry.article));
            let list = posting_lists::union(&old, &take_added(term)?);
            if list.is_empty() {
                transaction.execute(&delete, &[&term])?;
            } else {
                let sentences = i32::try_from(list.len()).unwrap_or(i32::MAX);
                transaction.execute(&write, &[&term, &sentences, &posting_lists::encode(&list)])?;
            }
        }
        if rows.len() < STORED_LISTS_READ_TOGETHER as usize {
            break;
        }
    }
    // Terms that have just become common: few sentences, read through the GIN index.
    let unlisted: Vec<i64> = touched.iter().copied().filter(|term| !listed.contains(term)).collect();
    let common = transaction.query(
        "SELECT hash FROM noteproof_terms WHERE hash = ANY($1) AND sentences >= $2",
        &[&unlisted, &posting_lists_from()],
    )?;
    for row in common {
        let term: i64 = row.get(0);
        let mut list = posting_lists::Builder::default();
        for row in transaction.query(
            "SELECT article, position, length FROM noteproof_sentences WHERE terms @> ARRAY[$1::bigint] ORDER BY article, position",
            &[&term],
        )? {
            let length = u32::try_from(row.get::<_, i32>(2)).unwrap_or(0);
            list.push(Entry { article: row.get(0), position: row.get(1), length });
        }
        let sentences = i32::try_from(list.len()).unwrap_or(i32::MAX);
        transaction.execute(&write, &[&term, &sentences, &list.finish()])?;
    }
    Ok(())
}

/// `text` as a `LIKE` pattern that matches it alone: its wildcards and escape character escaped.
fn like_escaped(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

/// The archive's rows of the files at `paths`, by path.
fn stored_rows(transaction: &mut postgres::Transaction, paths: &[PathBuf]) -> Result<HashMap<String, Stored>> {
    let paths: Vec<String> = paths.iter().map(|path| path_string(path)).collect();
    let rows = transaction.query("SELECT path, bytes_hash, content_hash, listed FROM noteproof_articles WHERE path = ANY($1)", &[&paths])?;
    Ok(rows.iter().map(|row| (row.get(0), Stored { bytes_hash: row.get(1), content_hash: row.get(2), listed: row.get(3) })).collect())
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
