//! noteproof's own protocol: the `noteproof/status` notification, the `noteproof/documentState`
//! request, `workspace/textDocumentContent` for the text read from PDFs, the test-only `noteproof/debugPanic`, and the commands it executes.

use serde::{Deserialize, Serialize};
use tower_lsp_server::jsonrpc::Result as RpcResult;
use tower_lsp_server::ls_types as lsp;

use crate::lsp::state::{blocking, lock, Shared};

pub const COMMAND_REINDEX: &str = "noteproof.reindex";

pub const COMMAND_FACTS: &str = "noteproof.facts";

/// `noteproof/status`: indexing progress and the size of the corpus, for status bars.
#[derive(Debug, Serialize, Deserialize)]
pub struct StatusParams {
    pub state: String,
    pub articles: usize,
    pub notes: usize,
    pub message: String,
}

pub enum StatusNotification {}

impl lsp::notification::Notification for StatusNotification {
    type Params = StatusParams;
    const METHOD: &'static str = "noteproof/status";
}

/// `noteproof/documentState`: the server's view of an open document (for tests and bug reports).
#[derive(Debug, Deserialize)]
pub struct DocumentStateParams {
    pub uri: lsp::Uri,
}

#[derive(Debug, Serialize)]
pub struct DocumentState {
    pub version: i32,
    pub text: String,
}

/// `workspace/textDocumentContent` (LSP 3.18): the text of a served read-only document, the text
/// read from a PDF (`noteproof:///…/report.pdf.txt`), so that definitions can open it at a line.
#[derive(Debug, Deserialize)]
pub struct TextDocumentContentParams {
    pub uri: lsp::Uri,
}

#[derive(Debug, Serialize)]
pub struct TextDocumentContent {
    pub text: String,
}

pub(super) fn text_document_content(shared: &Shared, params: TextDocumentContentParams) -> RpcResult<TextDocumentContent> {
    let not_served =
        || tower_lsp_server::jsonrpc::Error::invalid_params(format!("{} is not a document noteproof serves", params.uri.as_str()));
    let path = crate::lsp::to_proto::served_article_path(&params.uri).ok_or_else(not_served)?;
    let state = lock(&shared.state);
    let article = state.corpus.article_by_path(&path).and_then(|id| state.corpus.article(id)).ok_or_else(|| {
        tower_lsp_server::jsonrpc::Error::invalid_params(format!("{path} is not in the corpus (removed, or not indexed yet)"))
    })?;
    Ok(TextDocumentContent { text: article.text.clone() })
}

/// `noteproof/debugPanic` (registered only with `NOTEPROOF_TEST_HOOKS=1`): panics while
/// analysing, so that tests can see one request fail and the session go on.
pub(super) async fn debug_panic() -> RpcResult<()> {
    blocking(|| panic!("a panic requested through noteproof/debugPanic")).await
}

pub(super) fn document_state(shared: &Shared, params: DocumentStateParams) -> Option<DocumentState> {
    let rope = lock(&shared.state).documents.get(params.uri.as_str()).map(|d| (d.version, d.rope.clone()));
    rope.map(|(version, rope)| DocumentState { version, text: rope.to_string() })
}
