//! Watching the drafts folder, so a draft saved from another editor is checked again. Uses the
//! platform's file events (`notify`), falling back to polling where they do not work (WSL,
//! network folders); and, whatever the watcher says, a cheap modification-time poll.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, SystemTime};

use notify::{PollWatcher, RecommendedWatcher, RecursiveMode, Watcher};

/// A watcher over the drafts folder.
pub struct DraftWatcher {
    dir: PathBuf,
    events: Receiver<notify::Result<notify::Event>>,
    _watcher: Option<Box<dyn Watcher + Send>>,
    last: Mutex<Option<(String, Option<SystemTime>)>>,
}

impl DraftWatcher {
    /// Starts watching `dir` (created if missing).
    pub fn new(dir: &Path) -> DraftWatcher {
        let _ = std::fs::create_dir_all(dir);
        let (tx, rx) = channel();
        let native = RecommendedWatcher::new(tx.clone(), notify::Config::default())
            .and_then(|mut w| w.watch(dir, RecursiveMode::NonRecursive).map(|()| w))
            .map(|w| Box::new(w) as Box<dyn Watcher + Send>);
        let watcher = native.ok().or_else(|| {
            let config = notify::Config::default().with_poll_interval(Duration::from_millis(500));
            PollWatcher::new(tx, config)
                .and_then(|mut w| w.watch(dir, RecursiveMode::NonRecursive).map(|()| w))
                .map(|w| Box::new(w) as Box<dyn Watcher + Send>)
                .ok()
        });
        DraftWatcher {
            dir: dir.to_path_buf(),
            events: rx,
            _watcher: watcher,
            last: Mutex::new(None),
        }
    }

    /// The draft's text when the file of kata `id` changed since the last call.
    pub fn changed(&self, id: &str) -> Option<String> {
        let path = self.dir.join(format!("{id}.py"));
        let mut touched = false;
        while let Ok(event) = self.events.try_recv() {
            if let Ok(event) = event {
                touched |= event
                    .paths
                    .iter()
                    .any(|p| p.file_name() == path.file_name());
            }
        }
        let modified = std::fs::metadata(&path).and_then(|m| m.modified()).ok();
        let mut last = self.last.lock().ok()?;
        let moved = match last.as_ref() {
            Some((last_id, last_time)) if last_id == id => *last_time != modified,
            _ => false,
        };
        *last = Some((id.to_string(), modified));
        if touched || moved {
            std::fs::read_to_string(&path).ok()
        } else {
            None
        }
    }
}
