//! The server's state and the one way handlers read it: a `ServerSnapshot` taken under the lock
//! (cheap `Arc` clones only), after which no lock is held while computing.
//!
//! Invariants:
//! - every `didOpen`/`didChange`/`didClose` is applied to the document store
//!   synchronously, before the handler's first `.await`, so edits keep their order;
//! - CPU work runs on the blocking pool (`spawn_blocking`); a panic there becomes
//!   a JSON-RPC error for that one request and the session goes on;
//! - results computed for an older generation of a document are dropped;
//! - every request to the client has a timeout, and no lock is held across `.await`
//!   or while touching the file system.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use serde_json::Value;
use tower_lsp_server::jsonrpc::{Error as RpcError, Result as RpcResult};
use tower_lsp_server::ls_types as lsp;
use tower_lsp_server::Client;

use crate::analysis::cancel::{CancelToken, Cancelled};
use crate::analysis::checks::diagnostics::{self, BlockCache, BlockFindings};
use crate::analysis::checks::findings::Finding;
use crate::analysis::checks::Snapshot;
use crate::analysis::note::Note;
use crate::convert::{to_offset, Encoding, Position};
use crate::lsp::documents::Documents;
use crate::workspace::{self, Config};

/// A client that does not answer a request within this time is not waited for.
pub(super) const CLIENT_REQUEST_TIMEOUT: Duration = Duration::from_secs(5);

pub(super) struct Shared {
    pub(super) client: Client,
    /// The frames written to the client, for notifications the server serialises itself
    /// (`publish`); `None` where the service runs without the stdio transport.
    pub(super) output: Option<tokio::sync::mpsc::UnboundedSender<Vec<u8>>>,
    /// Distinguishes this server process in result ids (see `Shared::result_id`).
    pub(super) session: u64,
    pub(super) state: Mutex<State>,
    /// Serialises corpus (re)indexing so that two updates never overwrite each other.
    pub(super) update_lock: tokio::sync::Mutex<()>,
    /// Bumped by every opened or edited note: work done while the editor is idle stops when it moves.
    pub(super) activity: Arc<std::sync::atomic::AtomicU64>,
    /// Whether a task follows the configured archive (see `archive`).
    pub(super) following_archive: std::sync::atomic::AtomicBool,
    /// Set by `shutdown`: nothing is published after it (the service's own notifications are
    /// dropped then; those written to `output` are checked against this).
    pub(super) shut_down: std::sync::atomic::AtomicBool,
}

#[derive(Default)]
pub(super) struct State {
    pub(super) encoding: Encoding,
    pub(super) root: Option<PathBuf>,
    /// Settings from the client (initialization options, then `workspace/configuration`).
    pub(super) client_settings: Option<Value>,
    pub(super) config: Config,
    pub(super) corpus: Arc<Snapshot>,
    pub(super) indexed: bool,
    /// The archive generation the corpus was read from, when it was read from an archive.
    pub(super) archive_generation: Option<i64>,
    /// Notes of the workspace as they are on disk, for references; open documents take precedence.
    pub(super) disk_notes: Arc<BTreeMap<String, Arc<Note>>>,
    pub(super) documents: Documents,
    pub(super) capabilities: ClientSupport,
    /// Keeps the file watcher alive when the server watches files itself.
    pub(super) watcher: Option<notify::RecommendedWatcher>,
}

#[derive(Clone, Copy, Default)]
pub(super) struct ClientSupport {
    pub(super) watch_registration: bool,
    pub(super) progress: bool,
    pub(super) configuration: bool,
    /// The client pulls diagnostics and re-pulls on `workspace/diagnostic/refresh`; the server then
    /// never publishes them (see `capabilities::pulls_diagnostics`).
    pub(super) pull_diagnostics: bool,
}

pub(super) fn lock(mutex: &Mutex<State>) -> MutexGuard<'_, State> {
    // A panic elsewhere must not take the whole session down with a poisoned lock.
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

pub(super) fn internal_error(message: impl Into<String>) -> RpcError {
    RpcError { code: tower_lsp_server::jsonrpc::ErrorCode::InternalError, message: message.into().into(), data: None }
}

