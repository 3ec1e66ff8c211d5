//! Rules merged into few queries, so that a file is searched in one or two passes of the query
//! cursor instead of one per rule and relation: the `detect` rules of many katas (what `scan`
//! runs over a codebase), or every rule of one kata (what a check runs). The matches of the
//! relation queries are found in the whole tree by the same or one more pass, and each
//! candidate's relations are then looked up in them.

use std::collections::HashSet;
use std::sync::Arc;

use streaming_iterator::StreamingIterator;
use tree_sitter::{Language, Query, QueryCursor, Tree};

use super::compile::{CompileError, CompiledChecks, CompiledRule, Pattern};
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

/// The rules of one or more katas, merged.
pub struct DetectSet {
    katas: Vec<Arc<CompiledChecks>>,
    query: Option<Query>,
    owners: Vec<Owner>,
    /// Every relation pattern of the rules, merged: one more pass finds all their matches.
    relations: Option<Query>,
    relation_owners: Vec<RelationOwner>,
    /// The relation patterns that share each distinct query text (one entry per text).
    relation_groups: Vec<Vec<*const Pattern>>,
    /// Whether the relation patterns are part of `query` (after the rules' patterns).
    single: bool,
}

thread_local! {
    /// A query cursor kept for the thread: making one allocates its state arrays.
    static CURSOR: std::cell::RefCell<QueryCursor> = std::cell::RefCell::new(QueryCursor::new());
}

/// Where a pattern of the merged relation query comes from.
struct RelationOwner {
    /// Index of the relation's text among the distinct texts.
    index: usize,
    /// Merged capture index → the pattern's own capture index.
    captures: Vec<Option<u32>>,
}

impl std::fmt::Debug for DetectSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DetectSet")
            .field("katas", &self.katas.len())
            .field("patterns", &self.owners.len())
            .field("relation_patterns", &self.relation_owners.len())
            .field("relation_texts", &self.relation_groups.len())
            .finish()
    }
}

// The raw pointers point into the `Arc<CompiledChecks>` the set holds, never mutated.
unsafe impl Send for DetectSet {}
unsafe impl Sync for DetectSet {}

/// Every relation pattern under `pattern`, depth first.
fn relation_patterns<'a>(pattern: &'a Pattern, out: &mut Vec<&'a Pattern>) {
    for relation in &pattern.relations {
        out.push(&relation.pattern);
        relation_patterns(&relation.pattern, out);
    }
}

fn merged_query(text: &str, what: &str) -> Result<Query, CompileError> {
    let language: Language = tree_sitter_python::LANGUAGE.into();
    Query::new(&language, text).map_err(|e| CompileError {
        rule: what.into(),
        line: e.row + 1,
        column: e.column + 1,
        message: e.message,
    })
}

/// Merged capture index → a part's own capture index, by name.
fn capture_map(merged: &Query, own: &Pattern) -> Vec<Option<u32>> {
    merged
        .capture_names()
        .iter()
        .map(|name| own.capture_index(name))
        .collect()
}

fn translate<'t>(map: &[Option<u32>], m: &tree_sitter::QueryMatch<'_, 't>) -> Match<'t> {
    Match {
        captures: m
            .captures()
            .iter()
            .filter_map(|c| {
                map.get(c.index as usize)
                    .copied()
                    .flatten()
                    .map(|i| (i, c.node))
            })
            .collect(),
    }
}

/// A detect finding of one of the set's katas.
#[derive(Debug, Clone, PartialEq)]
pub struct SetFinding {
    /// Index of the kata in the set (the order given to [`DetectSet::new`]).
    pub kata: usize,
    /// Index of the rule among the kata's compiled rules.
    pub rule_index: usize,
    /// The finding.
    pub finding: Finding,
}

impl DetectSet {
    /// Merges the detect rules of `katas` into two queries (rules, relations) that compile
    /// side by side. An error (a query that does not compile) names no rule: compile the
    /// katas alone to find it.
    pub fn new(katas: Vec<Arc<CompiledChecks>>) -> Result<DetectSet, CompileError> {
        Self::build(katas, false, false)
    }

    /// Merges every rule (detect, require, keep) of one kata and their relations into one
    /// query, for [`DetectSet::check`]: each check is then a single pass over the tree.
    pub fn for_kata(checks: Arc<CompiledChecks>) -> Result<DetectSet, CompileError> {
        Self::build(vec![checks], true, true)
    }

