//! `pykata scan`: findings as `PATH:LINE:COL: KATA-ID: message`, then a summary; or JSON.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;

use super::{EXIT_FAIL, EXIT_OK, EXIT_USAGE};
use crate::kata::Catalog;
use crate::scan::{ScanFinding, ScanReport};
use crate::text::counted;

#[derive(serde::Serialize)]
struct JsonReport<'a> {
    files: usize,
    lines: usize,
    findings: &'a [ScanFinding],
    notes: &'a [String],
}

fn paths_or_here(paths: &[PathBuf]) -> Vec<PathBuf> {
    if paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        paths.to_vec()
    }
}

/// Runs the scan; prints findings and a summary (or JSON) to `out`, notes to `err`.
pub fn run(
    katas: &[&crate::Kata],
    paths: &[PathBuf],
    json: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    // Thousands of findings: one write for many lines, not one per line.
    let out = &mut std::io::BufWriter::new(out);
    let report = match crate::scan::scan(katas, &paths_or_here(paths)) {
        Ok(report) => report,
        Err(e) => {
            let _ = writeln!(err, "pykata: {e}");
            return EXIT_USAGE;
        }
    };
    for note in &report.notes {
        let _ = writeln!(err, "pykata: {note}");
    }
    if json {
        let body = JsonReport {
            files: report.files,
            lines: report.lines,
            findings: &report.findings,
            notes: &report.notes,
        };
        let _ = match serde_json::to_string_pretty(&body) {
            Ok(text) => writeln!(out, "{text}"),
            Err(e) => writeln!(err, "pykata: {e}"),
        };
    } else {
        for f in &report.findings {
            let _ = writeln!(
                out,
                "{}:{}:{}: {}: {}",
                f.path, f.line, f.column, f.kata, f.message
            );
        }
        summary(&report, katas, out);
    }
    // A reader that stopped early (`| head`) is no error.
    if let Err(e) = out.flush()
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        let _ = writeln!(err, "pykata: cannot write the findings: {e}");
    }
    if report.findings.is_empty() {
        EXIT_OK
    } else {
        EXIT_FAIL
    }
}

fn summary(report: &ScanReport, katas: &[&crate::Kata], out: &mut dyn Write) {
    let counts = crate::scan::counts(report, katas);
    let secs = report.elapsed.as_secs_f64();
    let _ = writeln!(
        out,
        "\nscanned {} ({}) in {secs:.2} s with {}: {}",
        counted(report.files, "file"),
        counted(report.lines, "line"),
        counted(katas.len(), "kata"),
        counted(report.findings.len(), "finding"),
    );
    if counts.is_empty() {
        return;
    }
    let width = counts.iter().map(|(id, _)| id.len()).max().unwrap_or(0);
    for (id, n) in &counts {
        let _ = writeln!(out, "  {id:width$}  {n}");
    }
    let first: Vec<&str> = counts.iter().take(3).map(|(id, _)| id.as_str()).collect();
    let _ = writeln!(
        out,
        "practise first: {} (`pykata scan --tui`, or `s` on the trainer's list, marks them)",
        first.join(", ")
    );
}

/// Scans for the trainer: findings per kata id, or `None` after printing a usage error.
pub fn counts_for_tui(
    catalog: &Catalog,
    paths: &[PathBuf],
    ids: &[String],
    topics: &[String],
    json: bool,
    err: &mut dyn Write,
) -> Option<BTreeMap<String, usize>> {
    if json {
        let _ = writeln!(err, "pykata: --json and --tui do not go together");
        return None;
    }
    let katas = crate::scan::select(catalog, ids, topics)
        .map_err(|e| writeln!(err, "pykata: {e}"))
        .ok()?;
    let report = crate::scan::scan(&katas, &paths_or_here(paths))
        .map_err(|e| writeln!(err, "pykata: {e}"))
        .ok()?;
    Some(crate::scan::counts(&report, &katas).into_iter().collect())
}
