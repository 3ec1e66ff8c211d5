//! The authoring lint behind `pykata verify`: every kata loads, its queries compile, its
//! starter is caught, its solution passes, and its own examples behave.

use std::collections::HashSet;
use std::fmt;

use crate::kata::{Catalog, Kata, LoadProblem, Origin, Severity, is_valid_id};
use crate::text::one_line;
use crate::{Finding, Verdict};

/// One problem found by the lint, located in its kata file where possible.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The kata file.
    pub file: String,
    /// 1-based line in the file, where known.
    pub line: Option<usize>,
    /// 1-based column, where known.
    pub column: Option<usize>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        write!(f, ": {}", self.message)
    }
}

/// What `verify` found.
#[derive(Debug, Default)]
pub struct Report {
    /// Every problem, in kata order.
    pub problems: Vec<Problem>,
    /// Katas checked.
    pub katas: usize,
    /// Programs run through the checker (starters, solutions and examples).
    pub programs: usize,
}

/// Lints the loaded catalog; load errors (not notes) count as problems too.
pub fn verify(catalog: &Catalog, load_problems: &[LoadProblem]) -> Report {
    let mut report = Report::default();
    for p in load_problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
    {
        report.problems.push(Problem {
            file: p.file.clone(),
            line: p.line,
            column: p.column,
            message: p.message.clone(),
        });
    }
    for kata in catalog.katas() {
        report.katas += 1;
        verify_kata(kata, &mut report);
    }
    verify_tracks(catalog, &mut report);
    report
}

/// Every kata a track lists must exist, once.
fn verify_tracks(catalog: &Catalog, report: &mut Report) {
    for track in catalog.tracks() {
        let mut seen = HashSet::new();
        for (id, line) in &track.katas {
            let message = if catalog.get(id).is_none() {
                let close = catalog.suggest(id);
                let hint = if close.is_empty() {
                    String::new()
                } else {
                    format!("; did you mean {}?", close.join(", "))
                };
                format!(
                    "track `{}` lists unknown kata `{}`{hint}",
                    track.name,
                    one_line(id, 64)
                )
            } else if !seen.insert(id.as_str()) {
                format!("track `{}` lists `{id}` twice", track.name)
            } else {
                continue;
            };
            report.problems.push(Problem {
                file: track.origin.to_string(),
                line: Some(*line),
                column: None,
                message,
            });
        }
    }
}

fn describe(verdict: &Verdict) -> String {
    let shown: Vec<String> = verdict
        .findings
        .iter()
        .take(3)
        .map(describe_finding)
        .collect();
    let more = verdict.findings.len().saturating_sub(3);
    let mut text = shown.join("; ");
    if more > 0 {
        text.push_str(&format!("; and {more} more"));
    }
    text
}

fn describe_finding(f: &Finding) -> String {
    let at = f
        .span
        .map(|s| format!(" (line {})", s.start.line))
        .unwrap_or_default();
    format!(
        "{} {}: {}{at}",
        f.kind.name(),
        f.rule,
        one_line(&f.message, 80)
    )
}

