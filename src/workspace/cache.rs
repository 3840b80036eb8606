//! The persisted corpus index under `<workspace>/.noteproof/`, so that a restart is quick.
//!
//! The file holds a magic line, the format version, then frames (a length and bytes): a header,
//! every article's parsed structure and figure statements in chunks (not its text, which is read
//! from the file again, unless it was extracted from a page or a PDF: extracting is the costly
//! part, so that text is kept) keyed by path, size, mtime and content hash, and the search segments;
//! a trailer holds the hash of all frames. Frames stream in and out a few at a time, in
//! parallel, so the cache never needs a second copy of the index in memory. It is
//! written to a temporary file and renamed into place, so a crash mid-write leaves the previous
//! cache or none. Any mismatch — another format, another noteproof, another lexicon, a changed or
//! missing file, a bad checksum — means rebuilding that part, never a wrong answer.
//! This module writes nowhere but the cache folder.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::UNIX_EPOCH;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::analysis::checks::figures::lexicon::Lexicon;
use crate::analysis::checks::figures::table::StatementStore;
use crate::analysis::checks::Snapshot;
use crate::analysis::corpus::article::{Article, ArticleSource};
use crate::analysis::corpus::search::Segment;
use crate::analysis::corpus::sources_file::SourcesTable;
use crate::analysis::corpus::Corpus;
use crate::workspace::config::Config;
use crate::workspace::files;
use crate::workspace::paths::path_string;

pub const CACHE_FOLDER: &str = ".noteproof";
const CACHE_FILE: &str = "index.bin";
const MAGIC: &[u8] = b"NOTEPROOF-INDEX\n";
/// Bumped whenever the persisted structures change shape or meaning.
const FORMAT: u32 = 9;
/// Above this share of retired ids, the index is rebuilt before it is saved.
const COMPACT_ABOVE: f32 = 0.1;

/// How one file looked when its article was indexed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct FileKey {
    path: String,
    size: u64,
    modified_ns: u64,
    hash: u64,
}

/// The first frame: what the index was built from, and how many frames follow.
#[derive(Serialize, Deserialize)]
struct Header {
    version: String,
    lexicon: u64,
    roots: Vec<String>,
    /// The size and page limits the corpus was read with: other limits let other files in.
    limits: (u64, u64),
    /// Chunks of articles, two frames each: a serialised `Vec<StoredArticle>` (in id order: the
    /// article, where its figure statements are in the next frame, a page's or PDF's extracted
    /// text), then the chunk's statements end to end. Frames of segments follow (each a
    /// serialised `Segment`).
    article_chunks: u32,
    segments: u32,
}

/// Articles per frame: enough to amortise, small enough to keep memory flat while streaming.
const ARTICLES_PER_CHUNK: usize = 2048;
/// Frames deserialised at once (in parallel) while streaming in.
const FRAMES_IN_FLIGHT: usize = 8;

/// Segment frames (de)serialised at once: one a thread. A segment is a large share of the whole
/// search index (the corpus is cut into four a thread), so eight in flight held the bytes of every
/// segment at once: at 100,000 articles a spike of about 240 MB above the server's resident memory
/// at the end of writing its index.
fn segments_in_flight() -> usize {
    rayon::current_num_threads().clamp(1, FRAMES_IN_FLIGHT)
}

/// What loading found, for the log.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct CacheReport {
    pub reused: usize,
    pub parsed: usize,
    pub removed: usize,
    /// Why the cache was not used at all, if it was not.
    pub rebuilt_because: Option<String>,
    /// The archive read instead of folders (its URL, password masked) and its generation.
    pub archive: Option<(String, i64)>,
}

fn cache_path(root: &Path) -> PathBuf {
    root.join(CACHE_FOLDER).join(CACHE_FILE)
}

/// What read the figure statements that an index or an archive keeps: this build of noteproof
/// with `lexicon`. Statements read by another are read again from the text.
pub fn statements_extractor(lexicon: &Lexicon) -> u64 {
    xxhash_rust::xxh3::xxh3_64(format!("{}\u{1}{:016x}", build_version(), lexicon_hash(lexicon)).as_bytes())
}

fn lexicon_hash(lexicon: &Lexicon) -> u64 {
    let mut text = String::new();
    for (name, cues) in lexicon.measures.iter().chain(&lexicon.events) {
        text.push_str(name);
        text.push('\u{1}');
        text.push_str(&cues.join("\u{2}"));
        text.push('\u{3}');
    }
    xxhash_rust::xxh3::xxh3_64(text.as_bytes())
}

