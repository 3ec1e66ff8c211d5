//! `pykata list`.

use std::io::Write;

use serde::Serialize;

use super::EXIT_OK;
use crate::kata::Catalog;
use crate::text::one_line;

#[derive(Serialize)]
struct Row<'a> {
    id: &'a str,
    title: &'a str,
    topic: &'a str,
    difficulty: u8,
}

/// Prints one line per kata (`id  topic  title`), or a JSON array.
pub fn run(catalog: &Catalog, json: bool, out: &mut dyn Write) -> i32 {
    if json {
        let rows: Vec<Row> = catalog
            .katas()
            .iter()
            .map(|k| Row {
                id: &k.id,
                title: &k.title,
                topic: &k.topic,
                difficulty: k.difficulty,
            })
            .collect();
        let _ = writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&rows).unwrap_or_default()
        );
        return EXIT_OK;
    }
    let id_width = catalog
        .katas()
        .iter()
        .map(|k| k.id.len())
        .max()
        .unwrap_or(0);
    let topic_width = catalog
        .katas()
        .iter()
        .map(|k| k.topic.len())
        .max()
        .unwrap_or(0);
    for kata in catalog.katas() {
        let _ = writeln!(
            out,
            "{:id_width$}  {:topic_width$}  {}",
            kata.id,
            kata.topic,
            one_line(&kata.title, 80)
        );
    }
    EXIT_OK
}
