//! The protocol layer: maps LSP requests to core calls and core answers to LSP types.

pub mod documents;
pub mod server;
pub mod to_proto;

use tower_lsp_server::{LspService, Server};

/// Serves the language server protocol over standard input and output until `exit`.
pub async fn serve_stdio() {
    let (service, socket) =
        LspService::build(server::Server::new).custom_method("noteproof/documentState", server::Server::document_state).finish();
    Server::new(tokio::io::stdin(), tokio::io::stdout(), socket).serve(service).await;
}