fn key_of(path: &Path, bytes_hash: u64) -> Option<FileKey> {
    let metadata = std::fs::metadata(path).ok()?;
    let modified_ns = metadata.modified().ok()?.duration_since(UNIX_EPOCH).ok()?.as_nanos() as u64;
    Some(FileKey { path: path_string(path), size: metadata.len(), modified_ns, hash: bytes_hash })
}

/// Reads frames (`u64` length, bytes), hashing them as they pass.
struct FrameReader {
    reader: std::io::BufReader<std::fs::File>,
    hasher: xxhash_rust::xxh3::Xxh3,
    /// Bytes of the file read so far.
    position: u64,
    /// A frame passed over (`pass_frame`), kept for the next.
    passed: Vec<u8>,
}

impl FrameReader {
    fn open(path: &Path) -> Result<FrameReader, String> {
        use std::io::Read;
        let file = std::fs::File::open(path).map_err(|e| format!("cannot read it ({e})"))?;
        let mut reader = std::io::BufReader::with_capacity(1 << 20, file);
        let mut magic = vec![0; MAGIC.len()];
        reader.read_exact(&mut magic).map_err(|_| "not a noteproof index")?;
        if magic != MAGIC {
            return Err("not a noteproof index".into());
        }
        let mut format = [0; 4];
        reader.read_exact(&mut format).map_err(|_| "truncated")?;
        let format = u32::from_le_bytes(format);
        if format != FORMAT {
            return Err(format!("format {format}, expected {FORMAT}"));
        }
        let position = (MAGIC.len() + std::mem::size_of::<u32>()) as u64;
        Ok(FrameReader { reader, hasher: xxhash_rust::xxh3::Xxh3::new(), position, passed: Vec::new() })
    }

    fn frame(&mut self) -> Result<Vec<u8>, String> {
        let mut bytes = Vec::new();
        self.frame_into(&mut bytes)?;
        Ok(bytes)
    }

    /// Reads and hashes a frame without keeping it: where its bytes start in the file, and how
    /// many there are.
    fn pass_frame(&mut self) -> Result<Place, String> {
        let mut bytes = std::mem::take(&mut self.passed);
        let start = self.position + 8;
        self.frame_into(&mut bytes)?;
        let length = u32::try_from(bytes.len()).map_err(|_| "corrupted frame length")?;
        self.passed = bytes;
        Ok((start, length))
    }

    fn frame_into(&mut self, bytes: &mut Vec<u8>) -> Result<(), String> {
        use std::io::Read;
        let mut length = [0; 8];
        self.reader.read_exact(&mut length).map_err(|_| "truncated")?;
        let length = u64::from_le_bytes(length);
        if length > 1 << 34 {
            return Err("corrupted frame length".into());
        }
        bytes.clear();
        bytes.resize(length as usize, 0);
        self.reader.read_exact(bytes).map_err(|_| "truncated")?;
        self.hasher.update(&length.to_le_bytes());
        self.hasher.update(bytes);
        self.position += 8 + length;
        Ok(())
    }

    /// The trailer holds the hash of every frame: a partial or damaged write never passes. The
    /// file, for reading what was passed over.
    fn finish(mut self) -> Result<std::fs::File, String> {
        use std::io::Read;
        let mut trailer = [0; 8];
        self.reader.read_exact(&mut trailer).map_err(|_| "truncated")?;
        if u64::from_le_bytes(trailer) != self.hasher.digest() {
            return Err("checksum mismatch (a partial or corrupted write)".into());
        }
        Ok(self.reader.into_inner())
    }
}

/// Writes frames, hashing them as they pass, then the trailer.
struct FrameWriter {
    writer: std::io::BufWriter<std::fs::File>,
    hasher: xxhash_rust::xxh3::Xxh3,
}

impl FrameWriter {
    fn frame(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        let length = (bytes.len() as u64).to_le_bytes();
        self.hasher.update(&length);
        self.hasher.update(bytes);
        self.writer.write_all(&length)?;
        self.writer.write_all(bytes)
    }
}

/// The cached articles (in id order) and segments, streamed from the index file with bounded memory.
/// An article as persisted, with the key of the file it came from; `None` where the id was retired.
/// An article as the index keeps it: its file key, structure, figure statements, and the text
/// extracted from a page or a PDF (`None` for text files, whose text is the file's).
/// Statements stay in the file (`Snapshot::encoded_statements` gave them), at the place given
/// here: read when a check first asks for them.
type CachedArticle = Option<(FileKey, Article, Option<Place>, Option<String>)>;
/// Bytes of the index file: where they start, how many.
type Place = (u64, u32);
/// An article as the file holds it: its statements' place is within its chunk's statements frame.
type StoredArticle = Option<(FileKey, Article, Option<(u32, u32)>, Option<String>)>;
/// The same, borrowed from a snapshot for writing.
type StoredArticleRef<'a> = (FileKey, &'a Article, Option<(u32, u32)>, Option<&'a str>);

