//! The progress store: one versioned JSON file, `progress.json`, in the data folder. Updates
//! take a lock file, read the current file, apply the change and write it back atomically, so
//! two pykata processes never lose each other's updates, and a crash at any moment leaves the
//! last completed save whole.

use std::fs::File;
use std::path::{Path, PathBuf};

use super::model::{Progress, VERSION, v1};
use super::write_atomic;

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

/// How reading the file went.
enum Read {
    /// The progress (migrated if it was older), and the version the file had.
    Ok(Progress, u32),
    /// Nothing usable: start afresh (the warning says why and where the file went).
    Fresh(Option<String>),
    /// The file must not be written over (a newer format, or it could not be read).
    Keep(String),
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
    /// moved aside to `progress.json.corrupt-<timestamp>` and the warning names it. Reading
    /// never creates anything when there is no file yet.
    pub fn load(&self) -> (Progress, Option<String>) {
        if !self.path.exists() {
            return (Progress::default(), None);
        }
        let read = match self.lock() {
            Ok(_guard) => self.read_unlocked(),
            Err(e) => Read::Keep(format!("{}: cannot lock: {e}", self.lock.display())),
        };
        match read {
            Read::Ok(progress, _) => (progress, None),
            Read::Fresh(warning) => (Progress::default(), warning),
            Read::Keep(warning) => (Progress::default(), Some(warning)),
        }
    }

