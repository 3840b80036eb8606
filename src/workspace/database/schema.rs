//! The archive's tables, created and upgraded by versioned migrations. Only `ingest` (a writing
//! role) migrates; readers (a read-only role is enough) only check that the version is theirs.

use anyhow::{bail, Context, Result};

use crate::analysis::text::date::Date;

/// Serialises ingests and migrations across every process that writes the archive.
pub const WRITER_LOCK: i64 = 0x6e6f_7465_7072_6f6f; // "notepro"

/// Each migration in order; the schema's version is the number of migrations applied.
const MIGRATIONS: &[&str] = &[
    // 1: articles as the loader reads them, the folders they came from, and one row per ingest.
    r#"
    CREATE TABLE noteproof_generations (
        id bigserial PRIMARY KEY,
        committed_at timestamptz NOT NULL DEFAULT now(),
        added integer NOT NULL DEFAULT 0,
        changed integer NOT NULL DEFAULT 0,
        removed integer NOT NULL DEFAULT 0
    );
    CREATE TABLE noteproof_roots (
        path text PRIMARY KEY
    );
    -- One row per corpus file. The body is bytes because text cannot hold NUL characters; it is
    -- the decoded UTF-8 text the loader produced. origin, file_meta and listed are JSON.
    CREATE TABLE noteproof_articles (
        path text PRIMARY KEY,
        display_path text NOT NULL,
        bytes_hash bigint,
        content_hash bigint NOT NULL,
        body bytea NOT NULL,
        origin text NOT NULL,
        file_meta text NOT NULL,
        listed text,
        generation bigint NOT NULL REFERENCES noteproof_generations (id)
    );
    "#,
    // 2: the sentence index kept in the archive, so that readers need not hold the corpus: each
    // evidence sentence's index terms (as the embedded index makes them, each as a 64-bit hash:
    // its GIN index builds twice as fast as over text, and two terms of a corpus share a hash
    // about once in 10^7 corpora of a million terms) under a GIN index, how many sentences hold
    // each term, the totals BM25 weighs with, and what cites an article without its text (key,
    // front-matter id, title, outlet). Rows written before are indexed by the next ingest.
    r#"
    ALTER TABLE noteproof_articles
        ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
        ADD COLUMN indexed boolean NOT NULL DEFAULT false,
        ADD COLUMN key text,
        ADD COLUMN front_matter_id text,
        ADD COLUMN title text,
        ADD COLUMN outlet text;
    CREATE TABLE noteproof_sentences (
        article bigint NOT NULL REFERENCES noteproof_articles (id) ON DELETE CASCADE,
        position integer NOT NULL,
        length integer NOT NULL,
        terms bigint[] NOT NULL,
        PRIMARY KEY (article, position)
    );
    CREATE INDEX noteproof_sentences_terms ON noteproof_sentences USING gin (terms);
    CREATE TABLE noteproof_terms (
        hash bigint PRIMARY KEY,
        term text NOT NULL,
        sentences bigint NOT NULL
    );
    CREATE TABLE noteproof_totals (
        only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
        sentences bigint NOT NULL,
        words bigint NOT NULL
    );
    "#,
    // 3: the paragraphs' index terms (every term of their evidence sentences) and byte ranges in
    // their articles' text, so that a quotation is verified on the paragraphs that hold all its
    // rarest words, found by the GIN index and read alone, not on whole articles fetched and
    // parsed; and each article's date (yyyymmdd), so that its sources are named and ordered
    // without their text. Every article is indexed again by the next ingest (in bulk, as a first
    // ingest is), so the sentence index is emptied too.
    r#"
    TRUNCATE noteproof_sentences, noteproof_terms, noteproof_totals;
    UPDATE noteproof_articles SET indexed = false;
    ALTER TABLE noteproof_articles ADD COLUMN date integer;
    CREATE TABLE noteproof_paragraphs (
        article bigint NOT NULL REFERENCES noteproof_articles (id) ON DELETE CASCADE,
        paragraph integer NOT NULL,
        start_byte integer NOT NULL,
        end_byte integer NOT NULL,
        terms bigint[] NOT NULL,
        PRIMARY KEY (article, paragraph)
    );
    CREATE INDEX noteproof_paragraphs_terms ON noteproof_paragraphs USING gin (terms);
    -- Bodies written from now on are compressed with lz4 where the server has it (PostgreSQL 14
    -- and later, built with it): faster to write than the default, and a paragraph is read as a
    -- slice of the body without decompressing all of it.
    DO $$ BEGIN
        EXECUTE 'ALTER TABLE noteproof_articles ALTER COLUMN body SET COMPRESSION lz4';
    EXCEPTION WHEN OTHERS THEN NULL;
    END $$;
    "#,
    // 4: each paragraph's text beside its terms, so that a quotation's candidate paragraphs are
    // read alone: cut from their articles' bodies, each body is read and decompressed for every
    // paragraph (a quotation of common words at 100,000 articles: 25,907 of them, 300 ms). Those
    // ingested before are still cut from their bodies until their articles are indexed again.
    r#"
    ALTER TABLE noteproof_paragraphs ADD COLUMN text bytea;
    "#,
    // 5: each common term's sentences as one list (`posting_lists`), so that a search of common
    // words reads a few hundred kilobytes instead of visiting tens of thousands of rows. Stored
    // uncompressed: the list is already compact, and read whole. Every article is indexed again
    // by the next ingest, in bulk, which writes the lists.
    r#"
    TRUNCATE noteproof_sentences, noteproof_paragraphs, noteproof_terms, noteproof_totals;
    UPDATE noteproof_articles SET indexed = false;
    CREATE TABLE noteproof_posting_lists (
        term bigint PRIMARY KEY,
        sentences integer NOT NULL,
        list bytea NOT NULL
    );
    ALTER TABLE noteproof_posting_lists ALTER COLUMN list SET STORAGE EXTERNAL;
    "#,
    // 6: the articles' paths indexed byte by byte, so that an ingest of some folders finds the
    // articles stored from them by their common start (`LIKE 'folder/%'`, whatever the database's
    // collation) instead of reading every article's row: an ingest's time and memory follow the
    // folders it reads, not the archive it writes to.
    r#"
    CREATE INDEX noteproof_articles_path_pattern ON noteproof_articles (path text_pattern_ops);
    "#,
    // 7: each article's figure statements, as the figure check reads them from its text, so that
    // readers neither fetch nor parse an article to learn what it states, and find the articles
    // that state a measure (`killed`, `date of attack`) by asking: `measures` names the lexicon
    // measures its statements give (`statements::measure_key`), under a GIN index. Statements are
    // what one build of noteproof read with one lexicon (`extractor`, a hash of both); each
    // ingest writes its own for every article that lacks them and records its extractor with its
    // generation, so that a reader of another build or lexicon knows to read the text instead.
    r#"
    CREATE TABLE noteproof_statements (
        article bigint PRIMARY KEY REFERENCES noteproof_articles (id) ON DELETE CASCADE,
        extractor bigint NOT NULL,
        measures bigint[] NOT NULL,
        encoded bytea NOT NULL
    );
    CREATE INDEX noteproof_statements_measures ON noteproof_statements USING gin (measures);
    ALTER TABLE noteproof_generations ADD COLUMN extractor bigint;
    "#,
];