/// The articles' statements in an index file, read where they are on first use. The open file
/// stays readable when a newer index replaces it (a rename) or it is deleted.
#[derive(Debug)]
struct IndexFileStatements {
    file: std::fs::File,
    /// By article id.
    places: Vec<Option<Place>>,
}

impl StatementStore for IndexFileStatements {
    fn has(&self, id: u32) -> bool {
        self.places.get(id as usize).is_some_and(Option::is_some)
    }

    fn encoded(&self, id: u32) -> Option<Vec<u8>> {
        let (offset, length) = (*self.places.get(id as usize)?)?;
        let mut bytes = vec![0; length as usize];
        read_exact_at(&self.file, &mut bytes, offset).ok()?;
        Some(bytes)
    }
}

#[cfg(unix)]
fn read_exact_at(file: &std::fs::File, bytes: &mut [u8], offset: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, bytes, offset)
}

#[cfg(windows)]
fn read_exact_at(file: &std::fs::File, bytes: &mut [u8], offset: u64) -> std::io::Result<()> {
    let mut done = 0;
    while done < bytes.len() {
        match std::os::windows::fs::FileExt::seek_read(file, &mut bytes[done..], offset + done as u64)? {
            0 => return Err(std::io::ErrorKind::UnexpectedEof.into()),
            read => done += read,
        }
    }
    Ok(())
}

/// The index file's articles (by id) and segments, and the file, open, for their statements.
type ReadIndex = (Vec<CachedArticle>, Vec<Arc<Segment>>, std::fs::File);

fn read_index(path: &Path, expected: &Header) -> Result<ReadIndex, String> {
    let mut reader = FrameReader::open(path)?;
    let header: Header = postcard::from_bytes(&reader.frame()?).map_err(|e| format!("unreadable ({e})"))?;
    if header.version != expected.version {
        return Err(format!("written by noteproof {}", header.version));
    }
    if header.lexicon != expected.lexicon {
        return Err("the lexicon changed".into());
    }
    if header.roots != expected.roots {
        return Err("the corpus folders changed".into());
    }
    if header.limits != expected.limits {
        return Err("the file size or page limits changed".into());
    }
    let mut articles = Vec::new();
    let mut left = header.article_chunks as usize;
    while left > 0 {
        // Each chunk's articles, and where its statements frame starts and ends in the file.
        let mut batch: Vec<(Vec<u8>, Place)> = Vec::new();
        for _ in 0..left.min(FRAMES_IN_FLIGHT) {
            let articles = reader.frame()?;
            batch.push((articles, reader.pass_frame()?));
        }
        left -= batch.len();
        let decoded: Vec<Vec<CachedArticle>> = batch
            .par_iter()
            .map(|(bytes, (statements_at, statements_length))| {
                let stored: Vec<StoredArticle> = postcard::from_bytes(bytes).map_err(|e| format!("unreadable articles ({e})"))?;
                let placed = |(start, length): (u32, u32)| {
                    (u64::from(start) + u64::from(length) <= u64::from(*statements_length))
                        .then_some((statements_at + u64::from(start), length))
                        .ok_or_else(|| "an article's statements past their frame".to_string())
                };
                stored
                    .into_iter()
                    .map(|entry| {
                        entry
                            .map(|(key, article, statements, extracted)| Ok((key, article, statements.map(placed).transpose()?, extracted)))
                            .transpose()
                    })
                    .collect::<Result<Vec<CachedArticle>, String>>()
            })
            .collect::<Result<_, _>>()?;
        articles.extend(decoded.into_iter().flatten());
    }
    let mut segments = Vec::new();
    let mut left = header.segments as usize;
    while left > 0 {
        let batch: Vec<Vec<u8>> = (0..left.min(segments_in_flight())).map(|_| reader.frame()).collect::<Result<_, _>>()?;
        left -= batch.len();
        let decoded: Vec<Segment> = batch
            .par_iter()
            .map(|bytes| match postcard::from_bytes::<Segment>(bytes) {
                Ok(segment) if segment.is_consistent() => Ok(segment),
                Ok(_) => Err("an index segment that contradicts itself".to_string()),
                Err(e) => Err(format!("unreadable index ({e})")),
            })
            .collect::<Result<_, _>>()?;
        segments.extend(decoded.into_iter().map(Arc::new));
    }
    let file = reader.finish()?;
    Ok((articles, segments, file))
}

fn limits_key(config: &Config) -> (u64, u64) {
    (config.max_file_megabytes, config.max_pdf_pages as u64)
}

