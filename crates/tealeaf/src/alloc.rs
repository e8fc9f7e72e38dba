//! The process's memory allocator: mimalloc, for Rust and for SQLite.
//!
//! Ingest allocates and frees many short strings on several threads, and
//! frees on one thread what another allocated, a pattern glibc's malloc
//! pays much bookkeeping for. SQLite allocates its own way (page buffers,
//! records), and with its memory statistics on takes a global mutex on
//! every allocation; it is pointed at mimalloc too.

use std::ffi::{c_int, c_void};

use libmimalloc_sys::{mi_free, mi_malloc, mi_realloc, mi_usable_size};
use rusqlite::ffi;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

unsafe extern "C" fn sqlite_malloc(n: c_int) -> *mut c_void {
    // SAFETY: mimalloc's malloc; SQLite never asks for a negative size.
    unsafe { mi_malloc(n.max(0) as usize) }
}

unsafe extern "C" fn sqlite_free(p: *mut c_void) {
    // SAFETY: `p` came from `sqlite_malloc`/`sqlite_realloc` (or is null).
    unsafe { mi_free(p) }
}

unsafe extern "C" fn sqlite_realloc(p: *mut c_void, n: c_int) -> *mut c_void {
    // SAFETY: as above.
    unsafe { mi_realloc(p, n.max(0) as usize) }
}

unsafe extern "C" fn sqlite_size(p: *mut c_void) -> c_int {
    // SAFETY: as above; SQLite's allocations stay far below 2 GiB.
    unsafe { mi_usable_size(p) as c_int }
}

unsafe extern "C" fn sqlite_roundup(n: c_int) -> c_int {
    // mimalloc hands out blocks in multiples of 8 bytes at least.
    (n + 7) & !7
}

unsafe extern "C" fn sqlite_init(_: *mut c_void) -> c_int {
    ffi::SQLITE_OK
}

unsafe extern "C" fn sqlite_shutdown(_: *mut c_void) {}

/// Turns transparent huge pages off for this process. mimalloc asks the
/// kernel for them on its arenas, and the kernel then zeroes (and at times
/// compacts memory for) 2 MiB at a fault where a few KiB were needed: a
/// higher peak memory and system time that varies from run to run.
/// `PR_SET_THP_DISABLE` holds for the whole process, arenas mapped before
/// `main` included (mimalloc reads its own option before `main`, too early
/// to set).
pub fn no_transparent_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: a plain prctl on this process; failure (an old kernel) only
    // leaves the default.
    unsafe {
        libc::prctl(
            libc::PR_SET_THP_DISABLE,
            1 as libc::c_ulong,
            0 as libc::c_ulong,
            0 as libc::c_ulong,
            0 as libc::c_ulong,
        );
    }
}

/// Points SQLite's allocations at mimalloc and turns off its memory
/// statistics (a global mutex on every allocation; tealeaf never reads
/// them). Call before the first connection opens; if SQLite is already
/// initialised it keeps its defaults, which is only slower.
pub fn sqlite_uses_mimalloc() {
    let methods = ffi::sqlite3_mem_methods {
        xMalloc: Some(sqlite_malloc),
        xFree: Some(sqlite_free),
        xRealloc: Some(sqlite_realloc),
        xSize: Some(sqlite_size),
        xRoundup: Some(sqlite_roundup),
        xInit: Some(sqlite_init),
        xShutdown: Some(sqlite_shutdown),
        pAppData: std::ptr::null_mut(),
    };
    // SAFETY: called at start-up on the only thread, before any SQLite
    // use; SQLite copies the methods struct.
    unsafe {
        ffi::sqlite3_config(ffi::SQLITE_CONFIG_MEMSTATUS, 0 as c_int);
        ffi::sqlite3_config(
            ffi::SQLITE_CONFIG_MALLOC,
            &methods as *const ffi::sqlite3_mem_methods,
        );
    }
}
