//! Spaced review: a passed kata becomes a card scheduled by FSRS-5 ([`fsrs`]); each later pass
//! grades the recall from how the attempt went.

pub mod fsrs;

pub use fsrs::{Card, Grade};

/// A pass without hints faster than this many seconds is graded Easy.
pub const EASY_SECONDS: u64 = 60;

/// The grade of a passed attempt: after revealing the solution Again, with hints Hard, quick
/// (under [`EASY_SECONDS`]) Easy, else Good. A time that is not known is not quick.
pub fn grade(hints: u32, revealed: bool, seconds: Option<u64>) -> Grade {
    if revealed {
        Grade::Again
    } else if hints > 0 {
        Grade::Hard
    } else if seconds.is_some_and(|s| s < EASY_SECONDS) {
        Grade::Easy
    } else {
        Grade::Good
    }
}

#[cfg(test)]
mod tests {
    use super::fsrs::{interval_days, review};
    use super::*;

    const DAY: u64 = 86_400;
    const T0: u64 = 1_700_000_000;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-4
    }

    #[test]
    fn grades_follow_the_attempt() {
        assert_eq!(grade(0, false, Some(30)), Grade::Easy);
        assert_eq!(grade(0, false, Some(60)), Grade::Good);
        assert_eq!(grade(0, false, None), Grade::Good);
        assert_eq!(grade(2, false, Some(10)), Grade::Hard);
        assert_eq!(grade(0, true, Some(10)), Grade::Again);
    }

    // Reference values from bench/fsrs-reference.py (the published FSRS-5 formulas).
    #[test]
    fn new_cards_match_the_reference() {
        let expected = [
            (Grade::Again, 0.40255, 7.19490, 1),
            (Grade::Hard, 1.18385, 6.48831, 1),
            (Grade::Good, 3.17300, 5.28243, 3),
            (Grade::Easy, 15.69105, 3.22450, 16),
        ];
        for (g, s, d, days) in expected {
            let card = review(None, g, T0);
            assert!(close(card.stability, s), "{g:?}: {card:?}");
            assert!(close(card.difficulty, d), "{g:?}: {card:?}");
            assert_eq!(card.interval_days(), days, "{g:?}");
            assert_eq!(card.due, T0 + days * DAY);
            assert_eq!(card.reps, 1);
        }
    }

    #[test]
    fn good_on_every_due_date_matches_the_reference() {
        let mut card = review(None, Grade::Good, T0);
        let mut intervals = vec![card.interval_days()];
        for _ in 0..4 {
            let now = card.due;
            card = review(Some(&card), Grade::Good, now);
            intervals.push(card.interval_days());
        }
        assert_eq!(intervals, [3, 11, 35, 101, 269]);
        assert!((card.stability - 269.2838).abs() < 1e-3, "{card:?}");
        assert!((card.difficulty - 5.2448).abs() < 1e-3, "{card:?}");
    }

    #[test]
    fn later_grades_match_the_reference() {
        let expected = [
            (Grade::Again, 1.05556, 6.79693, 1),
            (Grade::Hard, 4.92451, 6.03495, 5),
            (Grade::Easy, 25.79361, 4.51099, 26),
        ];
        for (g, s, d, days) in expected {
            let first = review(None, Grade::Good, T0);
            let card = review(Some(&first), g, first.due);
            assert!(close(card.stability, s), "{g:?}: {card:?}");
            assert!(close(card.difficulty, d), "{g:?}: {card:?}");
            assert_eq!(card.interval_days(), days, "{g:?}");
        }
        let first = review(None, Grade::Good, T0);
        let lapsed = review(Some(&first), Grade::Again, first.due);
        assert_eq!(lapsed.lapses, 1);
        let same_day = review(Some(&first), Grade::Good, T0 + 600);
        assert!(close(same_day.stability, 4.46686), "{same_day:?}");
        assert!(close(same_day.difficulty, 5.27297), "{same_day:?}");
        assert_eq!(same_day.interval_days(), 4);
        assert_eq!(interval_days(0.01), 1, "never less than a day");
    }
}
