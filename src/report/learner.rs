//! One learner's report: every kata of the catalog with the learner's status and effort.

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use super::{Format, csv_field, md_cell};
use crate::kata::Catalog;
use crate::progress::{DrillResult, Progress, Status};

/// What the `format` field of a report says.
pub const FORMAT_NAME: &str = "pykata-report";
/// The report format version this build writes and reads.
pub const REPORT_VERSION: u32 = 1;

/// One kata in a report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KataLine {
    /// The kata id.
    pub id: String,
    /// Its topic.
    pub topic: String,
    /// New, started or passed.
    pub status: Status,
    /// Attempts.
    pub attempts: u32,
    /// Hints shown over all attempts.
    pub hints: u32,
    /// Whether the solution was revealed.
    pub revealed: bool,
    /// When first passed.
    pub first_pass: Option<u64>,
    /// Whether the kata changed since it was passed.
    pub updated: bool,
    /// Whether its review is due.
    pub due: bool,
}

/// A learner's report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LearnerReport {
    /// Always [`FORMAT_NAME`].
    pub format: String,
    /// The report format version.
    pub version: u32,
    /// The learner's name.
    pub learner: String,
    /// When the report was made (seconds since the Unix epoch).
    pub generated: u64,
    /// Every kata of the catalog, in curriculum order.
    pub katas: Vec<KataLine>,
    /// Drill results.
    #[serde(default)]
    pub drills: Vec<DrillResult>,
}

impl LearnerReport {
    /// The report of `progress` over the katas of `catalog` at time `now`.
    pub fn new(learner: &str, catalog: &Catalog, progress: &Progress, now: u64) -> LearnerReport {
        let katas = catalog
            .katas()
            .iter()
            .map(|k| {
                let p = progress.katas.get(&k.id).cloned().unwrap_or_default();
                KataLine {
                    id: k.id.clone(),
                    topic: k.topic.clone(),
                    status: p.status,
                    attempts: p.attempt_count(),
                    hints: p.hints(),
                    revealed: p.revealed(),
                    first_pass: p.first_pass(),
                    updated: progress.is_updated(&k.id, &k.content_hash()),
                    due: progress.is_due(&k.id, now),
                }
            })
            .collect();
        LearnerReport {
            format: FORMAT_NAME.to_string(),
            version: REPORT_VERSION,
            learner: learner.to_string(),
            generated: now,
            katas,
            drills: progress.drills.clone(),
        }
    }

    /// Katas passed.
    pub fn passed(&self) -> usize {
        self.katas
            .iter()
            .filter(|k| k.status == Status::Passed)
            .count()
    }

    /// The report in a format.
    pub fn render(&self, format: Format) -> String {
        match format {
            Format::Json => serde_json::to_string_pretty(self).unwrap_or_default() + "\n",
            Format::Markdown => self.markdown(),
            Format::Csv => self.csv(),
        }
    }

    fn markdown(&self) -> String {
        let mut out = format!(
            "# pykata report: {}\n\n{} of {} katas passed.\n\n| kata | topic | status | attempts | hints | revealed |\n|---|---|---|---|---|---|\n",
            md_cell(&self.learner),
            self.passed(),
            self.katas.len()
        );
        for k in &self.katas {
            let mut status = status_name(k.status).to_string();
            if k.updated {
                status.push_str(" (updated)");
            }
            if k.due {
                status.push_str(" (due)");
            }
            let _ = writeln!(
                out,
                "| {} | {} | {status} | {} | {} | {} |",
                md_cell(&k.id),
                md_cell(&k.topic),
                k.attempts,
                k.hints,
                if k.revealed { "yes" } else { "no" }
            );
        }
        out
    }

    fn csv(&self) -> String {
        let mut out = String::from(
            "learner,kata,topic,status,attempts,hints,revealed,first_pass,updated,due\n",
        );
        for k in &self.katas {
            let _ = writeln!(
                out,
                "{},{},{},{},{},{},{},{},{},{}",
                csv_field(&self.learner),
                csv_field(&k.id),
                csv_field(&k.topic),
                status_name(k.status),
                k.attempts,
                k.hints,
                k.revealed,
                k.first_pass.map(|t| t.to_string()).unwrap_or_default(),
                k.updated,
                k.due
            );
        }
        out
    }
}

/// The lowercase name of a status.
pub fn status_name(status: Status) -> &'static str {
    match status {
        Status::New => "new",
        Status::Started => "started",
        Status::Passed => "passed",
    }
}