    /// As [`DetectSet::for_kata`], but rules and relations make two queries that compile side
    /// by side, for a process that checks one file: compiling is most of its time.
    pub fn for_one_check(checks: Arc<CompiledChecks>) -> Result<DetectSet, CompileError> {
        Self::build(vec![checks], true, false)
    }

    fn build(
        katas: Vec<Arc<CompiledChecks>>,
        every_kind: bool,
        single: bool,
    ) -> Result<DetectSet, CompileError> {
        let mut text = String::new();
        let mut parts: Vec<(usize, usize, &CompiledRule)> = Vec::new();
        for (k, checks) in katas.iter().enumerate() {
            for (r, rule) in checks.rules.iter().enumerate() {
                if every_kind || rule.kind == RuleKind::Detect {
                    text.push_str(&rule.pattern.text);
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
                relations: None,
                relation_owners: Vec::new(),
                relation_groups: Vec::new(),
                single,
            });
        }
        let mut patterns = Vec::new();
        for (_, _, compiled) in &parts {
            relation_patterns(&compiled.pattern, &mut patterns);
        }
        // Katas share relation queries (YAML anchors, common shapes): each text is searched once.
        let mut texts: Vec<&Pattern> = Vec::new();
        let mut relation_groups: Vec<Vec<*const Pattern>> = Vec::new();
        let mut by_text: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        for pattern in &patterns {
            // In a scan, a relation whose query pairs up siblings stays out of the merged pass:
            // it could cost a long file seconds, so it runs alone, and only when a candidate
            // needs it (see `shape`).
            if !single && super::shape::pairs_siblings(&pattern.text) {
                continue;
            }
            let index = *by_text.entry(pattern.text.as_str()).or_insert_with(|| {
                texts.push(pattern);
                relation_groups.push(Vec::new());
                texts.len() - 1
            });
            relation_groups[index].push(*pattern as *const Pattern);
        }
        let relation_text: String = texts.iter().map(|p| format!("{}\n", p.text)).collect();
        // One kata's rules and relations go into one query: a check is then a single pass. For
        // a scan, two queries compile side by side (each takes a while), and the relation pass
        // is skipped for files where no rule matched.
        let (query, merged_relations) = if single {
            text.push_str(&relation_text);
            (merged_query(&text, "(merged rules)"), None)
        } else {
            std::thread::scope(|s| {
                let relations = s.spawn(|| {
                    (!texts.is_empty()).then(|| merged_query(&relation_text, "(merged relations)"))
                });
                let query = merged_query(&text, "(merged detect rules)");
                (query, relations.join().ok().flatten())
            })
        };
        let query = query?;
        let mut owners = Vec::new();
        for (kata, rule, compiled) in parts {
            let own = &compiled.pattern;
            let captures = capture_map(&query, own);
            for _ in 0..own.pattern_count {
                owners.push(Owner {
                    kata,
                    rule,
                    captures: captures.clone(),
                });
            }
        }
        let relations = merged_relations.transpose()?;
        // The relation patterns follow the rules' in the single query, or make their own.
        let relation_query = relations.as_ref().unwrap_or(&query);
        let mut relation_owners = Vec::new();
        for (index, pattern) in texts.iter().enumerate() {
            let captures = capture_map(relation_query, pattern);
            for _ in 0..pattern.pattern_count {
                relation_owners.push(RelationOwner {
                    index,
                    captures: captures.clone(),
                });
            }
        }
        // The owners were counted from the texts (see `shape::outline`); tree-sitter must agree.
        let (rules_expected, relations_expected) = if single {
            (owners.len() + relation_owners.len(), 0)
        } else {
            (owners.len(), relation_owners.len())
        };
        if query.pattern_count() != rules_expected
            || relations.as_ref().map_or(0, Query::pattern_count) != relations_expected
        {
            return Err(CompileError {
                rule: "(merged rules)".into(),
                line: 0,
                column: 0,
                message: "the merged queries do not have one pattern per pattern of the rules"
                    .into(),
            });
        }
        Ok(DetectSet {
            katas,
            query: Some(query),
            owners,
            relations,
            relation_owners,
            relation_groups,
            single,
        })
    }

