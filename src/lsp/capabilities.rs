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
    }
}

pub fn server_capabilities(encoding: Encoding) -> lsp::ServerCapabilities {
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
        // LSP 3.18's `workspace.textDocumentContent`, announced where clients look for extensions
        // until the types carry it: the text read from PDFs is served as `noteproof:` documents.
        experimental: Some(serde_json::json!({ "textDocumentContent": { "schemes": [crate::lsp::to_proto::SERVED_SCHEME] } })),
        ..lsp::ServerCapabilities::default()
    }
}
