//! Work nobody waits for, below the work somebody does, in the scheduler's eyes.

/// The nice value background threads run at, unless the process already runs nicer.
pub const BACKGROUND_NICE: i32 = 10;

/// Lowers the calling thread's scheduling priority to `BACKGROUND_NICE` (Linux: a nice value is a
/// thread's own, and a new thread starts with its creator's); elsewhere nothing. For threads of
/// their own only: an unprivileged process cannot raise a thread's priority back.
pub fn lower_this_threads_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: getpriority and setpriority only read and change the calling thread's nice value; a
    // failure leaves it as it was.
    unsafe {
        if libc::getpriority(libc::PRIO_PROCESS, 0) < BACKGROUND_NICE {
            libc::setpriority(libc::PRIO_PROCESS, 0, BACKGROUND_NICE);
        }
    }
}

/// The calling thread's nice value (0 where there is none).
pub fn this_threads_nice() -> i32 {
    #[cfg(target_os = "linux")]
    // SAFETY: getpriority only reads the calling thread's nice value.
    return unsafe { libc::getpriority(libc::PRIO_PROCESS, 0) };
    #[cfg(not(target_os = "linux"))]
    return 0;
}