    /// Every detect finding in `tree`, in the order of the matches (by position).
    pub fn detect(&self, tree: &Tree, source: &str) -> Vec<SetFinding> {
        self.run(tree, source).0
    }

    /// A kata's verdict findings (for a set made by [`DetectSet::for_kata`]), as
    /// [`CompiledChecks::check`] gives them: rule order, detect findings by position,
    /// then a finding for each require or keep rule that nothing satisfied.
    pub fn check(&self, tree: &Tree, source: &str) -> Vec<Finding> {
        let (found, hits) = self.run(tree, source);
        let Some(checks) = self.katas.first() else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (index, rule) in checks.rules.iter().enumerate() {
            if rule.kind == RuleKind::Detect {
                out.extend(
                    found
                        .iter()
                        .filter(|f| f.rule_index == index)
                        .map(|f| f.finding.clone()),
                );
            } else if !hits.contains(&(0, index)) {
                out.push(Finding {
                    rule: rule.id.clone(),
                    kind: rule.kind,
                    message: rule.message.clone(),
                    span: None,
                });
            }
        }
        out
    }

    /// Detect findings, and the (kata, rule) pairs of require/keep rules that matched.
    fn run(&self, tree: &Tree, source: &str) -> (Vec<SetFinding>, HashSet<(usize, usize)>) {
        let hits = HashSet::new();
        let Some(query) = &self.query else {
            return (Vec::new(), hits);
        };
        CURSOR.with(|cursor| match cursor.try_borrow_mut() {
            Ok(mut cursor) => self.run_with(&mut cursor, query, tree, source, hits),
            Err(_) => self.run_with(&mut QueryCursor::new(), query, tree, source, hits),
        })
    }

    fn run_with(
        &self,
        cursor: &mut QueryCursor,
        query: &Query,
        tree: &Tree,
        source: &str,
        mut hits: HashSet<(usize, usize)>,
    ) -> (Vec<SetFinding>, HashSet<(usize, usize)>) {
        let mut candidates = Vec::new();
        let mut found: Vec<Vec<Match<'_>>> = Vec::new();
        found.resize_with(self.relation_groups.len(), Vec::new);
        let mut matches = cursor.matches(query, tree.root_node(), source.as_bytes());
        while let Some(m) = matches.next() {
            if let Some(owner) = self.owners.get(m.pattern_index) {
                candidates.push((owner, translate(&owner.captures, m)));
            } else if let Some(owner) = self
                .relation_owners
                .get(m.pattern_index - self.owners.len())
                .filter(|_| self.single)
            {
                found[owner.index].push(translate(&owner.captures, m));
            }
        }
        drop(matches);
        let mut ctx = Context::new(tree, source);
        if !candidates.is_empty()
            && !self.single
            && let Some(relations) = &self.relations
        {
            // One more pass finds every relation pattern's matches in the whole tree.
            let mut it = cursor.matches(relations, tree.root_node(), source.as_bytes());
            while let Some(m) = it.next() {
                if let Some(owner) = self.relation_owners.get(m.pattern_index) {
                    found[owner.index].push(translate(&owner.captures, m));
                }
            }
        }
        if !candidates.is_empty() && (self.single || self.relations.is_some()) {
            for (group, matches) in self.relation_groups.iter().zip(found) {
                // SAFETY: the patterns live in `self.katas`, alive and unchanged while `self` is.
                if let Some((&last, rest)) = group.split_last() {
                    for &pattern in rest {
                        eval::prefill(&mut ctx, unsafe { &*pattern }, matches.clone());
                    }
                    eval::prefill(&mut ctx, unsafe { &*last }, matches);
                }
            }
        }
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        for (owner, candidate) in candidates {
            let rule = &self.katas[owner.kata].rules[owner.rule];
            if rule.kind != RuleKind::Detect {
                if !hits.contains(&(owner.kata, owner.rule))
                    && eval::accept(&mut ctx, &rule.pattern, &candidate).is_some()
                {
                    hits.insert((owner.kata, owner.rule));
                }
                continue;
            }
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
                rule_index: owner.rule,
                finding: Finding {
                    rule: rule.id.clone(),
                    kind: RuleKind::Detect,
                    message: eval::interpolate(&rule.message, &bindings),
                    span: Some(eval::span_of(source, node)),
                },
            });
        }
        (out, hits)
    }
}
