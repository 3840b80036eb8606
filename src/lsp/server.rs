//! The language server: shared state, scheduling, and the LSP handlers.
//!
//! Invariants:
//! - every `didOpen`/`didChange`/`didClose` is applied to the document store
//!   synchronously, before the handler's first `.await`, so edits keep their order;
//! - CPU work runs on the blocking pool (`spawn_blocking`); a panic there becomes
//!   a JSON-RPC error for that one request and the session goes on;
//! - results computed for an older generation of a document are dropped;
//! - every request to the client has a timeout, and no lock is held across `.await`.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use tower_lsp_server::jsonrpc::{Error as RpcError, Result as RpcResult};
use tower_lsp_server::ls_types as lsp;
use tower_lsp_server::{Client, LanguageServer};

use crate::analysis::checks::diagnostics;
use crate::analysis::checks::findings::Finding;
use crate::analysis::checks::Snapshot;
use crate::analysis::ide::{completion, definition, hover, references, symbols};
use crate::analysis::note::Note;
use crate::convert::{to_offset, Encoding, Position};
use crate::lsp::documents::{Change, ChangeOutcome, Documents};
use crate::lsp::to_proto;
use crate::workspace::changes::{plan_file_changes, touches_configuration};
use crate::workspace::{self, Config};

/// Typing pauses are rarely shorter than this; analysing every keystroke would only burn CPU.
const DIAGNOSTICS_DEBOUNCE: Duration = Duration::from_millis(80);
/// A client that does not answer a request within this time is not waited for.
const CLIENT_REQUEST_TIMEOUT: Duration = Duration::from_secs(5);
/// File events arrive in bursts (an editor's save, a `git checkout`): gather them first.
const FILE_EVENT_BATCH: Duration = Duration::from_millis(100);

pub const COMMAND_REINDEX: &str = "noteproof.reindex";
pub const COMMAND_FACTS: &str = "noteproof.facts";

pub struct Server {
    shared: Arc<Shared>,
}

struct Shared {
    client: Client,
    state: Mutex<State>,
    /// Serialises corpus (re)indexing so that two updates never overwrite each other.
    update_lock: tokio::sync::Mutex<()>,
}

#[derive(Default)]
struct State {
    encoding: Encoding,
    root: Option<PathBuf>,
    /// Settings from the client (initialization options, then `workspace/configuration`).
    client_settings: Option<Value>,
    config: Config,
    corpus: Arc<Snapshot>,
    indexed: bool,
    /// Notes of the workspace as they are on disk, for references; open documents take precedence.
    disk_notes: BTreeMap<String, Arc<Note>>,
    documents: Documents,
    capabilities: ClientSupport,
    /// Keeps the file watcher alive when the server watches files itself.
    watcher: Option<notify::RecommendedWatcher>,
}

#[derive(Clone, Copy, Default)]
struct ClientSupport {
    watch_registration: bool,
    progress: bool,
    configuration: bool,
}

/// `noteproof/status`: indexing progress and the size of the corpus, for status bars.
#[derive(Debug, Serialize, Deserialize)]
pub struct StatusParams {
    pub state: String,
    pub articles: usize,
    pub notes: usize,
    pub message: String,
}

enum StatusNotification {}
impl lsp::notification::Notification for StatusNotification {
    type Params = StatusParams;
    const METHOD: &'static str = "noteproof/status";
}

/// `noteproof/documentState`: the server's view of an open document (for tests and bug reports).
#[derive(Debug, Deserialize)]
pub struct DocumentStateParams {
    pub uri: lsp::Uri,
}

#[derive(Debug, Serialize)]
pub struct DocumentState {
    pub version: i32,
    pub text: String,
}

fn lock(mutex: &Mutex<State>) -> MutexGuard<'_, State> {
    // A panic elsewhere must not take the whole session down with a poisoned lock.
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn internal_error(message: impl Into<String>) -> RpcError {
    RpcError { code: tower_lsp_server::jsonrpc::ErrorCode::InternalError, message: message.into().into(), data: None }
}

