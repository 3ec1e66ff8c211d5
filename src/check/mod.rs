//! The structural checker: parses Python with tree-sitter and runs a kata's rules over the
//! syntax tree. A verdict lists findings; each finding points at the node it is about.

mod compile;
mod eval;
mod fast_hash;
pub mod matcher;
mod merged;
mod prefilter;
mod syntax;
mod text_shapes;

use std::cell::RefCell;

use serde::Serialize;
use tree_sitter::{Parser, Tree};

pub use compile::{CompileError, CompiledChecks};
pub use merged::{DetectSet, SetFinding};

/// The parse errors of `tree` in plain words (at most three, one per line).
pub fn syntax_errors(tree: &Tree, source: &str) -> Vec<Finding> {
    syntax::errors(tree, source)
}

use crate::kata::Kata;
use crate::text::Position;

/// What kind of rule produced a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RuleKind {
    /// The code does not parse.
    Parse,
    /// The anti-pattern is present.
    Detect,
    /// The shape of a correct fix is absent.
    Require,
    /// Part of the program's intent is gone.
    Keep,
}

impl RuleKind {
    /// The lowercase name used in output.
    pub fn name(self) -> &'static str {
        match self {
            RuleKind::Parse => "parse",
            RuleKind::Detect => "detect",
            RuleKind::Require => "require",
            RuleKind::Keep => "keep",
        }
    }
}

/// Where a finding is: byte offsets (for underlining) and line/column (for people).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    /// Byte offset of the first byte.
    pub start_byte: usize,
    /// Byte offset one past the last byte.
    pub end_byte: usize,
    /// Line and column of the start.
    pub start: Position,
    /// Line and column of the end (exclusive).
    pub end: Position,
}

/// One reason an edit does not pass.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The rule's id (`syntax-error` for a parse error).
    pub rule: String,
    /// The rule's kind.
    pub kind: RuleKind,
    /// The message, with captured text filled in.
    pub message: String,
    /// The node the finding is about; `None` for a `require` or `keep` rule that found nothing.
    pub span: Option<Span>,
}

/// The result of checking a program against a kata.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Verdict {
    /// Why the program does not pass; empty when it passes.
    pub findings: Vec<Finding>,
}

impl Verdict {
    /// Whether the program passes every check.
    pub fn passed(&self) -> bool {
        self.findings.is_empty()
    }
}

thread_local! {
    static PARSER: RefCell<Option<Parser>> = const { RefCell::new(None) };
}

/// Parses Python source with a per-thread parser. `None` only if tree-sitter gives up, which
/// it does not without a timeout or cancellation flag.
pub fn parse_python(source: &str) -> Option<Tree> {
    PARSER.with(|cell| {
        let mut slot = cell.borrow_mut();
        if slot.is_none() {
            let mut parser = Parser::new();
            parser
                .set_language(&tree_sitter_python::LANGUAGE.into())
                .ok()?;
            *slot = Some(parser);
        }
        slot.as_mut()?.parse(source, None)
    })
}

impl Kata {
    /// Checks a program against this kata: the parse, then every rule. The kata's rules are
    /// read and merged on the first call and cached; a kata whose queries do not compile gives
    /// the compile errors instead of a verdict.
    pub fn check(&self, source: &str) -> Result<Verdict, Vec<CompileError>> {
        match self.merged_checks() {
            Some(merged) => Ok(merged_verdict(merged, source)),
            // Tree-sitter's compile of every rule names what is wrong.
            None => Ok(self
                .compiled()
                .map_err(<[CompileError]>::to_vec)?
                .check(source)),
        }
    }
}

/// The verdict of a kata's merged rules on `source`.
fn merged_verdict(merged: &DetectSet, source: &str) -> Verdict {
    verdict(source, |tree| merged.check(tree, source))
}

/// Parses `source`; a parse error is the verdict, otherwise what `rules` find in the tree.
fn verdict(source: &str, rules: impl FnOnce(&Tree) -> Vec<Finding>) -> Verdict {
    let Some(tree) = parse_python(source) else {
        return Verdict {
            findings: vec![Finding {
                rule: "syntax-error".into(),
                kind: RuleKind::Parse,
                message: "the code could not be parsed".into(),
                span: None,
            }],
        };
    };
    let syntax = syntax::errors(&tree, source);
    if !syntax.is_empty() {
        return Verdict { findings: syntax };
    }
    Verdict {
        findings: rules(&tree),
    }
}

impl CompiledChecks {
    /// Checks `source`: a parse error stops the check; otherwise every rule runs.
    pub fn check(&self, source: &str) -> Verdict {
        verdict(source, |tree| eval::run(self, tree, source))
    }
}

/// The source text a node spans (empty if its range is not in `source`).
pub(crate) fn node_text<'s>(source: &'s str, node: tree_sitter::Node<'_>) -> &'s str {
    source.get(node.byte_range()).unwrap_or("")
}

/// The syntax tree as indented lines (`field: kind` and, for leaves, their text), the view a
/// kata author needs to write a query.
pub fn outline(tree: &Tree, source: &str) -> String {
    let mut out = String::new();
    let mut cursor = tree.walk();
    let mut depth = 0usize;
    loop {
        let node = cursor.node();
        if node.is_named() || node.is_missing() {
            let field = cursor
                .field_name()
                .map(|f| format!("{f}: "))
                .unwrap_or_default();
            let pos = node.start_position();
            let mut line = format!("{}{field}{}", "  ".repeat(depth), node.kind());
            if node.is_missing() {
                line = format!("{}{field}MISSING {}", "  ".repeat(depth), node.kind());
            }
            if node.named_child_count() == 0 {
                let text = node_text(source, node);
                line.push_str(&format!(" `{}`", crate::text::one_line(text, 40)));
            }
            out.push_str(&format!("{line}  [{}:{}]\n", pos.row + 1, pos.column + 1));
        }
        if cursor.goto_first_child() {
            depth += 1;
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return out;
            }
            depth -= 1;
        }
    }
}

#[cfg(test)]
mod tests;
