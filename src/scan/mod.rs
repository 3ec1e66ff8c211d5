//! `scan`: run the `detect` rules of the katas over a codebase. Files are found the way git
//! sees the folder (`.gitignore`, hidden files skipped), parsed in parallel on every core, and
//! searched for every kata's detect rules in one walk of each tree.

mod suppress;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use std::sync::Arc;

use crate::check::{CompileError, CompiledChecks, DetectSet};
use crate::kata::{Catalog, Kata};

pub use suppress::{Silenced, silenced};

/// The largest file `scan` reads; bigger ones (generated code, data) are skipped with a note.
pub const MAX_SCAN_BYTES: usize = 8 * 1024 * 1024;

/// One anti-pattern found in a file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct ScanFinding {
    /// The file, as the walk reached it.
    pub path: String,
    /// 1-based line of the finding's node.
    pub line: usize,
    /// 1-based column (in characters).
    pub column: usize,
    /// 1-based line where the node ends.
    pub end_line: usize,
    /// 1-based column where the node ends.
    pub end_column: usize,
    /// The kata that teaches the fix.
    pub kata: String,
    /// The detect rule that matched.
    pub rule: String,
    /// The rule's message.
    pub message: String,
}

/// What a scan found.
#[derive(Debug, Default)]
pub struct ScanReport {
    /// Python files read.
    pub files: usize,
    /// Lines in them.
    pub lines: usize,
    /// Bytes in them.
    pub bytes: usize,
    /// Findings, sorted by path and position.
    pub findings: Vec<ScanFinding>,
    /// Files skipped or only partly scanned, one note each.
    pub notes: Vec<String>,
    /// Wall time of the walk, parse and search.
    pub elapsed: Duration,
}

/// The katas a scan runs: all of them, or those named by id or topic.
pub fn select<'c>(
    catalog: &'c Catalog,
    ids: &[String],
    topics: &[String],
) -> Result<Vec<&'c Kata>, String> {
    for id in ids {
        if catalog.get(id).is_none() {
            let close = catalog.suggest(id);
            let shown = crate::text::one_line(id, 64);
            return Err(if close.is_empty() {
                format!("unknown kata `{shown}` (`pykata list` shows them all)")
            } else {
                format!("unknown kata `{shown}`; did you mean {}?", close.join(", "))
            });
        }
    }
    let known = catalog.topics();
    for topic in topics {
        if !known.contains(&topic.as_str()) {
            return Err(format!(
                "unknown topic `{}`; the topics are {}",
                crate::text::one_line(topic, 64),
                known.join(", ")
            ));
        }
    }
    Ok(catalog
        .katas()
        .iter()
        .filter(|k| {
            (ids.is_empty() && topics.is_empty())
                || ids.contains(&k.id)
                || topics.contains(&k.topic)
        })
        .collect())
}

/// Folders of installed or generated code that a walk skips (Ruff's default excludes, less the
/// hidden ones, which are skipped anyway): the team's own code is what a scan is for.
pub const SKIPPED_FOLDERS: &[&str] = &[
    "site-packages",
    "node_modules",
    "__pypackages__",
    "venv",
    "_build",
    "buck-out",
    "build",
    "dist",
];

/// The Python files under `paths`: a file named directly is taken whatever its name; folders
/// are walked for `*.py`, respecting `.gitignore` (in a git checkout or not), skipping hidden
/// files and [`SKIPPED_FOLDERS`]. Unreadable folders become notes.
pub fn python_files(paths: &[PathBuf], notes: &mut Vec<String>) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for root in paths {
        if root.is_file() {
            files.push(root.clone());
            continue;
        }
        let walk = ignore::WalkBuilder::new(root)
            .require_git(false)
            .filter_entry(|entry| {
                entry.depth() == 0
                    || !entry.file_type().is_some_and(|t| t.is_dir())
                    || !SKIPPED_FOLDERS.contains(&entry.file_name().to_string_lossy().as_ref())
            })
            .build();
        for entry in walk {
            match entry {
                Ok(entry) => {
                    let path = entry.path();
                    if entry.file_type().is_some_and(|t| t.is_file())
                        && path.extension().is_some_and(|e| e == "py")
                    {
                        files.push(path.to_path_buf());
                    }
                }
                Err(e) => notes.push(format!("note: {e}")),
            }
        }
    }
    files.sort();
    files.dedup();
    files
}

/// Reads the katas' detect rules and merges them into the set a scan runs; an error names
/// the kata and the first rule at fault.
pub fn detect_set(katas: &[&Kata]) -> Result<DetectSet, String> {
    let mut prepared = Vec::new();
    for kata in katas {
        match CompiledChecks::prepare_detect(&kata.checks) {
            Ok(checks) => prepared.push(Arc::new(checks)),
            Err(errors) => {
                let first = errors.first().map(CompileError::to_string);
                return Err(format!(
                    "kata `{}` has rules that do not compile ({}); `pykata verify` says more",
                    kata.id,
                    first.unwrap_or_default()
                ));
            }
        }
    }
    Ok(DetectSet::new(prepared))
}