    fn read_unlocked(&self) -> Read {
        let bytes = match std::fs::read(&self.path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Read::Fresh(None),
            Err(e) => {
                return Read::Keep(format!(
                    "{}: cannot read: {}",
                    self.path.display(),
                    crate::kata::io_reason(&e)
                ));
            }
        };
        let parsed = serde_json::from_slice::<serde_json::Value>(&bytes)
            .map_err(|e| e.to_string())
            .and_then(|value| {
                let version = value.get("version").and_then(serde_json::Value::as_u64);
                match version {
                    Some(1) => serde_json::from_value::<v1::Progress>(value)
                        .map(|p| Read::Ok(v1::migrate(p), 1))
                        .map_err(|e| e.to_string()),
                    Some(v) if v == u64::from(VERSION) => serde_json::from_value(value)
                        .map(|p| Read::Ok(p, VERSION))
                        .map_err(|e| e.to_string()),
                    Some(v) if v > u64::from(VERSION) => Ok(Read::Keep(format!(
                        "{} was written by a newer pykata (format version {v}); progress is not saved by this one",
                        self.path.display()
                    ))),
                    _ => Err("no known format version".to_string()),
                }
            });
        match parsed {
            Ok(read) => read,
            Err(reason) => {
                let aside = self
                    .path
                    .with_file_name(format!("progress.json.corrupt-{}", now_unix()));
                let warning = match std::fs::rename(&self.path, &aside) {
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
                Read::Fresh(Some(warning))
            }
        }
    }

    /// Removes temporary files left by a process killed while saving (only the lock holder
    /// writes them, so under the lock every one is stale).
    fn clean_stale_temporaries(&self) {
        let Some(dir) = self.path.parent() else {
            return;
        };
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            if entry
                .file_name()
                .to_string_lossy()
                .starts_with(".progress.json.tmp-")
            {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }

    /// Applies `change` to the current progress under the lock and saves it atomically.
    /// Returns the saved progress and any warning from reading it. A format-1 file is kept as
    /// `progress.v1.json` the first time it is written over.
    pub fn update(
        &self,
        change: impl FnOnce(&mut Progress),
    ) -> std::io::Result<(Progress, Option<String>)> {
        let _guard = self.lock()?;
        let (mut progress, warning) = match self.read_unlocked() {
            Read::Ok(progress, 1) => {
                std::fs::copy(&self.path, self.path.with_file_name("progress.v1.json"))?;
                (progress, None)
            }
            Read::Ok(progress, _) => (progress, None),
            Read::Fresh(warning) => (Progress::default(), warning),
            Read::Keep(warning) => return Err(std::io::Error::other(warning)),
        };
        self.clean_stale_temporaries();
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
    use crate::progress::{Attempt, Status};

    fn passed(at: u64) -> Attempt {
        Attempt {
            at,
            passed: true,
            ..Attempt::default()
        }
    }

    #[test]
    fn updates_round_trip_and_reading_creates_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let store = ProgressStore::new(&dir.path().join("home"));
        assert_eq!(store.load().0, Progress::default());
        assert!(!dir.path().join("home").exists());
        store
            .update(|p| {
                p.record("a", "h1", passed(100));
                p.start("b");
            })
            .unwrap();
        let (progress, warning) = store.load();
        assert!(warning.is_none());
        assert_eq!(progress.status("a"), Status::Passed);
        assert_eq!(progress.katas["a"].attempts, [passed(100)]);
        assert!(progress.katas["a"].card.is_some());
        assert_eq!(progress.status("b"), Status::Started);
        assert_eq!(progress.status("c"), Status::New);
        assert!(!progress.is_updated("a", "h1"));
        assert!(
            progress.is_updated("a", "h2"),
            "content changed since the pass"
        );
        assert!(!progress.is_updated("b", "h2"));
    }

    fn corrupt_files(dir: &Path) -> Vec<PathBuf> {
        std::fs::read_dir(dir)
            .unwrap()
            .flatten()
            .filter(|e| {
                e.file_name()
                    .to_string_lossy()
                    .starts_with("progress.json.corrupt-")
            })
            .map(|e| e.path())
            .collect()
    }

    #[test]
    fn a_corrupt_or_truncated_file_is_moved_aside_with_a_warning() {
        for bad in [
            &b"{\"version\": 2, \"katas\": {\"a\": "[..],
            b"",
            b"\x00\x00\x00",
            b"{\"katas\": {}}",
        ] {
            let dir = tempfile::tempdir().unwrap();
            let store = ProgressStore::new(dir.path());
            std::fs::write(store.path(), bad).unwrap();
            let (progress, warning) = store.load();
            assert_eq!(progress, Progress::default());
            let warning = warning.unwrap();
            let aside = corrupt_files(dir.path());
            assert_eq!(aside.len(), 1);
            assert!(
                warning.contains(&aside[0].display().to_string()),
                "the warning names the file: {warning}"
            );
            assert_eq!(std::fs::read(&aside[0]).unwrap(), bad, "kept as it was");
        }
    }

    #[test]
    fn a_file_from_a_newer_pykata_is_neither_moved_nor_written_over() {
        let dir = tempfile::tempdir().unwrap();
        let store = ProgressStore::new(dir.path());
        let newer = br#"{"version": 99, "katas": {}}"#;
        std::fs::write(store.path(), newer).unwrap();
        let (_, warning) = store.load();
        assert!(warning.unwrap().contains("newer pykata"));
        let err = store.update(|p| p.start("a")).unwrap_err();
        assert!(err.to_string().contains("format version 99"), "{err}");
        assert_eq!(std::fs::read(store.path()).unwrap(), newer);
        assert!(corrupt_files(dir.path()).is_empty());
    }

    #[test]
    fn format_one_is_migrated_and_kept_aside() {
        let dir = tempfile::tempdir().unwrap();
        let store = ProgressStore::new(dir.path());
        let v1 = include_str!("../../tests/fixtures/progress-v1.json");
        std::fs::write(store.path(), v1).unwrap();
        let (progress, warning) = store.load();
        assert!(warning.is_none(), "{warning:?}");
        assert_eq!(progress.version, 2);
        let late = &progress.katas["late-binding-closure"];
        assert_eq!(late.status, Status::Passed);
        assert_eq!(late.attempt_count(), 3);
        assert_eq!(late.hints(), 1);
        assert_eq!(late.first_pass(), Some(1_760_000_000));
        let card = late.card.as_ref().unwrap();
        assert_eq!(card.last_review, 1_760_100_000);
        assert_eq!(card.interval_days(), 1, "passed with a hint: Hard");
        let bare = &progress.katas["bare-except"];
        assert_eq!(bare.status, Status::Started);
        assert!(bare.card.is_none());
        assert!(progress.katas["none-identity"].revealed());
        store.update(|p| p.start("union-syntax")).unwrap();
        assert_eq!(
            std::fs::read_to_string(dir.path().join("progress.v1.json")).unwrap(),
            v1
        );
        let written: serde_json::Value =
            serde_json::from_slice(&std::fs::read(store.path()).unwrap()).unwrap();
        assert_eq!(written["version"], 2);
        assert_eq!(store.load().0.katas.len(), 4);
    }

    #[test]
    fn stale_temporaries_are_cleaned_under_the_lock() {
        let dir = tempfile::tempdir().unwrap();
        let store = ProgressStore::new(dir.path());
        std::fs::write(dir.path().join(".progress.json.tmp-999-0"), b"{").unwrap();
        store.update(|p| p.start("a")).unwrap();
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        assert!(!names.iter().any(|n| n.contains(".tmp-")), "{names:?}");
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
                                p.record(&format!("k{t}"), "h", passed(i));
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
        assert_eq!(progress.katas.len(), 4);
        assert!(progress.katas.values().all(|k| k.attempts.len() == 25));
    }
}