/// Runs CPU work off the protocol task; a panic becomes an error for this request only.
async fn blocking<R: Send + 'static>(work: impl FnOnce() -> R + Send + 'static) -> RpcResult<R> {
    tokio::task::spawn_blocking(work).await.map_err(|error| {
        let message =
            if error.is_panic() { "internal error while analysing (a bug in noteproof; see its log)" } else { "analysis was cancelled" };
        eprintln!("noteproof: {message}: {error}");
        internal_error(message)
    })
}

/// The path the core uses for a document: its file path, or the URI itself when it has none.
fn document_path(uri: &lsp::Uri) -> String {
    if uri.scheme().as_str() == "file" {
        if let Some(path) = uri.to_file_path() {
            return workspace::path_string(&workspace::normalize(&path));
        }
    }
    uri.as_str().to_string()
}

fn position(position: lsp::Position) -> Position {
    Position { line: position.line, character: position.character }
}

impl Server {
    pub fn new(client: Client) -> Server {
        Server { shared: Arc::new(Shared { client, state: Mutex::new(State::default()), update_lock: tokio::sync::Mutex::new(()) }) }
    }

    /// `noteproof/debugPanic` (registered only with `NOTEPROOF_TEST_HOOKS=1`): panics while
    /// analysing, so that tests can see one request fail and the session go on.
    pub async fn debug_panic(&self) -> RpcResult<()> {
        blocking(|| panic!("a panic requested through noteproof/debugPanic")).await
    }

    pub async fn document_state(&self, params: DocumentStateParams) -> RpcResult<Option<DocumentState>> {
        let state = lock(&self.shared.state);
        Ok(state.documents.get(params.uri.as_str()).map(|d| DocumentState { version: d.version, text: d.rope.to_string() }))
    }
}

impl Shared {
    fn is_article_path(state: &State, path: &str) -> bool {
        state.corpus.article_by_path(path).is_some() || state.corpus.is_within_roots(path)
    }

    /// The parsed note for an open document, parsing it if this text has not been parsed yet.
    async fn note(&self, uri: &lsp::Uri) -> RpcResult<Option<(Arc<Snapshot>, Arc<Note>, Encoding)>> {
        let (text, path, generation, corpus, encoding) = {
            let state = lock(&self.state);
            let Some(document) = state.documents.get(uri.as_str()) else {
                return Ok(None);
            };
            if !state.indexed || Self::is_article_path(&state, &document.path) {
                return Ok(None);
            }
            if let Some(note) = &document.parsed {
                return Ok(Some((state.corpus.clone(), note.clone(), state.encoding)));
            }
            (document.rope.to_string(), document.path.clone(), document.generation, state.corpus.clone(), state.encoding)
        };
        let note = Arc::new(blocking(move || Note::parse(&path, &text)).await?);
        let mut state = lock(&self.state);
        if let Some(document) = state.documents.get_mut(uri.as_str()) {
            if document.generation == generation {
                document.parsed = Some(note.clone());
            }
        }
        Ok(Some((corpus, note, encoding)))
    }

