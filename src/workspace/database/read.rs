//! Reading the archive without holding it: the list of its articles (names, paths, titles) and
//! the index's totals, read at start from one consistent snapshot (a read-only, repeatable-read
//! transaction, so that an ingest committing meanwhile is seen entirely or not at all); then the
//! `Library` the corpus asks for articles by id and for the sentences that hold a term.
//!
//! Between two readings of the list (the server reads it again when an ingest commits) an answer
//! may come from the next generation: an article added since is left out until the list is read
//! again, and a changed one is answered with its new text.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use postgres::fallible_iterator::FallibleIterator;

use crate::analysis::corpus::article::{ArticleId, ArticleSource};
use crate::analysis::corpus::library::{Library, Listed, Listing, Passage, Posting, Ranked, Ranking, Totals};
use crate::analysis::corpus::search::{B, K1};
use crate::analysis::corpus::search::SentenceRef;
use crate::workspace::database::connection::{connect, database_error, describe, DatabaseUrl, Retry};
use crate::workspace::database::max_score;
use crate::workspace::database::posting_lists::{self, Entry};
use crate::workspace::database::schema::{check_version, date_of_number, term_hash};

/// Longest a query of an answer may take: past it the answer goes without (an empty one, never
/// a frozen editor), and the message says why.
pub const QUERY_TIMEOUT: Duration = Duration::from_secs(2);
/// How long answers go without after a connection could not be opened or a query timed out.
const RECONNECT_PAUSE: Duration = Duration::from_secs(1);
/// Connections kept open for answers running at once.
const POOL_SIZE: usize = 4;

/// The archive as a reader starts from: its list of articles, in the order the embedded index
/// numbers them (by path), and the sentence index's totals.
pub struct ArchiveListing {
    pub listings: Vec<Listing>,
    /// The archive's id of each listed article, by position.
    pub ids: Vec<i64>,
    pub totals: Totals,
    /// The folders ingested (absolute, as the ingest saw them).
    pub roots: Vec<String>,
    /// The latest committed ingest.
    pub generation: i64,
    /// The terms (hashes) with a posting list.
    pub with_posting_lists: Vec<i64>,
    /// What read the archive's figure statements (`cache::statements_extractor`), as the latest
    /// ingest recorded: it read every article's. None before schema 7's first ingest.
    pub extractor: Option<i64>,
}

/// How every reader's session is set up: it only reads, and its queries are never compiled to
/// machine code. PostgreSQL compiles (JIT) a query whose estimated cost passes `jit_above_cost`:
/// a search for common words at 100,000 articles does, and compiling one took 30 ms, 375 ms with
/// the inlining and optimisation that come past `jit_optimize_above_cost`, for a query that runs
/// in tens of milliseconds. Compiling pays only for long analytical queries.
const READER_SESSION: &str = "SET jit = off; SET default_transaction_read_only = on";

/// A connection set up as a reader's (`READER_SESSION`).
pub fn reading_connection(url: &DatabaseUrl, retry: Retry) -> Result<postgres::Client> {
    let mut client = connect(url, retry)?;
    client.batch_execute(READER_SESSION).map_err(|error| database_error(url, error.into()))?;
    Ok(client)
}

/// Reads the list of the archive's articles.
pub fn read_listing(url: &DatabaseUrl, retry: Retry) -> Result<ArchiveListing> {
    let mut client = reading_connection(url, retry)?;
    listing(&mut client).map_err(|error| database_error(url, error))
}

/// The archive's latest generation (0 when nothing was ingested), to tell whether to read again.
pub fn latest_generation(url: &DatabaseUrl) -> Result<i64> {
    let mut client = reading_connection(url, Retry::ONCE)?;
    generation(&mut client).map_err(|error| database_error(url, error))
}

fn generation(client: &mut postgres::Client) -> Result<i64> {
    check_version(client)?;
    Ok(client.query_one("SELECT coalesce(max(id), 0) FROM noteproof_generations", &[])?.get(0))
}

