//! Cancellation: a flag that the long loops of the analysis check, so that work nobody waits for
//! any more (a request the editor cancelled, a run that a newer edit superseded) stops at its next
//! checkpoint instead of running to the end.
//!
//! A leaf of the core: it uses nothing of the crate, and every layer may use it.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// A cheap, clonable cancellation flag: clones share it. A `child` is cancelled with its parent,
/// or on its own without touching the parent.
#[derive(Clone, Debug, Default)]
pub struct CancelToken {
    flag: Arc<AtomicBool>,
    parent: Option<Arc<CancelToken>>,
}

/// What a cancelled computation returns instead of its result: it stopped part-way, and what it
/// had found so far is not an answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cancelled;

impl std::fmt::Display for Cancelled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("cancelled")
    }
}

impl std::error::Error for Cancelled {}

impl CancelToken {
    pub fn new() -> CancelToken {
        CancelToken::default()
    }

    /// A token for work that nobody cancels (the `check` command, tests).
    pub fn never() -> CancelToken {
        CancelToken::default()
    }

    /// A token cancelled when this one is, or on its own.
    pub fn child(&self) -> CancelToken {
        CancelToken { flag: Arc::default(), parent: Some(Arc::new(self.clone())) }
    }

    pub fn cancel(&self) {
        self.flag.store(true, Ordering::Relaxed);
    }

    pub fn is_cancelled(&self) -> bool {
        self.flag.load(Ordering::Relaxed) || self.parent.as_ref().is_some_and(|parent| parent.is_cancelled())
    }

    /// A checkpoint: `Err(Cancelled)` once the token is cancelled, for `?` in loops.
    pub fn check(&self) -> Result<(), Cancelled> {
        if self.is_cancelled() {
            Err(Cancelled)
        } else {
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clones_share_the_flag() {
        let token = CancelToken::new();
        let clone = token.clone();
        assert_eq!(clone.check(), Ok(()));
        token.cancel();
        assert!(clone.is_cancelled());
        assert_eq!(clone.check(), Err(Cancelled));
    }

    #[test]
    fn a_child_is_cancelled_with_its_parent_but_not_the_other_way_round() {
        let parent = CancelToken::new();
        let (first, second) = (parent.child(), parent.child());
        first.cancel();
        assert!(first.is_cancelled());
        assert!(!parent.is_cancelled() && !second.is_cancelled(), "cancelling a child leaves its parent and siblings running");
        parent.cancel();
        assert!(second.is_cancelled());
        assert!(second.child().is_cancelled(), "a grandchild sees it too");
    }
}
