//! Pushed diagnostics (`textDocument/publishDiagnostics`), for clients that do not pull them:
//! each edit schedules an analysis off the protocol task, published unless the text or the corpus
//! changed meanwhile. A corpus change makes every open note's diagnostics outdated: pushed again,
//! or, to a client that pulls, announced with `workspace/diagnostic/refresh`.

use std::sync::Arc;
use std::time::Duration;

use tower_lsp_server::jsonrpc::Result as RpcResult;
use tower_lsp_server::ls_types as lsp;

use crate::lsp::diagnostics::{NoteDiagnostics, Report};
use crate::lsp::reports::Analysed;
use crate::lsp::state::{blocking, lock, Shared, CLIENT_REQUEST_TIMEOUT};
use crate::lsp::transport::frame;

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
        let Analysed::Current(report) = self.analyse(&uri).await? else { return Ok(()) };
        match &self.output {
            // Serialised straight from the report: the service's own path would copy every
            // diagnostic, build them into a JSON tree, write it through a pipe and drop it, which
            // cost a 3,500-finding note more than parsing it again.
            Some(output) => {
                let frame = blocking(move || publication(&uri, &report)).await?;
                if !self.shut_down.load(std::sync::atomic::Ordering::SeqCst) {
                    let _ = output.send(frame);
                }
            }
            None => self.client.publish_diagnostics(uri, report.diagnostics.to_vec(), Some(report.version)).await,
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

/// The `textDocument/publishDiagnostics` notification of `report`, framed for the client.
fn publication(uri: &lsp::Uri, report: &Report) -> Vec<u8> {
    #[derive(serde::Serialize)]
    struct Notification<'a> {
        jsonrpc: &'static str,
        method: &'static str,
        params: Params<'a>,
    }
    /// `lsp::PublishDiagnosticsParams`, borrowing the report's diagnostics.
    #[derive(serde::Serialize)]
    struct Params<'a> {
        uri: &'a lsp::Uri,
        diagnostics: &'a NoteDiagnostics,
        version: i32,
    }
    let notification = Notification {
        jsonrpc: "2.0",
        method: "textDocument/publishDiagnostics",
        params: Params { uri, diagnostics: &report.diagnostics, version: report.version },
    };
    let body = serde_json::to_vec(&notification).expect("diagnostics serialise to JSON");
    frame(&body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_publication_reads_back_as_the_notification_the_service_would_send() {
        let uri: lsp::Uri = "file:///notes/r%C3%A9sum%C3%A9.md".parse().unwrap();
        let diagnostic = lsp::Diagnostic {
            range: lsp::Range::new(lsp::Position::new(2, 4), lsp::Position::new(2, 9)),
            severity: Some(lsp::DiagnosticSeverity::WARNING),
            source: Some("noteproof".into()),
            message: "“312” — the sources say 311".into(),
            ..lsp::Diagnostic::default()
        };
        let report = Report { result_id: "r".into(), version: 7, corpus_generation: 1, diagnostics: vec![diagnostic.clone()].into() };
        let framed = publication(&uri, &report);
        let text = std::str::from_utf8(&framed).unwrap();
        let (header, body) = text.split_once("\r\n\r\n").unwrap();
        assert_eq!(header, format!("Content-Length: {}", body.len()));
        let expected = lsp::PublishDiagnosticsParams::new(uri, vec![diagnostic], Some(7));
        let read: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(read["jsonrpc"], "2.0");
        assert_eq!(read["method"], "textDocument/publishDiagnostics");
        assert_eq!(read["params"], serde_json::to_value(expected).unwrap());
    }
}
