//! File paths as the workspace names them: absolute and normalised, as text, relative for display.

use std::path::{Path, PathBuf};

/// Lexically absolute and normalised, without touching the disk beyond the current directory.
pub fn normalize(path: &Path) -> PathBuf {
    let absolute = if path.is_absolute() { path.to_path_buf() } else { std::env::current_dir().unwrap_or_default().join(path) };
    PathBuf::from(crate::analysis::text::paths::normalize_path(&absolute.to_string_lossy()))
}

pub fn path_string(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

/// `path` relative to `root` when inside it, else as it is.
pub fn display_path(root: &Path, path: &Path) -> String {
    path.strip_prefix(root).unwrap_or(path).to_string_lossy().into_owned()
}
