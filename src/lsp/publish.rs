//! Pushed diagnostics (`textDocument/publishDiagnostics`), for clients that do not pull them:
//! each edit schedules an analysis off the protocol task, published unless the text or the corpus
//! changed meanwhile. A corpus change makes every open note's diagnostics outdated: pushed again,
//! or, to a client that pulls, announced with `workspace/diagnostic/refresh`.

use std::sync::Arc;
use std::time::Duration;

use tower_lsp_server::jsonrpc::Result as RpcResult;
use tower_lsp_server::ls_types as lsp;

use crate::lsp::reports::Analysed;
use crate::lsp::state::{lock, Shared, CLIENT_REQUEST_TIMEOUT};

/// Typing pauses are rarely shorter than this; analysing every keystroke would only burn CPU.
pub(super) const DIAGNOSTICS_DEBOUNCE: Duration = Duration::from_millis(80);

impl Shared {
    /// Whether this session pushes diagnostics (the client does not pull them).
    pub(super) fn pushes_diagnostics(&self) -> bool {
        !lock(&self.state).capabilities.pull_diagnostics
    }

    /// Analyses and publishes `uri` after `delay`. A run scheduled after an edit that a newer edit
    /// superseded during the delay never starts: the newer edit's own run publishes. This is the
    /// debounce: a burst of keystrokes costs one analysis, not one per keystroke. A run that a newer
    /// edit supersedes once started stops at its next checkpoint and publishes nothing.
    pub(super) fn schedule_diagnostics(self: &Arc<Self>, uri: lsp::Uri, delay: Duration) {
        let shared = self.clone();
        let scheduled_at = lock(&self.state).documents.get(uri.as_str()).map(|d| d.generation);
        tokio::spawn(async move {
            if !delay.is_zero() {
                tokio::time::sleep(delay).await;
                let now = lock(&shared.state).documents.get(uri.as_str()).map(|d| d.generation);
                if now != scheduled_at {
                    return;
                }
            }
            if let Err(error) = shared.publish_diagnostics(uri).await {
                eprintln!("noteproof: diagnostics failed: {}", error.message);
            }
        });
    }

    /// Publishes the diagnostics of `uri`'s current text (`analyse`); nothing when a newer edit or
    /// corpus superseded the text while they were computed: the newer one's run publishes.
    pub(super) async fn publish_diagnostics(&self, uri: lsp::Uri) -> RpcResult<()> {
        if let Analysed::Current(report) = self.analyse(&uri).await? {
            self.client.publish_diagnostics(uri, report.diagnostics.clone(), Some(report.version)).await;
        }
        Ok(())
    }

    /// The corpus changed: every open note's diagnostics are outdated. Analyses under way stop;
    /// a pushing session analyses and publishes every open note again, a pulling one asks the
    /// client to pull again.
    pub(super) fn diagnostics_outdated(self: &Arc<Self>) {
        let (uris, pulled) = {
            let mut state = lock(&self.state);
            state.documents.supersede_all();
            let uris: Vec<lsp::Uri> = state.documents.uris().filter_map(|u| u.parse().ok()).collect();
            (uris, state.capabilities.pull_diagnostics)
        };
        if !pulled {
            for uri in uris {
                self.schedule_diagnostics(uri, Duration::ZERO);
            }
        } else {
            let shared = self.clone();
            tokio::spawn(async move {
                match tokio::time::timeout(CLIENT_REQUEST_TIMEOUT, shared.client.workspace_diagnostic_refresh()).await {
                    Ok(Ok(())) => {}
                    Ok(Err(error)) => eprintln!("noteproof: workspace/diagnostic/refresh failed: {}", error.message),
                    Err(_) => eprintln!("noteproof: workspace/diagnostic/refresh timed out"),
                }
            });
        }
    }
}
