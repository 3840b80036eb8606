//! The only file-system reads of corpus files and notes. Reading is tolerant: invalid UTF-8 is
//! read lossily, binary files are skipped, and each problem becomes one warning naming the file.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use globset::GlobSet;
use rayon::prelude::*;

use crate::analysis::corpus::article::ArticleSource;
use crate::analysis::note::Note;
use crate::workspace::config::{note_globs, Config};
use crate::workspace::paths::{display_path, path_string};

/// A file larger than this is not news copy; reading it would only cost memory.
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
    let metadata = std::fs::metadata(path).with_context(|| format!("cannot read {}", path.display()))?;
    if metadata.len() > MAX_FILE_BYTES {
        anyhow::bail!("{} is larger than {} MB; skipped", path.display(), MAX_FILE_BYTES / 1024 / 1024);
    }
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
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

/// Every `.txt` and `.md` file under the corpus folders, read in parallel.
pub fn load_corpus(root: &Path, dirs: &[PathBuf], warnings: &mut Vec<String>) -> Vec<ArticleSource> {
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
    let read: Vec<std::result::Result<(ArticleSource, Option<String>), String>> = paths
        .par_iter()
        .map(|path| {
            let decoded = read_text_file(path).map_err(|e| format!("{e:#}"))?;
            Ok((ArticleSource { path: path_string(path), display_path: display_path(root, path), text: decoded.text }, decoded.warning))
        })
        .collect();
    let mut sources = Vec::with_capacity(read.len());
    for result in read {
        match result {
            Ok((source, warning)) => {
                warnings.extend(warning);
                sources.push(source);
            }
            Err(warning) => warnings.push(warning),
        }
    }
    sources
}

pub fn is_article_file(path: &Path) -> bool {
    matches!(path.extension().and_then(|e| e.to_str()), Some("txt" | "md"))
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
