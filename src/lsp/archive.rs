//! Following a shared archive: while the server reads its corpus from PostgreSQL, it asks the
//! archive now and then for its latest generation and re-reads it when an ingest committed a new
//! one. While the database cannot be reached it asks again, waiting longer each time (the corpus
//! already loaded keeps answering); when it comes back, indexing and diagnostics resume.

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use tower_lsp_server::ls_types as lsp;

use crate::lsp::state::{blocking, lock, Shared};
use crate::workspace::database::latest_generation;

/// How often a reachable archive is asked whether an ingest committed; `NOTEPROOF_ARCHIVE_POLL_MS`
/// overrides it (tests).
const POLL: Duration = Duration::from_secs(10);
/// The first wait after the archive could not be reached; it doubles up to `POLL`.
const FIRST_RETRY: Duration = Duration::from_millis(500);

fn poll_interval() -> Duration {
    std::env::var("NOTEPROOF_ARCHIVE_POLL_MS").ok().and_then(|ms| ms.parse().ok()).map_or(POLL, Duration::from_millis)
}

/// Article text fetched from the archive that the server keeps before letting go of it all:
/// the server's memory follows what the analyst reads, never the archive's size.
const FETCHED_BUDGET: usize = 32 << 20;

impl Shared {
    /// After answers went without the archive (it was away, a query timed out), and now that it
    /// answers again: a new snapshot of the same archive, so that every note is checked afresh
    /// (findings computed meanwhile lacked what could not be read). Whether it did.
    fn recover_from_outage(&self) -> bool {
        let mut state = lock(&self.state);
        if state.corpus.library_failures() == 0 {
            return false;
        }
        state.corpus = Arc::new(state.corpus.refetched());
        true
    }

    /// Replaces a corpus that fetched more than `FETCHED_BUDGET` with the same corpus, nothing
    /// fetched; requests running keep theirs until they end.
    fn let_go_of_fetched_articles(&self) {
        let mut state = lock(&self.state);
        if state.corpus.fetched_bytes() > FETCHED_BUDGET {
            state.corpus = Arc::new(state.corpus.emptied());
        }
    }

    /// Starts following the configured archive, unless already following it.
    pub(super) fn follow_archive(self: &Arc<Self>) {
        if self.following_archive.swap(true, Ordering::SeqCst) {
            return;
        }
        let shared = self.clone();
        tokio::spawn(async move { shared.follow().await });
    }

    async fn follow(self: Arc<Self>) {
        let poll = poll_interval();
        let mut wait = FIRST_RETRY.min(poll);
        let mut unreachable_since_logged = false;
        loop {
            tokio::time::sleep(wait).await;
            let (url, loaded) = {
                let state = lock(&self.state);
                (state.config.database_url(), state.archive_generation)
            };
            let Some(url) = url else {
                // The configuration no longer names an archive.
                self.following_archive.store(false, Ordering::SeqCst);
                return;
            };
            match blocking(move || latest_generation(&url)).await {
                Ok(Ok(latest)) => {
                    wait = poll;
                    unreachable_since_logged = false;
                    if loaded != Some(latest) {
                        self.reindex().await;
                    } else if self.recover_from_outage() {
                        self.diagnostics_outdated();
                    } else {
                        self.let_go_of_fetched_articles();
                    }
                }
                Ok(Err(error)) => {
                    if !unreachable_since_logged {
                        let message = format!("noteproof: {error:#}; asking again, less and less often");
                        self.client.log_message(lsp::MessageType::WARNING, message).await;
                        unreachable_since_logged = true;
                    }
                    wait = if loaded.is_some() { poll } else { (wait * 2).min(poll) };
                }
                Err(_) => wait = poll,
            }
        }
    }
}
