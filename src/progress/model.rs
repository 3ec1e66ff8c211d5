//! The progress data (format version 2): per kata its status, every attempt and a review card,
//! plus the results of drills.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::review::{Card, Grade};

/// The format version this build writes.
pub const VERSION: u32 = 2;

/// Where a learner stands on a kata.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Never opened.
    #[default]
    New,
    /// Opened and edited, not passed yet.
    Started,
    /// Passed at least once.
    Passed,
}

/// One try at a kata: a trainer session, a drill or review round, or `check --record`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Attempt {
    /// When it ended (seconds since the Unix epoch).
    pub at: u64,
    /// Whether the code passed.
    pub passed: bool,
    /// The rule ids of the findings when it ended (empty on a pass).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<String>,
    /// Hints shown.
    #[serde(default)]
    pub hints: u32,
    /// Whether the solution was revealed.
    #[serde(default)]
    pub revealed: bool,
    /// Seconds spent, where known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seconds: Option<u64>,
}

/// What a format-1 file knew about a kata, kept when it is migrated (v1 had no attempt list).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Earlier {
    /// Sessions counted by format 1.
    pub attempts: u32,
    /// The first pass.
    pub first_pass: Option<u64>,
    /// The most hints shown in one session.
    pub hints_used: u32,
    /// Whether the solution was revealed.
    pub revealed: bool,
}

/// Progress on one kata.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct KataProgress {
    /// New, started or passed.
    pub status: Status,
    /// The kata's content hash when it was last passed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    /// Every attempt, oldest first.
    #[serde(default)]
    pub attempts: Vec<Attempt>,
    /// The review card, once passed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub card: Option<Card>,
    /// What a migrated format-1 file held.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub earlier: Option<Earlier>,
}

impl KataProgress {
    /// Attempts, counting those a format-1 file summed up.
    pub fn attempt_count(&self) -> u32 {
        let earlier = self.earlier.as_ref().map_or(0, |e| e.attempts);
        earlier.saturating_add(u32::try_from(self.attempts.len()).unwrap_or(u32::MAX))
    }

    /// Failed attempts.
    pub fn failures(&self) -> u32 {
        let failed = self.attempts.iter().filter(|a| !a.passed).count();
        u32::try_from(failed).unwrap_or(u32::MAX)
    }

    /// Hints shown, over all attempts.
    pub fn hints(&self) -> u32 {
        let earlier = self.earlier.as_ref().map_or(0, |e| e.hints_used);
        self.attempts.iter().map(|a| a.hints).sum::<u32>() + earlier
    }

    /// Whether the solution was ever revealed.
    pub fn revealed(&self) -> bool {
        self.earlier.as_ref().is_some_and(|e| e.revealed)
            || self.attempts.iter().any(|a| a.revealed)
    }

    /// When the kata was first passed.
    pub fn first_pass(&self) -> Option<u64> {
        let earlier = self.earlier.as_ref().and_then(|e| e.first_pass);
        let listed = self.attempts.iter().find(|a| a.passed).map(|a| a.at);
        earlier.or(listed)
    }

    /// When the kata was last passed.
    pub fn last_pass(&self) -> Option<u64> {
        let listed = self.attempts.iter().rev().find(|a| a.passed).map(|a| a.at);
        listed.or_else(|| self.card.as_ref().map(|c| c.last_review))
    }
}

/// The result of one drill round.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DrillResult {
    /// When the round ended.
    pub at: u64,
    /// The seed that chose the katas.
    pub seed: u64,
    /// The topics the round was drawn from (empty: all).
    #[serde(default)]
    pub topics: Vec<String>,
    /// The katas of the round, in order.
    pub katas: Vec<String>,
    /// Those passed.
    pub passed: Vec<String>,
    /// Seconds the round took.
    pub seconds: u64,
    /// The time allowed, in seconds.
    pub limit: u64,
    /// Hints shown over the round.
    pub hints: u32,
}

/// Everything the store holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    /// The format version.
    pub version: u32,
    /// Per kata id.
    #[serde(default)]
    pub katas: BTreeMap<String, KataProgress>,
    /// Drill results, oldest first.
    #[serde(default)]
    pub drills: Vec<DrillResult>,
}

