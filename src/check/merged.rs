//! The `detect` rules of many katas with their queries merged into one, so that a whole file
//! is searched in a single pass of the query cursor (what `scan` runs over a codebase).
//! Relations still run per candidate, as in a kata's own check.

use std::collections::HashSet;
use std::sync::Arc;

use streaming_iterator::StreamingIterator;
use tree_sitter::{Language, Query, QueryCursor, Tree};

use super::compile::{CompileError, CompiledChecks, CompiledRule};
use super::eval::{self, Context, Match};
use super::{Finding, RuleKind};

/// Where a pattern of the merged query comes from.
struct Owner {
    /// Index of the kata in the set.
    kata: usize,
    /// Index of the rule in that kata's compiled checks.
    rule: usize,
    /// Merged capture index → the rule's own capture index.
    captures: Vec<Option<u32>>,
}

/// The detect rules of several katas, searchable in one pass.
pub struct DetectSet {
    katas: Vec<Arc<CompiledChecks>>,
    query: Option<Query>,
    owners: Vec<Owner>,
}

/// A detect finding of one of the set's katas.
#[derive(Debug, Clone, PartialEq)]
pub struct SetFinding {
    /// Index of the kata in the set (the order given to [`DetectSet::new`]).
    pub kata: usize,
    /// The finding.
    pub finding: Finding,
}

impl DetectSet {
    /// Merges the detect rules of `katas`. The katas' own queries are already compiled, so the
    /// merged text compiles; an error here is a bug, reported rather than hidden.
    pub fn new(katas: Vec<Arc<CompiledChecks>>) -> Result<DetectSet, CompileError> {
        let mut text = String::new();
        let mut parts: Vec<(usize, usize, &CompiledRule)> = Vec::new();
        for (k, checks) in katas.iter().enumerate() {
            for (r, rule) in checks.rules.iter().enumerate() {
                if rule.kind == RuleKind::Detect {
                    text.push_str(&rule.text);
                    text.push('\n');
                    parts.push((k, r, rule));
                }
            }
        }
        if parts.is_empty() {
            return Ok(DetectSet {
                katas,
                query: None,
                owners: Vec::new(),
            });
        }
        let language: Language = tree_sitter_python::LANGUAGE.into();
        let query = Query::new(&language, &text).map_err(|e| CompileError {
            rule: "(merged detect rules)".into(),
            line: e.row + 1,
            column: e.column + 1,
            message: e.message,
        })?;
        let names = query.capture_names();
        let mut owners = Vec::new();
        for (kata, rule, compiled) in parts {
            let own = &compiled.pattern.query;
            let captures: Vec<Option<u32>> = names
                .iter()
                .map(|name| own.capture_index_for_name(name))
                .collect();
            for _ in 0..own.pattern_count() {
                owners.push(Owner {
                    kata,
                    rule,
                    captures: captures.clone(),
                });
            }
        }
        debug_assert_eq!(owners.len(), query.pattern_count());
        Ok(DetectSet {
            katas,
            query: Some(query),
            owners,
        })
    }

    /// Every detect finding in `tree`, in the order of the matches (by position).
    pub fn detect(&self, tree: &Tree, source: &str) -> Vec<SetFinding> {
        let Some(query) = &self.query else {
            return Vec::new();
        };
        let mut ctx = Context::new(tree, source);
        let mut cursor = QueryCursor::new();
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        let mut matches = cursor.matches(query, tree.root_node(), source.as_bytes());
        while let Some(m) = matches.next() {
            let Some(owner) = self.owners.get(m.pattern_index) else {
                continue;
            };
            let rule = &self.katas[owner.kata].rules[owner.rule];
            let candidate = Match {
                captures: m
                    .captures()
                    .iter()
                    .filter_map(|c| {
                        owner
                            .captures
                            .get(c.index as usize)
                            .copied()
                            .flatten()
                            .map(|i| (i, c.node))
                    })
                    .collect(),
            };
            let Some(node) = candidate.anchor(&rule.pattern) else {
                continue;
            };
            if seen.contains(&(owner.kata, owner.rule, node.byte_range())) {
                continue;
            }
            let Some(bindings) = eval::accept(&mut ctx, &rule.pattern, &candidate) else {
                continue;
            };
            seen.insert((owner.kata, owner.rule, node.byte_range()));
            out.push(SetFinding {
                kata: owner.kata,
                finding: Finding {
                    rule: rule.id.clone(),
                    kind: RuleKind::Detect,
                    message: eval::interpolate(&rule.message, &bindings),
                    span: Some(eval::span_of(source, node)),
                },
            });
        }
        out
    }
}
