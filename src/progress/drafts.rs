//! Drafts: the learner's current code for each kata, one file per kata, saved atomically.

use std::path::{Path, PathBuf};

use super::write_atomic;
use crate::kata::is_valid_id;

/// The drafts folder.
#[derive(Debug, Clone)]
pub struct Drafts {
    dir: PathBuf,
}

impl Drafts {
    /// Drafts under `data_dir/drafts`.
    pub fn new(data_dir: &Path) -> Drafts {
        Drafts {
            dir: data_dir.join("drafts"),
        }
    }

    /// The draft file of a kata; `None` for an id that is not safe as a file name.
    pub fn path(&self, id: &str) -> Option<PathBuf> {
        is_valid_id(id).then(|| self.dir.join(format!("{id}.py")))
    }

    /// The saved draft, if there is one that can be read as text.
    pub fn load(&self, id: &str) -> Option<String> {
        let bytes = std::fs::read(self.path(id)?).ok()?;
        String::from_utf8(bytes).ok()
    }

    /// Saves a draft atomically.
    pub fn save(&self, id: &str, code: &str) -> std::io::Result<()> {
        let path = self.path(id).ok_or_else(|| {
            std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!("invalid kata id `{id}`"),
            )
        })?;
        write_atomic(&path, code.as_bytes())
    }

    /// Keeps a copy of a draft before it is replaced wholesale (a reset, a review), so nothing
    /// the learner wrote is lost: `drafts/<id>.py.bak`, or when that holds other text, the
    /// first free `drafts/<id>.py.bak.N`. Returns the backup's path.
    pub fn back_up(&self, id: &str, code: &str) -> std::io::Result<PathBuf> {
        let path = self.path(id).ok_or_else(|| {
            std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!("invalid kata id `{id}`"),
            )
        })?;
        let first = path.with_extension("py.bak");
        let mut target = first.clone();
        let mut n = 0;
        while let Ok(existing) = std::fs::read(&target) {
            if existing == code.as_bytes() {
                return Ok(target);
            }
            n += 1;
            target = first.with_extension(format!("bak.{n}"));
        }
        write_atomic(&target, code.as_bytes())?;
        Ok(target)
    }

    /// Moves a draft aside (see [`Drafts::back_up`]) so the kata starts again from its
    /// starter. Returns the backup's path, or `None` when there was no draft.
    pub fn set_aside(&self, id: &str) -> std::io::Result<Option<PathBuf>> {
        let Some(code) = self.load(id) else {
            return Ok(None);
        };
        let backup = self.back_up(id, &code)?;
        if let Some(path) = self.path(id) {
            std::fs::remove_file(path)?;
        }
        Ok(Some(backup))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saves_loads_and_refuses_unsafe_ids() {
        let dir = tempfile::tempdir().unwrap();
        let drafts = Drafts::new(dir.path());
        assert_eq!(drafts.load("k"), None);
        drafts.save("k", "x = 1\n").unwrap();
        assert_eq!(drafts.load("k").as_deref(), Some("x = 1\n"));
        assert!(drafts.path("../etc/passwd").is_none());
        assert!(drafts.save("../evil", "x").is_err());
        drafts.back_up("k", "old").unwrap();
        assert_eq!(
            std::fs::read_to_string(dir.path().join("drafts/k.py.bak")).unwrap(),
            "old"
        );
        // A second, different backup never writes over the first.
        let second = drafts.back_up("k", "older still").unwrap();
        assert_eq!(second, dir.path().join("drafts/k.py.bak.1"));
        assert_eq!(
            drafts.back_up("k", "old").unwrap(),
            dir.path().join("drafts/k.py.bak")
        );
        let aside = drafts.set_aside("k").unwrap().unwrap();
        assert_eq!(std::fs::read_to_string(aside).unwrap(), "x = 1\n");
        assert_eq!(drafts.load("k"), None);
        assert_eq!(drafts.set_aside("k").unwrap(), None);
    }
}
