//! The progress store: one versioned JSON file, `progress.json`, in the data folder. Updates
//! take a lock file, read the current file, apply the change and write it back atomically, so
//! two pykata processes never lose each other's updates.

use std::collections::BTreeMap;
use std::fs::File;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::write_atomic;

/// The format version this build writes.
pub const VERSION: u32 = 1;

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

/// Progress on one kata.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KataProgress {
    /// New, started or passed.
    pub status: Status,
    /// Sessions in which the learner edited the kata.
    pub attempts: u32,
    /// When it was first passed (seconds since the Unix epoch).
    pub first_pass: Option<u64>,
    /// When it was last passed.
    pub last_pass: Option<u64>,
    /// The most hints shown in one session.
    pub hints_used: u32,
    /// Whether the solution was ever revealed.
    pub revealed: bool,
}

/// Everything the store holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    /// The format version.
    pub version: u32,
    /// Per kata id.
    pub katas: BTreeMap<String, KataProgress>,
}

impl Default for Progress {
    fn default() -> Self {
        Progress {
            version: VERSION,
            katas: BTreeMap::new(),
        }
    }
}

impl Progress {
    /// The status of a kata (new when unknown).
    pub fn status(&self, id: &str) -> Status {
        self.katas.get(id).map(|k| k.status).unwrap_or_default()
    }
}

/// Seconds since the Unix epoch.
pub fn now_unix() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// The store's files.
#[derive(Debug, Clone)]
pub struct ProgressStore {
    path: PathBuf,
    lock: PathBuf,
}

impl ProgressStore {
    /// The store in `data_dir` (nothing is read or created yet).
    pub fn new(data_dir: &Path) -> ProgressStore {
        ProgressStore {
            path: data_dir.join("progress.json"),
            lock: data_dir.join("progress.lock"),
        }
    }

    /// The progress file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn lock(&self) -> std::io::Result<File> {
        if let Some(dir) = self.lock.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let file = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&self.lock)?;
        file.lock()?;
        Ok(file)
    }

    /// Reads the store. A missing file is empty progress; a file that cannot be understood is
    /// moved aside to `progress.json.corrupt-<timestamp>` and the warning names it.
    pub fn load(&self) -> (Progress, Option<String>) {
        match self.lock() {
            Ok(_guard) => self.read_unlocked(),
            Err(e) => (
                Progress::default(),
                Some(format!("{}: cannot lock: {e}", self.lock.display())),
            ),
        }
    }

    fn read_unlocked(&self) -> (Progress, Option<String>) {
        let bytes = match std::fs::read(&self.path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return (Progress::default(), None);
            }
            Err(e) => {
                return (
                    Progress::default(),
                    Some(format!(
                        "{}: cannot read: {}",
                        self.path.display(),
                        crate::kata::io_reason(&e)
                    )),
                );
            }
        };
        let parsed: Result<Progress, String> = serde_json::from_slice(&bytes)
            .map_err(|e| e.to_string())
            .and_then(|p: Progress| {
                if p.version > VERSION {
                    Err(format!(
                        "written by a newer pykata (format version {})",
                        p.version
                    ))
                } else {
                    Ok(p)
                }
            });
        match parsed {
            Ok(progress) => (progress, None),
            Err(reason) => {
                let aside = self
                    .path
                    .with_file_name(format!("progress.json.corrupt-{}", now_unix()));
                let moved = std::fs::rename(&self.path, &aside);
                let warning = match moved {
                    Ok(()) => format!(
                        "{} could not be read ({reason}); it was moved to {} and progress starts afresh",
                        self.path.display(),
                        aside.display()
                    ),
                    Err(e) => format!(
                        "{} could not be read ({reason}) nor moved aside: {e}",
                        self.path.display()
                    ),
                };
                (Progress::default(), Some(warning))
            }
        }
    }

    /// Applies `change` to the current progress under the lock and saves it atomically.
    /// Returns the saved progress and any warning from reading it.
    pub fn update(
        &self,
        change: impl FnOnce(&mut Progress),
    ) -> std::io::Result<(Progress, Option<String>)> {
        let _guard = self.lock()?;
        let (mut progress, warning) = self.read_unlocked();
        change(&mut progress);
        progress.version = VERSION;
        let json = serde_json::to_vec_pretty(&progress).map_err(std::io::Error::other)?;
        write_atomic(&self.path, &json)?;
        Ok((progress, warning))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn updates_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let store = ProgressStore::new(dir.path());
        assert_eq!(store.load().0, Progress::default());
        store
            .update(|p| {
                let k = p.katas.entry("a".into()).or_default();
                k.status = Status::Passed;
                k.attempts = 2;
            })
            .unwrap();
        let (progress, warning) = store.load();
        assert!(warning.is_none());
        assert_eq!(progress.status("a"), Status::Passed);
        assert_eq!(progress.katas["a"].attempts, 2);
        assert_eq!(progress.status("b"), Status::New);
    }

    #[test]
    fn a_corrupt_file_is_moved_aside_with_a_warning() {
        let dir = tempfile::tempdir().unwrap();
        let store = ProgressStore::new(dir.path());
        std::fs::write(store.path(), b"{\"version\": 1, \"katas\": {\"a\": ").unwrap();
        let (progress, warning) = store.load();
        assert_eq!(progress, Progress::default());
        let warning = warning.unwrap();
        assert!(warning.contains("progress.json.corrupt-"), "{warning}");
        let aside: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .filter(|e| {
                e.file_name()
                    .to_string_lossy()
                    .starts_with("progress.json.corrupt-")
            })
            .collect();
        assert_eq!(aside.len(), 1);
        assert_eq!(
            std::fs::read(aside[0].path()).unwrap(),
            b"{\"version\": 1, \"katas\": {\"a\": ",
            "the corrupt file is kept as it was"
        );
    }

    #[test]
    fn concurrent_updates_are_all_kept() {
        let dir = tempfile::tempdir().unwrap();
        let threads: Vec<_> = (0..4)
            .map(|t| {
                let store = ProgressStore::new(dir.path());
                std::thread::spawn(move || {
                    for i in 0..25 {
                        store
                            .update(|p| {
                                p.katas.entry(format!("k{t}-{i}")).or_default().attempts += 1;
                            })
                            .unwrap();
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        let (progress, _) = ProgressStore::new(dir.path()).load();
        assert_eq!(progress.katas.len(), 100);
    }
}