fn listing(client: &mut postgres::Client) -> Result<ArchiveListing> {
    check_version(client)?;
    let mut transaction =
        client.build_transaction().isolation_level(postgres::IsolationLevel::RepeatableRead).read_only(true).start()?;
    let generation: i64 = transaction.query_one("SELECT coalesce(max(id), 0) FROM noteproof_generations", &[])?.get(0);
    let mut extractor: Option<i64> =
        transaction.query_opt("SELECT extractor FROM noteproof_generations WHERE id = $1", &[&generation])?.and_then(|row| row.get(0));
    // A role given `SELECT` table by table before the statements were kept (schema 7) cannot read
    // them: said once, and figures are read from the text, rather than every figure's check failing.
    let statements_readable: bool = transaction.query_one("SELECT has_table_privilege('noteproof_statements', 'SELECT')", &[])?.get(0);
    if extractor.is_some() && !statements_readable {
        eprintln!(
            "noteproof: warning: this role may not read the archive's figure statements, so figures are read from the articles' text, \
             more slowly (grant it SELECT on noteproof_statements)"
        );
        extractor = None;
    }
    let roots = transaction.query("SELECT path FROM noteproof_roots ORDER BY path", &[])?.iter().map(|row| row.get(0)).collect();
    let totals = transaction
        .query_opt("SELECT sentences, words FROM noteproof_totals", &[])?
        .map(|row| Totals { sentences: row.get::<_, i64>(0) as u64, words: row.get::<_, i64>(1) as u64 })
        .unwrap_or_default();
    let with_posting_lists =
        transaction.query("SELECT term FROM noteproof_posting_lists", &[])?.iter().map(|row| row.get(0)).collect();
    // Read row by row: the rows of 100,000 articles held at once took as much again as the list.
    let rows = transaction.query_raw(
        "SELECT id, path, coalesce(key, ''), front_matter_id, coalesce(title, ''), outlet, date FROM noteproof_articles",
        std::iter::empty::<i32>(),
    )?;
    let mut listed: Vec<(i64, Listing)> = rows
        .map(|row| {
            let listing = Listing::new(Listed {
                path: row.get(1),
                key: row.get(2),
                front_matter_id: row.get(3),
                title: row.get(4),
                outlet: row.get(5),
                date: row.get::<_, Option<i32>>(6).and_then(date_of_number),
            });
            Ok((row.get(0), listing))
        })
        .collect()?;
    transaction.commit()?;
    // By path as Rust orders strings (bytes), as the embedded index numbers its articles; the
    // database's collation may order otherwise.
    listed.sort_by(|a, b| a.1.path().cmp(b.1.path()));
    let (ids, listings) = listed.into_iter().unzip();
    Ok(ArchiveListing { listings, ids, totals, roots, generation, with_posting_lists, extractor })
}

/// Stored text as a string, with replacement characters where it is not UTF-8 (a body stored by an
/// older ingest or written by hand), and whether it was.
fn text_of(bytes: Vec<u8>) -> (String, bool) {
    match String::from_utf8(bytes) {
        Ok(text) => (text, true),
        Err(error) => (String::from_utf8_lossy(error.as_bytes()).into_owned(), false),
    }
}

/// An article's row (`path, display_path, body, origin, file_meta, listed` from column `first`
/// on) as the loader would have read it from its folder. Its file may not be on this machine:
/// editors open the archive's text, served.
pub fn source_of_row(row: &postgres::Row, first: usize, warnings: &mut Vec<String>) -> Result<ArticleSource> {
    let path: String = row.get(first);
    let display_path: String = row.get(first + 1);
    let (text, valid) = text_of(row.get(first + 2));
    if !valid {
        warnings.push(format!("{display_path} in the archive is not valid UTF-8; read with replacement characters"));
    }
    let origin =
        serde_json::from_str(row.get::<_, &str>(first + 3)).with_context(|| format!("{display_path}: unreadable origin in the archive"))?;
    let file_meta = serde_json::from_str(row.get::<_, &str>(first + 4))
        .with_context(|| format!("{display_path}: unreadable metadata in the archive"))?;
    let listed = row
        .get::<_, Option<String>>(first + 5)
        .map(|listed| serde_json::from_str(&listed))
        .transpose()
        .with_context(|| format!("{display_path}: unreadable sources-file row in the archive"))?;
    Ok(ArticleSource { path, display_path, text, origin, file_meta, listed, served: true })
}

