//! Request handlers: each converts its parameters, calls one function of the core on a snapshot
//! off the protocol task, and converts the answer.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use serde_json::Value;
use tower_lsp_server::jsonrpc::{Error as RpcError, Result as RpcResult};
use tower_lsp_server::ls_types as lsp;

use crate::analysis::ide::{completion, definition, hover, references, symbols};
use crate::analysis::note::Note;
use crate::convert::to_offset;
use crate::lsp::custom::{COMMAND_FACTS, COMMAND_REINDEX};
use crate::lsp::state::{blocking, cancellable, lock, position, ServerSnapshot, Shared};
use crate::lsp::to_proto;

pub(super) async fn hover(shared: &Arc<Shared>, params: lsp::HoverParams) -> RpcResult<Option<lsp::Hover>> {
    let at = params.text_document_position_params;
    let known = shared.checked_blocks(&at.text_document.uri);
    shared
        .at_position(&at.text_document.uri, at.position, move |corpus, note, offset, encoding| {
            // What the diagnostics found, if they checked this very text.
            let known = known.filter(|(checked, _)| std::ptr::eq(Arc::as_ptr(checked), note)).map(|(_, blocks)| blocks);
            let found = hover::hover_given(corpus, note, offset, known.as_ref().map(|blocks| blocks.as_slice()))?;
            Some(lsp::Hover {
                contents: lsp::HoverContents::Markup(lsp::MarkupContent { kind: lsp::MarkupKind::Markdown, value: found.markdown }),
                range: Some(to_proto::note_range(note, &found.range, encoding)),
            })
        })
        .await
}

pub(super) async fn goto_definition(
    shared: &Arc<Shared>,
    params: lsp::GotoDefinitionParams,
) -> RpcResult<Option<lsp::GotoDefinitionResponse>> {
    let at = params.text_document_position_params;
    shared
        .at_position(&at.text_document.uri, at.position, |corpus, note, offset, encoding| {
            let targets = definition::definition(corpus, note, offset);
            let locations: Vec<lsp::Location> =
                targets.iter().filter_map(|t| to_proto::location(t, corpus, &HashMap::new(), encoding)).collect();
            (!locations.is_empty()).then_some(lsp::GotoDefinitionResponse::Array(locations))
        })
        .await
}

pub(super) async fn references(shared: &Arc<Shared>, params: lsp::ReferenceParams) -> RpcResult<Option<Vec<lsp::Location>>> {
    let uri = params.text_document_position.text_document.uri;
    let at = params.text_document_position.position;
    let (path, open_notes) = {
        let state = lock(&shared.state);
        let Some(document) = state.documents.get(uri.as_str()) else {
            return Ok(None);
        };
        let open: Vec<(String, Arc<Note>)> =
            state.documents.iter().filter_map(|(_, open)| Some((open.path.clone(), open.parsed.clone()?))).collect();
        (document.path.clone(), open)
    };
    let ServerSnapshot { corpus, encoding, disk_notes, .. } = shared.snapshot();
    // The open document itself, parsed fresh (it may have unsaved edits).
    let note_here = shared.note(&uri).await?;
    cancellable(move |cancel| {
        let article = match &note_here {
            Some((_, note, _)) => {
                let offset = to_offset(&note.text, &note.line_index, position(at), encoding);
                references::article_at(&corpus, note, offset)
            }
            None => corpus.article_by_path(&path),
        };
        let Some(article) = article else {
            return Ok(None);
        };
        // Open documents take precedence over their saved text.
        let mut notes: BTreeMap<String, Arc<Note>> = (*disk_notes).clone();
        notes.extend(open_notes);
        if let Some((_, note, _)) = &note_here {
            notes.insert(note.path.clone(), note.clone());
        }
        let places = references::references(&corpus, notes.values().map(|n| n.as_ref()), article, cancel)?;
        let by_path: HashMap<String, &Note> = notes.iter().map(|(p, n)| (p.clone(), n.as_ref())).collect();
        Ok(Some(places.iter().filter_map(|p| to_proto::location(p, &corpus, &by_path, encoding)).collect()))
    })
    .await
}

pub(super) async fn completion(shared: &Arc<Shared>, params: lsp::CompletionParams) -> RpcResult<Option<lsp::CompletionResponse>> {
    let at = params.text_document_position;
    shared
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

pub(super) async fn document_symbol(
    shared: &Arc<Shared>,
    params: lsp::DocumentSymbolParams,
) -> RpcResult<Option<lsp::DocumentSymbolResponse>> {
    let uri = params.text_document.uri;
    let article = {
        let state = lock(&shared.state);
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
    let Some((_, note, encoding)) = shared.note(&uri).await? else {
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

pub(super) async fn symbol(shared: &Arc<Shared>, params: lsp::WorkspaceSymbolParams) -> RpcResult<Option<lsp::WorkspaceSymbolResponse>> {
    let ServerSnapshot { corpus, encoding, .. } = shared.snapshot();
    cancellable(move |cancel| {
        #[allow(deprecated)] // `SymbolInformation::deprecated` must still be written out
        let found = symbols::workspace_symbols(&corpus, &params.query, cancel)?
            .into_iter()
            .filter_map(|(id, symbol)| {
                let article = corpus.article(id)?;
                Some(lsp::SymbolInformation {
                    name: symbol.name,
                    kind: lsp::SymbolKind::FILE,
                    tags: None,
                    deprecated: None,
                    location: lsp::Location {
                        uri: to_proto::article_uri(article)?,
                        range: to_proto::article_range(article, &symbol.range, encoding),
                    },
                    container_name: symbol.detail,
                })
            })
            .collect();
        Ok(Some(lsp::WorkspaceSymbolResponse::Flat(found)))
    })
    .await
}

pub(super) async fn code_action(shared: &Arc<Shared>, params: lsp::CodeActionParams) -> RpcResult<Option<lsp::CodeActionResponse>> {
    let uri = params.text_document.uri;
    let Some((corpus, note, findings, encoding)) = shared.findings(&uri).await? else {
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

pub(super) async fn execute_command(shared: &Arc<Shared>, params: lsp::ExecuteCommandParams) -> RpcResult<Option<Value>> {
    match params.command.as_str() {
        COMMAND_REINDEX => {
            let shared = shared.clone();
            tokio::spawn(async move { shared.reindex().await });
            Ok(None)
        }
        COMMAND_FACTS => {
            let corpus = shared.snapshot().corpus;
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
