//! Diagnostics: analysing an open note off the protocol task and publishing the result, unless
//! the text changed meanwhile.

use std::sync::Arc;
use std::time::Duration;

use tower_lsp_server::jsonrpc::Result as RpcResult;
use tower_lsp_server::ls_types as lsp;

use crate::analysis::cancel::CancelToken;
use crate::analysis::checks::diagnostics;
use crate::lsp::state::{blocking, lock, Shared};
use crate::lsp::to_proto;

/// Typing pauses are rarely shorter than this; analysing every keystroke would only burn CPU.
pub(super) const DIAGNOSTICS_DEBOUNCE: Duration = Duration::from_millis(80);

impl Shared {
    /// Analyses and publishes `uri` after `delay`. A run scheduled after an edit that a newer edit
    /// superseded during the delay never starts: the newer edit's own run publishes. This is the
    /// debounce: a burst of keystrokes costs one analysis, not one per keystroke.
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

    pub(super) async fn publish_diagnostics(&self, uri: lsp::Uri) -> RpcResult<()> {
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
            let findings = diagnostics::check_note_cached(&corpus, &note, &mut blocks, &CancelToken::never()).unwrap_or_default();
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

    pub(super) fn republish_all(self: &Arc<Self>) {
        let uris: Vec<lsp::Uri> = {
            let state = lock(&self.state);
            state.documents.uris().filter_map(|u| u.parse().ok()).collect()
        };
        for uri in uris {
            self.schedule_diagnostics(uri, Duration::ZERO);
        }
    }
}
