//! The hidden `debug-save-loop` command: saves progress over and over, printing after each
//! completed save how many attempts the store holds, so a test can kill it at any moment and
//! check that no completed save was lost.

use std::io::Write;

use super::{EXIT_OK, EXIT_USAGE};
use crate::progress::{Attempt, ProgressStore, now_unix};

/// The kata id the loop records attempts on.
pub const LOOP_KATA: &str = "save-loop";

/// Saves `count` times (forever when `None`).
pub fn run(count: Option<u64>, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let Some(data) = crate::progress::data_dir() else {
        let _ = writeln!(err, "pykata: no data folder: set PYKATA_HOME");
        return EXIT_USAGE;
    };
    let store = ProgressStore::new(&data);
    let mut done = 0;
    while count.is_none_or(|c| done < c) {
        let attempt = Attempt {
            at: now_unix(),
            ..Attempt::default()
        };
        match store.update(|p| {
            p.record(LOOP_KATA, "0", attempt);
        }) {
            Ok((progress, warning)) => {
                if let Some(w) = warning {
                    let _ = writeln!(err, "pykata: {w}");
                }
                let held = progress
                    .katas
                    .get(LOOP_KATA)
                    .map_or(0, |k| k.attempts.len());
                if writeln!(out, "{held}").and_then(|()| out.flush()).is_err() {
                    return EXIT_OK;
                }
            }
            Err(e) => {
                let _ = writeln!(err, "pykata: {e}");
                return super::EXIT_FAIL;
            }
        }
        done += 1;
    }
    EXIT_OK
}
