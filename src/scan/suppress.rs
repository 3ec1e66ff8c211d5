//! `# pykata: ignore[KATA-ID, ...]` comments, which silence findings on their line the way
//! `# noqa` does for linters. A bare `# pykata: ignore` silences every kata on the line.

/// What a line's comment silences.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Silenced {
    /// Nothing.
    None,
    /// Every kata.
    All,
    /// These katas.
    Katas(Vec<String>),
}

impl Silenced {
    /// Whether a finding of `kata` is silenced.
    pub fn covers(&self, kata: &str) -> bool {
        match self {
            Silenced::None => false,
            Silenced::All => true,
            Silenced::Katas(ids) => ids.iter().any(|id| id == kata),
        }
    }
}

/// What the comment on `line` silences. The marker may follow other comment text
/// (`# noqa: B023  # pykata: ignore[late-binding-closure]`).
pub fn silenced(line: &str) -> Silenced {
    let Some(hash) = line.find('#') else {
        return Silenced::None;
    };
    let mut ids = Vec::new();
    let mut rest = &line[hash..];
    while let Some(at) = rest.find("pykata:") {
        let after = rest[at + "pykata:".len()..].trim_start();
        rest = &rest[at + "pykata:".len()..];
        let Some(tail) = after.strip_prefix("ignore") else {
            continue;
        };
        let Some(list) = tail.strip_prefix('[') else {
            if tail.is_empty() || tail.starts_with(char::is_whitespace) || tail.starts_with('#') {
                return Silenced::All;
            }
            continue;
        };
        let Some(end) = list.find(']') else {
            continue;
        };
        ids.extend(
            list[..end]
                .split(',')
                .map(str::trim)
                .filter(|id| !id.is_empty())
                .map(str::to_string),
        );
    }
    if ids.is_empty() {
        Silenced::None
    } else {
        Silenced::Katas(ids)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_marker_forms() {
        assert_eq!(silenced("x = 1"), Silenced::None);
        assert_eq!(silenced("x = 1  # pykata: ignore"), Silenced::All);
        assert_eq!(
            silenced("f = lambda: i  # pykata: ignore[late-binding-closure]"),
            Silenced::Katas(vec!["late-binding-closure".into()])
        );
        assert_eq!(
            silenced("x  # noqa: E711  # pykata: ignore[none-identity, bare-except]"),
            Silenced::Katas(vec!["none-identity".into(), "bare-except".into()])
        );
        assert_eq!(silenced("x  # pykata: ignored"), Silenced::None);
        assert_eq!(silenced("x  # pykata: ignore[unclosed"), Silenced::None);
        assert!(silenced("x # pykata: ignore[a]").covers("a"));
        assert!(!silenced("x # pykata: ignore[a]").covers("b"));
    }
}
