//! What pykata keeps on disk for a learner: the progress store and the drafts, in the data
//! directory (`PYKATA_HOME`, or the platform's data directory). Every write is atomic, and a
//! file that cannot be read is moved aside, never silently replaced.

mod atomic;
mod drafts;
mod model;
mod store;

use std::path::PathBuf;

pub use atomic::write_atomic;
pub use drafts::Drafts;
pub use model::{Attempt, DrillResult, Earlier, KataProgress, Progress, Status, VERSION};
pub use store::{ProgressStore, now_unix};

/// The folder for progress and drafts: `$PYKATA_HOME` if set, else the platform's data folder
/// for pykata (for example `~/.local/share/pykata`).
pub fn data_dir() -> Option<PathBuf> {
    if let Some(home) = std::env::var_os("PYKATA_HOME").filter(|h| !h.is_empty()) {
        return Some(PathBuf::from(home));
    }
    directories::ProjectDirs::from("", "", "pykata").map(|d| d.data_dir().to_path_buf())
}

/// The folder for the config file: `$PYKATA_HOME` if set (so one variable isolates a whole
/// setup), else the platform's config folder for pykata.
pub fn config_dir() -> Option<PathBuf> {
    if let Some(home) = std::env::var_os("PYKATA_HOME").filter(|h| !h.is_empty()) {
        return Some(PathBuf::from(home));
    }
    directories::ProjectDirs::from("", "", "pykata").map(|d| d.config_dir().to_path_buf())
}
