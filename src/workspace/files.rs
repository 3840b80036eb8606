//! The only file-system reads of corpus files and notes. Reading is tolerant: invalid UTF-8 is
//! read lossily, binary files are skipped, and each problem becomes one warning naming the file.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use globset::GlobSet;
use rayon::prelude::*;

use crate::analysis::corpus::article::ArticleSource;
use crate::analysis::corpus::sources_file::{parse_sources_file, SourcesTable, SOURCES_FILE};
use crate::analysis::note::Note;
use crate::workspace::config::{note_globs, Config};
use crate::workspace::paths::{display_path, path_string};

/// A note larger than this is not a note; reading it would only cost memory.
const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Folders never searched for notes: tool caches and dependencies.
const SKIPPED_FOLDERS: &[&str] = &[".git", ".noteproof", "node_modules", "target", ".venv"];

/// A file's text, and a warning when it had to be read lossily.
pub struct Decoded {
    pub text: String,
    pub warning: Option<String>,
}

/// Reads a text file tolerantly. Errors: unreadable, too large, or binary.
pub fn read_text_file(path: &Path) -> Result<Decoded> {
    read_text_file_limited(path, MAX_FILE_BYTES)
}

fn read_text_file_limited(path: &Path, max_bytes: u64) -> Result<Decoded> {
    let bytes = read_bytes(path, max_bytes)?;
    decode(bytes).map_err(|reason| anyhow::anyhow!("{} {reason}; skipped", path.display())).map(|(text, lossy)| Decoded {
        text,
        warning: lossy.then(|| format!("{} is not valid UTF-8; read with replacement characters", path.display())),
    })
}

/// Decodes UTF-8 (with or without a byte-order mark) or BOM-marked UTF-16; refuses binary data.
/// NUL bytes in otherwise textual data become spaces, so byte offsets stay put.
fn decode(mut bytes: Vec<u8>) -> std::result::Result<(String, bool), &'static str> {
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]).map(|r| (r, true)).or(bytes.strip_prefix(&[0xFE, 0xFF]).map(|r| (r, false))) {
        let (data, little_endian) = rest;
        let units =
            data.chunks_exact(2).map(|p| if little_endian { u16::from_le_bytes([p[0], p[1]]) } else { u16::from_be_bytes([p[0], p[1]]) });
        let text: String = char::decode_utf16(units).map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER)).collect();
        return Ok((text, false));
    }
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes.drain(..3);
    }
    let sample = &bytes[..bytes.len().min(8192)];
    let controls = sample.iter().filter(|&&b| b < 0x09 || (0x0E..0x20).contains(&b)).count();
    if controls >= 4 && controls * 10 > sample.len() {
        return Err("looks like a binary file");
    }
    // NUL bytes become spaces (one byte each, so offsets stay put) before decoding.
    for byte in bytes.iter_mut().filter(|b| **b == 0) {
        *byte = b' ';
    }
    // Valid UTF-8 (nearly every file) is taken as it is, without a copy.
    Ok(match String::from_utf8(bytes) {
        Ok(text) => (text, false),
        Err(error) => (String::from_utf8_lossy(error.as_bytes()).into_owned(), true),
    })
}

/// What one corpus file may cost: bigger files and longer PDFs are skipped with a warning.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub max_bytes: u64,
    pub max_pdf_pages: usize,
}

impl Limits {
    pub fn of(config: &Config) -> Limits {
        Limits { max_bytes: config.max_file_megabytes.saturating_mul(1024 * 1024), max_pdf_pages: config.max_pdf_pages }
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits::of(&Config::default())
    }
}

/// A corpus file as the loader found it.
pub enum CorpusFile {
    /// Text to parse: a `.txt` or `.md` file, or a page or PDF extracted now.
    Read(Box<ArticleSource>),
    /// A page or PDF whose bytes are those the index was built from: its text is in the index.
    Unchanged { path: String },
}

/// The kinds of corpus file, by extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    Text,
    Page,
    Pdf,
}

pub fn file_kind(path: &Path) -> Option<FileKind> {
    let extension = path.extension()?.to_str()?.to_ascii_lowercase();
    match extension.as_str() {
        "txt" | "md" => Some(FileKind::Text),
        "html" | "htm" => Some(FileKind::Page),
        "pdf" => Some(FileKind::Pdf),
        _ => None,
    }
}

pub fn is_article_file(path: &Path) -> bool {
    file_kind(path).is_some()
}

/// Reads one corpus file: decodes text, extracts a page's article or a PDF's pages. The error
/// names the file and says what to do; a warning says what was read imperfectly.
pub fn read_article(root: &Path, path: &Path, limits: Limits) -> Result<(ArticleSource, Option<String>)> {
    let kind = file_kind(path).with_context(|| format!("{} is not a corpus file (.txt, .md, .html, .htm or .pdf)", path.display()))?;
    if kind == FileKind::Text {
        let decoded = read_text_file_limited(path, limits.max_bytes)?;
        return Ok((ArticleSource { text: decoded.text, ..identity(root, path) }, decoded.warning));
    }
    extract_document(root, path, kind, read_bytes(path, limits.max_bytes)?, limits)
}

