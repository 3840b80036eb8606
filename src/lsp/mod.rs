//! The protocol layer: maps LSP requests to core calls and core answers to LSP types.

pub mod allocator;
mod archive;
pub mod capabilities;
pub mod custom;
pub mod diagnostics;
pub mod documents;
mod handlers;
mod indexing;
mod publish;
mod pull;
mod reports;
pub mod server;
mod state;
pub mod to_proto;
pub mod transport;
mod watching;

use std::time::Duration;

use tower_lsp_server::{LspService, Server};

/// Pipe buffer between the framing guard and the service; larger messages simply stream through.
const PIPE_BYTES: usize = 1 << 20;
/// After `exit`, responses still queued get this long to reach the client.
const FLUSH_GRACE: Duration = Duration::from_millis(200);

/// Serves the language server protocol over standard input and output until `exit`.
pub async fn serve_stdio() {
    let (output, frames) = tokio::sync::mpsc::unbounded_channel();
    let to_client = output.clone();
    let mut builder = LspService::build(move |client| server::Server::new(client, Some(to_client)))
        .custom_method("noteproof/documentState", server::Server::document_state)
        .custom_method("workspace/textDocumentContent", server::Server::text_document_content);
    if std::env::var_os("NOTEPROOF_TEST_HOOKS").is_some_and(|v| v == "1") {
        builder = builder.custom_method("noteproof/debugPanic", server::Server::debug_panic);
    }
    let (service, socket) = builder.finish();
    let (to_service, service_input) = tokio::io::duplex(PIPE_BYTES);
    let (service_output, from_service) = tokio::io::duplex(PIPE_BYTES);
    tokio::spawn(transport::guard_input(tokio::io::stdin(), to_service, output.clone()));
    let forwarding = tokio::spawn(transport::forward_output(from_service, output));
    let writing = tokio::spawn(transport::write_output(tokio::io::stdout(), frames));
    Server::new(service_input, service_output, socket).serve(service).await;
    let _ = tokio::time::timeout(FLUSH_GRACE, forwarding).await;
    let _ = tokio::time::timeout(FLUSH_GRACE, writing).await;
}