impl Default for Progress {
    fn default() -> Self {
        Progress {
            version: VERSION,
            katas: BTreeMap::new(),
            drills: Vec::new(),
        }
    }
}

impl Progress {
    /// The status of a kata (new when unknown).
    pub fn status(&self, id: &str) -> Status {
        self.katas.get(id).map(|k| k.status).unwrap_or_default()
    }

    /// Whether a passed kata's content changed since (`hash` is its current content hash).
    pub fn is_updated(&self, id: &str, hash: &str) -> bool {
        self.katas.get(id).is_some_and(|k| {
            k.status == Status::Passed && k.content.as_deref().is_some_and(|c| c != hash)
        })
    }

    /// Whether the kata's review is due at `now`.
    pub fn is_due(&self, id: &str, now: u64) -> bool {
        self.katas
            .get(id)
            .and_then(|k| k.card.as_ref())
            .is_some_and(|c| c.is_due(now))
    }

    /// Marks a kata started (when it was new).
    pub fn start(&mut self, id: &str) {
        let k = self.katas.entry(id.to_string()).or_default();
        if k.status == Status::New {
            k.status = Status::Started;
        }
    }

    /// Records an attempt on kata `id` whose content hash is `hash`. A pass marks the kata
    /// passed and reviews its card with the attempt's grade; returns that grade.
    pub fn record(&mut self, id: &str, hash: &str, attempt: Attempt) -> Option<Grade> {
        let k = self.katas.entry(id.to_string()).or_default();
        let mut graded = None;
        if attempt.passed {
            let g = crate::review::grade(attempt.hints, attempt.revealed, attempt.seconds);
            k.card = Some(crate::review::fsrs::review(k.card.as_ref(), g, attempt.at));
            k.status = Status::Passed;
            k.content = Some(hash.to_string());
            graded = Some(g);
        } else if k.status == Status::New {
            k.status = Status::Started;
        }
        k.attempts.push(attempt);
        graded
    }

    /// Forgets a kata's status and draft-related state, keeping its attempts unless `forget`.
    pub fn reset(&mut self, id: &str, forget: bool) {
        if forget {
            self.katas.remove(id);
        } else if let Some(k) = self.katas.get_mut(id) {
            k.status = Status::New;
            k.content = None;
            k.card = None;
        }
    }
}

/// Format 1, read only to migrate it.
pub(crate) mod v1 {
    use std::collections::BTreeMap;

    use serde::Deserialize;

    #[derive(Deserialize)]
    pub(crate) struct Progress {
        #[serde(default)]
        pub katas: BTreeMap<String, KataProgress>,
    }

    #[derive(Deserialize)]
    pub(crate) struct KataProgress {
        #[serde(default)]
        pub status: super::Status,
        #[serde(default)]
        pub attempts: u32,
        pub first_pass: Option<u64>,
        pub last_pass: Option<u64>,
        #[serde(default)]
        pub hints_used: u32,
        #[serde(default)]
        pub revealed: bool,
    }

    /// Format 1 to format 2: its counts become [`super::Earlier`]; a passed kata gets a card
    /// reviewed at its last pass with the grade its hints and reveal give.
    pub(crate) fn migrate(old: Progress) -> super::Progress {
        let katas = old
            .katas
            .into_iter()
            .map(|(id, k)| {
                let card = match (k.status, k.last_pass.or(k.first_pass)) {
                    (super::Status::Passed, Some(at)) => {
                        let g = crate::review::grade(k.hints_used, k.revealed, None);
                        Some(crate::review::fsrs::review(None, g, at))
                    }
                    _ => None,
                };
                let progress = super::KataProgress {
                    status: k.status,
                    content: None,
                    attempts: Vec::new(),
                    card,
                    earlier: Some(super::Earlier {
                        attempts: k.attempts,
                        first_pass: k.first_pass,
                        hints_used: k.hints_used,
                        revealed: k.revealed,
                    }),
                };
                (id, progress)
            })
            .collect();
        super::Progress {
            version: super::VERSION,
            katas,
            drills: Vec::new(),
        }
    }
}