/// The archive as the corpus's library: articles by id and the sentence index, asked over a few
/// pooled connections. A failed or timed-out query is reported on stderr (the server's log) and
/// answers nothing.
pub struct ArchiveLibrary {
    url: DatabaseUrl,
    /// The archive's id of each article, by the snapshot's id.
    pub(super) ids: Vec<i64>,
    pub(super) by_archive_id: HashMap<i64, ArticleId>,
    pool: Mutex<Vec<postgres::Client>>,
    /// Set when connecting failed or a query timed out: no new attempt before then.
    paused_until: Mutex<Option<Instant>>,
    /// The terms with a posting list when the list was read (a term given one since is read
    /// through the GIN index, as before).
    with_posting_lists: HashSet<i64>,
    /// The posting lists read lately: a search asks for the same terms at each of its steps.
    recent_lists: Mutex<RecentLists>,
}

impl std::fmt::Debug for ArchiveLibrary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ArchiveLibrary({}, {} articles)", self.url, self.ids.len())
    }
}

impl ArchiveLibrary {
    pub fn new(url: DatabaseUrl, ids: Vec<i64>, with_posting_lists: Vec<i64>) -> ArchiveLibrary {
        let by_archive_id = ids.iter().enumerate().map(|(id, &archive_id)| (archive_id, id as ArticleId)).collect();
        ArchiveLibrary {
            url,
            ids,
            by_archive_id,
            pool: Mutex::default(),
            paused_until: Mutex::default(),
            with_posting_lists: with_posting_lists.into_iter().collect(),
            recent_lists: Mutex::default(),
        }
    }

    /// Runs `query` on a pooled connection (a new one when none is free); a connection that
    /// failed is dropped, not pooled again.
    pub(super) fn with_client<T: Send>(
        &self,
        what: &str,
        query: impl Fn(&mut postgres::Client) -> Result<T, postgres::Error> + Send + Sync,
    ) -> Option<T> {
        off_async_runtime(|| self.with_client_here(what, query))
    }

    fn with_client_here<T>(&self, what: &str, query: impl Fn(&mut postgres::Client) -> Result<T, postgres::Error>) -> Option<T> {
        if self.paused() {
            return None;
        }
        let pooled = self.pool.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).pop().filter(|client| !client.is_closed());
        let from_pool = pooled.is_some();
        let mut client = match pooled {
            Some(client) => client,
            None => self.open(what)?,
        };
        let mut result = query(&mut client);
        if from_pool && result.as_ref().is_err_and(|error| error.as_db_error().is_none()) {
            // The pooled connection was dropped (the database restarted, a proxy timed it out):
            // once more on a new one, so that nothing is lost to it.
            client = self.open(what)?;
            result = query(&mut client);
        }
        match result {
            Ok(answer) => {
                let mut pool = self.pool.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
                if pool.len() < POOL_SIZE {
                    pool.push(client);
                }
                Some(answer)
            }
            Err(error) => {
                eprintln!("noteproof: {what}: the archive {} did not answer: {}", self.url, describe(&error));
                if error.code() == Some(&postgres::error::SqlState::QUERY_CANCELED) {
                    // Past the statement timeout: the archive is overloaded or a lock holds the
                    // index; the queries behind this one would each wait as long.
                    self.pause();
                }
                None
            }
        }
    }

    /// Whether answers go without for now (see `RECONNECT_PAUSE`).
    fn paused(&self) -> bool {
        self.paused_until.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).is_some_and(|until| Instant::now() < until)
    }

    fn pause(&self) {
        *self.paused_until.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(Instant::now() + RECONNECT_PAUSE);
    }

    /// A new connection, unless one failed less than `RECONNECT_PAUSE` ago: while the archive is
    /// away, answers go without at once rather than each waiting for a connection to fail.
    fn open(&self, what: &str) -> Option<postgres::Client> {
        if self.paused() {
            return None;
        }
        let opened = reading_connection(&self.url, Retry::ONCE).and_then(|mut client| {
            client
                .batch_execute(&format!("SET statement_timeout = {}", QUERY_TIMEOUT.as_millis()))
                .map_err(|error| database_error(&self.url, error.into()))?;
            Ok(client)
        });
        match opened {
            Ok(client) => Some(client),
            Err(error) => {
                eprintln!("noteproof: {what}: {error:#}");
                self.pause();
                None
            }
        }
    }

    fn sentence(&self, archive_id: i64, position: i32) -> Option<SentenceRef> {
        Some(SentenceRef { article: *self.by_archive_id.get(&archive_id)?, index: u32::try_from(position).ok()? })
    }
}