/// Runs CPU work off the protocol task; a panic becomes an error for this request only.
pub(super) async fn blocking<R: Send + 'static>(work: impl FnOnce() -> R + Send + 'static) -> RpcResult<R> {
    tokio::task::spawn_blocking(work).await.map_err(|error| {
        let message =
            if error.is_panic() { "internal error while analysing (a bug in noteproof; see its log)" } else { "analysis was cancelled" };
        eprintln!("noteproof: {message}: {error}");
        internal_error(message)
    })
}

/// Cancels its token when dropped. tower-lsp-server drops a request's future when the client
/// sends `$/cancelRequest` (and answers it with `RequestCancelled`); the guard, held by that
/// future, then stops the request's work on the blocking pool at its next checkpoint.
pub(super) struct CancelOnDrop(pub(super) CancelToken);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.0.cancel();
    }
}

/// Runs cancellable CPU work off the protocol task, like `blocking`; dropping the returned future
/// (a cancelled request) cancels the token that the work checks.
pub(super) async fn cancellable<R: Send + 'static>(
    work: impl FnOnce(&CancelToken) -> Result<R, Cancelled> + Send + 'static,
) -> RpcResult<R> {
    let cancel = CancelToken::new();
    let _cancel_on_drop = CancelOnDrop(cancel.clone());
    blocking(move || work(&cancel)).await?.map_err(|Cancelled| RpcError::request_cancelled())
}

/// The path the core uses for a document: its file path, or the URI itself when it has none.
pub(super) fn document_path(uri: &lsp::Uri) -> String {
    if uri.scheme().as_str() == "file" {
        if let Some(path) = uri.to_file_path() {
            return workspace::path_string(&workspace::normalize(&path));
        }
    }
    uri.as_str().to_string()
}

pub(super) fn position(position: lsp::Position) -> Position {
    Position { line: position.line, character: position.character }
}

/// What a request reads of the server's state, taken in one short lock: `Arc` clones and small
/// values only. Handlers compute on it with no lock held.
#[derive(Clone)]
pub(super) struct ServerSnapshot {
    pub(super) corpus: Arc<Snapshot>,
    pub(super) encoding: Encoding,
    pub(super) root: Option<PathBuf>,
    pub(super) config: Config,
    pub(super) indexed: bool,
    pub(super) capabilities: ClientSupport,
    pub(super) disk_notes: Arc<BTreeMap<String, Arc<Note>>>,
}

impl Shared {
    pub(super) fn snapshot(&self) -> ServerSnapshot {
        let state = lock(&self.state);
        ServerSnapshot {
            corpus: state.corpus.clone(),
            encoding: state.encoding,
            root: state.root.clone(),
            config: state.config.clone(),
            indexed: state.indexed,
            capabilities: state.capabilities,
            disk_notes: state.disk_notes.clone(),
        }
    }

    pub(super) fn is_article_path(state: &State, path: &str) -> bool {
        state.corpus.article_by_path(path).is_some() || state.corpus.is_within_roots(path)
    }

    /// The parsed note for an open document, parsing it if this text has not been parsed yet.
    pub(super) async fn note(&self, uri: &lsp::Uri) -> RpcResult<Option<(Arc<Snapshot>, Arc<Note>, Encoding)>> {
        let (text, path, generation, corpus, encoding) = {
            let state = lock(&self.state);
            let Some(document) = state.documents.get(uri.as_str()) else {
                return Ok(None);
            };
            if !state.indexed || Self::is_article_path(&state, &document.path) {
                return Ok(None);
            }
            if let Some(note) = &document.parsed {
                return Ok(Some((state.corpus.clone(), note.clone(), state.encoding)));
            }
            // A rope clone shares its chunks: the text is copied out after the lock is released.
            (document.rope.clone(), document.path.clone(), document.generation, state.corpus.clone(), state.encoding)
        };
        let note = Arc::new(blocking(move || Note::parse(&path, &text.to_string())).await?);
        let mut state = lock(&self.state);
        if let Some(document) = state.documents.get_mut(uri.as_str()) {
            if document.generation == generation {
                document.parsed = Some(note.clone());
            }
        }
        Ok(Some((corpus, note, encoding)))
    }

