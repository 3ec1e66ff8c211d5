//! `pykata reset`: drafts moved to backups (never deleted), status and review card cleared,
//! the attempt history kept unless `--forget`.

use std::io::{BufRead, Write};

use super::{EXIT_FAIL, EXIT_OK, EXIT_USAGE};
use crate::kata::{Catalog, is_valid_id};
use crate::progress::{Drafts, ProgressStore};

/// Resets one kata or all; asks y/N on standard input unless `yes`.
pub fn run(
    catalog: &Catalog,
    id: Option<&str>,
    all: bool,
    yes: bool,
    forget: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let Some(data) = crate::progress::data_dir() else {
        let _ = writeln!(err, "pykata: no data folder: set PYKATA_HOME");
        return EXIT_USAGE;
    };
    let store = ProgressStore::new(&data);
    let drafts = Drafts::new(&data);
    let ids: Vec<String> = if all {
        let (progress, _) = store.load();
        let mut ids: Vec<String> = progress.katas.keys().cloned().collect();
        if let Ok(entries) = std::fs::read_dir(data.join("drafts")) {
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                if let Some(stem) = name.strip_suffix(".py")
                    && is_valid_id(stem)
                {
                    ids.push(stem.to_string());
                }
            }
        }
        ids.sort();
        ids.dedup();
        ids
    } else {
        match id.and_then(|id| super::find(catalog, id, err)) {
            Some(kata) => vec![kata.id.clone()],
            None => return EXIT_USAGE,
        }
    };
    if ids.is_empty() {
        let _ = writeln!(out, "nothing to reset");
        return EXIT_OK;
    }
    if !yes {
        let what = if all {
            format!("all {} katas with progress", ids.len())
        } else {
            format!("`{}`", ids[0])
        };
        let history = if forget {
            "forgetting their attempt history"
        } else {
            "keeping the attempt history"
        };
        let _ = write!(
            err,
            "Reset {what} (drafts are kept as .py.bak backups, {history})? [y/N] "
        );
        let _ = err.flush();
        let mut answer = String::new();
        let _ = std::io::stdin().lock().read_line(&mut answer);
        if !matches!(answer.trim(), "y" | "Y" | "yes" | "YES" | "Yes") {
            let _ = writeln!(err, "pykata: nothing was reset");
            return EXIT_FAIL;
        }
    }
    let mut code = EXIT_OK;
    for id in &ids {
        match drafts.set_aside(id) {
            Ok(Some(backup)) => {
                let _ = writeln!(out, "{id}: draft kept as {}", backup.display());
            }
            Ok(None) => {}
            Err(e) => {
                let _ = writeln!(err, "pykata: {id}: the draft was not reset: {e}");
                code = EXIT_FAIL;
            }
        }
    }
    if let Err(e) = store.update(|p| {
        for id in &ids {
            p.reset(id, forget);
        }
    }) {
        let _ = writeln!(err, "pykata: progress not reset: {e}");
        return EXIT_FAIL;
    }
    let _ = writeln!(
        out,
        "reset {} kata{}",
        ids.len(),
        if ids.len() == 1 { "" } else { "s" }
    );
    code
}
