//! The kata model: what a kata file holds, how it is validated, and the catalog of loaded katas.

mod catalog;
mod hash;
mod model;
mod tracks;

pub use catalog::{Catalog, LoadProblem, Origin, Severity, TOPIC_ORDER, bundled_themes, io_reason};
pub use model::{Checks, Example, Examples, Kata, Query, Relation, Rule, is_valid_id};
pub use tracks::Track;
