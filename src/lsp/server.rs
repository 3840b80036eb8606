//! The language server: thin dispatch from LSP methods to the state, the workspace operations
//! and the request handlers.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::Value;
use tower_lsp_server::jsonrpc::Result as RpcResult;
use tower_lsp_server::ls_types as lsp;
use tower_lsp_server::{Client, LanguageServer};

use crate::lsp::capabilities::{client_support, negotiated_encoding, server_capabilities};
use crate::lsp::custom::{self, DocumentState, DocumentStateParams, TextDocumentContent, TextDocumentContentParams};
use crate::lsp::documents::{Change, ChangeOutcome};
use crate::lsp::handlers;
use crate::lsp::publish::DIAGNOSTICS_DEBOUNCE;
use crate::lsp::pull;
use crate::lsp::state::{document_path, lock, position, ServerSnapshot, Shared, State};
use crate::workspace;

pub struct Server {
    shared: Arc<Shared>,
}

impl Server {
    /// A server answering through `client`; with `output`, the frames written to the client, it
    /// writes its largest notifications (a busy note's diagnostics) there itself.
    pub fn new(client: Client, output: Option<tokio::sync::mpsc::UnboundedSender<Vec<u8>>>) -> Server {
        // Result ids must not repeat across server processes: a client may keep one over a restart.
        let started = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos() as u64);
        let session = started ^ u64::from(std::process::id()).rotate_left(32);
        let shared = Shared {
            client,
            output,
            session,
            state: Mutex::new(State::default()),
            update_lock: tokio::sync::Mutex::new(()),
            activity: Arc::default(),
            following_archive: Default::default(),
            shut_down: Default::default(),
        };
        Server { shared: Arc::new(shared) }
    }

    /// `noteproof/debugPanic`, for tests only (see `custom`).
    pub async fn debug_panic(&self) -> RpcResult<()> {
        custom::debug_panic().await
    }

    /// `workspace/textDocumentContent`: the text of a served document (a PDF's text).
    pub async fn text_document_content(&self, params: TextDocumentContentParams) -> RpcResult<TextDocumentContent> {
        custom::text_document_content(&self.shared, params)
    }

    /// `noteproof/documentState`: the server's view of an open document.
    pub async fn document_state(&self, params: DocumentStateParams) -> RpcResult<Option<DocumentState>> {
        Ok(custom::document_state(&self.shared, params))
    }
}

impl LanguageServer for Server {
    async fn initialize(&self, params: lsp::InitializeParams) -> RpcResult<lsp::InitializeResult> {
        let encoding = negotiated_encoding(&params);
        #[allow(deprecated)] // `root_uri` is what older clients send
        let root = params
            .workspace_folders
            .as_ref()
            .and_then(|folders| folders.first())
            .and_then(|folder| folder.uri.to_file_path().map(|p| p.into_owned()))
            .or_else(|| params.root_uri.as_ref().and_then(|uri| uri.to_file_path().map(|p| p.into_owned())))
            .map(|root| workspace::normalize(&root));
        let support = client_support(&params);
        {
            let mut state = lock(&self.shared.state);
            state.encoding = encoding;
            state.root = root;
            state.capabilities = support;
            state.client_settings = params.initialization_options.filter(Value::is_object);
        }
        Ok(lsp::InitializeResult {
            capabilities: server_capabilities(encoding, support.pull_diagnostics),
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
        self.shared.shut_down.store(true, std::sync::atomic::Ordering::SeqCst);
        let mut state = lock(&self.shared.state);
        state.watcher = None;
        // Analyses under way stop: their diagnostics would never be published.
        state.documents.supersede_all();
        Ok(())
    }

    async fn did_open(&self, params: lsp::DidOpenTextDocumentParams) {
        let document = params.text_document;
        let path = document_path(&document.uri);
        self.shared.activity.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
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
        } else if indexed && self.shared.pushes_diagnostics() {
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
        self.shared.activity.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
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
            ChangeOutcome::Applied if self.shared.pushes_diagnostics() => self.shared.schedule_diagnostics(uri, DIAGNOSTICS_DEBOUNCE),
            ChangeOutcome::Applied => {} // the client pulls when it wants them
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
        if closed.is_some() && self.shared.pushes_diagnostics() {
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
            let ServerSnapshot { root, config: current, indexed, .. } = shared.snapshot();
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
        handlers::hover(&self.shared, params).await
    }

    async fn goto_definition(&self, params: lsp::GotoDefinitionParams) -> RpcResult<Option<lsp::GotoDefinitionResponse>> {
        handlers::goto_definition(&self.shared, params).await
    }

    async fn references(&self, params: lsp::ReferenceParams) -> RpcResult<Option<Vec<lsp::Location>>> {
        handlers::references(&self.shared, params).await
    }

    async fn completion(&self, params: lsp::CompletionParams) -> RpcResult<Option<lsp::CompletionResponse>> {
        handlers::completion(&self.shared, params).await
    }

    async fn document_symbol(&self, params: lsp::DocumentSymbolParams) -> RpcResult<Option<lsp::DocumentSymbolResponse>> {
        handlers::document_symbol(&self.shared, params).await
    }

    async fn symbol(&self, params: lsp::WorkspaceSymbolParams) -> RpcResult<Option<lsp::WorkspaceSymbolResponse>> {
        handlers::symbol(&self.shared, params).await
    }

    async fn diagnostic(&self, params: lsp::DocumentDiagnosticParams) -> RpcResult<lsp::DocumentDiagnosticReportResult> {
        pull::diagnostic(&self.shared, params).await
    }

    async fn code_action(&self, params: lsp::CodeActionParams) -> RpcResult<Option<lsp::CodeActionResponse>> {
        handlers::code_action(&self.shared, params).await
    }

    async fn execute_command(&self, params: lsp::ExecuteCommandParams) -> RpcResult<Option<Value>> {
        handlers::execute_command(&self.shared, params).await
    }
}
