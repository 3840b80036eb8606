//! What the long-running server asks of the C allocator (glibc on Linux; elsewhere nothing).
//!
//! glibc gives each thread that allocates at once an arena of its own, up to eight per core, and
//! keeps what is freed in each for reuse: the server's runtime and analysis threads left a third of
//! its memory in arenas that held nothing live (356 MB resident at 100,000 articles in an archive,
//! 303 MB with two arenas).

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

/// Returns the free memory at the top of the allocator's heaps to the system, after a large drop
/// (the articles a corpus fetched from an archive).
pub fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim is thread-safe and only releases memory no allocation holds.
    unsafe {
        libc::malloc_trim(0);
    }
}
