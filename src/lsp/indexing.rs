//! Workspace operations: the configuration in force, (re)indexing the corpus and the notes,
//! applying file changes, progress and status. File-system work runs on the blocking pool and
//! never under the state lock.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::Value;
use tower_lsp_server::ls_types as lsp;

use crate::lsp::custom::{StatusNotification, StatusParams};
use crate::lsp::state::{blocking, lock, ServerSnapshot, Shared, CLIENT_REQUEST_TIMEOUT};
use crate::workspace::changes::{plan_file_changes, touches_configuration};
use crate::workspace::{self, Config};

impl Shared {
    pub(super) async fn status(&self, state_name: &str, message: String) {
        let (articles, notes) = {
            let state = lock(&self.state);
            (state.corpus.len(), state.disk_notes.len())
        };
        let params = StatusParams { state: state_name.to_string(), articles, notes, message };
        self.client.send_notification::<StatusNotification>(params).await;
    }

    /// The configuration in force: `noteproof.json`, then the client's settings over it.
    pub(super) fn effective_config(&self, root: &Path) -> (Config, Option<String>) {
        let client_settings = lock(&self.state).client_settings.clone();
        let (mut config, mut problem) = match workspace::read_config(root) {
            Ok(config) => (config, None),
            Err(error) => (Config::default().with_environment(), Some(format!("{error:#}; using the defaults"))),
        };
        if let Some(settings) = client_settings {
            if let Err(error) = config.merge_json(&settings) {
                problem = Some(format!("invalid noteproof settings from the editor: {error:#}"));
            }
        }
        (config, problem)
    }

    /// Reads and indexes the corpus and the workspace's notes, then refreshes every open note.
    pub(super) async fn reindex(self: &Arc<Self>) {
        let _update = self.update_lock.lock().await;
        let Some(root) = lock(&self.state).root.clone() else {
            return;
        };
        let (config, problem) = self.effective_config(&root);
        if let Some(problem) = problem {
            self.client.show_message(lsp::MessageType::WARNING, format!("noteproof: {problem}")).await;
        }
        let progress = self.begin_progress().await;
        self.status("indexing", format!("indexing {}", root.display())).await;
        let started = std::time::Instant::now();
        let load_root = root.clone();
        let load_config = config.clone();
        let loaded = blocking(move || workspace::load_workspace(&load_root, &load_config)).await;
        let (message, warnings) = match loaded {
            Ok(Ok(loaded)) => {
                let whence = match &loaded.cache.archive {
                    Some((url, generation)) => format!("from the archive {url}, generation {generation}"),
                    None => format!("{} from the index cache, {} parsed", loaded.cache.reused, loaded.cache.parsed),
                };
                let message = format!(
                    "{} articles, {} notes indexed in {} ms ({whence})",
                    loaded.corpus.len(),
                    loaded.notes.len(),
                    started.elapsed().as_millis(),
                );
                // The index file is written aside while the server answers (it reads every
                // article's figure statements first, which warms the snapshot's cells too).
                loaded.saving.detach();
                let mut state = lock(&self.state);
                state.corpus = Arc::new(loaded.corpus);
                state.disk_notes = Arc::new(loaded.notes.into_iter().map(|n| (n.path.clone(), Arc::new(n))).collect());
                state.archive_generation = loaded.cache.archive.as_ref().map(|(_, generation)| *generation);
                state.config = config;
                state.indexed = true;
                (message, loaded.warnings)
            }
            Ok(Err(error)) if config.database.is_some() => {
                // The archive is away: the follower asks again and re-reads it when it answers.
                let message = format!("indexing failed: {error:#}; noteproof will ask again");
                self.client.show_message(lsp::MessageType::ERROR, format!("noteproof: {message}")).await;
                let mut state = lock(&self.state);
                state.archive_generation = None;
                state.config = config.clone();
                (message, Vec::new())
            }
            Ok(Err(error)) => (format!("indexing failed: {error:#}"), Vec::new()),
            Err(error) => (format!("indexing failed: {}", error.message), Vec::new()),
        };
        for warning in &warnings {
            self.client.log_message(lsp::MessageType::WARNING, format!("noteproof: {warning}")).await;
        }
        if !warnings.is_empty() {
            let summary = format!("noteproof: {} problem(s) while reading files, e.g. {}; see the log", warnings.len(), warnings[0]);
            self.client.show_message(lsp::MessageType::WARNING, summary).await;
        }
        self.client.log_message(lsp::MessageType::INFO, format!("noteproof: {message}")).await;
        if let Some(progress) = progress {
            progress.finish_with_message(message.clone()).await;
        }
        self.diagnostics_outdated();
        self.status("ready", message).await;
        if lock(&self.state).config.database.is_some() {
            self.follow_archive();
        }
    }

