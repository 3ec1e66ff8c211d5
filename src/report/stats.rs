//! `pykata stats`: passed per topic, the streak of days, due reviews and the weakest katas.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use crate::kata::Catalog;
use crate::progress::{Progress, Status};

const DAY: u64 = 86_400;

/// Consecutive days (UTC) with at least one attempt, ending today, or yesterday when today
/// has none yet.
pub fn streak(progress: &Progress, now: u64) -> u64 {
    let days: BTreeSet<u64> = progress
        .katas
        .values()
        .flat_map(|k| k.attempts.iter().map(|a| a.at / DAY))
        .chain(progress.drills.iter().map(|d| d.at / DAY))
        .collect();
    let today = now / DAY;
    let mut day = if days.contains(&today) {
        today
    } else {
        today.saturating_sub(1)
    };
    let mut count = 0;
    while days.contains(&day) {
        count += 1;
        if day == 0 {
            break;
        }
        day -= 1;
    }
    count
}

/// The katas that cost the most: failed attempts, plus hints, plus three for a reveal;
/// at most `n`, costliest first, only those that cost something.
pub fn weakest<'a>(catalog: &'a Catalog, progress: &Progress, n: usize) -> Vec<(&'a str, u32)> {
    let mut scored: Vec<(&str, u32)> = catalog
        .katas()
        .iter()
        .filter_map(|k| {
            let p = progress.katas.get(&k.id)?;
            let cost = p.failures() + p.hints() + if p.revealed() { 3 } else { 0 };
            (cost > 0).then_some((k.id.as_str(), cost))
        })
        .collect();
    scored.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    scored.truncate(n);
    scored
}

/// The summary text.
pub fn summary(catalog: &Catalog, progress: &Progress, now: u64) -> String {
    let katas = catalog.katas();
    let passed = katas
        .iter()
        .filter(|k| progress.status(&k.id) == Status::Passed)
        .count();
    let due = katas.iter().filter(|k| progress.is_due(&k.id, now)).count();
    let streak = streak(progress, now);
    let mut out = format!(
        "{passed} of {} katas passed · {due} due for review · streak {streak} day{}\n\nPassed per topic\n",
        katas.len(),
        if streak == 1 { "" } else { "s" }
    );
    let topics = catalog.topics();
    let width = topics.iter().map(|t| t.len()).max().unwrap_or(0);
    for topic in topics {
        let in_topic: Vec<_> = katas.iter().filter(|k| k.topic == topic).collect();
        let done = in_topic
            .iter()
            .filter(|k| progress.status(&k.id) == Status::Passed)
            .count();
        let bar: String = (0..in_topic.len())
            .map(|i| if i < done { '█' } else { '░' })
            .collect();
        let _ = writeln!(
            out,
            "  {topic:width$}  {done:>2}/{:<2} {bar}",
            in_topic.len()
        );
    }
    let weak = weakest(catalog, progress, 5);
    if !weak.is_empty() {
        out.push_str("\nWeakest katas (failed attempts + hints + 3 for a reveal)\n");
        for (id, cost) in weak {
            let _ = writeln!(out, "  {id}  {cost}");
        }
    }
    if let Some(last) = progress.drills.last() {
        let _ = writeln!(
            out,
            "\nDrills: {} · last: {}/{} passed in {}:{:02} (seed {})",
            progress.drills.len(),
            last.passed.len(),
            last.katas.len(),
            last.seconds / 60,
            last.seconds % 60,
            last.seed
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progress::Attempt;

    fn attempt(at: u64, passed: bool, hints: u32) -> Attempt {
        Attempt {
            at,
            passed,
            hints,
            ..Attempt::default()
        }
    }

    #[test]
    fn streak_counts_consecutive_days() {
        let now = 100 * DAY + 500;
        let mut p = Progress::default();
        assert_eq!(streak(&p, now), 0);
        p.record("a", "h", attempt(99 * DAY + 10, false, 0));
        assert_eq!(streak(&p, now), 1, "yesterday still counts");
        p.record("a", "h", attempt(98 * DAY + 10, false, 0));
        p.record("b", "h", attempt(100 * DAY + 1, true, 0));
        assert_eq!(streak(&p, now), 3);
        p.record("b", "h", attempt(96 * DAY, true, 0));
        assert_eq!(streak(&p, now), 3, "a gap ends it");
    }

    #[test]
    fn summary_shows_topics_due_and_weakest() {
        let (catalog, _) = Catalog::bundled();
        let mut p = Progress::default();
        let late = catalog.get("late-binding-closure").unwrap();
        p.record(&late.id, "h", attempt(1_000, false, 2));
        p.record(&late.id, "h", attempt(2_000, true, 2));
        let text = summary(&catalog, &p, 2_000 + 30 * DAY);
        assert!(text.starts_with("1 of "), "{text}");
        assert!(text.contains("1 due for review"), "{text}");
        assert!(text.contains("  basics"), "{text}");
        assert!(text.contains("late-binding-closure  5"), "{text}");
    }
}
