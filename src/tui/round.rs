//! A round: a review of the due katas or a timed drill, walked in order, each kata starting
//! from its starter; it ends on a score screen.

use std::time::{Duration, Instant};

/// What kind of round.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RoundKind {
    /// The katas whose review is due.
    Review,
    /// A timed drill drawn by a seed.
    Drill {
        /// The seed that drew the katas.
        seed: u64,
        /// The topics drawn from (empty: all).
        topics: Vec<String>,
        /// The time allowed.
        limit: Duration,
    },
}

/// A round in progress (or over, on the score screen).
#[derive(Debug, Clone)]
pub struct Round {
    /// Review or drill.
    pub kind: RoundKind,
    /// Catalog indexes of the round's katas, in order.
    pub queue: Vec<usize>,
    /// The position in `queue` of the open kata.
    pub at: usize,
    /// When the round started.
    pub started: Instant,
    /// Per kata of the queue: passed in this round.
    pub passed: Vec<bool>,
    /// Hints shown over the round.
    pub hints: u32,
    /// How long the round took, once over.
    pub ended: Option<Duration>,
}

impl Round {
    /// A round over these katas, starting at `now`.
    pub fn new(kind: RoundKind, queue: Vec<usize>, now: Instant) -> Round {
        let passed = vec![false; queue.len()];
        Round {
            kind,
            queue,
            at: 0,
            started: now,
            passed,
            hints: 0,
            ended: None,
        }
    }

    /// The time left in a drill (`None` for a review).
    pub fn remaining(&self, now: Instant) -> Option<Duration> {
        match &self.kind {
            RoundKind::Drill { limit, .. } => {
                Some(limit.saturating_sub(now.saturating_duration_since(self.started)))
            }
            RoundKind::Review => None,
        }
    }

    /// Katas passed so far.
    pub fn passed_count(&self) -> usize {
        self.passed.iter().filter(|p| **p).count()
    }
}

/// `m:ss` for a duration.
pub fn clock(d: Duration) -> String {
    let s = d.as_secs();
    format!("{}:{:02}", s / 60, s % 60)
}
