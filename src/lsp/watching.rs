//! Watching files: through the client's `workspace/didChangeWatchedFiles` when it can register
//! watchers, otherwise with `notify`, batching bursts of events.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use tower_lsp_server::ls_types as lsp;

use crate::lsp::state::{lock, ServerSnapshot, Shared, CLIENT_REQUEST_TIMEOUT};

/// File events arrive in bursts (an editor's save, a `git checkout`): gather them first.
const FILE_EVENT_BATCH: Duration = Duration::from_millis(100);

impl Shared {
    /// Watches the workspace and corpus folders with `notify`, for clients that cannot watch for us.
    pub(super) fn start_own_watcher(self: &Arc<Self>, root: &Path, corpus_dirs: &[PathBuf]) -> Option<notify::RecommendedWatcher> {
        use notify::Watcher;
        let (sender, mut receiver) = tokio::sync::mpsc::unbounded_channel::<PathBuf>();
        let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
            if let Ok(event) = event {
                if !matches!(event.kind, notify::EventKind::Access(_)) {
                    for path in event.paths {
                        let _ = sender.send(path);
                    }
                }
            }
        })
        .map_err(|error| eprintln!("noteproof: cannot watch files: {error}"))
        .ok()?;
        let mut watched = 0;
        for dir in std::iter::once(root).chain(corpus_dirs.iter().map(PathBuf::as_path)) {
            if dir.is_dir() && (dir == root || !dir.starts_with(root)) {
                match watcher.watch(dir, notify::RecursiveMode::Recursive) {
                    Ok(()) => watched += 1,
                    Err(error) => eprintln!("noteproof: cannot watch {}: {error}", dir.display()),
                }
            }
        }
        let shared = self.clone();
        tokio::spawn(async move {
            while let Some(first) = receiver.recv().await {
                tokio::time::sleep(FILE_EVENT_BATCH).await;
                let mut paths = vec![first];
                while let Ok(path) = receiver.try_recv() {
                    paths.push(path);
                }
                paths.retain(|p| !p.components().any(|c| c.as_os_str() == ".noteproof" || c.as_os_str() == ".git"));
                paths.sort();
                paths.dedup();
                if !paths.is_empty() {
                    shared.apply_file_changes(paths).await;
                }
            }
        });
        (watched > 0).then_some(watcher)
    }

    pub(super) async fn register_client_watchers(&self) -> bool {
        let watchers: Vec<lsp::FileSystemWatcher> =
            ["**/*.txt", "**/*.md", "**/*.html", "**/*.htm", "**/*.pdf", "**/sources.csv", "**/noteproof.json"]
                .iter()
                .map(|glob| lsp::FileSystemWatcher { glob_pattern: lsp::GlobPattern::String(glob.to_string()), kind: None })
                .collect();
        let options = lsp::DidChangeWatchedFilesRegistrationOptions { watchers };
        let registration = lsp::Registration {
            id: "noteproof-watch".into(),
            method: "workspace/didChangeWatchedFiles".into(),
            register_options: serde_json::to_value(options).ok(),
        };
        matches!(tokio::time::timeout(CLIENT_REQUEST_TIMEOUT, self.client.register_capability(vec![registration])).await, Ok(Ok(())))
    }

    pub(super) async fn start_watching(self: &Arc<Self>) {
        let ServerSnapshot { root, config, capabilities, .. } = self.snapshot();
        let Some(root) = root else {
            return;
        };
        if capabilities.watch_registration && self.register_client_watchers().await {
            return;
        }
        let watcher = self.start_own_watcher(&root, &config.corpus_dirs(&root));
        lock(&self.state).watcher = watcher;
    }
}
