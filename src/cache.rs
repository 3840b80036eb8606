//! The persisted corpus index under `<workspace>/.noteproof/`, so that a restart is quick.
//!
//! The file holds a magic line, the format version, a checksum of the payload, and the payload:
//! every article's parsed structure and figure statements (not its text, which is read from the
//! file again) keyed by path, size, mtime and content hash, plus the search segments. It is
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

use crate::analysis::article::{Article, ArticleSource};
use crate::analysis::corpus::Corpus;
use crate::analysis::figures::lexicon::Lexicon;
use crate::analysis::retrieval::Segment;
use crate::load::{self, Config};

pub const CACHE_FOLDER: &str = ".noteproof";
const CACHE_FILE: &str = "index.bin";
const MAGIC: &[u8] = b"NOTEPROOF-INDEX\n";
/// Bumped whenever the persisted structures change shape or meaning.
const FORMAT: u32 = 1;
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

#[derive(Serialize, Deserialize)]
struct Payload {
    version: String,
    lexicon: u64,
    roots: Vec<String>,
    /// By article id; `None` where the id was retired.
    articles: Vec<Option<(FileKey, Article)>>,
    segments: Vec<Segment>,
}

/// What loading found, for the log.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct CacheReport {
    pub reused: usize,
    pub parsed: usize,
    pub removed: usize,
    /// Why the cache was not used at all, if it was not.
    pub rebuilt_because: Option<String>,
}

fn cache_path(root: &Path) -> PathBuf {
    root.join(CACHE_FOLDER).join(CACHE_FILE)
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
    Some(FileKey { path: load::path_string(path), size: metadata.len(), modified_ns, hash: bytes_hash })
}

fn read_payload(path: &Path) -> Result<Payload, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read it ({e})"))?;
    let rest = bytes.strip_prefix(MAGIC).ok_or("not a noteproof index")?;
    if rest.len() < 12 {
        return Err("truncated".into());
    }
    let format = u32::from_le_bytes(rest[..4].try_into().unwrap());
    if format != FORMAT {
        return Err(format!("format {format}, expected {FORMAT}"));
    }
    let checksum = u64::from_le_bytes(rest[4..12].try_into().unwrap());
    let payload = &rest[12..];
    if xxhash_rust::xxh3::xxh3_64(payload) != checksum {
        return Err("checksum mismatch (a partial or corrupted write)".into());
    }
    postcard::from_bytes(payload).map_err(|e| format!("unreadable ({e})"))
}

/// Loads the configured corpus, re-using the persisted index for every file that has not changed,
/// and saves the index again when anything had to be parsed. Problems become warnings.
pub fn load_corpus(root: &Path, config: &Config, warnings: &mut Vec<String>) -> (Corpus, CacheReport) {
    let dirs = config.corpus_dirs(root);
    let roots: Vec<String> = dirs.iter().map(|d| load::path_string(d)).collect();
    let lexicon = Lexicon::with_extensions(&config.lexicon);
    let sources = load::load_corpus(root, &dirs, warnings);
    let cached = match read_payload(&cache_path(root)) {
        Ok(payload) if payload.version != env!("CARGO_PKG_VERSION") => Err(format!("written by noteproof {}", payload.version)),
        Ok(payload) if payload.lexicon != lexicon_hash(&lexicon) => Err("the lexicon changed".to_string()),
        Ok(payload) if payload.roots != roots => Err("the corpus folders changed".to_string()),
        Ok(payload) => Ok(payload),
        Err(reason) => Err(reason),
    };
    let mut report = CacheReport::default();
    let corpus = match cached {
        Err(reason) => {
            if cache_path(root).exists() {
                warnings.push(format!("index cache {} not used: {reason}; rebuilding it", cache_path(root).display()));
            }
            report.rebuilt_because = Some(reason);
            report.parsed = sources.len();
            Corpus::build_with_lexicon(sources, roots, lexicon)
        }
        Ok(payload) => warm(payload, sources, roots, lexicon, &mut report),
    };
    if report.parsed > 0 || report.removed > 0 {
        if let Err(error) = save(root, &corpus) {
            warnings.push(format!("index cache not saved: {error:#}"));
        }
    }
    (corpus, report)
}

