//! Pulled diagnostics (LSP 3.17 `textDocument/diagnostic`), for clients that announce them. A
//! report carries a result id naming the text and the corpus snapshot it was made from; a pull
//! that names the current one is answered "unchanged" at once, without analysing or sending the
//! diagnostics again. A pull never answers with a report of an older text.

use std::sync::Arc;

use tower_lsp_server::jsonrpc::{Error as RpcError, ErrorCode, Result as RpcResult};
use tower_lsp_server::ls_types as lsp;

use crate::lsp::reports::Analysed;
use crate::lsp::state::Shared;

/// How many times a pull starts again when edits keep replacing the text under it, before it asks
/// the client to pull again later (`ServerCancelled`).
const ATTEMPTS: usize = 3;

/// LSP 3.17's `ServerCancelled`: the server gave up; with `retriggerRequest` the client asks again.
const SERVER_CANCELLED: i64 = -32802;

pub(super) async fn diagnostic(shared: &Arc<Shared>, params: lsp::DocumentDiagnosticParams) -> RpcResult<lsp::DocumentDiagnosticReportResult> {
    if shared.pushes_diagnostics() {
        // The client did not announce pull diagnostics, so it gets them pushed; never both.
        return Err(RpcError::method_not_found());
    }
    let uri = params.text_document.uri;
    let previous = params.previous_result_id;
    for _ in 0..ATTEMPTS {
        if let Some(current) = shared.current_result_id(&uri) {
            if previous.as_ref() == Some(&current) {
                return Ok(unchanged(current));
            }
        }
        match shared.analyse(&uri).await? {
            Analysed::Current(report) if previous.as_ref() == Some(&report.result_id) => return Ok(unchanged(report.result_id.clone())),
            Analysed::Current(report) => return Ok(full(Some(report.result_id.clone()), report.diagnostics.to_vec())),
            // No result id: the next pull gets a full report again.
            Analysed::NotANote => return Ok(full(None, Vec::new())),
            Analysed::Superseded => continue,
        }
    }
    Err(RpcError {
        code: ErrorCode::ServerError(SERVER_CANCELLED),
        message: "the note changed while its diagnostics were computed; pull again".into(),
        data: Some(serde_json::json!({ "retriggerRequest": true })),
    })
}

fn unchanged(result_id: String) -> lsp::DocumentDiagnosticReportResult {
    lsp::DocumentDiagnosticReportResult::Report(lsp::DocumentDiagnosticReport::Unchanged(lsp::RelatedUnchangedDocumentDiagnosticReport {
        related_documents: None,
        unchanged_document_diagnostic_report: lsp::UnchangedDocumentDiagnosticReport { result_id },
    }))
}

fn full(result_id: Option<String>, items: Vec<lsp::Diagnostic>) -> lsp::DocumentDiagnosticReportResult {
    lsp::DocumentDiagnosticReportResult::Report(lsp::DocumentDiagnosticReport::Full(lsp::RelatedFullDocumentDiagnosticReport {
        related_documents: None,
        full_document_diagnostic_report: lsp::FullDocumentDiagnosticReport { result_id, items },
    }))
}
