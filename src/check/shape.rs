//! What a query's shape says about its cost. tree-sitter's cursor tries every pairing of
//! children that two unanchored sibling patterns allow and applies text predicates only to
//! finished matches, so `(block (call-statement) (_) @later)` meets every pair of statements
//! in a block: quadratic in the block's length, whatever the predicates then keep.

/// Whether some node pattern of `query` has two or more child patterns that are neither
/// bound to a field nor held next to each other by a `.` anchor.
pub(crate) fn pairs_siblings(query: &str) -> bool {
    let mut stack: Vec<Frame> = Vec::new();
    let mut field_pending = false;
    for (token, _) in tokens(query) {
        match token {
            Token::Open {
                predicate,
                alternation,
            } => {
                if !predicate && let Some(parent) = stack.last_mut() {
                    parent.child(field_pending);
                }
                field_pending = false;
                stack.push(Frame {
                    ignored: predicate || alternation,
                    ..Frame::default()
                });
            }
            Token::Close => {
                field_pending = false;
                if let Some(frame) = stack.pop()
                    && frame.paired
                {
                    return true;
                }
            }
            Token::Field => field_pending = true,
            Token::Anchor => {
                if let Some(parent) = stack.last_mut() {
                    parent.anchored = true;
                }
            }
            Token::Wildcard => {
                if let Some(parent) = stack.last_mut()
                    && parent.started
                {
                    parent.child(field_pending);
                }
                field_pending = false;
                if let Some(parent) = stack.last_mut() {
                    parent.started = true;
                }
            }
            Token::Other => {
                if let Some(parent) = stack.last_mut() {
                    parent.started = true;
                }
                field_pending = false;
            }
        }
    }
    false
}

/// A node pattern (or alternation) being read.
#[derive(Default)]
struct Frame {
    /// A predicate such as `(#eq? @a @b)`, whose arguments are not children, or an
    /// alternation `[...]`, whose items are not siblings.
    ignored: bool,
    /// Its node type has been read; what follows are children.
    started: bool,
    /// Unfielded child patterns seen since the last anchor.
    free: usize,
    /// An anchor came since the previous free child.
    anchored: bool,
    paired: bool,
}

impl Frame {
    fn child(&mut self, fielded: bool) {
        if self.ignored || fielded {
            self.anchored = false;
            return;
        }
        if self.free > 0 && !self.anchored {
            self.paired = true;
        }
        self.free += 1;
        self.anchored = false;
    }
}

/// A query's capture names in tree-sitter's order (first appearance outside predicates) and its
/// number of patterns, read from the text without compiling it.
pub(crate) fn outline(query: &str) -> (Vec<String>, usize) {
    let mut names: Vec<String> = Vec::new();
    let mut patterns = 0;
    let mut frames: Vec<bool> = Vec::new();
    for (token, text) in tokens(query) {
        match token {
            Token::Open { predicate, .. } => {
                // tree-sitter reads a predicate outside any parentheses as a pattern of its own
                // (see `stray_predicate`).
                if frames.is_empty() {
                    patterns += 1;
                }
                frames.push(predicate);
            }
            Token::Close => {
                frames.pop();
            }
            Token::Other if text.starts_with('@') && !frames.iter().any(|&p| p) => {
                let name = &text[1..];
                if !names.iter().any(|n| n == name) {
                    names.push(name.to_string());
                }
            }
            _ => {}
        }
    }
    (names, patterns)
}

/// Every predicate of `query`: where its `(` is and its name (`#eq?`).
pub(crate) fn predicates(query: &str) -> Vec<(usize, &str)> {
    let tokens = tokens(query);
    let mut out = Vec::new();
    for pair in tokens.windows(2) {
        if let [
            (
                Token::Open {
                    predicate: true, ..
                },
                open,
            ),
            (_, name),
        ] = pair
        {
            out.push((offset_in(query, open), *name));
        }
    }
    out
}