impl Drop for ArchiveLibrary {
    fn drop(&mut self) {
        // Closing a connection blocks too, and the last corpus holding the library may be
        // dropped on a thread of the server's runtime.
        let clients = std::mem::take(self.pool.get_mut().unwrap_or_else(|poisoned| poisoned.into_inner()));
        off_async_runtime(move || drop(clients));
    }
}

impl ArchiveLibrary {
    /// The sentences `Library::postings` asks for, ranked in the database so that only those
    /// `ranking` keeps are sent (with which query terms they hold, not their terms), and whether
    /// any was of an article not in the list.
    fn ranked_postings(&self, wanted: &[Vec<&str>], excluded: &[&str], query: &[&str], ranking: &Ranking) -> Option<(Vec<Posting>, bool)> {
        // Asked in steps when no term of the search has a stored list (`Library::ranked`): the
        // sentences of rare terms only, which the index finds in a few rows. Terms wanted alone
        // are one `&&` test; each group of terms wanted together is one `@>`, an intersection the
        // GIN index answers before any row is read.
        type Parameter<'a> = &'a (dyn postgres::types::ToSql + Sync);
        let (alone, together): (Vec<&Vec<&str>>, Vec<&Vec<&str>>) = wanted.iter().partition(|terms| terms.len() == 1);
        let alone: Vec<i64> = alone.iter().map(|terms| term_hash(terms[0])).collect();
        let together: Vec<Vec<i64>> = together.iter().map(|terms| hashes(terms)).collect();
        let excluded_hashes = hashes(excluded);
        // The query terms a found sentence may hold: none of those excluded.
        let scored: Vec<(u16, Vec<i64>, f64)> = (0..query.len().min(usize::from(u16::MAX)))
            .filter(|&i| !excluded.contains(&query[i]))
            .map(|i| (i as u16, vec![term_hash(query[i])], f64::from(ranking.weights.get(i).copied().unwrap_or(0.0))))
            .collect();
        let constants: [f64; 4] = [f64::from(K1 + 1.0), f64::from(K1), f64::from(B), f64::from(ranking.average_length)];
        let best_offset = ranking.best.map(|best| best.saturating_sub(1) as i64);

        let mut parameters: Vec<Parameter> = vec![&excluded_hashes];
        let mut conditions = Vec::new();
        if !alone.is_empty() {
            parameters.push(&alone);
            conditions.push(format!("terms && ${}::bigint[]", parameters.len()));
        }
        for terms in &together {
            parameters.push(terms);
            conditions.push(format!("terms @> ${}::bigint[]", parameters.len()));
        }
        if conditions.is_empty() || scored.is_empty() {
            return Some((Vec::new(), false));
        }
        let (mut tests, mut holds, mut weight) = (Vec::new(), Vec::new(), Vec::new());
        for (position, hash, term_weight) in &scored {
            parameters.push(hash);
            tests.push(format!("terms @> ${}::bigint[] AS held_{position}", parameters.len()));
            parameters.push(term_weight);
            holds.push(format!("CASE WHEN held_{position} THEN {position} END"));
            weight.push(format!("CASE WHEN held_{position} THEN ${}::float8 ELSE 0 END", parameters.len()));
        }
        let first_constant = parameters.len() + 1;
        parameters.extend(constants.iter().map(|constant| constant as Parameter));
        let [plus_one, k1, b, average] = [0, 1, 2, 3].map(|i| format!("${}::float8", first_constant + i));
        let mut cuts = Vec::new();
        if let Some(floor) = &ranking.floor {
            parameters.push(floor);
            cuts.push(format!("${}::float8", parameters.len()));
        }
        if let Some(offset) = &best_offset {
            parameters.push(&Ranking::TOLERANCE);
            let tolerance = format!("${}::float8", parameters.len());
            parameters.push(offset);
            cuts.push(format!(
                "coalesce((SELECT score - (abs(score) * {tolerance} + {tolerance}) FROM found ORDER BY score DESC OFFSET ${}::bigint LIMIT 1), '-Infinity'::float8)",
                parameters.len()
            ));
        }
        let kept = match cuts.len() {
            0 => String::new(),
            1 => format!("WHERE score >= {}", cuts[0]),
            _ => format!("WHERE score >= greatest({})", cuts.join(", ")),
        };
        // BM25 as `search::bm25` computes it, every term counted once. Each term is tested once
        // per sentence (`OFFSET 0` keeps the planner from copying the tests into both uses).
        let sql = format!(
            "WITH found AS MATERIALIZED (
                 SELECT article, position, length, array_remove(ARRAY[{}]::integer[], NULL) AS holds,
                     ({}) * {plus_one} / (1 + {k1} * (1 - {b} + {b} * length / {average})) AS score
                 FROM (SELECT article, position, length, {}
                       FROM noteproof_sentences WHERE ({}) AND NOT (terms && $1::bigint[]) OFFSET 0) AS tested)
             SELECT article, position, length, holds FROM found {kept}",
            holds.join(", "),
            weight.join(" + "),
            tests.join(", "),
            conditions.join(" OR "),
        );
        let rows = self.with_client("searching the archive", |client| client.query(&sql, &parameters))?;
        let mut unlisted = false;
        let postings = rows
            .iter()
            .filter_map(|row| {
                let sentence = self.sentence(row.get(0), row.get(1));
                unlisted |= sentence.is_none();
                let length = row.get::<_, i32>(2).clamp(0, i32::from(u16::MAX)) as u32;
                let holds = row.get::<_, Vec<i32>>(3).into_iter().map(|position| position as u16).collect();
                Some(Posting { sentence: sentence?, length, holds })
            })
            .collect();
        Some((postings, unlisted))
    }
}