    pub(super) async fn begin_progress(
        &self,
    ) -> Option<tower_lsp_server::OngoingProgress<tower_lsp_server::Unbounded, tower_lsp_server::NotCancellable>> {
        if !lock(&self.state).capabilities.progress {
            return None;
        }
        let token = lsp::ProgressToken::String(format!("noteproof-index-{}", std::process::id()));
        let created = tokio::time::timeout(CLIENT_REQUEST_TIMEOUT, self.client.create_work_done_progress(token.clone())).await;
        if !matches!(created, Ok(Ok(()))) {
            return None;
        }
        Some(self.client.progress(token, "noteproof: indexing corpus").begin().await)
    }

    /// Applies file-system changes: re-indexes changed articles, re-reads changed notes.
    pub(super) async fn apply_file_changes(self: &Arc<Self>, paths: Vec<PathBuf>) {
        if touches_configuration(&paths) {
            return self.reindex().await;
        }
        let _update = self.update_lock.lock().await;
        let ServerSnapshot { root, config, corpus, indexed, .. } = self.snapshot();
        let Some(root) = root else {
            return;
        };
        if !indexed {
            return; // the running full index will see these files
        }
        let work = move || plan_file_changes(&root, &config, &corpus, paths);
        let update = match blocking(work).await {
            Ok(Ok(update)) => update,
            Ok(Err(error)) => return self.client.log_message(lsp::MessageType::ERROR, format!("noteproof: {error:#}")).await,
            Err(error) => return self.client.log_message(lsp::MessageType::ERROR, format!("noteproof: {}", error.message)).await,
        };
        let corpus_changed = update.corpus.is_some();
        {
            let mut state = lock(&self.state);
            if let Some(corpus) = update.corpus {
                state.corpus = corpus;
            }
            for (path, note) in update.notes {
                match note {
                    Some(note) => Arc::make_mut(&mut state.disk_notes).insert(path, note),
                    None => Arc::make_mut(&mut state.disk_notes).remove(&path),
                };
            }
        }
        for warning in update.warnings {
            self.client.log_message(lsp::MessageType::WARNING, format!("noteproof: {warning}")).await;
        }
        if corpus_changed {
            self.status("ready", "corpus updated".to_string()).await;
            self.diagnostics_outdated();
        }
    }

    pub(super) async fn fetch_client_configuration(&self) {
        if !lock(&self.state).capabilities.configuration {
            return;
        }
        let item = lsp::ConfigurationItem { scope_uri: None, section: Some("noteproof".into()) };
        match tokio::time::timeout(CLIENT_REQUEST_TIMEOUT, self.client.configuration(vec![item])).await {
            Ok(Ok(values)) => {
                if let Some(value) = values.into_iter().next().filter(Value::is_object) {
                    let mut state = lock(&self.state);
                    let mut merged = state.client_settings.clone().unwrap_or(Value::Object(Default::default()));
                    if let (Some(target), Some(source)) = (merged.as_object_mut(), value.as_object()) {
                        for (key, value) in source {
                            target.insert(key.clone(), value.clone());
                        }
                    }
                    state.client_settings = Some(merged);
                }
            }
            Ok(Err(error)) => eprintln!("noteproof: workspace/configuration failed: {}", error.message),
            Err(_) => eprintln!("noteproof: workspace/configuration timed out"),
        }
    }

    /// Sets the workspace root from an opened file when the client named no folder, or named one
    /// that is no noteproof workspace while the file lies in one. Looks at the disk without the lock.
    pub(super) fn ensure_root(&self, path: &str) -> bool {
        let (current, config) = {
            let state = lock(&self.state);
            (state.root.clone(), state.config.clone())
        };
        let Some(discovered) = workspace::config::root_for_opened_file(current.as_deref(), &config, Path::new(path)) else {
            return false;
        };
        let mut state = lock(&self.state);
        if state.root != current {
            return false; // another document moved the root meanwhile
        }
        state.root = Some(discovered);
        true
    }
}