/// The package version and a hash of the sources it was built from (see `build.rs`): an index
/// written by other code is rebuilt, since it holds what that code extracted.
fn build_version() -> String {
    format!("{}+{}", env!("CARGO_PKG_VERSION"), env!("NOTEPROOF_SOURCE_HASH"))
}

/// Loads the configured corpus, re-using the persisted index for every file that has not changed,
/// and saves the index again when anything had to be parsed, before returning. Problems become
/// warnings.
pub fn load_corpus(root: &Path, config: &Config, warnings: &mut Vec<String>) -> (Snapshot, CacheReport) {
    let (corpus, report, saving) = load_corpus_saving_aside(root, config, warnings);
    if let Err(error) = saving.wait() {
        warnings.push(error);
    }
    (corpus, report)
}

/// The index being written on another thread. Articles' figure statements are read on first use,
/// so the corpus is ready as soon as it is split and indexed; before the index is written, this
/// thread reads every statement not yet read (in parallel, encoding each into the file and keeping
/// none in memory), so that the next start finds them all. Dropping it waits for the write, so
/// that a command's index is complete when the process ends; a server that outlives the write
/// calls `detach`.
#[must_use = "dropping it waits for the index to be written"]
pub struct PendingSave {
    writer: Option<std::thread::JoinHandle<Result<(), String>>>,
}

impl PendingSave {
    /// Nothing to write.
    pub fn none() -> PendingSave {
        PendingSave { writer: None }
    }

    /// Waits for the index to be written.
    pub fn wait(mut self) -> Result<(), String> {
        match self.writer.take().map(std::thread::JoinHandle::join) {
            None | Some(Ok(Ok(()))) => Ok(()),
            Some(Ok(Err(error))) => Err(error),
            Some(Err(_)) => Err("index cache not saved: the writer failed".into()),
        }
    }

    /// Lets the write finish on its own; a failure is written to standard error.
    pub fn detach(mut self) {
        if let Some(writer) = self.writer.take() {
            let watcher = std::thread::Builder::new().name("noteproof-index-watcher".into()).spawn(move || {
                if let Ok(Err(error)) = writer.join() {
                    eprintln!("noteproof: warning: {error}");
                }
            });
            drop(watcher);
        }
    }
}

impl Drop for PendingSave {
    fn drop(&mut self) {
        if let Some(writer) = self.writer.take() {
            if let Ok(Err(error)) = writer.join() {
                eprintln!("noteproof: warning: {error}");
            }
        }
    }
}

/// `load_corpus`, with the index written on another thread while the caller goes on.
pub fn load_corpus_saving_aside(root: &Path, config: &Config, warnings: &mut Vec<String>) -> (Snapshot, CacheReport, PendingSave) {
    let dirs = config.corpus_dirs(root);
    let roots: Vec<String> = dirs.iter().map(|d| path_string(d)).collect();
    let lexicon = Lexicon::with_extensions(&config.lexicon);
    let expected = Header {
        version: build_version(),
        lexicon: lexicon_hash(&lexicon),
        roots: roots.clone(),
        limits: limits_key(config),
        article_chunks: 0,
        segments: 0,
    };
    let cached = read_index(&cache_path(root), &expected);
    // Pages and PDFs whose bytes are those indexed are not extracted again.
    let documents: HashMap<String, FileKey> = match &cached {
        Ok((articles, _, _)) => articles
            .iter()
            .flatten()
            .filter(|(_, _, _, extracted)| extracted.is_some())
            .map(|(key, _, _, _)| (key.path.clone(), key.clone()))
            .collect(),
        Err(_) => HashMap::new(),
    };
    let unchanged = |path: &str, hash: u64| documents.get(path).is_some_and(|key| key_of(Path::new(path), hash).as_ref() == Some(key));
    let (corpus_files, table) = files::read_corpus(root, &dirs, files::Limits::of(config), &unchanged, warnings);
    let mut report = CacheReport::default();
    let corpus = match cached {
        Ok(cached) => warm(cached, corpus_files, &table, roots, lexicon, &mut report),
        Err(reason) => {
            if cache_path(root).exists() {
                warnings.push(format!("index cache {} not used: {reason}; rebuilding it", cache_path(root).display()));
            }
            let sources: Vec<ArticleSource> = corpus_files
                .into_iter()
                .filter_map(|file| match file {
                    files::CorpusFile::Read(source) => Some(*source),
                    files::CorpusFile::Unchanged { .. } => None,
                })
                .collect();
            report = CacheReport { parsed: sources.len(), rebuilt_because: Some(reason), ..CacheReport::default() };
            Snapshot::build_with_lexicon(sources, roots, lexicon)
        }
    };
    let saving = if report.parsed > 0 || report.removed > 0 || !corpus.all_statements_kept() {
        let (root, config, corpus) = (root.to_path_buf(), config.clone(), corpus.clone());
        let writer = std::thread::Builder::new().name("noteproof-index-writer".into()).spawn(move || {
            let save = || save(&root, &config, &corpus).map_err(|error| format!("index cache not saved: {error:#}"));
            let saved = match background_pool() {
                Some(pool) => pool.install(save),
                None => save(),
            };
            give_back_freed_memory();
            saved
        });
        match writer {
            Ok(writer) => PendingSave { writer: Some(writer) },
            Err(error) => {
                warnings.push(format!("index cache not saved: cannot start its writer ({error})"));
                PendingSave::none()
            }
        }
    } else {
        PendingSave::none()
    };
    (corpus, report, saving)
}