/// The byte offset of a predicate written outside the parentheses of the pattern it is meant
/// for, as in `(identifier) @x (#eq? @x "a")`: tree-sitter takes it for a pattern of its own
/// and the pattern before it matches without the predicate.
pub(crate) fn stray_predicate(query: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (token, text) in tokens(query) {
        match token {
            Token::Open { predicate, .. } => {
                if depth == 0 && predicate {
                    return Some(offset_in(query, text));
                }
                depth += 1;
            }
            Token::Close => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

enum Token {
    /// `(` or `[`; `(#` opens a predicate.
    Open { predicate: bool, alternation: bool },
    /// `)` or `]`.
    Close,
    /// `name:`
    Field,
    /// `.`
    Anchor,
    /// `_` on its own: a wildcard node.
    Wildcard,
    /// A node type, capture, string, quantifier or negated field.
    Other,
}

/// The tokens of `query`, each with its text (a slice of `query`; empty for strings and
/// closing brackets).
fn tokens(query: &str) -> Vec<(Token, &str)> {
    let bytes = query.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        match c {
            b';' => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
                out.push((Token::Other, ""));
                continue;
            }
            b'(' | b'[' => {
                let predicate = c == b'(' && next_non_space(bytes, i + 1) == Some(b'#');
                out.push((
                    Token::Open {
                        predicate,
                        alternation: c == b'[',
                    },
                    &query[i..i + 1],
                ));
            }
            b')' | b']' => out.push((Token::Close, "")),
            b'.' => out.push((Token::Anchor, "")),
            c if c.is_ascii_whitespace() => {}
            b'*' | b'+' | b'?' => {}
            _ => {
                let start = i;
                while i < bytes.len()
                    && !bytes[i].is_ascii_whitespace()
                    && !b"()[]\";:".contains(&bytes[i])
                {
                    i += 1;
                }
                let word = &query[start..i];
                if bytes.get(i) == Some(&b':') {
                    out.push((Token::Field, word));
                    i += 1;
                } else if word == "_" {
                    out.push((Token::Wildcard, word));
                } else {
                    out.push((Token::Other, word));
                }
                continue;
            }
        }
        i += 1;
    }
    out
}

/// Where `part`, a slice of `query`, starts in it.
fn offset_in(query: &str, part: &str) -> usize {
    part.as_ptr() as usize - query.as_ptr() as usize
}

fn next_non_space(bytes: &[u8], mut i: usize) -> Option<u8> {
    while i < bytes.len() && bytes[i].is_ascii_whitespace() {
        i += 1;
    }
    bytes.get(i).copied()
}

#[cfg(test)]
mod tests {
    use super::pairs_siblings;

    #[test]
    fn two_free_children_pair_up() {
        assert!(pairs_siblings("(block (expression_statement) (_) @later)"));
        assert!(pairs_siblings(
            "(_ (_ (call) @c) @s (_ (_ left: (identifier) \"=\")) (#eq? @s @c)) @leak"
        ));
        assert!(pairs_siblings(
            "(try_statement body: (_ (_ (_ left: (identifier) @v)) (_) @later))"
        ));
    }

    #[test]
    fn a_predicate_outside_the_parentheses_is_found() {
        use super::stray_predicate;
        assert_eq!(stray_predicate("(identifier) @x (#eq? @x \"a\")"), Some(16));
        assert_eq!(stray_predicate("((identifier) @x (#eq? @x \"a\"))"), None);
        assert_eq!(stray_predicate("(call (#eq? @x \"(#\")) ; (#eq? @x)"), None);
    }

    #[test]
    fn fields_anchors_and_predicates_do_not() {
        assert!(!pairs_siblings(
            "(call function: (identifier) @f arguments: (argument_list))"
        ));
        assert!(!pairs_siblings(
            "(block (expression_statement) . (_) @next)"
        ));
        assert!(!pairs_siblings(
            "((identifier) @x (#any-of? @x \"a\" \"b\"))"
        ));
        assert!(!pairs_siblings("[(identifier) (attribute)] @x"));
        assert!(!pairs_siblings(
            "(lambda_parameters (identifier) @v) ; (a) (b)"
        ));
        assert!(!pairs_siblings("(module) @m"));
        assert!(!pairs_siblings("(string \"(\" \")\") @s"));
    }

    /// The outline read from the text is what tree-sitter makes of every bundled query.
    #[test]
    fn outline_matches_tree_sitter_on_every_bundled_query() {
        let (catalog, _) = crate::kata::Catalog::bundled();
        let all: Vec<&str> = catalog
            .katas()
            .iter()
            .flat_map(|kata| kata.rules().flat_map(|(_, rule)| rule.query_texts()))
            .collect();
        assert!(all.len() > 500, "{}", all.len());
        let language: tree_sitter::Language = tree_sitter_python::LANGUAGE.into();
        for text in all {
            let query = tree_sitter::Query::new(&language, text).expect("bundled queries compile");
            let names: Vec<String> = query
                .capture_names()
                .iter()
                .map(|n| n.to_string())
                .collect();
            assert_eq!(
                super::outline(text),
                (names, query.pattern_count()),
                "{text}"
            );
        }
    }
}
