//! pykata's engine: the kata model and loader, the structural checker, the authoring lint and
//! the command implementations. Everything here runs without a terminal, so it can be tested.

pub mod allocator;
pub mod check;
pub mod cli;
pub mod config;
pub mod drill;
pub mod highlight;
pub mod kata;
pub mod progress;
pub mod report;
pub mod review;
pub mod scan;
pub mod source;
pub mod text;
pub mod tui;
pub mod verify;

pub use check::{Finding, RuleKind, Verdict};
pub use kata::{Catalog, Kata, LoadProblem};
