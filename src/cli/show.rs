//! `pykata show`.

use std::io::Write;

use serde::Serialize;

use super::EXIT_OK;
use crate::Kata;
use crate::text::{one_line, sanitize};

#[derive(Serialize)]
struct Full<'a> {
    id: &'a str,
    title: &'a str,
    topic: &'a str,
    difficulty: u8,
    skill: &'a str,
    python: &'a str,
    summary: &'a str,
    explain: &'a str,
    starter: &'a str,
    solution: &'a str,
    hints: &'a [String],
}

/// Prints the kata for reading (without its solution), or every field as JSON.
pub fn run(kata: &Kata, json: bool, out: &mut dyn Write) -> i32 {
    if json {
        let full = Full {
            id: &kata.id,
            title: &kata.title,
            topic: &kata.topic,
            difficulty: kata.difficulty,
            skill: &kata.skill,
            python: &kata.python,
            summary: &kata.summary,
            explain: &kata.explain,
            starter: &kata.starter,
            solution: &kata.solution,
            hints: &kata.hints,
        };
        let _ = writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&full).unwrap_or_default()
        );
        return EXIT_OK;
    }
    let title = one_line(&kata.title, 100);
    let _ = writeln!(out, "{title}\n{}", "=".repeat(title.chars().count()));
    let _ = writeln!(
        out,
        "id: {}   topic: {}   difficulty: {}/3   python: {}+",
        kata.id,
        kata.topic,
        kata.difficulty,
        one_line(&kata.python, 10)
    );
    let _ = writeln!(out, "skill: {}\n", one_line(&kata.skill, 100));
    let _ = writeln!(out, "{}\n", one_line(&kata.summary, 200));
    let _ = writeln!(
        out,
        "Why\n---\n{}\n",
        sanitize(kata.explain.trim_end(), true)
    );
    let _ = writeln!(out, "Starter (the code to fix)\n-------------------------");
    for line in sanitize(kata.starter.trim_end(), true).lines() {
        let _ = writeln!(out, "    {line}");
    }
    let _ = writeln!(
        out,
        "\n{} hint{} in the trainer. Check a fix with: pykata check {} FILE",
        kata.hints.len(),
        if kata.hints.len() == 1 { "" } else { "s" },
        kata.id
    );
    EXIT_OK
}
