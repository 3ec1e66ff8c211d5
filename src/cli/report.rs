//! `pykata stats` and `pykata report`.

use std::io::Write;
use std::path::PathBuf;

use super::list::read_progress;
use super::{EXIT_FAIL, EXIT_OK, EXIT_USAGE};
use crate::kata::Catalog;
use crate::progress::now_unix;
use crate::report::Format;
use crate::report::class::{ClassReport, read_report};
use crate::report::learner::LearnerReport;

/// Prints the progress summary.
pub fn stats(catalog: &Catalog, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let progress = read_progress(err);
    let _ = write!(
        out,
        "{}",
        crate::report::stats::summary(catalog, &progress, now_unix())
    );
    EXIT_OK
}

/// Prints the learner's report.
pub fn learner(
    catalog: &Catalog,
    format: Format,
    name: Option<&str>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let progress = read_progress(err);
    let name = name
        .map(str::to_string)
        .or_else(|| std::env::var("USER").ok().filter(|u| !u.is_empty()))
        .unwrap_or_else(|| "learner".to_string());
    let report = LearnerReport::new(&name, catalog, &progress, now_unix());
    let _ = write!(out, "{}", report.render(format));
    EXIT_OK
}

/// Merges learners' JSON reports into a class view. Each file that cannot be used is named on
/// `err` and the others still merge; the exit code is then 1 (2 when none could be used).
pub fn merge(files: &[PathBuf], format: Format, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let mut reports = Vec::new();
    let mut bad = 0;
    for file in files {
        match read_report(file) {
            Ok(report) => reports.push(report),
            Err(e) => {
                bad += 1;
                let _ = writeln!(err, "pykata: {}", crate::text::one_line(&e, 300));
            }
        }
    }
    if reports.is_empty() {
        let _ = writeln!(err, "pykata: no report could be merged");
        return EXIT_USAGE;
    }
    let _ = write!(out, "{}", ClassReport::merge(reports).render(format));
    if bad > 0 {
        let _ = writeln!(
            err,
            "pykata: {bad} of {} files left out of the class report",
            files.len()
        );
        EXIT_FAIL
    } else {
        EXIT_OK
    }
}