/// How the archive stores a date (see migration 3): yyyymmdd.
pub fn date_number(date: Date) -> i32 {
    date.year * 10_000 + i32::from(date.month) * 100 + i32::from(date.day)
}

pub fn date_of_number(number: i32) -> Option<Date> {
    let (year, month, day) = (number / 10_000, (number / 100 % 100) as u8, (number % 100) as u8);
    ((1..=12).contains(&month) && (1..=31).contains(&day)).then_some(Date { year, month, day })
}

/// How the sentence index stores a term (see migration 2): its 64-bit xxh3 hash.
pub fn term_hash(term: &str) -> i64 {
    xxhash_rust::xxh3::xxh3_64(term.as_bytes()) as i64
}

/// The version this build reads and writes.
pub const VERSION: i32 = MIGRATIONS.len() as i32;

const CREATE_VERSIONS: &str =
    "CREATE TABLE IF NOT EXISTS noteproof_schema (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())";

/// Brings the schema to `VERSION`, each migration with its version row in one transaction (a
/// savepoint when `client` is a transaction already).
pub fn migrate(client: &mut impl postgres::GenericClient) -> Result<()> {
    let mut transaction = client.transaction()?;
    transaction.execute("SELECT pg_advisory_xact_lock($1)", &[&WRITER_LOCK])?;
    transaction.batch_execute(CREATE_VERSIONS).context("cannot create the schema's version table")?;
    let current: i32 = transaction.query_one("SELECT coalesce(max(version), 0) FROM noteproof_schema", &[])?.get(0);
    if current > VERSION {
        bail!("the archive's schema is version {current}, newer than this noteproof's {VERSION}; upgrade noteproof");
    }
    for (version, sql) in MIGRATIONS.iter().enumerate().map(|(i, sql)| (i as i32 + 1, sql)).skip(current as usize) {
        transaction.batch_execute(sql).with_context(|| format!("migration {version} failed"))?;
        transaction.execute("INSERT INTO noteproof_schema (version) VALUES ($1)", &[&version])?;
    }
    transaction.commit()?;
    Ok(())
}

/// Checks, without writing, that the archive exists and has this build's schema.
pub fn check_version(client: &mut postgres::Client) -> Result<()> {
    let exists: bool = client.query_one("SELECT to_regclass('noteproof_schema') IS NOT NULL", &[])?.get(0);
    if !exists {
        bail!("the database holds no noteproof archive yet; run `noteproof ingest --database URL` first");
    }
    let current: i32 = client.query_one("SELECT coalesce(max(version), 0) FROM noteproof_schema", &[])?.get(0);
    if current != VERSION {
        let what = if current < VERSION { "older; run `noteproof ingest` with this version to upgrade it" } else { "newer; upgrade noteproof" };
        bail!("the archive's schema is version {current}, this noteproof's is {VERSION}: the archive is {what}");
    }
    Ok(())
}
