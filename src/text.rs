//! Small text helpers: making untrusted text safe for a terminal, counting things in words, and
//! turning byte offsets into the line and column numbers a person reads.

/// `n` and `noun`, the noun in the plural unless `n` is 1: `1 file`, `3 files`.
pub fn counted(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}

/// Removes control characters (including ESC, so no terminal escape sequence survives) from
/// text that came from a kata file or a learner's file. Newlines and tabs are kept when
/// `keep_newlines` is set; tabs become four spaces either way.
pub fn sanitize(text: &str, keep_newlines: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' if keep_newlines => out.push('\n'),
            '\n' => out.push(' '),
            '\t' => out.push_str("    "),
            c if c.is_control() => {}
            // Bidirectional overrides can make a line read differently from what it is.
            '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => {}
            c => out.push(c),
        }
    }
    out
}

/// Sanitizes `text` to one line and shortens it to at most `max` characters, marking a cut
/// with `…`.
pub fn one_line(text: &str, max: usize) -> String {
    let flat = sanitize(text, false);
    let flat = flat.trim();
    if flat.chars().count() <= max {
        flat.to_string()
    } else {
        let mut cut: String = flat.chars().take(max.saturating_sub(1)).collect();
        cut.push('…');
        cut
    }
}

/// Reflows prose written with hard line breaks: lines of one paragraph are joined with spaces,
/// blank lines separate paragraphs, and indented lines (code, lists) keep their own line.
pub fn reflow(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut joining = false;
    for line in text.lines() {
        let trimmed = line.trim_end();
        if trimmed.is_empty() {
            out.push(String::new());
            joining = false;
        } else if line.starts_with(' ') || trimmed.starts_with("- ") || trimmed.starts_with("* ") {
            out.push(trimmed.to_string());
            joining = !line.starts_with(' ');
        } else if joining {
            if let Some(last) = out.last_mut() {
                last.push(' ');
                last.push_str(trimmed);
            }
        } else {
            out.push(trimmed.to_string());
            joining = true;
        }
    }
    out
}

/// A 1-based line and a 1-based column counted in characters (not bytes), as editors show them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Position {
    /// 1-based line number.
    pub line: usize,
    /// 1-based column, in Unicode scalar values.
    pub column: usize,
}

/// Converts a tree-sitter point (0-based row, 0-based byte column) in `source` to a [`Position`].
pub fn position_of(source: &str, row: usize, byte_column: usize) -> Position {
    let line_text = source.split('\n').nth(row).unwrap_or("");
    let end = byte_column.min(line_text.len());
    let prefix = line_text.get(..end).unwrap_or(line_text);
    Position {
        line: row + 1,
        column: prefix.chars().count() + 1,
    }
}

/// Converts a byte offset in `source` to a [`Position`].
pub fn position_at_byte(source: &str, byte: usize) -> Position {
    let byte = byte.min(source.len());
    let before = source.get(..byte).unwrap_or(source);
    let row = before.matches('\n').count();
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    position_of(source, row, byte - line_start)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counted_puts_the_noun_in_the_plural_unless_one() {
        assert_eq!(counted(0, "file"), "0 files");
        assert_eq!(counted(1, "file"), "1 file");
        assert_eq!(counted(2, "kata"), "2 katas");
    }

    #[test]
    fn sanitize_strips_escapes_and_controls() {
        let evil = "ok\u{1b}[2Jgone\u{7}\r\nnext\u{202E}";
        assert_eq!(sanitize(evil, true), "ok[2Jgone\nnext");
        assert_eq!(sanitize(evil, false), "ok[2Jgone next");
    }

    #[test]
    fn reflow_joins_paragraph_lines() {
        let text = "A closure does\nnot copy.\n\nSecond\nparagraph:\n    code()\n- item one\n  continues\n";
        assert_eq!(
            reflow(text),
            [
                "A closure does not copy.",
                "",
                "Second paragraph:",
                "    code()",
                "- item one",
                "  continues"
            ]
        );
    }

    #[test]
    fn one_line_cuts_long_text() {
        assert_eq!(one_line("abcdef", 4), "abc…");
        assert_eq!(one_line("  ab\ncd  ", 10), "ab cd");
    }

    #[test]
    fn columns_count_characters() {
        let src = "x = 1\nné = f(y)\n";
        // `f` starts at byte 6 of line 2 (é is two bytes) but is the 6th character.
        assert_eq!(position_of(src, 1, 6), Position { line: 2, column: 6 });
        assert_eq!(
            position_at_byte(src, 6 + 6),
            Position { line: 2, column: 6 }
        );
        assert_eq!(position_at_byte(src, 0), Position { line: 1, column: 1 });
    }
}