/// Threads of its own for the index writer, below everything else in the scheduler's eyes.
///
/// Reading every article's statements for the index file is minutes of work at 100,000 articles.
/// On the shared pool, it held both of its threads, and rayon's threads finish the jobs they split
/// before they take one from outside: the server's notes, and the first check of a note opened
/// meanwhile, waited behind it (75 s before the server was ready, against 20 s to index). On its own
/// threads at a lower priority, it takes what the interactive work leaves.
fn background_pool() -> Option<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(rayon::current_num_threads())
        .thread_name(|i| format!("noteproof-index-{i}"))
        .start_handler(|_| crate::workspace::priority::lower_this_threads_priority())
        .build()
        .ok()
}

/// Returns the memory the allocator keeps free to the system. The writer encodes every unread
/// article's statements and drops them, on threads whose allocator arenas keep what they freed
/// (at 100,000 articles, 28 MB given back, in 0.1 s of the writer's time).
fn give_back_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free pages of the allocator's own heaps to the system.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Re-uses cached articles whose file key matches; parses the rest, and the articles whose row
/// in the sources file changed.
fn warm(
    (articles, segments, file): ReadIndex,
    corpus_files: Vec<files::CorpusFile>,
    table: &SourcesTable,
    roots: Vec<String>,
    lexicon: Lexicon,
    report: &mut CacheReport,
) -> Snapshot {
    let by_path: HashMap<String, usize> =
        articles.iter().enumerate().filter_map(|(id, entry)| entry.as_ref().map(|(key, _, _, _)| (key.path.clone(), id))).collect();
    // Hash every file's text; a cached article comes back only when path, size, mtime and hash all match.
    let keyed: Vec<(files::CorpusFile, Option<FileKey>)> = corpus_files
        .into_par_iter()
        .map(|file| {
            let key = match &file {
                files::CorpusFile::Read(source) => key_of(
                    Path::new(&source.path),
                    source.origin.file_hash().unwrap_or_else(|| xxhash_rust::xxh3::xxh3_64(source.text.as_bytes())),
                ),
                files::CorpusFile::Unchanged { .. } => None,
            };
            (file, key)
        })
        .collect();
    let mut changed = Vec::new();
    let mut seen = vec![false; articles.len()];
    let mut texts: Vec<(usize, Option<String>)> = Vec::new();
    for (file, key) in keyed {
        match file {
            files::CorpusFile::Unchanged { path } => {
                // Only indexed documents are unchanged; their extracted text is in the index.
                if let Some(&id) = by_path.get(&path) {
                    seen[id] = true;
                    texts.push((id, None));
                }
            }
            files::CorpusFile::Read(source) => match by_path.get(&source.path) {
                Some(&id) if articles[id].as_ref().is_some_and(|(cached, _, _, _)| Some(cached) == key.as_ref()) => {
                    seen[id] = true;
                    texts.push((id, Some(source.text)));
                }
                Some(&id) => {
                    seen[id] = true;
                    changed.push(*source); // `updated` retires the old id by path
                }
                None => changed.push(*source),
            },
        }
    }
    let removed: Vec<String> = articles
        .iter()
        .enumerate()
        .filter(|(id, entry)| entry.is_some() && !seen[*id])
        .map(|(_, e)| e.as_ref().unwrap().0.path.clone())
        .collect();
    report.reused = texts.len();
    report.parsed = changed.len();
    report.removed = removed.len();
    // Texts go back into their articles, with their line indexes.
    let mut text_of: HashMap<usize, Option<String>> = texts.into_iter().collect();
    let mut places: Vec<Option<Place>> = Vec::with_capacity(articles.len());
    let mut filled: Vec<Option<Arc<Article>>> = Vec::with_capacity(articles.len());
    for (id, entry) in articles.into_iter().enumerate() {
        match entry {
            Some((_, mut article, stated, extracted)) => {
                match text_of.remove(&id) {
                    Some(Some(text)) => article.text = text,
                    Some(None) => article.text = extracted.unwrap_or_default(),
                    None => {}
                }
                // A row of the sources file added, changed or removed: parse the article again.
                let row = table.row_for(&article.key).cloned();
                if seen[id] && row != article.listed {
                    changed.push(article.relisted(row));
                    report.reused -= 1;
                    report.parsed += 1;
                }
                filled.push(Some(Arc::new(article)));
                places.push(stated);
            }
            None => {
                filled.push(None);
                places.push(None);
            }
        }
    }
    let statements = Arc::new(IndexFileStatements { file, places });
    let snapshot = Snapshot::from_parts(Corpus::from_parts(filled, segments, roots), lexicon, statements);
    if changed.is_empty() && removed.is_empty() {
        snapshot
    } else {
        snapshot.updated(changed, &removed)
    }
}

