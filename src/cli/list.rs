//! `pykata list`.

use std::io::Write;

use serde::Serialize;

use super::EXIT_OK;
use crate::kata::{Catalog, Track};
use crate::progress::{Progress, ProgressStore, Status, now_unix};
use crate::report::learner::status_name;
use crate::text::one_line;

#[derive(Serialize)]
struct Row<'a> {
    id: &'a str,
    title: &'a str,
    topic: &'a str,
    difficulty: u8,
    status: &'static str,
    updated: bool,
    due: bool,
}

/// The learner's progress, read without creating anything; warnings go to `err`.
pub(super) fn read_progress(err: &mut dyn Write) -> Progress {
    let Some(data) = crate::progress::data_dir() else {
        return Progress::default();
    };
    let (progress, warning) = ProgressStore::new(&data).load();
    if let Some(warning) = warning {
        let _ = writeln!(err, "pykata: {warning}");
    }
    progress
}

/// Prints one line per kata (`id  topic  status  title`) and a summary line with the number
/// of due reviews, or a JSON array. With a track, only its katas, in its order.
pub fn run(
    catalog: &Catalog,
    track: Option<&Track>,
    json: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let progress = read_progress(err);
    let now = now_unix();
    let indexes: Vec<usize> = match track {
        Some(track) => catalog.track_katas(track),
        None => (0..catalog.katas().len()).collect(),
    };
    let rows: Vec<Row> = indexes
        .iter()
        .map(|&i| {
            let k = &catalog.katas()[i];
            Row {
                id: &k.id,
                title: &k.title,
                topic: &k.topic,
                difficulty: k.difficulty,
                status: status_name(progress.status(&k.id)),
                updated: progress.is_updated(&k.id, &k.content_hash()),
                due: progress.is_due(&k.id, now),
            }
        })
        .collect();
    if json {
        let _ = writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&rows).unwrap_or_default()
        );
        return EXIT_OK;
    }
    let id_width = rows.iter().map(|r| r.id.len()).max().unwrap_or(0);
    let topic_width = rows.iter().map(|r| r.topic.len()).max().unwrap_or(0);
    for row in &rows {
        let mark = if row.updated {
            "updated"
        } else if row.due {
            "due"
        } else {
            row.status
        };
        let _ = writeln!(
            out,
            "{:id_width$}  {:topic_width$}  {mark:7}  {}",
            row.id,
            row.topic,
            one_line(row.title, 80)
        );
    }
    let passed = rows
        .iter()
        .filter(|r| r.status == status_name(Status::Passed))
        .count();
    let due = rows.iter().filter(|r| r.due).count();
    let updated = rows.iter().filter(|r| r.updated).count();
    let what = match track {
        Some(t) => format!("track {}: ", t.name),
        None => String::new(),
    };
    let _ = writeln!(
        out,
        "\n{what}{} katas · {passed} passed · {due} due · {updated} updated",
        rows.len()
    );
    EXIT_OK
}
