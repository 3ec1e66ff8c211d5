//! What a query's shape says about its cost. tree-sitter's cursor tries every pairing of
//! children that two unanchored sibling patterns allow and applies text predicates only to
//! finished matches, so `(block (call-statement) (_) @later)` meets every pair of statements
//! in a block: quadratic in the block's length, whatever the predicates then keep.

/// Whether some node pattern of `query` has two or more child patterns that are neither
/// bound to a field nor held next to each other by a `.` anchor.
pub(crate) fn pairs_siblings(query: &str) -> bool {
    let tokens = tokens(query);
    let mut stack: Vec<Frame> = Vec::new();
    let mut field_pending = false;
    for token in tokens {
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

fn tokens(query: &str) -> Vec<Token> {
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
                out.push(Token::Other);
                continue;
            }
            b'(' | b'[' => {
                let predicate = c == b'(' && next_non_space(bytes, i + 1) == Some(b'#');
                out.push(Token::Open {
                    predicate,
                    alternation: c == b'[',
                });
            }
            b')' | b']' => out.push(Token::Close),
            b'.' => out.push(Token::Anchor),
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
                    out.push(Token::Field);
                    i += 1;
                } else if word == "_" {
                    out.push(Token::Wildcard);
                } else {
                    out.push(Token::Other);
                }
                continue;
            }
        }
        i += 1;
    }
    out
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
}