/// Lints one kata, pushing its problems onto the report.
pub fn verify_kata(kata: &Kata, report: &mut Report) {
    let file = kata.origin.to_string();
    let problem = |line: Option<usize>, column: Option<usize>, message: String| Problem {
        file: file.clone(),
        line,
        column,
        message,
    };
    let mut out = Vec::new();
    if let Some((topic_dir, stem)) = path_parts(&kata.origin) {
        if stem != kata.id {
            out.push(problem(
                None,
                None,
                format!("the file should be named `{}.yaml` after its id", kata.id),
            ));
        }
        if matches!(kata.origin, Origin::Bundled(_)) && topic_dir != kata.topic {
            out.push(problem(
                None,
                None,
                format!(
                    "the file should be in a folder named after its topic `{}`",
                    kata.topic
                ),
            ));
        }
    }
    if kata.python_version().is_none() {
        out.push(problem(
            None,
            None,
            format!(
                "python must be a version such as \"3.11\", not `{}`",
                one_line(&kata.python, 20)
            ),
        ));
    }
    for (name, value) in [
        ("title", &kata.title),
        ("skill", &kata.skill),
        ("summary", &kata.summary),
        ("explain", &kata.explain),
        ("starter", &kata.starter),
        ("solution", &kata.solution),
    ] {
        if value.trim().is_empty() {
            out.push(problem(None, None, format!("`{name}` is empty")));
        }
    }
    if kata.hints.is_empty() {
        out.push(problem(None, None, "a kata needs at least one hint".into()));
    }
    if kata.checks.detect.is_empty() {
        out.push(problem(
            None,
            None,
            "a kata needs at least one `detect` rule (the anti-pattern)".into(),
        ));
    }
    if kata.checks.keep.is_empty() {
        out.push(problem(
            None,
            None,
            "a kata needs at least one `keep` rule, so that deleting the program fails".into(),
        ));
    }
    let mut ids = HashSet::new();
    for (_, rule) in kata.rules() {
        let (line, column) = rule.query.file_position(0, 0);
        if !is_valid_id(&rule.id) {
            out.push(problem(
                Some(line),
                Some(column),
                format!("invalid rule id `{}`", one_line(&rule.id, 40)),
            ));
        } else if !ids.insert(rule.id.as_str()) {
            out.push(problem(
                Some(line),
                Some(column),
                format!("rule id `{}` is used twice", rule.id),
            ));
        }
        if rule.message.trim().is_empty() {
            out.push(problem(
                Some(line),
                Some(column),
                format!("rule `{}` has an empty message", rule.id),
            ));
        }
    }
    if kata.examples.accept.is_empty() || kata.examples.reject.is_empty() {
        out.push(problem(
            None,
            None,
            "a kata needs at least one accept and one reject example".into(),
        ));
    }
    match kata.compiled() {
        Err(errors) => {
            for e in errors {
                out.push(problem(
                    Some(e.line),
                    Some(e.column),
                    format!("rule `{}`: {}", e.rule, e.message),
                ));
            }
        }
        Ok(compiled) => {
            let starter = compiled.check(&kata.starter);
            if !starter
                .findings
                .iter()
                .any(|f| f.kind == crate::RuleKind::Detect)
            {
                let why = if starter.passed() {
                    "it passes".to_string()
                } else {
                    describe(&starter)
                };
                out.push(problem(
                    None,
                    None,
                    format!("the starter must fail with a detect finding, but: {why}"),
                ));
            }
            let solution = compiled.check(&kata.solution);
            if !solution.passed() {
                out.push(problem(
                    None,
                    None,
                    format!("the solution must pass, but fails: {}", describe(&solution)),
                ));
            }
            report.programs += 2;
            for example in &kata.examples.accept {
                report.programs += 1;
                let verdict = compiled.check(&example.code);
                if !verdict.passed() {
                    out.push(problem(
                        Some(example.line),
                        None,
                        format!(
                            "accept example \"{}\" fails: {}",
                            one_line(&example.note, 60),
                            describe(&verdict)
                        ),
                    ));
                }
            }
            for example in &kata.examples.reject {
                report.programs += 1;
                if compiled.check(&example.code).passed() {
                    out.push(problem(
                        Some(example.line),
                        None,
                        format!("reject example \"{}\" passes", one_line(&example.note, 60)),
                    ));
                }
            }
        }
    }
    report.problems.extend(out);
}

/// The (parent folder, file stem) of a kata file, for the naming lint.
fn path_parts(origin: &Origin) -> Option<(String, String)> {
    let path = match origin {
        Origin::Bundled(p) => std::path::PathBuf::from(p),
        Origin::File(p) => p.clone(),
    };
    let stem = path.file_stem()?.to_str()?.to_string();
    let parent = path.parent()?.file_name()?.to_str()?.to_string();
    Some((parent, stem))
}
