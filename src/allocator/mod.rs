//! One fast allocator for Rust and for tree-sitter's C code. Parsing and query analysis make
//! many small allocations and a few large ones; glibc returns the large ones to the system and
//! takes page faults for them again on the next query, which costs a one-shot `check` a
//! quarter of its time.

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::ffi::c_void;

/// tree-sitter must never get null for a non-zero size (its own default aborts too).
fn non_null(ptr: *mut c_void, size: usize) -> *mut c_void {
    if ptr.is_null() && size != 0 {
        std::process::abort();
    }
    ptr
}

unsafe extern "C" fn ts_malloc(size: usize) -> *mut c_void {
    // SAFETY: mimalloc's malloc has C's contract.
    non_null(unsafe { libmimalloc_sys::mi_malloc(size) }, size)
}

unsafe extern "C" fn ts_calloc(count: usize, size: usize) -> *mut c_void {
    let Some(bytes) = count.checked_mul(size) else {
        std::process::abort();
    };
    // SAFETY: as above; zeroed, as calloc's are.
    non_null(unsafe { libmimalloc_sys::mi_zalloc(bytes) }, bytes)
}

unsafe extern "C" fn ts_realloc(ptr: *mut c_void, size: usize) -> *mut c_void {
    // SAFETY: `ptr` came from these hooks: tree-sitter frees and grows what it allocated
    // through the same ones.
    non_null(unsafe { libmimalloc_sys::mi_realloc(ptr, size) }, size)
}

unsafe extern "C" fn ts_free(ptr: *mut c_void) {
    // SAFETY: as above.
    unsafe { libmimalloc_sys::mi_free(ptr) }
}

/// Routes tree-sitter's allocations to mimalloc too.
///
/// # Safety
/// Call it before any tree-sitter object (parser, tree, query, cursor) exists in the process:
/// memory allocated by one allocator must not be freed by the other.
pub unsafe fn route_tree_sitter() {
    // SAFETY: the caller guarantees no tree-sitter object exists yet.
    unsafe {
        tree_sitter::set_allocator(Some(tree_sitter::Allocator {
            malloc: ts_malloc,
            calloc: ts_calloc,
            realloc: ts_realloc,
            free: ts_free,
        }));
    }
}

/// mimalloc's `mi_option_purge_delay` (15), which libmimalloc-sys does not name: the option
/// right before `mi_option_use_numa_nodes` in mimalloc.h, v2 and v3 alike.
const PURGE_DELAY: libmimalloc_sys::mi_option_t = libmimalloc_sys::mi_option_use_numa_nodes - 1;

/// Keeps freed memory for the process to use again instead of handing it back to the system.
/// A scan reads file after file, each with tables of the same sizes: memory handed back after
/// one file was taken again for the next, and the system zeroed every page again (0.05x a
/// parse). The process's peak memory does not change.
pub fn keep_freed_memory() {
    // SAFETY: setting a mimalloc option is allowed at any time.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, -1) };
}
