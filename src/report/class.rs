//! The class view: many learners' JSON reports merged into a pass rate and the median effort
//! per kata, and one line per learner.

use std::fmt::Write as _;
use std::path::Path;

use super::learner::{FORMAT_NAME, LearnerReport, REPORT_VERSION};
use super::{Format, csv_field, md_cell, median};
use crate::progress::Status;

/// Reads one learner's JSON report; the error names the file and what is wrong.
pub fn read_report(path: &Path) -> Result<LearnerReport, String> {
    let shown = path.display();
    let bytes = std::fs::read(path)
        .map_err(|e| format!("{shown}: cannot read: {}", crate::kata::io_reason(&e)))?;
    let value: serde_json::Value = serde_json::from_slice(&bytes).map_err(|e| {
        let reason = e.to_string();
        let reason = reason.split(" at line ").next().unwrap_or("invalid JSON");
        format!("{shown}:{}:{}: not JSON: {reason}", e.line(), e.column())
    })?;
    let format = value.get("format").and_then(serde_json::Value::as_str);
    if format != Some(FORMAT_NAME) {
        return Err(format!(
            "{shown}: not a pykata report (no `\"format\": \"{FORMAT_NAME}\"`); make one with `pykata report --format json`"
        ));
    }
    let version = value.get("version").and_then(serde_json::Value::as_u64);
    if version != Some(u64::from(REPORT_VERSION)) {
        let got = version.map_or("none".to_string(), |v| v.to_string());
        return Err(format!(
            "{shown}: report version {got} is not supported (this pykata reads version {REPORT_VERSION})"
        ));
    }
    serde_json::from_value(value).map_err(|e| format!("{shown}: malformed report: {e}"))
}

/// One kata across the class.
#[derive(Debug, Clone, PartialEq)]
pub struct KataSummary {
    /// The kata id.
    pub id: String,
    /// Learners whose report lists it.
    pub learners: usize,
    /// Of those, learners who passed it.
    pub passed: usize,
    /// The median attempts of the learners who tried it.
    pub median_attempts: Option<f64>,
    /// The median hints of the learners who tried it.
    pub median_hints: Option<f64>,
}

impl KataSummary {
    /// Passed over learners, 0 to 1.
    pub fn pass_rate(&self) -> f64 {
        if self.learners == 0 {
            0.0
        } else {
            self.passed as f64 / self.learners as f64
        }
    }
}

/// The merged view.
#[derive(Debug, Clone, PartialEq)]
pub struct ClassReport {
    /// Per kata, in the order the reports list them.
    pub katas: Vec<KataSummary>,
    /// The learners' reports, in the order given.
    pub learners: Vec<LearnerReport>,
}

impl ClassReport {
    /// Merges learners' reports.
    pub fn merge(learners: Vec<LearnerReport>) -> ClassReport {
        let mut ids: Vec<&str> = Vec::new();
        for report in &learners {
            for k in &report.katas {
                if !ids.contains(&k.id.as_str()) {
                    ids.push(&k.id);
                }
            }
        }
        let katas = ids
            .iter()
            .map(|id| {
                let lines: Vec<_> = learners
                    .iter()
                    .filter_map(|r| r.katas.iter().find(|k| k.id == *id))
                    .collect();
                let tried: Vec<_> = lines.iter().filter(|k| k.attempts > 0).collect();
                let mut attempts: Vec<f64> = tried.iter().map(|k| f64::from(k.attempts)).collect();
                let mut hints: Vec<f64> = tried.iter().map(|k| f64::from(k.hints)).collect();
                KataSummary {
                    id: (*id).to_string(),
                    learners: lines.len(),
                    passed: lines.iter().filter(|k| k.status == Status::Passed).count(),
                    median_attempts: median(&mut attempts),
                    median_hints: median(&mut hints),
                }
            })
            .collect();
        ClassReport { katas, learners }
    }

    /// The view in a format (JSON is shown as Markdown: a class view is for reading).
    pub fn render(&self, format: Format) -> String {
        match format {
            Format::Csv => self.csv(),
            Format::Markdown | Format::Json => self.markdown(),
        }
    }

    fn markdown(&self) -> String {
        let mut out = format!(
            "# pykata class report\n\n{} learner{}.\n\n## Katas\n\n| kata | pass rate | passed | median attempts | median hints |\n|---|---|---|---|---|\n",
            self.learners.len(),
            if self.learners.len() == 1 { "" } else { "s" }
        );
        for k in &self.katas {
            let _ = writeln!(
                out,
                "| {} | {:.0}% | {}/{} | {} | {} |",
                md_cell(&k.id),
                k.pass_rate() * 100.0,
                k.passed,
                k.learners,
                number(k.median_attempts),
                number(k.median_hints)
            );
        }
        out.push_str("\n## Learners\n\n| learner | passed | attempts | hints | revealed |\n|---|---|---|---|---|\n");
        for r in &self.learners {
            let (attempts, hints, revealed) = totals(r);
            let _ = writeln!(
                out,
                "| {} | {}/{} | {attempts} | {hints} | {revealed} |",
                md_cell(&r.learner),
                r.passed(),
                r.katas.len()
            );
        }
        out
    }

    fn csv(&self) -> String {
        let mut out = String::from(
            "row,name,passed,total,pass_rate,median_attempts,median_hints,attempts,hints,revealed\n",
        );
        for k in &self.katas {
            let _ = writeln!(
                out,
                "kata,{},{},{},{:.3},{},{},,,",
                csv_field(&k.id),
                k.passed,
                k.learners,
                k.pass_rate(),
                number(k.median_attempts),
                number(k.median_hints)
            );
        }
        for r in &self.learners {
            let (attempts, hints, revealed) = totals(r);
            let total = r.katas.len().max(1);
            let _ = writeln!(
                out,
                "learner,{},{},{},{:.3},,,{attempts},{hints},{revealed}",
                csv_field(&r.learner),
                r.passed(),
                r.katas.len(),
                r.passed() as f64 / total as f64
            );
        }
        out
    }
}

fn totals(r: &LearnerReport) -> (u32, u32, usize) {
    (
        r.katas.iter().map(|k| k.attempts).sum(),
        r.katas.iter().map(|k| k.hints).sum(),
        r.katas.iter().filter(|k| k.revealed).count(),
    )
}

fn number(value: Option<f64>) -> String {
    match value {
        None => "-".to_string(),
        Some(v) if v.fract() == 0.0 => format!("{v:.0}"),
        Some(v) => format!("{v:.1}"),
    }
}
