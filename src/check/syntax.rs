//! Parse errors in plain words: tree-sitter marks what it could not parse with `ERROR` nodes
//! and what it had to assume with `MISSING` ones.

use tree_sitter::{Node, Tree};

use super::{Finding, RuleKind, Span};
use crate::text::{one_line, position_of};

/// At most this many parse errors are reported; later ones are usually echoes of the first.
const MAX_REPORTED: usize = 3;

/// The parse errors of `tree`, first by position, one per line.
pub(super) fn errors(tree: &Tree, source: &str) -> Vec<Finding> {
    let root = tree.root_node();
    if !root.has_error() {
        return Vec::new();
    }
    let mut found = Vec::new();
    let mut lines = Vec::new();
    visit(root, source, &mut found, &mut lines);
    found
}

fn visit(node: Node<'_>, source: &str, found: &mut Vec<Finding>, lines: &mut Vec<usize>) {
    if found.len() >= MAX_REPORTED || !(node.has_error() || node.is_missing()) {
        return;
    }
    if node.is_error() || node.is_missing() {
        let row = node.start_position().row;
        if !lines.contains(&row) {
            lines.push(row);
            found.push(describe(node, source));
        }
        if node.is_missing() {
            return;
        }
    }
    let mut cursor = node.walk();
    for child in node.children(&mut cursor) {
        visit(child, source, found, lines);
    }
}

fn describe(node: Node<'_>, source: &str) -> Finding {
    let start = node.start_position();
    let end = node.end_position();
    let span = Span {
        start_byte: node.start_byte(),
        end_byte: node.end_byte(),
        start: position_of(source, start.row, start.column),
        end: position_of(source, end.row, end.column),
    };
    let message = if node.is_missing() {
        let kind = node.kind();
        if node.is_named() {
            format!(
                "Python cannot parse this line: a {} is missing here",
                kind.replace('_', " ")
            )
        } else {
            format!("Python cannot parse this line: `{kind}` is missing here")
        }
    } else {
        let text = super::node_text(source, node);
        let first = text.split_whitespace().next().unwrap_or("");
        if first.is_empty() {
            "Python cannot parse this line (check the indentation)".to_string()
        } else {
            format!(
                "Python cannot parse this line: unexpected `{}`",
                one_line(first, 30)
            )
        }
    };
    Finding {
        rule: "syntax-error".into(),
        kind: RuleKind::Parse,
        message,
        span: Some(span),
    }
}
