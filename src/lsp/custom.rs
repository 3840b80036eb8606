//! noteproof's own protocol: the `noteproof/status` notification, the `noteproof/documentState`
//! request, the test-only `noteproof/debugPanic`, and the commands it executes.

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

/// `noteproof/debugPanic` (registered only with `NOTEPROOF_TEST_HOOKS=1`): panics while
/// analysing, so that tests can see one request fail and the session go on.
pub(super) async fn debug_panic() -> RpcResult<()> {
    blocking(|| panic!("a panic requested through noteproof/debugPanic")).await
}

pub(super) fn document_state(shared: &Shared, params: DocumentStateParams) -> Option<DocumentState> {
    let rope = lock(&shared.state).documents.get(params.uri.as_str()).map(|d| (d.version, d.rope.clone()));
    rope.map(|(version, rope)| DocumentState { version, text: rope.to_string() })
}