fn identity(root: &Path, path: &Path) -> ArticleSource {
    ArticleSource { path: path_string(path), display_path: display_path(root, path), ..Default::default() }
}

/// The article of a saved page or a PDF, from the file's bytes.
fn extract_document(root: &Path, path: &Path, kind: FileKind, bytes: Vec<u8>, limits: Limits) -> Result<(ArticleSource, Option<String>)> {
    let hash = xxhash_rust::xxh3::xxh3_64(&bytes);
    let skipped = |why: String| anyhow::anyhow!("{} {why}; skipped", path.display());
    let (extracted, warning) = if kind == FileKind::Page {
        let (html, lossy) = decode(bytes).map_err(|reason| skipped(reason.to_string()))?;
        let warning = lossy.then(|| format!("{} is not valid UTF-8; read with replacement characters", path.display()));
        (crate::analysis::corpus::html::extract_page(&html, hash).map_err(skipped)?, warning)
    } else {
        (crate::analysis::corpus::pdf::extract_pdf(&bytes, hash, limits.max_pdf_pages).map_err(skipped)?, None)
    };
    Ok((ArticleSource { text: extracted.text, origin: extracted.origin, file_meta: extracted.meta, ..identity(root, path) }, warning))
}

fn read_bytes(path: &Path, max_bytes: u64) -> Result<Vec<u8>> {
    let metadata = std::fs::metadata(path).with_context(|| format!("cannot read {}", path.display()))?;
    if metadata.len() > max_bytes {
        anyhow::bail!(
            "{} is larger than {} MB; skipped (raise \"maxFileMegabytes\" in noteproof.json to read it)",
            path.display(),
            max_bytes / 1024 / 1024
        );
    }
    std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))
}

/// Every corpus file under the corpus folders, read in parallel. A page or PDF for which
/// `unchanged(path, hash of its bytes)` holds is not extracted again. Each sources file is
/// read, and its rows attached to the articles they name.
pub fn read_corpus(
    root: &Path,
    dirs: &[PathBuf],
    limits: Limits,
    unchanged: &(dyn Fn(&str, u64) -> bool + Sync),
    warnings: &mut Vec<String>,
) -> (Vec<CorpusFile>, SourcesTable) {
    let reader = CorpusReader::new(root, dirs, limits, warnings);
    let files = reader.read(reader.paths(), unchanged, warnings);
    (files, reader.table)
}

/// The corpus files under the corpus folders, to be read a part at a time (an ingest of millions
/// of articles cannot hold them all), in the order `read_corpus` gives them.
pub struct CorpusReader<'a> {
    root: &'a Path,
    limits: Limits,
    paths: Vec<PathBuf>,
    /// The sources files' rows, attached to the articles they name.
    pub table: SourcesTable,
}