/// Bytes of posting lists kept between a search's steps (each step asks for the lists of the
/// query's terms again) and between searches of the same words.
const RECENT_LISTS_BYTES: usize = 16 << 20;

/// The posting lists read lately, as stored, the least recently used let go of first.
#[derive(Default)]
struct RecentLists {
    lists: HashMap<i64, (Arc<Vec<u8>>, u64)>,
    bytes: usize,
    clock: u64,
}

impl RecentLists {
    fn get(&mut self, term: i64) -> Option<Arc<Vec<u8>>> {
        self.clock += 1;
        let (list, used) = self.lists.get_mut(&term)?;
        *used = self.clock;
        Some(list.clone())
    }

    fn keep(&mut self, term: i64, list: Arc<Vec<u8>>) {
        self.clock += 1;
        self.bytes += list.len();
        if let Some((old, _)) = self.lists.insert(term, (list, self.clock)) {
            self.bytes -= old.len();
        }
        while self.bytes > RECENT_LISTS_BYTES && self.lists.len() > 1 {
            let Some((&oldest, _)) = self.lists.iter().filter(|(&t, _)| t != term).min_by_key(|(_, (_, used))| *used) else { break };
            if let Some((old, _)) = self.lists.remove(&oldest) {
                self.bytes -= old.len();
            }
        }
    }
}

impl ArchiveLibrary {
    /// Those of `terms` read lately, and the others.
    fn recent(&self, terms: &[i64]) -> (HashMap<i64, Arc<Vec<u8>>>, Vec<i64>) {
        let mut recent = self.recent_lists.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let mut found = HashMap::with_capacity(terms.len());
        let mut missing = Vec::new();
        for &term in terms {
            match recent.get(term) {
                Some(list) => {
                    found.insert(term, list);
                }
                None => missing.push(term),
            }
        }
        (found, missing)
    }

