//! What the client can do (read from `initialize`) and what the server offers in return.

use tower_lsp_server::ls_types as lsp;

use crate::convert::Encoding;
use crate::lsp::custom::{COMMAND_FACTS, COMMAND_REINDEX};
use crate::lsp::state::ClientSupport;

/// UTF-8 positions when the client offers them (no conversion at all), else LSP's default UTF-16.
pub fn negotiated_encoding(params: &lsp::InitializeParams) -> Encoding {
    let offers_utf8 = params
        .capabilities
        .general
        .as_ref()
        .and_then(|g| g.position_encodings.as_ref())
        .is_some_and(|encodings| encodings.contains(&lsp::PositionEncodingKind::UTF8));
    if offers_utf8 {
        Encoding::Utf8
    } else {
        Encoding::Utf16
    }
}

/// The client features the server relies on when present.
pub(super) fn client_support(params: &lsp::InitializeParams) -> ClientSupport {
    let workspace = params.capabilities.workspace.as_ref();
    ClientSupport {
        watch_registration: workspace
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|w| w.dynamic_registration)
            .unwrap_or(false),
        progress: params.capabilities.window.as_ref().and_then(|w| w.work_done_progress).unwrap_or(false),
        configuration: workspace.and_then(|w| w.configuration).unwrap_or(false),
        pull_diagnostics: pulls_diagnostics(params),
    }
}

/// A client pulls diagnostics when it announces `textDocument.diagnostic` and can be asked to pull
/// again (`workspace.diagnostics.refreshSupport`): a note's diagnostics change with the corpus,
/// which the client does not see change. One that cannot be asked (Neovim 0.11) would keep stale
/// diagnostics after a corpus change, so it gets them pushed.
fn pulls_diagnostics(params: &lsp::InitializeParams) -> bool {
    let pulls = params.capabilities.text_document.as_ref().is_some_and(|t| t.diagnostic.is_some());
    let refreshes = params.capabilities.workspace.as_ref().and_then(|w| w.diagnostics.as_ref()).and_then(|d| d.refresh_support);
    pulls && refreshes == Some(true)
}

/// What the server offers; `pull_diagnostics` when the client pulls diagnostics, which it then
/// never gets pushed.
pub fn server_capabilities(encoding: Encoding, pull_diagnostics: bool) -> lsp::ServerCapabilities {
    lsp::ServerCapabilities {
        position_encoding: Some(match encoding {
            Encoding::Utf8 => lsp::PositionEncodingKind::UTF8,
            Encoding::Utf16 => lsp::PositionEncodingKind::UTF16,
        }),
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
        // A note's diagnostics depend on the corpus (inter-file); only open notes are reported.
        diagnostic_provider: pull_diagnostics.then(|| {
            lsp::DiagnosticServerCapabilities::Options(lsp::DiagnosticOptions {
                identifier: Some("noteproof".into()),
                inter_file_dependencies: true,
                workspace_diagnostics: false,
                ..lsp::DiagnosticOptions::default()
            })
        }),
        // LSP 3.18's `workspace.textDocumentContent`, announced where clients look for extensions
        // until the types carry it: the text read from PDFs is served as `noteproof:` documents.
        experimental: Some(serde_json::json!({ "textDocumentContent": { "schemes": [crate::lsp::to_proto::SERVED_SCHEME] } })),
        ..lsp::ServerCapabilities::default()
    }
}
