//! What the profiling examples share: the Python files a scan of the command line's paths
//! reads, each parsed once and timed.

// Each example is its own crate and uses part of this module.
#![allow(dead_code)]

use std::path::PathBuf;
use std::time::Instant;

/// One parsed file.
pub struct Parsed {
    pub path: PathBuf,
    pub source: String,
    pub tree: tree_sitter::Tree,
    /// Seconds the parse took.
    pub parse: f64,
}

/// Every Python file `pykata scan` would read under the command line's paths (default `.`),
/// parsed; unreadable and unparsable files are left out.
pub fn parsed_files() -> Vec<Parsed> {
    let mut roots: Vec<PathBuf> = std::env::args().skip(1).map(PathBuf::from).collect();
    if roots.is_empty() {
        roots.push(PathBuf::from("."));
    }
    let mut notes = Vec::new();
    pykata::scan::python_files(&roots, &mut notes)
        .into_iter()
        .filter_map(|path| {
            let source = std::fs::read_to_string(&path).ok()?;
            let t = Instant::now();
            let tree = pykata::check::parse_python(&source)?;
            let parse = t.elapsed().as_secs_f64();
            Some(Parsed {
                path,
                source,
                tree,
                parse,
            })
        })
        .collect()
}

/// The total parse time of `files`.
pub fn parse_time(files: &[Parsed]) -> f64 {
    files.iter().map(|f| f.parse).sum()
}