    fn keep_recent(&self, term: i64, list: Arc<Vec<u8>>) {
        self.recent_lists.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).keep(term, list);
    }

    /// The posting lists of `terms`, each of which had a stored one when the list of articles was
    /// read; a term whose list is gone since or does not read is left out. `None` when the
    /// archive did not answer.
    fn stored_lists(&self, terms: &[i64]) -> Option<HashMap<i64, Arc<Vec<u8>>>> {
        let (mut lists, missing) = self.recent(terms);
        if !missing.is_empty() {
            let rows = self.with_client("reading posting lists", |client| {
                client.query("SELECT term, list FROM noteproof_posting_lists WHERE term = ANY($1)", &[&missing])
            })?;
            for row in rows {
                let (term, list): (i64, Arc<Vec<u8>>) = (row.get(0), Arc::new(row.get(1)));
                if !posting_lists::is_list(&list) {
                    eprintln!("noteproof: the archive {} holds a posting list that does not read (term {term:#x})", self.url);
                    continue;
                }
                self.keep_recent(term, list.clone());
                lists.insert(term, list);
            }
        }
        Some(lists)
    }

    /// The sentences of `terms`, which have no stored list (few sentences hold each), as lists:
    /// read through the GIN index, in one query for those not read lately.
    fn read_lists(&self, terms: &[i64]) -> Option<HashMap<i64, Arc<Vec<u8>>>> {
        let (mut lists, missing) = self.recent(terms);
        if !missing.is_empty() {
            let rows = self.with_client("searching the archive", |client| {
                client.query("SELECT article, position, length, terms FROM noteproof_sentences WHERE terms && $1::bigint[]", &[&missing])
            })?;
            let mut read: HashMap<i64, Vec<Entry>> = missing.iter().map(|&term| (term, Vec::new())).collect();
            for row in rows {
                let entry = Entry { article: row.get(0), position: row.get(1), length: row.get::<_, i32>(2).max(0) as u32 };
                for term in row.get::<_, Vec<i64>>(3) {
                    if let Some(list) = read.get_mut(&term) {
                        list.push(entry);
                    }
                }
            }
            for (term, mut entries) in read {
                entries.sort_unstable_by_key(|entry| (entry.article, entry.position));
                entries.dedup_by_key(|entry| (entry.article, entry.position));
                let list = Arc::new(posting_lists::encode(&entries));
                self.keep_recent(term, list.clone());
                lists.insert(term, list);
            }
        }
        Some(lists)
    }

    /// The lists of `terms` (sorted, each once): the stored lists of the common ones and the
    /// sentences of the rare ones, read through the GIN index. `None` when a common term's list
    /// is gone since the list of articles was read; `Some(None)` when the archive did not answer.
    fn lists_of(&self, terms: &[&str]) -> Option<Option<HashMap<i64, Arc<Vec<u8>>>>> {
        let (common, rare): (Vec<&str>, Vec<&str>) = terms.iter().partition(|term| self.with_posting_lists.contains(&term_hash(term)));
        let common = hashes(&common);
        let Some(mut lists) = self.stored_lists(&common) else { return Some(None) };
        if common.iter().any(|term| !lists.contains_key(term)) {
            return None;
        }
        if !rare.is_empty() {
            let Some(read) = self.read_lists(&hashes(&rare)) else { return Some(None) };
            lists.extend(read);
        }
        Some(Some(lists))
    }
}

/// BM25 as the database computes it (`ranked_postings`), from a sentence's summed weights.
fn scoring(ranking: &Ranking) -> impl Fn(f64, u32) -> f64 {
    let [plus_one, k1, b, average] = [K1 + 1.0, K1, B, ranking.average_length].map(f64::from);
    move |sum: f64, length: u32| sum * plus_one / (1.0 + k1 * (1.0 - b + b * f64::from(length) / average))
}

fn hashes(terms: &[&str]) -> Vec<i64> {
    terms.iter().map(|term| term_hash(term)).collect()
}