    /// Runs `answer` over an open note at an editor position, off the protocol task.
    async fn at_position<R: Send + 'static>(
        &self,
        uri: &lsp::Uri,
        at: lsp::Position,
        answer: impl FnOnce(&Snapshot, &Note, usize, Encoding) -> Option<R> + Send + 'static,
    ) -> RpcResult<Option<R>> {
        let Some((corpus, note, encoding)) = self.note(uri).await? else {
            return Ok(None);
        };
        blocking(move || {
            let offset = to_offset(&note.text, &note.line_index, position(at), encoding);
            answer(&corpus, &note, offset, encoding)
        })
        .await
    }

    fn schedule_diagnostics(self: &Arc<Self>, uri: lsp::Uri, delay: Duration) {
        let shared = self.clone();
        tokio::spawn(async move {
            if !delay.is_zero() {
                tokio::time::sleep(delay).await;
            }
            if let Err(error) = shared.publish_diagnostics(uri).await {
                eprintln!("noteproof: diagnostics failed: {}", error.message);
            }
        });
    }

    async fn publish_diagnostics(&self, uri: lsp::Uri) -> RpcResult<()> {
        let (generation, version, blocks) = {
            let state = lock(&self.state);
            let Some(document) = state.documents.get(uri.as_str()) else {
                return Ok(());
            };
            (document.generation, document.version, document.blocks.clone())
        };
        let Some((corpus, note, encoding)) = self.note(&uri).await? else {
            return Ok(());
        };
        let (findings, diagnostics) = blocking(move || {
            let mut blocks = blocks.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            let findings = diagnostics::check_note_cached(&corpus, &note, &mut blocks);
            let converted: Vec<lsp::Diagnostic> = findings.iter().map(|f| to_proto::diagnostic(f, &note, &corpus, encoding)).collect();
            (findings, converted)
        })
        .await?;
        {
            let mut state = lock(&self.state);
            let Some(document) = state.documents.get_mut(uri.as_str()) else {
                return Ok(());
            };
            if document.generation != generation {
                return Ok(()); // the text changed meanwhile; a newer run will publish
            }
            document.findings = Some(Arc::new(findings));
        }
        self.client.publish_diagnostics(uri, diagnostics, Some(version)).await;
        Ok(())
    }

    async fn findings(&self, uri: &lsp::Uri) -> RpcResult<Option<(Arc<Snapshot>, Arc<Note>, Arc<Vec<Finding>>, Encoding)>> {
        let Some((corpus, note, encoding)) = self.note(uri).await? else {
            return Ok(None);
        };
        let cached = lock(&self.state).documents.get(uri.as_str()).and_then(|d| d.findings.clone());
        let findings = match cached {
            Some(findings) => findings,
            None => {
                let (corpus, note) = (corpus.clone(), note.clone());
                Arc::new(blocking(move || diagnostics::check_note(&corpus, &note)).await?)
            }
        };
        Ok(Some((corpus, note, findings, encoding)))
    }

    fn republish_all(self: &Arc<Self>) {
        let uris: Vec<lsp::Uri> = {
            let state = lock(&self.state);
            state.documents.uris().filter_map(|u| u.parse().ok()).collect()
        };
        for uri in uris {
            self.schedule_diagnostics(uri, Duration::ZERO);
        }
    }

    async fn status(&self, state_name: &str, message: String) {
        let (articles, notes) = {
            let state = lock(&self.state);
            (state.corpus.len(), state.disk_notes.len())
        };
        let params = StatusParams { state: state_name.to_string(), articles, notes, message };
        self.client.send_notification::<StatusNotification>(params).await;
    }

    /// The configuration in force: `noteproof.json`, then the client's settings over it.
    fn effective_config(&self, root: &Path) -> (Config, Option<String>) {
        let client_settings = lock(&self.state).client_settings.clone();
        let (mut config, mut problem) = match workspace::read_config(root) {
            Ok(config) => (config, None),
            Err(error) => (Config::default(), Some(format!("{error:#}; using the defaults"))),
        };
        if let Some(settings) = client_settings {
            if let Err(error) = config.merge_json(&settings) {
                problem = Some(format!("invalid noteproof settings from the editor: {error:#}"));
            }
        }
        (config, problem)
    }

    /// Reads and indexes the corpus and the workspace's notes, then refreshes every open note.
    async fn reindex(self: &Arc<Self>) {
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
                let message = format!(
                    "{} articles, {} notes indexed in {} ms ({} from the index cache, {} parsed)",
                    loaded.corpus.len(),
                    loaded.notes.len(),
                    started.elapsed().as_millis(),
                    loaded.cache.reused,
                    loaded.cache.parsed
                );
                let mut state = lock(&self.state);
                state.corpus = Arc::new(loaded.corpus);
                state.disk_notes = loaded.notes.into_iter().map(|n| (n.path.clone(), Arc::new(n))).collect();
                state.config = config;
                state.indexed = true;
                (message, loaded.warnings)
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
        self.clear_findings();
        self.republish_all();
        self.status("ready", message).await;
    }

    fn clear_findings(&self) {
        let mut state = lock(&self.state);
        let uris: Vec<String> = state.documents.uris().cloned().collect();
        for uri in uris {
            if let Some(document) = state.documents.get_mut(&uri) {
                document.findings = None;
            }
        }
    }

    async fn begin_progress(
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
    async fn apply_file_changes(self: &Arc<Self>, paths: Vec<PathBuf>) {
        if touches_configuration(&paths) {
            return self.reindex().await;
        }
        let _update = self.update_lock.lock().await;
        let (root, config, corpus) = {
            let state = lock(&self.state);
            let Some(root) = state.root.clone() else {
                return;
            };
            if !state.indexed {
                return; // the running full index will see these files
            }
            (root, state.config.clone(), state.corpus.clone())
        };
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
                    Some(note) => state.disk_notes.insert(path, note),
                    None => state.disk_notes.remove(&path),
                };
            }
        }
        for warning in update.warnings {
            self.client.log_message(lsp::MessageType::WARNING, format!("noteproof: {warning}")).await;
        }
        if corpus_changed {
            self.status("ready", "corpus updated".to_string()).await;
            self.clear_findings();
            self.republish_all();
        }
    }

    /// Watches the workspace and corpus folders with `notify`, for clients that cannot watch for us.
    fn start_own_watcher(self: &Arc<Self>, root: &Path, corpus_dirs: &[PathBuf]) -> Option<notify::RecommendedWatcher> {
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

    async fn register_client_watchers(&self) -> bool {
        let watchers: Vec<lsp::FileSystemWatcher> = ["**/*.txt", "**/*.md", "**/noteproof.json"]
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

    async fn fetch_client_configuration(&self) {
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
    /// that is no noteproof workspace (no `noteproof.json`, no corpus folder) while the file lies in one.
    fn ensure_root(&self, path: &str) -> bool {
        let mut state = lock(&self.state);
        if !path.starts_with('/') {
            return false;
        }
        let is_workspace =
            |root: &Path| root.join(workspace::CONFIG_FILE).is_file() || state.config.corpus_dirs(root).iter().any(|d| d.is_dir());
        if state.root.as_deref().is_some_and(is_workspace) {
            return false;
        }
        let discovered = workspace::discover_root(Path::new(path).parent().unwrap_or(Path::new("/")));
        if state.root.is_some() && !is_workspace(&discovered) {
            return false;
        }
        if state.root.as_deref() == Some(discovered.as_path()) {
            return false;
        }
        state.root = Some(discovered);
        true
    }

    async fn start_watching(self: &Arc<Self>) {
        let (root, config, client_watches) = {
            let state = lock(&self.state);
            let Some(root) = state.root.clone() else {
                return;
            };
            (root, state.config.clone(), state.capabilities.watch_registration)
        };
        if client_watches && self.register_client_watchers().await {
            return;
        }
        let watcher = self.start_own_watcher(&root, &config.corpus_dirs(&root));
        lock(&self.state).watcher = watcher;
    }
}

impl LanguageServer for Server {
    async fn initialize(&self, params: lsp::InitializeParams) -> RpcResult<lsp::InitializeResult> {
        let offers_utf8 = params
            .capabilities
            .general
            .as_ref()
            .and_then(|g| g.position_encodings.as_ref())
            .is_some_and(|encodings| encodings.contains(&lsp::PositionEncodingKind::UTF8));
        let encoding = if offers_utf8 { Encoding::Utf8 } else { Encoding::Utf16 };
        #[allow(deprecated)] // `root_uri` is what older clients send
        let root = params
            .workspace_folders
            .as_ref()
            .and_then(|folders| folders.first())
            .and_then(|folder| folder.uri.to_file_path().map(|p| p.into_owned()))
            .or_else(|| params.root_uri.as_ref().and_then(|uri| uri.to_file_path().map(|p| p.into_owned())))
            .map(|root| workspace::normalize(&root));
        let workspace = params.capabilities.workspace.as_ref();
        let capabilities = ClientSupport {
            watch_registration: workspace
                .and_then(|w| w.did_change_watched_files.as_ref())
                .and_then(|w| w.dynamic_registration)
                .unwrap_or(false),
            progress: params.capabilities.window.as_ref().and_then(|w| w.work_done_progress).unwrap_or(false),
            configuration: workspace.and_then(|w| w.configuration).unwrap_or(false),
        };
        {
            let mut state = lock(&self.shared.state);
            state.encoding = encoding;
            state.root = root;
            state.capabilities = capabilities;
            state.client_settings = params.initialization_options.filter(Value::is_object);
        }
        Ok(lsp::InitializeResult {
            capabilities: lsp::ServerCapabilities {
                position_encoding: Some(if offers_utf8 { lsp::PositionEncodingKind::UTF8 } else { lsp::PositionEncodingKind::UTF16 }),
                text_document_sync: Some(lsp::TextDocumentSyncCapability::Options(lsp::TextDocumentSyncOptions {
                    open_close: Some(true),
                    change: Some(lsp::TextDocumentSyncKind::INCREMENTAL),
                    save: None,
                    ..lsp::TextDocumentSyncOptions::default()
                })),
                hover_provider: Some(lsp::HoverProviderCapability::Simple(true)),
                definition_provider: Some(lsp::OneOf::Left(true)),
                references_provider: Some(lsp::OneOf::Left(true)),
                completion_provider: Some(lsp::CompletionOptions {
                    trigger_characters: Some(vec!["@".into()]),
                    ..lsp::CompletionOptions::default()
                }),
                document_symbol_provider: Some(lsp::OneOf::Left(true)),
                workspace_symbol_provider: Some(lsp::OneOf::Left(true)),
                code_action_provider: Some(lsp::CodeActionProviderCapability::Options(lsp::CodeActionOptions {
                    code_action_kinds: Some(vec![lsp::CodeActionKind::QUICKFIX]),
                    ..lsp::CodeActionOptions::default()
                })),
                execute_command_provider: Some(lsp::ExecuteCommandOptions {
                    commands: vec![COMMAND_REINDEX.into(), COMMAND_FACTS.into()],
                    ..lsp::ExecuteCommandOptions::default()
                }),
                ..lsp::ServerCapabilities::default()
            },
            server_info: Some(lsp::ServerInfo { name: "noteproof".into(), version: Some(env!("CARGO_PKG_VERSION").into()) }),
            offset_encoding: None,
        })
    }

    async fn initialized(&self, _: lsp::InitializedParams) {
        let shared = self.shared.clone();
        // Asking the client for settings inside this handler could stall the message loop; do it aside.
        tokio::spawn(async move {
            shared.fetch_client_configuration().await;
            let root = lock(&shared.state).root.clone();
            if let Some(root) = root {
                let (config, _) = shared.effective_config(&root);
                lock(&shared.state).config = config;
                shared.start_watching().await;
                shared.reindex().await;
            }
        });
    }

    async fn shutdown(&self) -> RpcResult<()> {
        lock(&self.shared.state).watcher = None;
        Ok(())
    }

    async fn did_open(&self, params: lsp::DidOpenTextDocumentParams) {
        let document = params.text_document;
        let path = document_path(&document.uri);
        let (indexed, new_root) = {
            let new_root = self.shared.ensure_root(&path);
            let mut state = lock(&self.shared.state);
            state.documents.open(document.uri.as_str(), path, &document.text, document.version);
            (state.indexed, new_root)
        };
        if new_root {
            let shared = self.shared.clone();
            tokio::spawn(async move {
                shared.start_watching().await;
                shared.reindex().await;
            });
        } else if indexed {
            self.shared.schedule_diagnostics(document.uri, Duration::ZERO);
        }
    }

    async fn did_change(&self, params: lsp::DidChangeTextDocumentParams) {
        let uri = params.text_document.uri;
        let changes = params
            .content_changes
            .into_iter()
            .map(|c| Change { range: c.range.map(|r| (position(r.start), position(r.end))), text: c.text })
            .collect();
        // Applied before any `.await`, in arrival order; a bug here must not take the session down.
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let mut state = lock(&self.shared.state);
            let encoding = state.encoding;
            state.documents.change(uri.as_str(), params.text_document.version, changes, encoding)
        }));
        let Ok(outcome) = outcome else {
            let message = format!("noteproof: internal error while applying a change to {}; please reopen the document", uri.as_str());
            self.shared.client.log_message(lsp::MessageType::ERROR, message).await;
            return;
        };
        match outcome {
            ChangeOutcome::Applied => self.shared.schedule_diagnostics(uri, DIAGNOSTICS_DEBOUNCE),
            ChangeOutcome::Stale { held } => {
                let message = format!(
                    "noteproof: ignored change to {} with version {} (already at {held})",
                    uri.as_str(),
                    params.text_document.version
                );
                self.shared.client.log_message(lsp::MessageType::WARNING, message).await;
            }
            ChangeOutcome::UnknownDocument => {
                let message = format!("noteproof: change to {}, which is not open", uri.as_str());
                self.shared.client.log_message(lsp::MessageType::WARNING, message).await;
            }
        }
    }

    async fn did_close(&self, params: lsp::DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        let closed = lock(&self.shared.state).documents.close(uri.as_str());
        if closed.is_some() {
            self.shared.client.publish_diagnostics(uri, Vec::new(), None).await;
        }
    }

    async fn did_change_configuration(&self, params: lsp::DidChangeConfigurationParams) {
        let shared = self.shared.clone();
        tokio::spawn(async move {
            let supports_pull = lock(&shared.state).capabilities.configuration;
            if supports_pull {
                shared.fetch_client_configuration().await;
            } else {
                let settings = params.settings.get("noteproof").cloned().unwrap_or(params.settings);
                if settings.is_object() {
                    lock(&shared.state).client_settings = Some(settings);
                }
            }
            // Clients announce their settings right after starting: re-index only when they change something.
            let (root, current, indexed) = {
                let state = lock(&shared.state);
                (state.root.clone(), state.config.clone(), state.indexed)
            };
            let unchanged = root.is_some_and(|root| shared.effective_config(&root).0 == current);
            if !(indexed && unchanged) {
                shared.reindex().await;
            }
        });
    }

    async fn did_change_watched_files(&self, params: lsp::DidChangeWatchedFilesParams) {
        let paths: Vec<PathBuf> = params.changes.iter().filter_map(|c| c.uri.to_file_path().map(|p| p.into_owned())).collect();
        let shared = self.shared.clone();
        tokio::spawn(async move { shared.apply_file_changes(paths).await });
    }

    async fn hover(&self, params: lsp::HoverParams) -> RpcResult<Option<lsp::Hover>> {
        let at = params.text_document_position_params;
        self.shared
            .at_position(&at.text_document.uri, at.position, |corpus, note, offset, encoding| {
                let found = hover::hover(corpus, note, offset)?;
                Some(lsp::Hover {
                    contents: lsp::HoverContents::Markup(lsp::MarkupContent { kind: lsp::MarkupKind::Markdown, value: found.markdown }),
                    range: Some(to_proto::note_range(note, &found.range, encoding)),
                })
            })
            .await
    }

    async fn goto_definition(&self, params: lsp::GotoDefinitionParams) -> RpcResult<Option<lsp::GotoDefinitionResponse>> {
        let at = params.text_document_position_params;
        self.shared
            .at_position(&at.text_document.uri, at.position, |corpus, note, offset, encoding| {
                let targets = definition::definition(corpus, note, offset);
                let locations: Vec<lsp::Location> =
                    targets.iter().filter_map(|t| to_proto::location(t, corpus, &HashMap::new(), encoding)).collect();
                (!locations.is_empty()).then_some(lsp::GotoDefinitionResponse::Array(locations))
            })
            .await
    }

    async fn references(&self, params: lsp::ReferenceParams) -> RpcResult<Option<Vec<lsp::Location>>> {
        let uri = params.text_document_position.text_document.uri;
        let at = params.text_document_position.position;
        let (corpus, notes, encoding, document) = {
            let state = lock(&self.shared.state);
            let Some(document) = state.documents.get(uri.as_str()) else {
                return Ok(None);
            };
            // Open documents take precedence over their saved text.
            let mut notes: BTreeMap<String, Arc<Note>> = state.disk_notes.clone();
            for (_, open) in state.documents.iter() {
                if let Some(parsed) = &open.parsed {
                    notes.insert(open.path.clone(), parsed.clone());
                }
            }
            (state.corpus.clone(), notes, state.encoding, (document.path.clone(), document.rope.to_string()))
        };
        // The open document itself, parsed fresh (it may have unsaved edits).
        let note_here = self.shared.note(&uri).await?;
        blocking(move || {
            let (path, _) = document;
            let article = match &note_here {
                Some((_, note, _)) => {
                    let offset = to_offset(&note.text, &note.line_index, position(at), encoding);
                    references::article_at(&corpus, note, offset)
                }
                None => corpus.article_by_path(&path),
            }?;
            let mut notes = notes;
            if let Some((_, note, _)) = &note_here {
                notes.insert(note.path.clone(), note.clone());
            }
            let places = references::references(&corpus, notes.values().map(|n| n.as_ref()), article);
            let by_path: HashMap<String, &Note> = notes.iter().map(|(p, n)| (p.clone(), n.as_ref())).collect();
            Some(places.iter().filter_map(|p| to_proto::location(p, &corpus, &by_path, encoding)).collect())
        })
        .await
    }

    async fn completion(&self, params: lsp::CompletionParams) -> RpcResult<Option<lsp::CompletionResponse>> {
        let at = params.text_document_position;
        self.shared
            .at_position(&at.text_document.uri, at.position, |corpus, note, offset, encoding| {
                let found = completion::completion(corpus, note, offset)?;
                let range = to_proto::note_range(note, &found.replace, encoding);
                let items = found
                    .items
                    .into_iter()
                    .map(|item| lsp::CompletionItem {
                        label: item.label.clone(),
                        kind: Some(lsp::CompletionItemKind::REFERENCE),
                        detail: Some(item.detail),
                        documentation: Some(lsp::Documentation::String(item.documentation)),
                        filter_text: Some(item.filter_text),
                        sort_text: Some(item.sort_text),
                        text_edit: Some(lsp::CompletionTextEdit::Edit(lsp::TextEdit { range, new_text: item.label })),
                        ..lsp::CompletionItem::default()
                    })
                    .collect();
                Some(lsp::CompletionResponse::List(lsp::CompletionList { is_incomplete: found.incomplete, items }))
            })
            .await
    }

    async fn document_symbol(&self, params: lsp::DocumentSymbolParams) -> RpcResult<Option<lsp::DocumentSymbolResponse>> {
        let uri = params.text_document.uri;
        let article = {
            let state = lock(&self.shared.state);
            let Some(document) = state.documents.get(uri.as_str()) else {
                return Ok(None);
            };
            state.corpus.article_by_path(&document.path).and_then(|id| state.corpus.article(id).cloned()).map(|a| (a, state.encoding))
        };
        if let Some((article, encoding)) = article {
            let symbols = symbols::article_symbols(&article)
                .iter()
                .map(|s| to_proto::document_symbol(s, &article.text, article.line_index(), lsp::SymbolKind::FILE, encoding))
                .collect();
            return Ok(Some(lsp::DocumentSymbolResponse::Nested(symbols)));
        }
        let Some((_, note, encoding)) = self.shared.note(&uri).await? else {
            return Ok(None);
        };
        blocking(move || {
            let symbols = symbols::note_symbols(&note)
                .iter()
                .map(|s| to_proto::document_symbol(s, &note.text, &note.line_index, lsp::SymbolKind::STRING, encoding))
                .collect();
            Some(lsp::DocumentSymbolResponse::Nested(symbols))
        })
        .await
    }

    async fn symbol(&self, params: lsp::WorkspaceSymbolParams) -> RpcResult<Option<lsp::WorkspaceSymbolResponse>> {
        let (corpus, encoding) = {
            let state = lock(&self.shared.state);
            (state.corpus.clone(), state.encoding)
        };
        blocking(move || {
            #[allow(deprecated)] // `SymbolInformation::deprecated` must still be written out
            let found = symbols::workspace_symbols(&corpus, &params.query)
                .into_iter()
                .filter_map(|(id, symbol)| {
                    let article = corpus.article(id)?;
                    Some(lsp::SymbolInformation {
                        name: symbol.name,
                        kind: lsp::SymbolKind::FILE,
                        tags: None,
                        deprecated: None,
                        location: lsp::Location {
                            uri: to_proto::uri_of(&article.path)?,
                            range: to_proto::article_range(article, &symbol.range, encoding),
                        },
                        container_name: symbol.detail,
                    })
                })
                .collect();
            Some(lsp::WorkspaceSymbolResponse::Flat(found))
        })
        .await
    }

    async fn code_action(&self, params: lsp::CodeActionParams) -> RpcResult<Option<lsp::CodeActionResponse>> {
        let uri = params.text_document.uri;
        let Some((corpus, note, findings, encoding)) = self.shared.findings(&uri).await? else {
            return Ok(None);
        };
        blocking(move || {
            let start = to_offset(&note.text, &note.line_index, position(params.range.start), encoding);
            let end = to_offset(&note.text, &note.line_index, position(params.range.end), encoding);
            let (start, end) = (start.min(end), start.max(end));
            let actions = crate::analysis::ide::actions::actions(&corpus, &note, &findings, start..end)
                .into_iter()
                .map(|(finding, fix)| {
                    let diagnostic = finding.map(|i| to_proto::diagnostic(&findings[i], &note, &corpus, encoding));
                    lsp::CodeActionOrCommand::CodeAction(to_proto::code_action(&uri, &note, &fix, diagnostic, encoding))
                })
                .collect();
            Some(actions)
        })
        .await
    }

    async fn execute_command(&self, params: lsp::ExecuteCommandParams) -> RpcResult<Option<Value>> {
        match params.command.as_str() {
            COMMAND_REINDEX => {
                let shared = self.shared.clone();
                tokio::spawn(async move { shared.reindex().await });
                Ok(None)
            }
            COMMAND_FACTS => {
                let corpus = lock(&self.shared.state).corpus.clone();
                let markdown = blocking(move || {
                    let rows = crate::analysis::checks::figures::facts::fact_sheet(&corpus);
                    crate::analysis::checks::figures::facts::render_markdown(&rows)
                })
                .await?;
                Ok(Some(Value::String(markdown)))
            }
            other => Err(RpcError::invalid_params(format!("unknown command `{other}`"))),
        }
    }
}
