//! What the long-running server asks of the C allocator (glibc on Linux; elsewhere nothing).
//!
//! glibc gives each thread that allocates at once an arena of its own, up to eight per core, and
//! keeps what is freed in each for reuse: the server's runtime and analysis threads left a third of
//! its memory in arenas that held nothing live (356 MB resident at 100,000 articles in an archive,
//! 303 MB with two arenas).

#[cfg(all(target_os = "linux", target_env = "gnu"))]
use std::sync::atomic::{AtomicUsize, Ordering};

/// Arenas allowed: one per core of the machines the server is sized for; more threads share them.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const ARENAS: libc::c_int = 2;

/// Limits the allocator's arenas, unless `MALLOC_ARENA_MAX` says how many. Called once, before
/// the server starts its threads.
pub fn limit_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    if std::env::var_os("MALLOC_ARENA_MAX").is_none() {
        // SAFETY: mallopt only sets a tuning parameter of the allocator; no thread allocates yet.
        unsafe {
            libc::mallopt(libc::M_ARENA_MAX, ARENAS);
        }
    }
}

/// How much the server's resident memory may grow, with that much of it free in the allocator,
/// before the free part is given back: more than a few edits and hovers go through, less than
/// what one check of a busy note leaves free (35–40 MB at 100,000 articles in an archive: rows
/// read, articles parsed for one answer and dropped).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const GROWTH_KEPT: usize = 16 << 20;

/// Resident bytes just after the last release (0 before the first).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
static RESIDENT_AFTER_RELEASE: AtomicUsize = AtomicUsize::new(0);

/// Gives the allocator's free memory back to the system when the process grew by more than
/// `GROWTH_KEPT` since the last time and the allocator holds more than that free. glibc gives
/// back by itself only what is free at the top of a heap; what a large piece of work freed below
/// stays resident until other work reuses it. A release costs a few milliseconds, so it is done
/// at most once per `GROWTH_KEPT` of growth.
pub fn release_free_memory_after_growth() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        let Some(resident) = resident_bytes() else { return };
        // SAFETY: mallinfo2 only reads the allocator's counters (under its own locks).
        let free = unsafe { libc::mallinfo2() }.fordblks;
        if worth_releasing(resident, RESIDENT_AFTER_RELEASE.load(Ordering::Relaxed), free, GROWTH_KEPT) {
            release_free_memory();
        }
    }
}

/// Whether a process now `resident`, `resident_after_release` after the last release, with `free`
/// bytes free in its allocator, should release them.
#[cfg_attr(not(all(target_os = "linux", target_env = "gnu")), allow(dead_code))]
fn worth_releasing(resident: usize, resident_after_release: usize, free: usize, kept: usize) -> bool {
    resident > resident_after_release.saturating_add(kept) && free > kept
}

/// The process's resident memory in bytes (`/proc/self/statm`, Linux).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn resident_bytes() -> Option<usize> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: usize = statm.split_whitespace().nth(1)?.parse().ok()?;
    // SAFETY: sysconf only reads a constant of the system.
    let page = usize::try_from(unsafe { libc::sysconf(libc::_SC_PAGESIZE) }).ok()?;
    Some(pages * page)
}

/// Returns the free memory of the allocator's heaps to the system, after a large drop (the
/// articles a corpus fetched from an archive).
pub fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        // SAFETY: malloc_trim is thread-safe and only releases memory no allocation holds.
        unsafe {
            libc::malloc_trim(0);
        }
        RESIDENT_AFTER_RELEASE.store(resident_bytes().unwrap_or(0), Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MB: usize = 1 << 20;

    #[test]
    fn free_memory_is_given_back_once_per_growth_and_only_when_there_is_some() {
        assert!(worth_releasing(200 * MB, 150 * MB, 40 * MB, 16 * MB), "grew by 50 MB, 40 MB of it free");
        assert!(!worth_releasing(160 * MB, 150 * MB, 40 * MB, 16 * MB), "grew by less than what is kept");
        assert!(!worth_releasing(200 * MB, 150 * MB, 8 * MB, 16 * MB), "grew with live data: nothing to give back");
        assert!(worth_releasing(100 * MB, 0, 20 * MB, 16 * MB), "the first time");
        assert!(!worth_releasing(100 * MB, 120 * MB, 20 * MB, 16 * MB), "smaller than after the last release");
    }

    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    #[test]
    fn what_a_large_piece_of_work_freed_below_the_top_of_the_heap_leaves_the_process() {
        // 64 MB in blocks the allocator serves from its heap (below its mmap threshold), each
        // followed by a small block that stays: once the large ones are freed, none lies at the
        // top of the heap, so none would go back by itself.
        let mut kept = Vec::new();
        let mut large = Vec::new();
        for i in 0..1024u32 {
            large.push(vec![i as u8 | 1; 64 * 1024]);
            kept.push(Box::new(i));
        }
        let before = resident_bytes().expect("/proc/self/statm");
        drop(large);
        release_free_memory();
        let after = resident_bytes().expect("/proc/self/statm");
        assert!(before.saturating_sub(after) >= 32 * MB, "resident {} MB before, {} MB after", before / MB, after / MB);
        assert_eq!(kept.iter().map(|b| **b as usize).sum::<usize>(), 1023 * 1024 / 2);
    }
}