/// Writes the index of `corpus` atomically into the workspace's cache folder.
pub fn save(root: &Path, config: &Config, corpus: &Snapshot) -> anyhow::Result<()> {
    // Every article's figure statements go into the index, encoded below without being kept in
    // the snapshot unless a check had asked for them.
    use anyhow::Context;
    let compacted;
    let corpus = if corpus.retired_share() > COMPACT_ABOVE {
        compacted = corpus.compacted();
        &compacted
    } else {
        corpus
    };
    let (articles, segments) = corpus.parts();
    let folder = root.join(CACHE_FOLDER);
    // A workspace being deleted (its root gone) is not created again for its index.
    if !root.is_dir() {
        anyhow::bail!("the workspace {} is gone; its index is not written", root.display());
    }
    if let Err(error) = std::fs::create_dir(&folder) {
        if error.kind() != std::io::ErrorKind::AlreadyExists {
            return Err(error).with_context(|| format!("cannot create {}", folder.display()));
        }
    }
    remove_stale_temporaries(&folder);
    let temporary = folder.join(format!("{CACHE_FILE}.tmp-{}", std::process::id()));
    let file = std::fs::File::create(&temporary).with_context(|| format!("cannot write {}", temporary.display()))?;
    let mut writer = std::io::BufWriter::with_capacity(1 << 20, file);
    writer.write_all(MAGIC)?;
    writer.write_all(&FORMAT.to_le_bytes())?;
    let mut frames = FrameWriter { writer, hasher: xxhash_rust::xxh3::Xxh3::new() };
    let chunks: Vec<(usize, &[Option<Arc<Article>>])> =
        articles.chunks(ARTICLES_PER_CHUNK).enumerate().map(|(n, chunk)| (n * ARTICLES_PER_CHUNK, chunk)).collect();
    let header = Header {
        version: build_version(),
        lexicon: lexicon_hash(corpus.lexicon()),
        roots: corpus.roots().to_vec(),
        limits: limits_key(config),
        article_chunks: chunks.len() as u32,
        segments: segments.len() as u32,
    };
    frames.frame(&postcard::to_stdvec(&header)?)?;
    // A few frames at a time, serialised in parallel and written in order: memory stays flat.
    for batch in chunks.chunks(FRAMES_IN_FLIGHT) {
        let serialised: Vec<(Vec<u8>, Vec<u8>)> = batch
            .par_iter()
            .map(|&(first, chunk)| {
                // The chunk's statements end to end, and each article's place among them.
                let mut statements = Vec::new();
                let places: Vec<Option<(u32, u32)>> = (0..chunk.len())
                    .map(|i| {
                        let encoded = corpus.encoded_statements((first + i) as u32)?;
                        let place = (u32::try_from(statements.len()).ok()?, u32::try_from(encoded.len()).ok()?);
                        statements.extend_from_slice(&encoded);
                        Some(place)
                    })
                    .collect();
                // Articles serialise without their texts (skipped fields): nothing is copied.
                let entries: Vec<Option<StoredArticleRef>> = chunk
                    .iter()
                    .zip(places)
                    .map(|(article, place)| {
                        let article = article.as_ref()?;
                        let hash = article.origin.file_hash().unwrap_or_else(|| xxhash_rust::xxh3::xxh3_64(article.text.as_bytes()));
                        let key = key_of(Path::new(&article.path), hash)?;
                        // Text extracted from a page or a PDF is kept: extracting it again is the costly part.
                        let extracted = article.origin.file_hash().map(|_| article.text.as_str());
                        Some((key, article.as_ref(), place, extracted))
                    })
                    .collect();
                Ok::<_, postcard::Error>((postcard::to_stdvec(&entries)?, statements))
            })
            .collect::<Result<_, _>>()?;
        for (articles, statements) in &serialised {
            frames.frame(articles)?;
            frames.frame(statements)?;
        }
    }
    for batch in segments.chunks(segments_in_flight()) {
        let serialised: Vec<Vec<u8>> = batch.par_iter().map(|segment| postcard::to_stdvec(segment.as_ref())).collect::<Result<_, _>>()?;
        for bytes in &serialised {
            frames.frame(bytes)?;
        }
    }
    let checksum = frames.hasher.digest();
    let mut writer = frames.writer;
    writer.write_all(&checksum.to_le_bytes())?;
    let file = writer.into_inner().map_err(|e| e.into_error())?;
    file.sync_all()?;
    drop(file);
    std::fs::rename(&temporary, cache_path(root)).with_context(|| format!("cannot replace {}", cache_path(root).display()))?;
    Ok(())
}

