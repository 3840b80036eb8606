//! The workspace: configuration, reading corpus files and notes, the persisted index, and what
//! a change on disk means for the loaded state. All I/O of noteproof lives here; the analysis core
//! only sees paths and texts.

pub mod cache;
pub mod changes;
pub mod config;
pub mod database;
pub mod files;
pub mod paths;
pub mod priority;

use std::path::Path;
use std::sync::Arc;

use anyhow::Result;

use crate::analysis::checks::figures::lexicon::Lexicon;
use crate::analysis::checks::Snapshot;
use crate::analysis::corpus::library::Remote;
use crate::analysis::corpus::Corpus;
use crate::analysis::note::Note;
pub use config::{discover_root, find_workspace_root, read_config, Config, CONFIG_FILE};
pub use files::{is_article_file, note_paths, read_text_file};
pub use paths::{display_path, normalize, path_string};

/// A workspace read from disk and analysed: the corpus, the notes, and what went wrong on the way.
pub struct LoadedWorkspace {
    pub corpus: Snapshot,
    pub notes: Vec<Note>,
    pub warnings: Vec<String>,
    pub cache: cache::CacheReport,
    /// The index being written aside (see `cache::PendingSave`).
    pub saving: cache::PendingSave,
}

/// Loads the corpus (from the archive when one is configured, else through the persisted index)
/// and every note of the workspace at `root`.
pub fn load_workspace(root: &Path, config: &Config) -> Result<LoadedWorkspace> {
    let mut warnings = Vec::new();
    let (corpus, cache, saving) = match config.database_url() {
        Some(url) => {
            let (corpus, generation) = load_corpus_from_database(&url, config, database::Retry::ONCE)?;
            let report = cache::CacheReport { archive: Some((url.redacted(), generation)), ..Default::default() };
            (corpus, report, cache::PendingSave::none())
        }
        None => cache::load_corpus_saving_aside(root, config, &mut warnings),
    };
    let notes = files::load_notes(&files::note_paths(root, config, &config.corpus_dirs(root))?, &mut warnings);
    Ok(LoadedWorkspace { corpus, notes, warnings, cache, saving })
}

/// The corpus of the archive at `url`, whose articles are fetched when answers need them; with
/// the archive's generation.
pub fn load_corpus_from_database(url: &database::DatabaseUrl, config: &Config, retry: database::Retry) -> Result<(Snapshot, i64)> {
    let archive = database::read_listing(url, retry)?;
    let library = Arc::new(database::ArchiveLibrary::new(url.clone(), archive.ids, archive.with_posting_lists));
    let corpus = Corpus::remote(Remote::new(library.clone(), archive.listings, archive.totals), archive.roots);
    let lexicon = Lexicon::with_extensions(&config.lexicon);
    // The archive's statements are this reader's only when read as it would read them.
    let snapshot = if archive.extractor == Some(cache::statements_extractor(&lexicon) as i64) {
        Snapshot::from_parts(corpus, lexicon, Arc::new(database::ArchiveStatements::new(library)))
    } else {
        Snapshot::new(corpus, lexicon)
    };
    Ok((snapshot, archive.generation))
}

/// Reads and indexes the configured corpus folders.
pub fn load_corpus_dirs(root: &Path, config: &Config, warnings: &mut Vec<String>) -> Snapshot {
    let dirs = config.corpus_dirs(root);
    let sources = files::load_corpus(root, &dirs, files::Limits::of(config), warnings);
    let lexicon = Lexicon::with_extensions(&config.lexicon);
    Snapshot::build_with_lexicon(sources, dirs.iter().map(|d| path_string(d)).collect(), lexicon)
}
