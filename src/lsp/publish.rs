//! Diagnostics: analysing an open note off the protocol task and publishing the result, unless
//! the text changed meanwhile.

use std::sync::Arc;
use std::time::Duration;

use tower_lsp_server::jsonrpc::Result as RpcResult;
use tower_lsp_server::ls_types as lsp;

use crate::lsp::diagnostics::Diagnosed;
use crate::lsp::state::{blocking, lock, CancelOnDrop, Shared};

/// Typing pauses are rarely shorter than this; analysing every keystroke would only burn CPU.
pub(super) const DIAGNOSTICS_DEBOUNCE: Duration = Duration::from_millis(80);

impl Shared {
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

    /// Analyses `uri`'s current text and publishes its diagnostics. The run stops at its next
    /// checkpoint when a newer edit or a new corpus supersedes the text (the document's
    /// `superseded` token); a result for an older text or corpus is never published.
    pub(super) async fn publish_diagnostics(&self, uri: lsp::Uri) -> RpcResult<()> {
        let (generation, version, cache, cancel) = {
            let state = lock(&self.state);
            let Some(document) = state.documents.get(uri.as_str()) else {
                return Ok(());
            };
            (document.generation, document.version, document.cache.clone(), document.superseded.child())
        };
        let _cancel_on_drop = CancelOnDrop(cancel.clone());
        let Some((corpus, note, encoding)) = self.note(&uri).await? else {
            return Ok(());
        };
        let snapshot = corpus.clone();
        let diagnosed = blocking(move || {
            let mut cache = cache.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            cache.diagnose(&snapshot, &note, encoding, &cancel)
        })
        .await?;
        let Ok(Diagnosed { findings, diagnostics }) = diagnosed else {
            return Ok(()); // superseded: the newer text's own run publishes
        };
        {
            let mut state = lock(&self.state);
            let corpus_now = state.corpus.generation();
            let Some(document) = state.documents.get_mut(uri.as_str()) else {
                return Ok(());
            };
            if document.generation != generation || corpus_now != corpus.generation() {
                return Ok(()); // the text or the corpus changed meanwhile; a newer run will publish
            }
            document.findings = Some(Arc::new(findings));
        }
        self.client.publish_diagnostics(uri, diagnostics, Some(version)).await;
        Ok(())
    }

    /// The corpus changed: every open note's diagnostics are outdated. Analyses under way stop,
    /// and every open note is analysed and published again.
    pub(super) fn diagnostics_outdated(self: &Arc<Self>) {
        let uris: Vec<lsp::Uri> = {
            let mut state = lock(&self.state);
            state.documents.supersede_all();
            state.documents.uris().filter_map(|u| u.parse().ok()).collect()
        };
        for uri in uris {
            self.schedule_diagnostics(uri, Duration::ZERO);
        }
    }
}