/// Scans one file's text: findings (unsorted) and an optional note about a parse error.
pub fn scan_source(
    set: &DetectSet,
    katas: &[&Kata],
    path: &str,
    source: &str,
) -> (Vec<ScanFinding>, Option<String>) {
    let Some(tree) = crate::check::parse_python(source) else {
        return (Vec::new(), Some(format!("{path}: could not be parsed")));
    };
    let mut note = None;
    if tree.root_node().has_error()
        && let Some(first) = crate::check::syntax_errors(&tree, source).first()
        && let Some(span) = &first.span
    {
        note = Some(format!(
            "{path}:{}:{}: {}; scanned as far as it parses",
            span.start.line, span.start.column, first.message
        ));
    }
    // Only a file that has a suppression comment somewhere needs its findings' lines read.
    let may_silence = std::cell::OnceCell::new();
    let mut findings = Vec::new();
    for found in set.detect_owned(tree, source) {
        let Some(span) = found.finding.span else {
            continue;
        };
        let kata = &katas[found.kata].id;
        if *may_silence
            .get_or_init(|| memchr::memmem::find(source.as_bytes(), b"pykata:").is_some())
            && silenced(line_at(source, span.start_byte)).covers(kata)
        {
            continue;
        }
        findings.push(ScanFinding {
            path: path.to_string(),
            line: span.start.line,
            column: span.start.column,
            end_line: span.end.line,
            end_column: span.end.column,
            kata: kata.clone(),
            rule: found.finding.rule,
            message: crate::text::one_line(&found.finding.message, 300),
        });
    }
    (findings, note)
}

/// How many lines `text` has, as `str::lines` counts them (a last line without a line break
/// counts; the empty text has none), found with a vectorised search.
fn line_count(text: &str) -> usize {
    let breaks = memchr::memchr_iter(b'\n', text.as_bytes()).count();
    breaks + usize::from(!text.is_empty() && !text.ends_with('\n'))
}

/// The line (without its line break) that holds byte `at` of `source`.
fn line_at(source: &str, at: usize) -> &str {
    let bytes = source.as_bytes();
    let at = at.min(bytes.len());
    let start = memchr::memrchr(b'\n', &bytes[..at]).map_or(0, |i| i + 1);
    let end = memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |i| at + i);
    let line = source.get(start..end).unwrap_or("");
    line.strip_suffix('\r').unwrap_or(line)
}

/// Scans the Python files under `paths` with the detect rules of `katas`, on every core.
pub fn scan(katas: &[&Kata], paths: &[PathBuf]) -> Result<ScanReport, String> {
    let started = Instant::now();
    crate::allocator::keep_freed_memory();
    for path in paths {
        if !path.exists() {
            return Err(format!("{}: no such file or folder", path.display()));
        }
    }
    let mut report = ScanReport::default();
    // The rules are read and merged on another core while this one walks the folders.
    let (set, files) = std::thread::scope(|s| {
        let set = s.spawn(|| detect_set(katas));
        let files = python_files(paths, &mut report.notes);
        let set = set.join().unwrap_or_else(|e| std::panic::resume_unwind(e));
        (set, files)
    });
    let set = set?;
    let next = AtomicUsize::new(0);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let parts: Vec<ScanReport> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads.min(files.len()).max(1))
            .map(|_| {
                s.spawn(|| {
                    let mut part = ScanReport::default();
                    while let Some(file) = files.get(next.fetch_add(1, Ordering::Relaxed)) {
                        scan_file(&set, katas, file, &mut part);
                    }
                    part
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    for part in parts {
        report.files += part.files;
        report.lines += part.lines;
        report.bytes += part.bytes;
        report.findings.extend(part.findings);
        report.notes.extend(part.notes);
    }
    report.findings.sort();
    report.notes.sort();
    report.elapsed = started.elapsed();
    Ok(report)
}

fn scan_file(set: &DetectSet, katas: &[&Kata], file: &Path, part: &mut ScanReport) {
    let label = file.display().to_string();
    let bytes = match std::fs::read(file) {
        Ok(bytes) => bytes,
        Err(e) => {
            part.notes
                .push(format!("{label}: cannot read: {e}; skipped"));
            return;
        }
    };
    if bytes.len() > MAX_SCAN_BYTES {
        part.notes.push(format!(
            "{label}: {} MB, larger than scan reads; skipped",
            bytes.len() / (1024 * 1024)
        ));
        return;
    }
    let source = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let good = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let line = good.iter().filter(|&&b| b == b'\n').count() + 1;
            part.notes
                .push(format!("{label}:{line}: not UTF-8; skipped"));
            return;
        }
    };
    let source = source.strip_prefix('\u{feff}').unwrap_or(&source);
    part.files += 1;
    part.lines += line_count(source);
    part.bytes += source.len();
    let (findings, note) = scan_source(set, katas, &label, source);
    part.findings.extend(findings);
    part.notes.extend(note);
}

/// Findings per kata, most first (ties in catalog order).
pub fn counts(report: &ScanReport, katas: &[&Kata]) -> Vec<(String, usize)> {
    let mut counts: Vec<(String, usize)> = katas
        .iter()
        .map(|k| {
            let n = report.findings.iter().filter(|f| f.kata == k.id).count();
            (k.id.clone(), n)
        })
        .filter(|(_, n)| *n > 0)
        .collect();
    counts.sort_by_key(|c| std::cmp::Reverse(c.1));
    counts
}

#[cfg(test)]
mod tests {
    use super::{line_at, line_count};

    #[test]
    fn line_count_counts_as_str_lines_does() {
        for text in [
            "",
            "\n",
            "a",
            "a\n",
            "a\nb",
            "a\r\nb\r\n",
            "\n\n\nx",
            "x\n\n",
        ] {
            assert_eq!(line_count(text), text.lines().count(), "{text:?}");
        }
    }

    #[test]
    fn line_at_finds_the_whole_line_around_a_byte() {
        let source = "first\r\nsecond line\n\nlast";
        assert_eq!(line_at(source, 0), "first");
        assert_eq!(line_at(source, 3), "first");
        assert_eq!(line_at(source, 7), "second line");
        assert_eq!(line_at(source, 12), "second line");
        assert_eq!(line_at(source, 19), "");
        assert_eq!(line_at(source, 21), "last");
        assert_eq!(line_at(source, source.len()), "last");
        assert_eq!(line_at(source, 999), "last");
    }
}
