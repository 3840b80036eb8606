//! Following a shared archive: while the server reads its corpus from PostgreSQL, it asks the
//! archive now and then for its latest generation and re-reads it when an ingest committed a new
//! one. While the database cannot be reached it asks again, waiting longer each time (the corpus
//! already loaded keeps answering); when it comes back, indexing and diagnostics resume.

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use tower_lsp_server::ls_types as lsp;

use crate::lsp::allocator;
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

/// The longest wait between two recoveries that both ran into failures: a query that times out
/// every time (one too heavy for the archive, not a passing lock) would otherwise have every
/// note checked afresh at each poll.
const LONGEST_RECOVERY_WAIT: Duration = Duration::from_secs(600);

/// Article text fetched from the archive that the server keeps before letting go of it all:
/// the server's memory follows what the analyst reads, never the archive's size.
const FETCHED_BUDGET: usize = 32 << 20;

impl Shared {
    /// After answers went without the archive (it was away, a query timed out), and now that it
    /// answers again: a new snapshot of the same archive, so that every note is checked afresh
    /// (findings computed meanwhile lacked what could not be read). Whether it did.
    fn recover_from_outage(&self, recovery: &mut Recovery) -> bool {
        let mut state = lock(&self.state);
        if state.corpus.library_failures() == 0 {
            recovery.succeeded();
            return false;
        }
        if !recovery.due() {
            return false;
        }
        recovery.started();
        state.corpus = Arc::new(state.corpus.refetched());
        true
    }

    /// Replaces a corpus that fetched more than `FETCHED_BUDGET` with the same corpus, nothing
    /// fetched; requests running keep theirs until they end. Either way, what hovers and checks
    /// freed since goes back to the system.
    fn let_go_of_fetched_articles(&self) {
        let mut state = lock(&self.state);
        if state.corpus.fetched_bytes() > FETCHED_BUDGET {
            let emptied = Arc::new(state.corpus.emptied());
            let full = std::mem::replace(&mut state.corpus, emptied);
            drop(state);
            // The last snapshot holding them goes here, unless a request still runs with it.
            drop(full);
            allocator::release_free_memory();
        } else {
            drop(state);
            allocator::release_free_memory_after_growth();
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
        let mut recovery = Recovery::new(poll);
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
                    } else if self.recover_from_outage(&mut recovery) {
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

/// When to check every note afresh after answers went without the archive: at once the first
/// time, then after twice as long each time the answers went without again.
struct Recovery {
    poll: Duration,
    wait: Duration,
    not_before: std::time::Instant,
}

impl Recovery {
    fn new(poll: Duration) -> Recovery {
        Recovery { poll, wait: poll, not_before: std::time::Instant::now() }
    }

    fn due(&self) -> bool {
        std::time::Instant::now() >= self.not_before
    }

    fn started(&mut self) {
        self.not_before = std::time::Instant::now() + self.wait;
        self.wait = (self.wait * 2).min(LONGEST_RECOVERY_WAIT.max(self.poll));
    }

    /// Answers went without nothing since the last recovery.
    fn succeeded(&mut self) {
        self.wait = self.poll;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recoveries_that_fail_again_wait_twice_as_long_each_time_until_one_succeeds() {
        let poll = Duration::from_secs(10);
        let mut recovery = Recovery::new(poll);
        assert!(recovery.due(), "the first recovery is at once");
        let waits: Vec<Duration> = (0..8)
            .map(|_| {
                let before = recovery.wait;
                recovery.started();
                assert!(!recovery.due());
                before
            })
            .collect();
        let seconds: Vec<u64> = waits.iter().map(Duration::as_secs).collect();
        assert_eq!(seconds, [10, 20, 40, 80, 160, 320, 600, 600]);
        recovery.succeeded();
        assert_eq!(recovery.wait, poll);
    }
}