/// Temporary files of writers that died before renaming (a killed server) are removed.
fn remove_stale_temporaries(folder: &Path) {
    let Ok(entries) = std::fs::read_dir(folder) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with(&format!("{CACHE_FILE}.tmp-")) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::corpus::Resolution;

    /// The index writer reads every statement on threads of its own, below the rest: on the shared
    /// pool, a server's first answers waited for it.
    #[cfg(target_os = "linux")]
    #[test]
    fn the_index_writer_works_on_threads_of_its_own_at_a_lower_priority() {
        let nice = crate::workspace::priority::this_threads_nice;
        let ours = nice();
        let pool = background_pool().expect("the writer's pool starts");
        let (name, theirs) = pool.install(|| (std::thread::current().name().map(String::from), nice()));
        assert!(name.is_some_and(|name| name.starts_with("noteproof-index-")));
        assert!(theirs >= ours.max(crate::workspace::priority::BACKGROUND_NICE), "the writer runs at nice {theirs}, the caller at {ours}");
        assert_eq!(nice(), ours, "the caller's own priority is left alone");
    }

    fn workspace() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let seeds = dir.path().join("seeds");
        std::fs::create_dir_all(&seeds).unwrap();
        std::fs::write(seeds.join("001_a.txt"), "First “é” report\n\nThe attack killed 139 people, officials said.\n").unwrap();
        std::fs::write(seeds.join("002_b.txt"), "Second report\n\nThe FSB arrested 11 people.\n").unwrap();
        std::fs::write(seeds.join("003_c.txt"), "Third report\n\nFloods in Narvik.\n").unwrap();
        dir
    }

    fn load(root: &Path, config: &Config) -> (Snapshot, CacheReport, Vec<String>) {
        let mut warnings = Vec::new();
        let (corpus, report) = load_corpus(root, config, &mut warnings);
        (corpus, report, warnings)
    }

    fn killed(corpus: &Snapshot, key: &str) -> Vec<String> {
        let Resolution::Found(id) = corpus.resolve(key) else { return Vec::new() };
        let article = corpus.article(id).unwrap();
        corpus
            .statements(id)
            .iter()
            .filter(|s| s.measure.to_string() == "killed")
            .map(|s| article.text[s.span.clone()].to_string())
            .collect()
    }

    #[test]
    fn a_warm_load_reuses_every_unchanged_article_and_answers_the_same() {
        let dir = workspace();
        let config = Config::default();
        let (cold, report, _) = load(dir.path(), &config);
        assert_eq!((report.reused, report.parsed), (0, 3));
        assert!(dir.path().join(".noteproof/index.bin").is_file());
        let (warm, report, warnings) = load(dir.path(), &config);
        assert_eq!((report.reused, report.parsed, report.removed), (3, 0, 0), "{warnings:?}");
        assert!(warm.all_statements_kept(), "the index holds every article's statements, though the cold load read none");
        assert!(
            (0..3).all(|id| cold.statements_read(id).is_none() && warm.statements_read(id).is_none()),
            "writing the index kept no statement in memory, and loading it decodes none until asked"
        );
        assert_eq!(killed(&warm, "001"), killed(&cold, "001"));
        let query = crate::analysis::corpus::search::query_terms("FSB arrested people", &[]);
        let hits = |c: &Snapshot| {
            c.search(&query, 3, |_| true).iter().map(|h| c.article(h.sentence.article).unwrap().key.clone()).collect::<Vec<_>>()
        };
        assert_eq!(hits(&warm), hits(&cold));
        let Resolution::Found(id) = warm.resolve("001") else { panic!() };
        assert_eq!(warm.article(id).unwrap().line_of(warm.article(id).unwrap().text.len()), 3, "texts and line indexes are back");
    }

    #[test]
    fn statements_are_read_from_the_index_file_even_after_it_is_replaced_or_deleted() {
        let dir = workspace();
        let config = Config::default();
        let (cold, _, _) = load(dir.path(), &config);
        let (warm, report, _) = load(dir.path(), &config);
        assert_eq!(report.reused, 3);
        let expected = Header {
            version: build_version(),
            lexicon: lexicon_hash(&Lexicon::default()),
            roots: warm.roots().to_vec(),
            limits: limits_key(&config),
            article_chunks: 0,
            segments: 0,
        };
        let (articles, _, file) = read_index(&cache_path(dir.path()), &expected).unwrap();
        let store = IndexFileStatements { file, places: articles.iter().map(|entry| entry.as_ref().and_then(|(_, _, place, _)| *place)).collect() };
        // Another writer's index takes its name, then the folder goes: the open file still reads.
        std::fs::write(dir.path().join("seeds/004_d.txt"), "Fourth\n\nThe storm killed 12 people.\n").unwrap();
        load(dir.path(), &config);
        std::fs::remove_dir_all(dir.path().join(".noteproof")).unwrap();
        assert_eq!(store.encoded(0), cold.encoded_statements(0), "read from the replaced file");
        assert!(store.has(2) && !store.has(3));
        assert!(warm.statements_read(0).is_none());
        assert_eq!(killed(&warm, "001"), ["139"]);
        assert_eq!(killed(&warm, "001"), killed(&cold, "001"));
        assert_eq!(warm.statements(1), cold.statements(1));
    }

    #[test]
    fn changed_removed_and_added_files_are_parsed_or_dropped() {
        let dir = workspace();
        let config = Config::default();
        load(dir.path(), &config);
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(dir.path().join("seeds/001_a.txt"), "First report\n\nThe attack killed 150 people.\n").unwrap();
        std::fs::remove_file(dir.path().join("seeds/002_b.txt")).unwrap();
        std::fs::write(dir.path().join("seeds/004_d.txt"), "Fourth\n\nNew.\n").unwrap();
        let (corpus, report, _) = load(dir.path(), &config);
        assert_eq!((report.reused, report.parsed, report.removed), (1, 2, 1));
        assert_eq!(killed(&corpus, "001"), ["150"]);
        assert_eq!(corpus.resolve("002"), Resolution::Unknown);
        assert!(matches!(corpus.resolve("004"), Resolution::Found(_)));
        let (again, report, _) = load(dir.path(), &config);
        assert_eq!((report.reused, report.parsed), (3, 0), "the updated index was saved");
        assert_eq!(killed(&again, "001"), ["150"]);
    }

    #[test]
    fn a_corrupted_or_truncated_cache_is_rebuilt_with_a_warning() {
        let dir = workspace();
        let config = Config::default();
        load(dir.path(), &config);
        let path = dir.path().join(".noteproof/index.bin");
        let mut bytes = std::fs::read(&path).unwrap();
        let middle = bytes.len() / 2;
        bytes[middle] ^= 0xFF;
        std::fs::write(&path, &bytes).unwrap();
        let (corpus, report, warnings) = load(dir.path(), &config);
        // A flipped byte is caught by the frame it lands in, or at the latest by the trailer's checksum.
        assert!(report.rebuilt_because.is_some());
        assert!(warnings.iter().any(|w| w.contains("not used: ")), "{warnings:?}");
        assert_eq!(killed(&corpus, "001"), ["139"]);
        std::fs::write(&path, &bytes[..bytes.len() / 3]).unwrap();
        assert!(load(dir.path(), &config).1.rebuilt_because.is_some());
        std::fs::write(&path, b"garbage").unwrap();
        assert_eq!(load(dir.path(), &config).1.rebuilt_because.as_deref(), Some("not a noteproof index"));
        assert_eq!(load(dir.path(), &config).1.reused, 3, "and the rebuilt cache is good again");
    }

    #[test]
    fn a_writer_killed_mid_write_leaves_a_temporary_that_the_next_save_removes() {
        let dir = workspace();
        let config = Config::default();
        load(dir.path(), &config);
        let stale = dir.path().join(".noteproof/index.bin.tmp-999999");
        std::fs::write(&stale, b"half a cache").unwrap();
        assert_eq!(load(dir.path(), &config).1.reused, 3, "a temporary never stands in for the cache");
        std::fs::write(dir.path().join("seeds/005_e.txt"), "Fifth\n\nMore.\n").unwrap();
        load(dir.path(), &config);
        assert!(!stale.exists());
    }

    #[test]
    fn another_lexicon_means_another_index() {
        let dir = workspace();
        load(dir.path(), &Config::default());
        let mut config = Config::default();
        config.lexicon.insert("rescued".into(), vec!["pulled alive".into()]);
        assert_eq!(load(dir.path(), &config).1.rebuilt_because.as_deref(), Some("the lexicon changed"));
    }
}