/// Re-uses cached articles whose file key matches; parses the rest.
fn warm(payload: Payload, sources: Vec<ArticleSource>, roots: Vec<String>, lexicon: Lexicon, report: &mut CacheReport) -> Corpus {
    let mut articles: Vec<Option<(FileKey, Article)>> = payload.articles;
    let by_path: HashMap<String, usize> =
        articles.iter().enumerate().filter_map(|(id, entry)| entry.as_ref().map(|(key, _)| (key.path.clone(), id))).collect();
    // Hash every file's bytes; a cached article comes back only when path, size, mtime and hash all match.
    let keyed: Vec<(ArticleSource, Option<FileKey>)> = sources
        .into_par_iter()
        .map(|source| {
            let key = key_of(Path::new(&source.path), xxhash_rust::xxh3::xxh3_64(source.text.as_bytes()));
            (source, key)
        })
        .collect();
    let mut changed = Vec::new();
    let mut seen = vec![false; articles.len()];
    let mut texts: Vec<(usize, String)> = Vec::new();
    for (source, key) in keyed {
        match by_path.get(&source.path) {
            Some(&id) if articles[id].as_ref().is_some_and(|(cached, _)| Some(cached) == key.as_ref()) => {
                seen[id] = true;
                texts.push((id, source.text));
            }
            Some(&id) => {
                seen[id] = true;
                changed.push(source); // `updated` retires the old id by path
            }
            None => changed.push(source),
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
    let mut text_of: HashMap<usize, String> = texts.into_iter().collect();
    let filled: Vec<Option<Arc<Article>>> = articles
        .iter_mut()
        .enumerate()
        .map(|(id, entry)| {
            entry.take().map(|(_, mut article)| {
                if let Some(text) = text_of.remove(&id) {
                    article.text = text;
                }
                article
            })
        })
        .map(|article| article.map(Arc::new))
        .collect();
    let segments = payload.segments.into_iter().map(Arc::new).collect();
    let corpus = Corpus::from_parts(filled, segments, roots, lexicon);
    if changed.is_empty() && removed.is_empty() {
        corpus
    } else {
        corpus.updated(changed, &removed)
    }
}

/// Writes the index of `corpus` atomically into the workspace's cache folder.
pub fn save(root: &Path, corpus: &Corpus) -> anyhow::Result<()> {
    use anyhow::Context;
    let compacted;
    let corpus = if corpus.retired_share() > COMPACT_ABOVE {
        compacted = corpus.compacted();
        &compacted
    } else {
        corpus
    };
    let (articles, segments) = corpus.parts();
    // Articles serialise without their texts (skipped fields): nothing is copied.
    let entries: Vec<Option<(FileKey, &Article)>> = articles
        .par_iter()
        .map(|article| {
            let article = article.as_ref()?;
            let key = key_of(Path::new(&article.path), xxhash_rust::xxh3::xxh3_64(article.text.as_bytes()))?;
            Some((key, article.as_ref()))
        })
        .collect();
    let payload = PayloadOut {
        version: env!("CARGO_PKG_VERSION"),
        lexicon: lexicon_hash(corpus.lexicon()),
        roots: corpus.roots(),
        articles: entries,
        segments: segments.iter().map(|s| s.as_ref()).collect(),
    };
    let mut bytes = postcard::to_stdvec(&payload)?;
    let checksum = xxhash_rust::xxh3::xxh3_64(&bytes);
    let folder = root.join(CACHE_FOLDER);
    std::fs::create_dir_all(&folder).with_context(|| format!("cannot create {}", folder.display()))?;
    remove_stale_temporaries(&folder);
    let temporary = folder.join(format!("{CACHE_FILE}.tmp-{}", std::process::id()));
    let mut file = std::fs::File::create(&temporary).with_context(|| format!("cannot write {}", temporary.display()))?;
    file.write_all(MAGIC)?;
    file.write_all(&FORMAT.to_le_bytes())?;
    file.write_all(&checksum.to_le_bytes())?;
    file.write_all(&bytes)?;
    file.sync_all()?;
    drop(file);
    bytes.clear();
    std::fs::rename(&temporary, cache_path(root)).with_context(|| format!("cannot replace {}", cache_path(root).display()))?;
    Ok(())
}

/// Serialises exactly like `Payload`, borrowing the live corpus instead of copying it.
#[derive(Serialize)]
struct PayloadOut<'a> {
    version: &'a str,
    lexicon: u64,
    roots: &'a [String],
    articles: Vec<Option<(FileKey, &'a Article)>>,
    segments: Vec<&'a Segment>,
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

    fn workspace() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let seeds = dir.path().join("seeds");
        std::fs::create_dir_all(&seeds).unwrap();
        std::fs::write(seeds.join("001_a.txt"), "First “é” report\n\nThe attack killed 139 people, officials said.\n").unwrap();
        std::fs::write(seeds.join("002_b.txt"), "Second report\n\nThe FSB arrested 11 people.\n").unwrap();
        std::fs::write(seeds.join("003_c.txt"), "Third report\n\nFloods in Narvik.\n").unwrap();
        dir
    }

    fn load(root: &Path, config: &Config) -> (Corpus, CacheReport, Vec<String>) {
        let mut warnings = Vec::new();
        let (corpus, report) = load_corpus(root, config, &mut warnings);
        (corpus, report, warnings)
    }

    fn killed(corpus: &Corpus, key: &str) -> Vec<String> {
        let Resolution::Found(id) = corpus.resolve(key) else { return Vec::new() };
        let article = corpus.article(id).unwrap();
        article.statements.iter().map(|s| article.text[s.span.clone()].to_string()).collect()
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
        assert_eq!(killed(&warm, "001"), killed(&cold, "001"));
        let query = crate::analysis::retrieval::query_terms("FSB arrested people", &[]);
        let hits = |c: &Corpus| {
            c.search(&query, 3, |_| true).iter().map(|h| c.article(h.sentence.article).unwrap().key.clone()).collect::<Vec<_>>()
        };
        assert_eq!(hits(&warm), hits(&cold));
        let Resolution::Found(id) = warm.resolve("001") else { panic!() };
        assert_eq!(warm.article(id).unwrap().line_of(warm.article(id).unwrap().text.len()), 3, "texts and line indexes are back");
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
        assert_eq!(report.rebuilt_because.as_deref(), Some("checksum mismatch (a partial or corrupted write)"));
        assert!(warnings.iter().any(|w| w.contains("not used: checksum mismatch")), "{warnings:?}");
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