impl<'a> CorpusReader<'a> {
    /// Finds the corpus files and reads the sources files.
    pub fn new(root: &'a Path, dirs: &[PathBuf], limits: Limits, warnings: &mut Vec<String>) -> CorpusReader<'a> {
        let mut paths = Vec::new();
        for dir in dirs {
            if !dir.is_dir() {
                warnings.push(format!("corpus folder {} does not exist; no articles loaded from it", dir.display()));
                continue;
            }
            paths.extend(walk(dir, &[]).into_iter().filter(|p| is_article_file(p)));
        }
        paths.sort();
        paths.dedup();
        let table = read_sources_files(root, dirs, warnings);
        CorpusReader { root, limits, paths, table }
    }

    /// Every corpus file's path, sorted.
    pub fn paths(&self) -> &[PathBuf] {
        &self.paths
    }

    /// The files at `paths`, read in parallel, in order; those that cannot be read become warnings.
    pub fn read(&self, paths: &[PathBuf], unchanged: &(dyn Fn(&str, u64) -> bool + Sync), warnings: &mut Vec<String>) -> Vec<CorpusFile> {
        let (root, limits, table) = (self.root, self.limits, &self.table);
        let read: Vec<std::result::Result<(CorpusFile, Option<String>), String>> = paths
            .par_iter()
            .map(|path| {
                let read = match file_kind(path) {
                    // A page or PDF is read once: its bytes' hash says whether the index holds its text.
                    Some(kind @ (FileKind::Page | FileKind::Pdf)) => {
                        let bytes = read_bytes(path, limits.max_bytes).map_err(|e| format!("{e:#}"))?;
                        if unchanged(&path_string(path), xxhash_rust::xxh3::xxh3_64(&bytes)) {
                            return Ok((CorpusFile::Unchanged { path: path_string(path) }, None));
                        }
                        extract_document(root, path, kind, bytes, limits)
                    }
                    _ => read_article(root, path, limits),
                };
                let (mut source, warning) = read.map_err(|e| format!("{e:#}"))?;
                source.listed = table.row_for(file_stem(path)).cloned();
                Ok((CorpusFile::Read(Box::new(source)), warning))
            })
            .collect();
        let mut files = Vec::with_capacity(read.len());
        for result in read {
            match result {
                Ok((file, warning)) => {
                    warnings.extend(warning);
                    files.push(file);
                }
                Err(warning) => warnings.push(warning),
            }
        }
        files
    }
}

/// Every corpus file under the corpus folders, read and extracted.
pub fn load_corpus(root: &Path, dirs: &[PathBuf], limits: Limits, warnings: &mut Vec<String>) -> Vec<ArticleSource> {
    read_corpus(root, dirs, limits, &|_, _| false, warnings)
        .0
        .into_iter()
        .filter_map(|file| match file {
            CorpusFile::Read(source) => Some(*source),
            CorpusFile::Unchanged { .. } => None,
        })
        .collect()
}

/// The sources files of the corpus folders (`sources.csv`), merged; problems become warnings.
pub fn read_sources_files(root: &Path, dirs: &[PathBuf], warnings: &mut Vec<String>) -> SourcesTable {
    let mut table = SourcesTable::default();
    for dir in dirs {
        let path = dir.join(SOURCES_FILE);
        if !path.is_file() {
            continue;
        }
        match read_text_file(&path) {
            Ok(decoded) => {
                let (rows, problems) = parse_sources_file(&decoded.text, &display_path(root, &path));
                warnings.extend(decoded.warning);
                warnings.extend(problems);
                table.merge(rows);
            }
            Err(error) => warnings.push(format!("{error:#}")),
        }
    }
    table
}

pub fn is_sources_file(path: &Path) -> bool {
    path.file_name().is_some_and(|name| name == SOURCES_FILE)
}

/// The name an article is cited by: its file name without the extension.
pub fn file_stem(path: &Path) -> &str {
    path.file_stem().and_then(|s| s.to_str()).unwrap_or("")
}

/// The notes of the workspace: markdown files that match the note globs and lie outside the corpus.
pub fn note_paths(root: &Path, config: &Config, corpus_dirs: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let globs = note_globs(config)?;
    let mut paths: Vec<PathBuf> = walk(root, corpus_dirs)
        .into_iter()
        .filter(|path| path.extension().is_some_and(|e| e == "md"))
        .filter(|path| path.strip_prefix(root).is_ok_and(|relative| globs.is_match(relative)))
        .collect();
    paths.sort();
    Ok(paths)
}

/// Whether `path` is a note of this workspace (matches the globs, is not in the corpus).
pub fn is_note(root: &Path, globs: &GlobSet, corpus_dirs: &[PathBuf], path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "md")
        && !corpus_dirs.iter().any(|dir| path.starts_with(dir))
        && path.strip_prefix(root).is_ok_and(|relative| globs.is_match(relative))
}

/// Files under `dir`, never following symbolic links (no loops, nothing outside the roots),
/// skipping hidden folders, tool folders and the `skip` folders.
fn walk(dir: &Path, skip: &[PathBuf]) -> Vec<PathBuf> {
    let skip = skip.to_vec();
    ignore::WalkBuilder::new(dir)
        .standard_filters(false)
        .hidden(true)
        .follow_links(false)
        .filter_entry(move |entry| {
            let name = entry.file_name().to_string_lossy();
            let skipped_folder = entry.depth() > 0 && SKIPPED_FOLDERS.contains(&name.as_ref());
            !skipped_folder && !skip.iter().any(|s| entry.path() == s)
        })
        .build()
        .filter_map(|entry| entry.ok())
        .filter(|entry| entry.file_type().is_some_and(|t| t.is_file()))
        .map(|entry| entry.into_path())
        .collect()
}

/// Reads and parses notes in parallel; unreadable ones become warnings.
/// Reads and parses the notes at `paths` in parallel: for each, in order, the note and any
/// decoding warning, or why it could not be read.
pub fn read_notes(paths: &[PathBuf]) -> Vec<Result<(Note, Option<String>)>> {
    paths
        .par_iter()
        .map(|path| {
            let decoded = read_text_file(path)?;
            Ok((Note::parse(&path_string(path), &decoded.text), decoded.warning))
        })
        .collect()
}

pub fn load_notes(paths: &[PathBuf], warnings: &mut Vec<String>) -> Vec<Note> {
    let mut notes = Vec::new();
    for result in read_notes(paths) {
        match result {
            Ok((note, warning)) => {
                warnings.extend(warning);
                notes.push(note);
            }
            Err(error) => warnings.push(format!("{error:#}")),
        }
    }
    notes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_boms_lossy_utf8_nuls_and_refuses_binary() {
        assert_eq!(decode(b"\xEF\xBB\xBFhello".to_vec()).unwrap(), ("hello".to_string(), false));
        assert_eq!(decode(b"caf\xE9 ok".to_vec()).unwrap(), ("caf\u{FFFD} ok".to_string(), true));
        assert_eq!(decode(b"a\0b".to_vec()).unwrap().0, "a b");
        assert_eq!(decode(vec![0xFF, 0xFE, b'h', 0, b'i', 0]).unwrap().0, "hi");
        assert!(decode(vec![0u8, 1, 2, 3, 4, 5, 6, 7, 0, 0, 0, 0]).is_err());
        assert_eq!(decode(Vec::new()).unwrap().0, "");
    }
}
