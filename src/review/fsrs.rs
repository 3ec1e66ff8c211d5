//! FSRS-5, the Free Spaced Repetition Scheduler, from its published formulas with the default
//! parameters: a card's memory is a stability (days until recall drops to 90 %) and a
//! difficulty (1 to 10); each review updates both and schedules the next one.

use serde::{Deserialize, Serialize};

/// The default FSRS-5 parameters w₀…w₁₈.
pub const W: [f64; 19] = [
    0.40255, 1.18385, 3.173, 15.69105, 7.1949, 0.5345, 1.4604, 0.0046, 1.54575, 0.1192, 1.01925,
    1.9395, 0.11, 0.29605, 2.2698, 0.2315, 2.9898, 0.51655, 0.6621,
];
/// The probability of recall at which a review falls due.
pub const DESIRED_RETENTION: f64 = 0.9;
const DECAY: f64 = -0.5;
const FACTOR: f64 = 19.0 / 81.0;
const DAY: u64 = 86_400;
const MAX_INTERVAL_DAYS: u64 = 36_500;

/// How well a kata was recalled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Grade {
    /// Forgotten: the solution had to be revealed.
    Again = 1,
    /// Recalled with hints.
    Hard = 2,
    /// Recalled without help.
    Good = 3,
    /// Recalled without help, quickly.
    Easy = 4,
}

impl Grade {
    fn value(self) -> f64 {
        f64::from(self as u8)
    }
}

/// A kata's review card.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Card {
    /// Days after which recall falls to 90 %.
    pub stability: f64,
    /// 1 (easy) to 10 (hard).
    pub difficulty: f64,
    /// When the card was last reviewed (seconds since the Unix epoch).
    pub last_review: u64,
    /// When the next review is due (seconds since the Unix epoch).
    pub due: u64,
    /// Reviews so far.
    pub reps: u32,
    /// Reviews graded Again.
    pub lapses: u32,
}

impl Card {
    /// Whether the card is due at `now`.
    pub fn is_due(&self, now: u64) -> bool {
        self.due <= now
    }

    /// Days between the last review and the due date.
    pub fn interval_days(&self) -> u64 {
        self.due.saturating_sub(self.last_review) / DAY
    }
}

/// The probability of recall `elapsed_days` after a review, for a card of stability `s`.
pub fn retrievability(elapsed_days: f64, s: f64) -> f64 {
    (1.0 + FACTOR * elapsed_days / s).powf(DECAY)
}

/// The interval in whole days (at least one) after which recall falls to the desired retention.
pub fn interval_days(s: f64) -> u64 {
    let days = s / FACTOR * (DESIRED_RETENTION.powf(1.0 / DECAY) - 1.0);
    (days.round().max(1.0) as u64).min(MAX_INTERVAL_DAYS)
}

fn initial_difficulty(g: Grade) -> f64 {
    W[4] - (W[5] * (g.value() - 1.0)).exp() + 1.0
}

fn next_difficulty(d: f64, g: Grade) -> f64 {
    let delta = -W[6] * (g.value() - 3.0);
    let damped = d + delta * (10.0 - d) / 9.0;
    let reverted = W[7] * initial_difficulty(Grade::Easy) + (1.0 - W[7]) * damped;
    reverted.clamp(1.0, 10.0)
}

fn recall_stability(d: f64, s: f64, r: f64, g: Grade) -> f64 {
    let hard = if g == Grade::Hard { W[15] } else { 1.0 };
    let easy = if g == Grade::Easy { W[16] } else { 1.0 };
    s * (W[8].exp() * (11.0 - d) * s.powf(-W[9]) * ((W[10] * (1.0 - r)).exp() - 1.0) * hard * easy
        + 1.0)
}

fn forget_stability(d: f64, s: f64, r: f64) -> f64 {
    let next = W[11] * d.powf(-W[12]) * ((s + 1.0).powf(W[13]) - 1.0) * (W[14] * (1.0 - r)).exp();
    next.min(s)
}

fn short_term_stability(s: f64, g: Grade) -> f64 {
    s * (W[17] * (g.value() - 3.0 + W[18])).exp()
}

/// The card after a review graded `g` at `now`; `None` makes a new card.
pub fn review(card: Option<&Card>, g: Grade, now: u64) -> Card {
    let (stability, difficulty, reps, lapses) = match card {
        None => (
            W[g as usize - 1],
            initial_difficulty(g).clamp(1.0, 10.0),
            0,
            0,
        ),
        Some(c) => {
            let elapsed = now.saturating_sub(c.last_review) / DAY;
            let s = if elapsed == 0 {
                short_term_stability(c.stability, g)
            } else {
                let r = retrievability(elapsed as f64, c.stability);
                match g {
                    Grade::Again => forget_stability(c.difficulty, c.stability, r),
                    _ => recall_stability(c.difficulty, c.stability, r, g),
                }
            };
            (s, next_difficulty(c.difficulty, g), c.reps, c.lapses)
        }
    };
    let stability = stability.max(0.01);
    Card {
        stability,
        difficulty,
        last_review: now,
        due: now + interval_days(stability) * DAY,
        reps: reps + 1,
        lapses: lapses + u32::from(g == Grade::Again),
    }
}
