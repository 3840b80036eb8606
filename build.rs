//! Stamps the build with a hash of the analysis sources: the index cache in `.noteproof/` holds
//! what the code extracted (sentences, figure statements), so a cache written by other code must
//! not be read, even when the package version is the same (a developer's build, a patched binary).

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

fn main() {
    println!("cargo:rerun-if-changed=src");
    let mut files = Vec::new();
    rust_files(Path::new("src"), &mut files);
    files.sort();
    // FNV-1a over each file's path and bytes: stable across machines and builds of the same sources.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for file in &files {
        let bytes = std::fs::read(file).unwrap_or_default();
        for byte in file.to_string_lossy().bytes().chain(bytes) {
            hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    println!("cargo:rustc-env=NOTEPROOF_SOURCE_HASH={hash:016x}");
}
