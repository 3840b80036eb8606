//! What a batch of file-system events means for the loaded workspace: which articles to re-index
//! or drop, which notes to re-read. Reads the changed files; never touches the server's state.

use std::path::PathBuf;
use std::sync::Arc;

use crate::analysis::checks::Snapshot;
use crate::analysis::corpus::article::ArticleSource;
use crate::analysis::note::Note;
use crate::workspace::config::{note_globs, Config, CONFIG_FILE};
use crate::workspace::files::{
    file_stem, is_article_file, is_note, is_sources_file, load_corpus, read_article, read_sources_files, read_text_file, Limits,
};
use crate::workspace::paths::{normalize, path_string};

/// The outcome of a batch of file events.
#[derive(Default)]
pub struct FileUpdate {
    /// The next corpus snapshot, when an article changed.
    pub corpus: Option<Arc<Snapshot>>,
    /// Notes re-read from disk (`None`: the note is gone).
    pub notes: Vec<(String, Option<Arc<Note>>)>,
    pub warnings: Vec<String>,
}

/// Whether the configuration itself changed (then everything is re-read).
pub fn touches_configuration(paths: &[PathBuf]) -> bool {
    paths.iter().any(|p| p.file_name().is_some_and(|n| n == CONFIG_FILE))
}

/// Reads what changed at `paths` under `root` and plans the update of `corpus` and the notes.
pub fn plan_file_changes(root: &std::path::Path, config: &Config, corpus: &Snapshot, paths: Vec<PathBuf>) -> anyhow::Result<FileUpdate> {
    let corpus_dirs = config.corpus_dirs(root);
    let globs = note_globs(config)?;
    let mut update = FileUpdate::default();
    let limits = Limits::of(config);
    let mut changed: Vec<ArticleSource> = Vec::new();
    let mut removed = Vec::new();
    let mut sources_file_changed = false;
    for path in paths {
        let path = normalize(&path);
        // With an archive, the corpus is the archive's: its folders change nothing until ingested.
        let in_corpus = config.database.is_none() && corpus_dirs.iter().any(|dir| path.starts_with(dir));
        if path.is_dir() {
            if in_corpus {
                changed.extend(load_corpus(root, &[path], limits, &mut update.warnings));
            }
            continue;
        }
        let path_text = path_string(&path);
        if in_corpus && is_sources_file(&path) {
            sources_file_changed = true;
        } else if in_corpus && is_article_file(&path) {
            match read_article(root, &path, limits) {
                Ok((source, warning)) => {
                    let unchanged = corpus
                        .article_by_path(&path_text)
                        .and_then(|id| corpus.article(id))
                        .is_some_and(|a| a.text == source.text && a.origin == source.origin);
                    update.warnings.extend(warning);
                    if !unchanged {
                        changed.push(source);
                    }
                }
                Err(error) => {
                    if path.exists() {
                        update.warnings.push(format!("{error:#}"));
                    }
                    removed.push(path_text);
                }
            }
        } else if in_corpus {
            // A folder was removed or renamed: drop every article that lived under it.
            let prefix = format!("{path_text}/");
            removed.extend(corpus.live().filter(|(_, a)| a.path.starts_with(&prefix)).map(|(_, a)| a.path.clone()));
        } else if is_note(root, &globs, &corpus_dirs, &path) {
            let note = read_text_file(&path).ok().map(|d| Arc::new(Note::parse(&path_text, &d.text)));
            update.notes.push((path_text, note));
        }
    }
    // Rows of the sources file go with the articles read now; when the file itself changed, every
    // article whose row is not the one it was read with is read again.
    if !changed.is_empty() || sources_file_changed {
        let mut problems = Vec::new();
        let table = read_sources_files(root, &corpus_dirs, &mut problems);
        if sources_file_changed {
            update.warnings.extend(problems);
        }
        for source in &mut changed {
            source.listed = table.row_for(file_stem(std::path::Path::new(&source.path))).cloned();
        }
        if sources_file_changed {
            let reread: std::collections::HashSet<String> = changed.iter().map(|s| s.path.clone()).collect();
            for (_, article) in corpus.live() {
                let row = table.row_for(&article.key).cloned();
                if row != article.listed && !reread.contains(&article.path) {
                    changed.push(article.relisted(row));
                }
            }
        }
    }
    if !changed.is_empty() || !removed.is_empty() {
        update.corpus = Some(Arc::new(corpus.updated(changed, &removed)));
    }
    Ok(update)
}
