//! Tracks: named, ordered lists of katas with a description, from a pack's `tracks.yaml`
//! (`katas/tracks.yaml` for the bundled pack):
//!
//! ```yaml
//! tracks:
//!   - name: essentials
//!     description: The habits every Python programmer needs first.
//!     katas: [mutable-default-argument, bare-except]
//! ```

use serde::Deserialize;

use super::catalog::{LoadProblem, Origin};
use super::is_valid_id;

/// One track.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Track {
    /// The track's name, an id such as `essentials`.
    pub name: String,
    /// One line saying who the track is for.
    pub description: String,
    /// The kata ids in order, each with its 1-based line in the file.
    pub katas: Vec<(String, usize)>,
    /// The file it is defined in.
    pub origin: Origin,
    /// 1-based line of its name.
    pub line: usize,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    tracks: Vec<Raw>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    name: String,
    description: String,
    katas: Vec<String>,
}

/// The first line at or after `from` (1-based) holding `word` as a whole token.
fn line_of(lines: &[&str], from: usize, word: &str) -> Option<usize> {
    lines
        .iter()
        .enumerate()
        .skip(from.saturating_sub(1))
        .find(|(_, l)| {
            l.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
                .any(|t| t == word)
        })
        .map(|(i, _)| i + 1)
}

/// Parses a `tracks.yaml`; problems name the file and line.
pub fn parse_tracks(text: &str, origin: &Origin, problems: &mut Vec<LoadProblem>) -> Vec<Track> {
    let file: File = match serde_saphyr::from_str(text) {
        Ok(file) => file,
        Err(e) => {
            let (line, column) = e.location().map_or((None, None), |loc| {
                (
                    usize::try_from(loc.line()).ok().filter(|l| *l > 0),
                    usize::try_from(loc.column()).ok().map(|c| c.max(1)),
                )
            });
            let first = e.to_string();
            let first = first.lines().next().unwrap_or("invalid YAML").to_string();
            problems.push(LoadProblem {
                line,
                column: line.and(column),
                ..LoadProblem::error(origin, format!("invalid tracks file: {first}"))
            });
            return Vec::new();
        }
    };
    let lines: Vec<&str> = text.split('\n').collect();
    let mut tracks: Vec<Track> = Vec::new();
    let mut from = 1;
    for raw in file.tracks {
        let line = lines
            .iter()
            .enumerate()
            .skip(from)
            .find(|(_, l)| {
                let l = l.trim_start().trim_start_matches("- ");
                l.starts_with("name:") && l.contains(raw.name.as_str())
            })
            .map_or(from, |(i, _)| i + 1);
        from = line;
        if !is_valid_id(&raw.name) {
            problems.push(LoadProblem {
                line: Some(line),
                ..LoadProblem::error(
                    origin,
                    format!(
                        "invalid track name `{}`: use lowercase letters, digits and single `-`",
                        crate::text::one_line(&raw.name, 40)
                    ),
                )
            });
            continue;
        }
        if tracks.iter().any(|t| t.name == raw.name) {
            problems.push(LoadProblem {
                line: Some(line),
                ..LoadProblem::error(origin, format!("track `{}` is defined twice", raw.name))
            });
            continue;
        }
        let mut katas = Vec::new();
        let mut at = line;
        for id in raw.katas {
            let found = line_of(&lines, at, &id).unwrap_or(at);
            at = found;
            katas.push((id, found));
        }
        tracks.push(Track {
            name: raw.name,
            description: raw.description,
            katas,
            origin: origin.clone(),
            line,
        });
    }
    tracks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tracks_keep_order_and_lines() {
        let text = "tracks:\n  - name: first\n    description: One.\n    katas:\n      - b\n      - a\n  - name: second\n    description: Two.\n    katas: [a, c]\n";
        let mut problems = Vec::new();
        let tracks = parse_tracks(text, &Origin::File("t.yaml".into()), &mut problems);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(tracks.len(), 2);
        assert_eq!(tracks[0].katas, [("b".into(), 5), ("a".into(), 6)]);
        assert_eq!(tracks[1].line, 7);
        assert_eq!(tracks[1].katas, [("a".into(), 9), ("c".into(), 9)]);
    }

    #[test]
    fn bad_files_are_named_with_their_line() {
        let mut problems = Vec::new();
        let text = "tracks:\n  - name: x\n    description: d\n    katas: [a]\n    extra: 1\n";
        assert!(parse_tracks(text, &Origin::File("t.yaml".into()), &mut problems).is_empty());
        let shown = problems[0].to_string();
        assert!(shown.starts_with("t.yaml:5:"), "{shown}");
        problems.clear();
        let text = "tracks:\n  - name: Bad Name\n    description: d\n    katas: []\n";
        parse_tracks(text, &Origin::File("t.yaml".into()), &mut problems);
        assert!(
            problems[0]
                .to_string()
                .starts_with("t.yaml:2: error: invalid track name")
        );
    }
}
