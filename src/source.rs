//! Reading a learner's Python file (or standard input) with clear errors for what cannot be
//! checked: unreadable, binary, not UTF-8, too large.

use std::fmt;
use std::io::Read;
use std::path::Path;

/// The largest file `check` accepts. Katas are small programs; this leaves room for a learner
/// who pastes a whole module, and keeps one mistaken file from stalling the checker.
pub const MAX_SOURCE_BYTES: usize = 2 * 1024 * 1024;

/// Why a file cannot be checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceError {
    /// The file could not be opened or read.
    Unreadable { file: String, reason: String },
    /// The file holds NUL bytes: not a Python source file.
    Binary { file: String },
    /// The bytes are not UTF-8; `line`/`column` locate the first bad byte.
    NotUtf8 {
        file: String,
        line: usize,
        column: usize,
    },
    /// The file is larger than [`MAX_SOURCE_BYTES`].
    TooLarge { file: String, bytes: usize },
}

impl fmt::Display for SourceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SourceError::Unreadable { file, reason } => write!(f, "{file}: cannot read: {reason}"),
            SourceError::Binary { file } => {
                write!(
                    f,
                    "{file}: this is a binary file (it holds NUL bytes), not Python source"
                )
            }
            SourceError::NotUtf8 { file, line, column } => write!(
                f,
                "{file}:{line}:{column}: not UTF-8 text: save the file as UTF-8 and try again"
            ),
            SourceError::TooLarge { file, bytes } => write!(
                f,
                "{file}: the file is {:.1} MB; pykata checks files up to {} MB",
                *bytes as f64 / 1_048_576.0,
                MAX_SOURCE_BYTES / 1_048_576
            ),
        }
    }
}

/// Reads `path` (`-` for standard input) as Python source text.
pub fn read_source(path: &str) -> Result<String, SourceError> {
    let label = if path == "-" { "<stdin>" } else { path };
    let unreadable = |e: std::io::Error| SourceError::Unreadable {
        file: label.to_string(),
        reason: crate::kata::io_reason(&e),
    };
    let mut bytes = Vec::new();
    let limit = (MAX_SOURCE_BYTES + 1) as u64;
    if path == "-" {
        std::io::stdin()
            .take(limit)
            .read_to_end(&mut bytes)
            .map_err(unreadable)?;
    } else {
        let p = Path::new(path);
        if p.is_dir() {
            return Err(SourceError::Unreadable {
                file: label.to_string(),
                reason: "it is a folder, not a file".into(),
            });
        }
        let file = std::fs::File::open(p).map_err(unreadable)?;
        file.take(limit)
            .read_to_end(&mut bytes)
            .map_err(unreadable)?;
    }
    decode(label, bytes)
}

/// Turns raw bytes into source text, or says why it cannot be checked. A UTF-8 byte-order mark
/// is dropped.
pub fn decode(label: &str, bytes: Vec<u8>) -> Result<String, SourceError> {
    if bytes.len() > MAX_SOURCE_BYTES {
        return Err(SourceError::TooLarge {
            file: label.to_string(),
            bytes: bytes.len(),
        });
    }
    if bytes.contains(&0) {
        return Err(SourceError::Binary {
            file: label.to_string(),
        });
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(match text.strip_prefix('\u{feff}') {
            Some(rest) => rest.to_string(),
            None => text,
        }),
        Err(e) => {
            let good = e.utf8_error().valid_up_to();
            let prefix = String::from_utf8_lossy(&e.as_bytes()[..good]).into_owned();
            let pos = crate::text::position_at_byte(&prefix, prefix.len());
            Err(SourceError::NotUtf8 {
                file: label.to_string(),
                line: pos.line,
                column: pos.column,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binary_non_utf8_and_large_files_are_refused_by_name() {
        assert_eq!(
            decode("a.py", b"x = 1\n\0\0".to_vec())
                .unwrap_err()
                .to_string(),
            "a.py: this is a binary file (it holds NUL bytes), not Python source"
        );
        assert_eq!(
            decode("b.py", b"x = 1\ny = '\xff'\n".to_vec())
                .unwrap_err()
                .to_string(),
            "b.py:2:6: not UTF-8 text: save the file as UTF-8 and try again"
        );
        let big = vec![b'#'; 10 * 1024 * 1024];
        assert_eq!(
            decode("c.py", big).unwrap_err().to_string(),
            "c.py: the file is 10.0 MB; pykata checks files up to 2 MB"
        );
        assert_eq!(decode("d.py", "\u{feff}x = 1\n".into()).unwrap(), "x = 1\n");
    }

    #[test]
    fn missing_file_and_folder() {
        let e = read_source("/no/such/file.py").unwrap_err();
        assert_eq!(
            e.to_string(),
            "/no/such/file.py: cannot read: no such file or folder"
        );
        let e = read_source("/").unwrap_err();
        assert_eq!(e.to_string(), "/: cannot read: it is a folder, not a file");
    }
}