/// Runs `work` where the synchronous client may block: the client drives its own runtime, which
/// cannot start on a thread of the server's; there, `work` runs on a thread of its own.
fn off_async_runtime<T: Send>(work: impl FnOnce() -> T + Send) -> T {
    if tokio::runtime::Handle::try_current().is_err() {
        return work();
    }
    std::thread::scope(|scope| scope.spawn(work).join()).unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

impl Library for ArchiveLibrary {
    fn fetch(&self, ids: &[ArticleId]) -> Option<Vec<(ArticleId, ArticleSource)>> {
        let archive_ids: Vec<i64> = ids.iter().filter_map(|&id| self.ids.get(id as usize).copied()).collect();
        let rows = self.with_client("reading articles", |client| {
            client.query(
                "SELECT id, path, display_path, body, origin, file_meta, listed FROM noteproof_articles WHERE id = ANY($1)",
                &[&archive_ids],
            )
        })?;
        let mut warnings = Vec::new();
        let mut articles = Vec::new();
        for row in rows {
            let Some(&id) = self.by_archive_id.get(&row.get::<_, i64>(0)) else { continue };
            match source_of_row(&row, 1, &mut warnings) {
                Ok(source) => articles.push((id, source)),
                Err(error) => eprintln!("noteproof: {error:#}"),
            }
        }
        for warning in warnings {
            eprintln!("noteproof: {warning}");
        }
        Some(articles)
    }

    fn document_frequencies(&self, terms: &[&str]) -> Option<Vec<u64>> {
        let rows = self.with_client("reading term counts", |client| {
            client.query("SELECT hash, sentences FROM noteproof_terms WHERE hash = ANY($1)", &[&hashes(terms)])
        })?;
        let counts: HashMap<i64, i64> = rows.iter().map(|row| (row.get(0), row.get(1))).collect();
        Some(terms.iter().map(|term| counts.get(&term_hash(term)).copied().unwrap_or(0).max(0) as u64).collect())
    }

    fn postings(&self, wanted: &[Vec<&str>], excluded: &[&str], query: &[&str], ranking: &Ranking) -> Option<Vec<Posting>> {
        let (postings, unlisted) = self.ranked_postings(wanted, excluded, query, ranking)?;
        if unlisted && ranking.best.is_some() {
            // Some of the best are of articles ingested after the list was read: those behind
            // them count.
            let everything = Ranking { best: None, ..ranking.clone() };
            return self.ranked_postings(wanted, excluded, query, &everything).map(|(postings, _)| postings);
        }
        Some(postings)
    }

    fn ranked(&self, query: &[&str], ranking: &Ranking, admitted: &dyn Fn(ArticleId) -> bool) -> Ranked {
        let query = &query[..query.len().min(usize::from(u16::MAX))];
        let weights: Vec<f64> = (0..query.len()).map(|i| f64::from(ranking.weights.get(i).copied().unwrap_or(0.0))).collect();
        // MaxScore's bounds hold for weights that only add.
        if weights.iter().any(|weight| weight.is_nan() || *weight < 0.0)
            || !query.iter().any(|term| self.with_posting_lists.contains(&term_hash(term)))
        {
            return Ranked::InSteps;
        }
        let mut needed = query.to_vec();
        needed.sort_unstable();
        needed.dedup();
        let lists = match self.lists_of(&needed) {
            None => return Ranked::InSteps,
            Some(None) => return Ranked::Unanswered,
            Some(Some(lists)) => lists,
        };
        let terms: Vec<max_score::Term> = query
            .iter()
            .zip(&weights)
            .map(|(term, &weight)| max_score::Term { list: lists.get(&term_hash(term)).map_or(&[][..], |list| list.as_slice()), weight })
            .collect();
        let cut = max_score::Cut { floor: ranking.floor, best: ranking.best };
        let admitted = |entry: &Entry| self.sentence(entry.article, entry.position).is_some_and(|sentence| admitted(sentence.article));
        let postings = max_score::best(&terms, &cut, scoring(ranking), admitted)
            .into_iter()
            .filter_map(|(entry, holds)| {
                let sentence = self.sentence(entry.article, entry.position)?;
                Some(Posting { sentence, length: entry.length.min(u32::from(u16::MAX)), holds })
            })
            .collect();
        Ranked::Postings(postings)
    }

    fn sentences_with(&self, term: &str) -> Option<Vec<SentenceRef>> {
        let hash = term_hash(term);
        if self.with_posting_lists.contains(&hash) {
            if let Some(list) = self.stored_lists(&[hash])?.remove(&hash) {
                let mut sentences: Vec<SentenceRef> =
                    posting_lists::Cursor::new(&list).filter_map(|entry| self.sentence(entry.article, entry.position)).collect();
                sentences.sort_unstable();
                return Some(sentences);
            }
        }
        let rows = self.with_client("searching the archive", |client| {
            client.query("SELECT article, position FROM noteproof_sentences WHERE terms @> ARRAY[$1::bigint]", &[&term_hash(term)])
        })?;
        let mut sentences: Vec<SentenceRef> = rows.iter().filter_map(|row| self.sentence(row.get(0), row.get(1))).collect();
        // In the embedded index's order.
        sentences.sort_unstable();
        Some(sentences)
    }

    fn passages(&self, terms: &[&str], within: Option<&[ArticleId]>, visit: &mut (dyn FnMut(Passage) + Send)) -> Option<()> {
        if terms.is_empty() {
            return Some(());
        }
        let mut all = hashes(terms);
        all.sort_unstable();
        all.dedup();
        let within: Option<Vec<i64>> = within.map(|ids| ids.iter().filter_map(|&id| self.ids.get(id as usize).copied()).collect());
        // The text is the paragraph's own, or, for one ingested before schema 4, a slice of its
        // article's. Within cited articles, their few paragraphs are read by article and tested
        // for the terms: PostgreSQL misjudges how many paragraphs hold several common terms (one,
        // when thousands do) and would intersect the paragraph index over the whole archive, 15 to
        // 25 ms for the 36 paragraphs of two articles, where their key reads them in 0.1 ms.
        const TEXT: &str = "coalesce(p.text, (SELECT substring(a.body FROM p.start_byte + 1 FOR p.end_byte - p.start_byte)
                                          FROM noteproof_articles AS a WHERE a.id = p.article))";
        type Parameter<'a> = &'a (dyn postgres::types::ToSql + Sync);
        let (query, parameters): (String, Vec<Parameter>) = match &within {
            Some(within) => (
                format!(
                    "WITH cited AS MATERIALIZED (
                         SELECT article, paragraph, start_byte, end_byte, terms, text
                         FROM noteproof_paragraphs WHERE article = ANY($2::bigint[]))
                     SELECT p.article, p.paragraph, p.start_byte, p.end_byte, {TEXT}
                     FROM cited AS p WHERE p.terms @> $1::bigint[]"
                ),
                vec![&all, within],
            ),
            // The paragraph index intersects the terms' posting lists.
            None => (
                format!(
                    "SELECT p.article, p.paragraph, p.start_byte, p.end_byte, {TEXT}
                     FROM noteproof_paragraphs AS p WHERE p.terms @> $1::bigint[]"
                ),
                vec![&all],
            ),
        };
        // Each row is given to `visit` as it arrives: while `visit` matches a quotation in one
        // paragraph, the database reads the next ones, and the thousands of paragraphs of a
        // quotation common in the archive are never held at once.
        let visit = Mutex::new(visit);
        self.with_client("finding a quotation in the archive", |client| {
            let mut rows = client.query_raw(query.as_str(), parameters.iter().copied())?;
            let mut visit = visit.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            while let Some(row) = rows.next()? {
                let Some(&article) = self.by_archive_id.get(&row.get::<_, i64>(0)) else { continue };
                let (Ok(paragraph), Ok(start), Ok(end)) =
                    (u32::try_from(row.get::<_, i32>(1)), usize::try_from(row.get::<_, i32>(2)), usize::try_from(row.get::<_, i32>(3)))
                else {
                    continue;
                };
                let (text, _) = text_of(row.get(4));
                visit(Passage { article, paragraph, span: start..end, text });
            }
            Ok(())
        })
    }
}
