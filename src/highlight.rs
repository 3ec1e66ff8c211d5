//! Syntax highlighting of Python with syntect and the embedded `.tmTheme` themes. Highlighting
//! is cached per line: after an edit only the lines whose text or starting state changed are
//! highlighted again.

use std::io::Cursor;
use std::ops::Range;
use std::sync::OnceLock;

use syntect::highlighting::{
    FontStyle, HighlightState, Highlighter, RangedHighlightIterator, Theme, ThemeSet,
};
use syntect::parsing::{ParseState, ScopeStack, SyntaxReference, SyntaxSet};

/// The default theme.
pub const DEFAULT_THEME: &str = "pykata-dark";

/// One styled piece of a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tint {
    /// Foreground colour.
    pub fg: (u8, u8, u8),
    /// Bold.
    pub bold: bool,
    /// Italic.
    pub italic: bool,
}

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

fn python(set: &SyntaxSet) -> &SyntaxReference {
    set.find_syntax_by_extension("py")
        .unwrap_or_else(|| set.find_syntax_plain_text())
}

/// The names of the embedded themes.
pub fn theme_names() -> Vec<String> {
    crate::kata::bundled_themes()
        .iter()
        .filter_map(|(path, _)| {
            path.rsplit('/')
                .next()?
                .strip_suffix(".tmTheme")
                .map(str::to_string)
        })
        .collect()
}

/// Loads an embedded theme by name.
pub fn load_theme(name: &str) -> Result<Theme, String> {
    let (_, text) = crate::kata::bundled_themes()
        .iter()
        .find(|(path, _)| path.rsplit('/').next() == Some(&format!("{name}.tmTheme")))
        .ok_or_else(|| {
            format!(
                "unknown theme `{}` (themes: {})",
                crate::text::one_line(name, 40),
                theme_names().join(", ")
            )
        })?;
    ThemeSet::load_from_reader(&mut Cursor::new(text.as_bytes()))
        .map_err(|e| format!("theme `{name}`: {e}"))
}

#[derive(Debug, Clone)]
struct Cached {
    text: String,
    parse_before: ParseState,
    highlight_before: HighlightState,
    parse_after: ParseState,
    highlight_after: HighlightState,
    spans: Vec<(Tint, Range<usize>)>,
}

/// Per-line highlighting of one buffer, kept up to date with [`LineCache::update`].
#[derive(Debug, Clone, Default)]
pub struct LineCache {
    lines: Vec<Cached>,
}

impl LineCache {
    /// Brings the cache up to date with `lines`; returns how many lines were highlighted anew.
    pub fn update(&mut self, theme: &Theme, lines: &[String]) -> usize {
        let set = syntaxes();
        let highlighter = Highlighter::new(theme);
        let mut parse = ParseState::new(python(set));
        let mut state = HighlightState::new(&highlighter, ScopeStack::new());
        let mut redone = 0;
        for (i, text) in lines.iter().enumerate() {
            if let Some(c) = self.lines.get(i)
                && c.text == *text
                && c.parse_before == parse
                && c.highlight_before == state
            {
                parse = c.parse_after.clone();
                state = c.highlight_after.clone();
                continue;
            }
            redone += 1;
            let parse_before = parse.clone();
            let highlight_before = state.clone();
            let line = format!("{text}\n");
            let ops = parse.parse_line(&line, set).unwrap_or_default();
            let spans = RangedHighlightIterator::new(&mut state, &ops, &line, &highlighter)
                .filter(|(_, _, r)| r.start < text.len())
                .map(|(style, _, r)| {
                    let tint = Tint {
                        fg: (style.foreground.r, style.foreground.g, style.foreground.b),
                        bold: style.font_style.contains(FontStyle::BOLD),
                        italic: style.font_style.contains(FontStyle::ITALIC),
                    };
                    (tint, r.start..r.end.min(text.len()))
                })
                .collect();
            let entry = Cached {
                text: text.clone(),
                parse_before,
                highlight_before,
                parse_after: parse.clone(),
                highlight_after: state.clone(),
                spans,
            };
            if i < self.lines.len() {
                self.lines[i] = entry;
            } else {
                self.lines.push(entry);
            }
        }
        self.lines.truncate(lines.len());
        redone
    }

    /// The styled byte ranges of line `i`.
    pub fn line(&self, i: usize) -> &[(Tint, Range<usize>)] {
        self.lines.get(i).map_or(&[], |c| c.spans.as_slice())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_themes_load_and_unknown_ones_are_named() {
        let names = theme_names();
        assert!(names.contains(&"pykata-dark".to_string()), "{names:?}");
        assert!(names.contains(&"pykata-light".to_string()), "{names:?}");
        for name in &names {
            load_theme(name).unwrap();
        }
        let e = load_theme("nope").unwrap_err();
        assert!(e.starts_with("unknown theme `nope` (themes: "), "{e}");
    }

    #[test]
    fn only_changed_lines_are_highlighted_again() {
        let theme = load_theme(DEFAULT_THEME).unwrap();
        let mut lines: Vec<String> = (0..40)
            .map(|i| format!("x_{i} = compute({i})  # note"))
            .collect();
        let mut cache = LineCache::default();
        assert_eq!(cache.update(&theme, &lines), 40);
        assert_eq!(cache.update(&theme, &lines), 0);
        lines[20].push('1');
        assert_eq!(cache.update(&theme, &lines), 1);
        // Opening a string that runs on changes the state of the lines after it.
        lines[10] = "s = \"\"\"start".into();
        assert!(cache.update(&theme, &lines) > 1);
        assert!(!cache.line(0).is_empty());
    }
}