    /// The findings of the diagnostics' last run over an open note, block by block, with the note
    /// they were found in, when that run checked its current text.
    pub(super) fn checked_blocks(&self, uri: &lsp::Uri) -> Option<(Arc<Note>, Arc<Vec<BlockFindings>>)> {
        let state = lock(&self.state);
        let document = state.documents.get(uri.as_str())?;
        Some((document.parsed.clone()?, document.blocks.clone()?))
    }

    /// Runs `answer` over an open note at an editor position, off the protocol task.
    pub(super) async fn at_position<R: Send + 'static>(
        &self,
        uri: &lsp::Uri,
        at: lsp::Position,
        answer: impl FnOnce(&Snapshot, &Note, usize, Encoding) -> Option<R> + Send + 'static,
    ) -> RpcResult<Option<R>> {
        if let Some(document) = lock(&self.state).documents.get_mut(uri.as_str()) {
            document.focus_line = at.line;
        }
        let Some((corpus, note, encoding)) = self.note(uri).await? else {
            return Ok(None);
        };
        blocking(move || {
            let offset = to_offset(&note.text, &note.line_index, position(at), encoding);
            answer(&corpus, &note, offset, encoding)
        })
        .await
    }

    pub(super) async fn findings(&self, uri: &lsp::Uri) -> RpcResult<Option<(Arc<Snapshot>, Arc<Note>, Arc<Vec<Finding>>, Encoding)>> {
        let Some((corpus, note, encoding)) = self.note(uri).await? else {
            return Ok(None);
        };
        let (generation, findings, blocks) = {
            let state = lock(&self.state);
            let Some(document) = state.documents.get(uri.as_str()) else {
                return Ok(None);
            };
            (document.generation, document.findings.clone(), document.blocks.clone())
        };
        let findings = match (findings, blocks) {
            (Some(findings), _) => findings,
            // The diagnostics' run kept them block by block: one list, made once for this text.
            (None, Some(blocks)) => {
                let findings = Arc::new(blocking(move || diagnostics::findings_in_note(&blocks)).await?);
                let mut state = lock(&self.state);
                if let Some(document) = state.documents.get_mut(uri.as_str()).filter(|d| d.generation == generation && d.blocks.is_some()) {
                    document.findings = Some(findings.clone());
                }
                findings
            }
            (None, None) => {
                let (corpus, note) = (corpus.clone(), note.clone());
                let check = move |cancel: &CancelToken| diagnostics::check_note_cached(&corpus, &note, &mut BlockCache::default(), cancel);
                Arc::new(cancellable(check).await?)
            }
        };
        Ok(Some((corpus, note, findings, encoding)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the scheduler does to a request that the client cancels: drops its future.
    #[test]
    fn dropping_a_requests_future_stops_its_work_at_the_next_checkpoint() {
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
        let (started, work_started) = std::sync::mpsc::channel();
        let (stopped, work_stopped) = std::sync::mpsc::channel();
        runtime.block_on(async move {
            let request = cancellable(move |cancel| {
                started.send(()).unwrap();
                // A long loop of the analysis, with a checkpoint per step.
                loop {
                    if let Err(cancelled) = cancel.check() {
                        stopped.send(()).unwrap();
                        return Err::<(), _>(cancelled);
                    }
                    std::thread::yield_now();
                }
            });
            let work_has_started = tokio::task::spawn_blocking(move || work_started.recv());
            // Polls the request (which starts its work) until the work has started, then drops it
            // unfinished, as the scheduler does on `$/cancelRequest`.
            tokio::select! {
                _ = request => panic!("the work ends only when cancelled"),
                started = work_has_started => started.unwrap().unwrap(),
            }
        });
        let limit = std::time::Duration::from_secs(60);
        assert_eq!(work_stopped.recv_timeout(limit), Ok(()), "the work saw the cancellation and stopped");
    }
}
