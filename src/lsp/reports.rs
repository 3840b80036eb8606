//! The diagnostics report of an open note's current text against the current corpus: made once
//! per text and corpus snapshot (`Shared::analyse`), and named by a result id that pulls quote back.

use std::sync::atomic::Ordering;
use std::sync::Arc;

use tower_lsp_server::jsonrpc::Result as RpcResult;
use tower_lsp_server::ls_types as lsp;

use crate::analysis::cancel::CancelToken;
use crate::analysis::ide::hover::{prepare, Preparing};
use crate::analysis::note::Note;
use crate::convert::{to_offset, Position};
use crate::lsp::allocator;
use crate::lsp::diagnostics::Report;
use crate::lsp::state::{blocking, lock, CancelOnDrop, Shared};

pub(super) enum Analysed {
    /// The report of the document's current text against the current corpus.
    Current(Arc<Report>),
    /// The text or the corpus changed while it was computed (or the request was cancelled): a
    /// report now would be stale.
    Superseded,
    /// Not an open note with an indexed corpus (an article, a closed document, indexing not done).
    NotANote,
}

/// How long the editor stays idle after diagnostics before the server looks up each sentence's
/// evidence for hovers: longer than the gap between keystrokes, so typing never competes with it.
const IDLE_BEFORE_EVIDENCE: std::time::Duration = std::time::Duration::from_millis(300);

impl Shared {
    /// The result id of a report of the text of generation `generation` against the corpus snapshot
    /// `corpus_generation`, unique to this server process.
    pub(super) fn result_id(&self, generation: u64, corpus_generation: u64) -> String {
        format!("{:x}-{generation}-{corpus_generation}", self.session)
    }

    /// The result id a report of `uri` would have now, if it is an open note of an indexed workspace.
    pub(super) fn current_result_id(&self, uri: &lsp::Uri) -> Option<String> {
        let state = lock(&self.state);
        let document = state.documents.get(uri.as_str())?;
        if !state.indexed || Self::is_article_path(&state, &document.path) {
            return None;
        }
        Some(self.result_id(document.generation, state.corpus.generation()))
    }

    /// The diagnostics of `uri`'s current text: the report already made for it, or a new one made
    /// off the protocol task with the document's caches. The run stops at its next checkpoint when
    /// a newer edit or corpus supersedes the text, or when the caller's future is dropped (a
    /// cancelled request); then nothing is stored and `Superseded` is returned.
    pub(super) async fn analyse(&self, uri: &lsp::Uri) -> RpcResult<Analysed> {
        let (generation, version, cache, cancel) = {
            let state = lock(&self.state);
            let Some(document) = state.documents.get(uri.as_str()) else {
                return Ok(Analysed::NotANote);
            };
            if let Some(report) = document.report.as_ref().filter(|r| r.corpus_generation == state.corpus.generation()) {
                return Ok(Analysed::Current(report.clone()));
            }
            (document.generation, document.version, document.cache.clone(), document.superseded.child())
        };
        let _cancel_on_drop = CancelOnDrop(cancel.clone());
        let Some((corpus, note, encoding)) = self.note(uri).await? else {
            return Ok(Analysed::NotANote);
        };
        let snapshot = corpus.clone();
        let note_for_evidence = note.clone();
        let diagnosed = blocking(move || {
            let mut cache = cache.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            cache.diagnose(&snapshot, &note, encoding, &cancel)
        })
        .await?;
        let Ok(diagnosed) = diagnosed else {
            return Ok(Analysed::Superseded);
        };
        let mut state = lock(&self.state);
        let corpus_now = state.corpus.generation();
        let Some(document) = state.documents.get_mut(uri.as_str()) else {
            return Ok(Analysed::NotANote);
        };
        if document.generation != generation || corpus_now != corpus.generation() {
            return Ok(Analysed::Superseded);
        }
        let report = Arc::new(Report {
            result_id: self.result_id(generation, corpus_now),
            version,
            corpus_generation: corpus_now,
            diagnostics: diagnosed.diagnostics,
        });
        document.blocks = Some(Arc::new(diagnosed.blocks));
        document.report = Some(report.clone());
        // Once the editor has been idle a moment, what hovers will look up: in this note, then in
        // the others open (one left for this one is not left half-prepared). Any note opened or
        // edited, or a new corpus, stops it; a note closed or edited stops its own part.
        let this_note = (note_for_evidence, document.focus_line, document.superseded.child());
        let others = state
            .documents
            .iter()
            .filter(|(other, document)| other.as_str() != uri.as_str() && !Self::is_article_path(&state, &document.path))
            .filter_map(|(_, document)| Some((document.parsed.clone()?, document.focus_line, document.superseded.child())));
        let notes: Vec<(Arc<Note>, u32, CancelToken)> = std::iter::once(this_note).chain(others).collect();
        drop(state);
        let activity = self.activity.clone();
        let seen = activity.load(Ordering::Relaxed);
        tokio::spawn(async move {
            // What the check read and dropped (an archive's rows, articles parsed for one answer)
            // goes back to the system now, not after the next large piece of work reuses it.
            let _ = tokio::task::spawn_blocking(allocator::release_free_memory_after_growth).await;
            tokio::time::sleep(IDLE_BEFORE_EVIDENCE).await;
            if activity.load(Ordering::Relaxed) != seen {
                return;
            }
            // On a thread of its own below the requests: among a team's servers on a few cores, a
            // hover that answers from memory waited behind other servers' look-ups.
            let preparing = std::thread::Builder::new().name("noteproof-prepare".into()).spawn(move || {
                crate::workspace::priority::lower_this_threads_priority();
                let activity = &activity;
                let wanted: Vec<_> = notes
                    .iter()
                    .map(|(_, _, superseded)| move || !superseded.is_cancelled() && activity.load(Ordering::Relaxed) == seen)
                    .collect();
                let preparing: Vec<Preparing> = notes
                    .iter()
                    .zip(&wanted)
                    .map(|((note, line, _), wanted)| {
                        let focus = to_offset(&note.text, &note.line_index, Position { line: *line, character: 0 }, encoding);
                        Preparing { note, focus, wanted }
                    })
                    .collect();
                prepare(&corpus, &preparing)
            });
            if let Err(error) = preparing {
                eprintln!("noteproof: hovers are not prepared ahead: cannot start a thread ({error})");
            }
        });
        Ok(Analysed::Current(report))
    }
}
