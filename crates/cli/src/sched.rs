//! How the batch commands (ingest, reanalyze, reindex, demo) ask to be
//! scheduled: long time slices. Owns that request alone; must not be used
//! by `serve`, whose requests want short waits more than throughput.

/// The slice asked for (docs/benchmarks-log.md tells how it was chosen).
const SLICE_NS: u64 = 20_000_000;

/// Asks the kernel for 20 ms time slices for this thread and every thread
/// it starts afterwards (they inherit them), instead of the default of a
/// few milliseconds. An ingest with analysis keeps six threads busy (reader,
/// archive writer, two analysis threads, two indexing threads), more than
/// there are cores, and every preemption hands a core to a thread whose
/// working set (the gazetteer's automaton, SQLite's pages, tantivy's
/// tables) it has to fetch again into the cache.
///
/// Linux 6.12 and later read the slice of a normal task from the
/// scheduling attributes' runtime; older kernels refuse it, and a process
/// running under a real-time or idle policy is left as it is. Either way
/// nothing else changes, so failures are ignored.
#[cfg(target_os = "linux")]
pub fn long_time_slices() {
    let size = std::mem::size_of::<libc::sched_attr>() as u32;
    // SAFETY: zeroed is a valid `sched_attr` (plain integers).
    let mut attr: libc::sched_attr = unsafe { std::mem::zeroed() };
    // SAFETY: sched_getattr on this thread (pid 0) into a struct of the
    // size passed.
    let read = unsafe {
        libc::syscall(
            libc::SYS_sched_getattr,
            0,
            &mut attr as *mut libc::sched_attr,
            size,
            0,
        )
    };
    let normal = [libc::SCHED_OTHER, libc::SCHED_BATCH].map(|p| p as u32);
    if read != 0 || !normal.contains(&attr.sched_policy) {
        return;
    }
    // The same policy and nice value (a user's `nice` stays), flags off.
    attr.size = size;
    attr.sched_flags = 0;
    attr.sched_runtime = SLICE_NS;
    // SAFETY: sched_setattr on this thread with a filled struct of its size.
    unsafe {
        libc::syscall(
            libc::SYS_sched_setattr,
            0,
            &attr as *const libc::sched_attr,
            0,
        );
    }
}

#[cfg(not(target_os = "linux"))]
pub fn long_time_slices() {}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    /// This thread's slice and nice value, as the scheduler's debug file
    /// shows them (None where the kernel has no such file).
    fn slice_and_nice() -> Option<(u64, i32)> {
        let sched = std::fs::read_to_string("/proc/thread-self/sched").ok()?;
        let field = |name: &str| {
            sched.lines().find_map(|l| {
                let (key, value) = l.split_once(':')?;
                (key.trim() == name).then(|| value.trim().to_string())
            })
        };
        // SAFETY: getpriority of this thread.
        let nice = unsafe { libc::getpriority(libc::PRIO_PROCESS, 0) };
        Some((field("se.slice")?.parse().ok()?, nice))
    }

    /// (major, minor) of the running kernel.
    fn kernel_version() -> (u32, u32) {
        let release = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap();
        let mut parts = release
            .trim()
            .split(['.', '-'])
            .map(|p| p.parse().unwrap_or(0));
        (parts.next().unwrap_or(0), parts.next().unwrap_or(0))
    }

    #[test]
    fn threads_started_afterwards_get_the_long_slice_and_keep_their_nice_value() {
        // On a thread of its own, which it may renice: the test harness's
        // other threads keep theirs.
        std::thread::spawn(|| {
            // SAFETY: setpriority of this thread, to a lower priority.
            unsafe { libc::setpriority(libc::PRIO_PROCESS, 0, 5) };
            let Some((before, nice)) = slice_and_nice() else {
                eprintln!("no /proc/thread-self/sched here: nothing to check");
                return;
            };
            assert_eq!(nice, 5);
            super::long_time_slices();
            let (child, child_nice) = std::thread::spawn(slice_and_nice).join().unwrap().unwrap();
            assert_eq!(child_nice, 5, "the nice value is kept");
            // Kernels take custom slices from 6.12 on; older ones refuse
            // them, and the slice stays as it was.
            let (after, _) = slice_and_nice().unwrap();
            if kernel_version() >= (6, 12) {
                assert_eq!((after, child), (super::SLICE_NS, super::SLICE_NS));
            } else {
                assert_eq!((after, child), (before, before));
            }
        })
        .join()
        .unwrap();
    }
}
