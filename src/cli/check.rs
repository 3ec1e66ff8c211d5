//! `pykata check`.

use std::io::Write;

use serde::Serialize;

use super::{EXIT_FAIL, EXIT_OK, EXIT_USAGE};
use crate::progress::{Attempt, ProgressStore, now_unix};
use crate::source::read_source;
use crate::text::one_line;
use crate::{Finding, Kata};

#[derive(Serialize)]
struct JsonFinding<'a> {
    rule: &'a str,
    kind: &'static str,
    message: &'a str,
    line: Option<usize>,
    column: Option<usize>,
    end_line: Option<usize>,
    end_column: Option<usize>,
}

#[derive(Serialize)]
struct JsonVerdict<'a> {
    kata: &'a str,
    passed: bool,
    findings: Vec<JsonFinding<'a>>,
}

/// Checks `file` against `kata`: exit 0 pass, 1 fail, 2 when the file cannot be read. With
/// `record`, the attempt is saved in the learner's progress; without it nothing is written.
pub fn run(
    kata: &Kata,
    file: &str,
    json: bool,
    record: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let source = match read_source(file) {
        Ok(source) => source,
        Err(e) => {
            let _ = writeln!(err, "pykata: {e}");
            return EXIT_USAGE;
        }
    };
    let verdict = match kata.check(&source) {
        Ok(verdict) => verdict,
        Err(errors) => {
            for e in errors.iter() {
                let _ = writeln!(err, "pykata: {}:{e}", kata.origin);
            }
            let _ = writeln!(
                err,
                "pykata: kata `{}` has broken checks; run `pykata verify`",
                kata.id
            );
            return EXIT_USAGE;
        }
    };
    if record && let Err(e) = record_attempt(kata, &verdict) {
        let _ = writeln!(err, "pykata: the attempt was not recorded: {e}");
        return EXIT_USAGE;
    }
    let label = if file == "-" { "<stdin>" } else { file };
    if json {
        let findings = verdict.findings.iter().map(json_finding).collect();
        let body = JsonVerdict {
            kata: &kata.id,
            passed: verdict.passed(),
            findings,
        };
        let _ = writeln!(out, "{}", serde_json::to_string(&body).unwrap_or_default());
    } else {
        for f in &verdict.findings {
            let (line, column) = f.span.map_or((1, 1), |s| (s.start.line, s.start.column));
            let _ = writeln!(
                out,
                "{label}:{line}:{column}: {}: {}",
                f.rule,
                one_line(&f.message, 300)
            );
        }
        if verdict.passed() {
            let _ = writeln!(out, "{label}: passes `{}`", kata.id);
        }
    }
    if verdict.passed() { EXIT_OK } else { EXIT_FAIL }
}

fn record_attempt(kata: &Kata, verdict: &crate::Verdict) -> Result<(), String> {
    let data = crate::progress::data_dir().ok_or("no data folder: set PYKATA_HOME")?;
    let mut rules: Vec<String> = verdict.findings.iter().map(|f| f.rule.clone()).collect();
    rules.dedup();
    let attempt = Attempt {
        at: now_unix(),
        passed: verdict.passed(),
        rules,
        hints: 0,
        revealed: false,
        seconds: None,
    };
    let hash = kata.content_hash();
    ProgressStore::new(&data)
        .update(|p| {
            p.record(&kata.id, &hash, attempt);
        })
        .map(|_| ())
        .map_err(|e| e.to_string())
}

fn json_finding(f: &Finding) -> JsonFinding<'_> {
    JsonFinding {
        rule: &f.rule,
        kind: f.kind.name(),
        message: &f.message,
        line: f.span.map(|s| s.start.line),
        column: f.span.map(|s| s.start.column),
        end_line: f.span.map(|s| s.end.line),
        end_column: f.span.map(|s| s.end.column),
    }
}
