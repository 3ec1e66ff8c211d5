//! Rules merged, so that a file is searched in one walk instead of one per rule: the `detect`
//! rules of many katas (what `scan` runs over a codebase), or every rule of one kata (what a
//! check runs). A candidate's relations are then searched near it: within it for `has`, at it
//! and its ancestors for `inside`.

use std::collections::HashSet;
use std::sync::Arc;

use tree_sitter::Tree;

use super::compile::CompiledChecks;
use super::eval::{self, Context, Match};
use super::fast_hash::FastSet;
use super::matcher::{AnonymousKinds, Nodes, QuerySet};
use super::prefilter::Prefilter;
use super::{Finding, RuleKind};

/// Where a pattern of the merged rules comes from.
struct Owner {
    /// Index of the kata in the set.
    kata: usize,
    /// Index of the rule in that kata's compiled checks.
    rule: usize,
    /// Index of the rule among the set's rules (as the prefilter lists them).
    slot: usize,
}

/// The rules of one or more katas, merged.
pub struct DetectSet {
    katas: Vec<Arc<CompiledChecks>>,
    /// The rules' patterns.
    query: QuerySet,
    owners: Vec<Owner>,
    /// Each rule of the set (a slot of [`Owner`]): its kata and its index there.
    rules: Vec<(usize, usize)>,
    /// Which rules a file's text leaves possible.
    prefilter: Prefilter,
    /// The anonymous leaves the rules and their relations can match: a tree is read into a
    /// table without the others.
    anonymous: AnonymousKinds,
}

impl std::fmt::Debug for DetectSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DetectSet")
            .field("katas", &self.katas.len())
            .field("patterns", &self.owners.len())
            .finish()
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
    /// Merges the detect rules of `katas`: one walk of a tree finds their matches.
    pub fn new(katas: Vec<Arc<CompiledChecks>>) -> DetectSet {
        Self::build(katas, false)
    }

    /// Merges every rule (detect, require, keep) of one kata, for [`DetectSet::check`].
    pub fn for_kata(checks: Arc<CompiledChecks>) -> DetectSet {
        Self::build(vec![checks], true)
    }

    fn build(katas: Vec<Arc<CompiledChecks>>, every_kind: bool) -> DetectSet {
        let mut queries = Vec::new();
        let mut owners = Vec::new();
        let mut rules = Vec::new();
        let mut needs = Vec::new();
        let mut anonymous = AnonymousKinds::default();
        for (k, checks) in katas.iter().enumerate() {
            for (r, rule) in checks.rules.iter().enumerate() {
                if every_kind || rule.kind == RuleKind::Detect {
                    queries.push(Arc::clone(&rule.pattern.query));
                    rule.pattern.add_anonymous_kinds(&mut anonymous);
                    let slot = needs.len();
                    needs.push(rule.pattern.needs());
                    rules.push((k, r));
                    for _ in 0..rule.pattern.pattern_count {
                        owners.push(Owner {
                            kata: k,
                            rule: r,
                            slot,
                        });
                    }
                }
            }
        }
        DetectSet {
            query: QuerySet::new(&queries),
            katas,
            owners,
            rules,
            prefilter: Prefilter::new(needs),
            anonymous,
        }
    }

    /// Every detect finding in `tree`, in the order of the matches (by position).
    pub fn detect(&self, tree: &Tree, source: &str) -> Vec<SetFinding> {
        self.run(tree, source).0
    }

    /// [`DetectSet::detect`] for a caller done with `tree`: the tree is read and deleted in
    /// one walk (a scan's way: the delete then costs almost nothing).
    pub fn detect_owned(&self, tree: Tree, source: &str) -> Vec<SetFinding> {
        let has_error = tree.root_node().has_error();
        self.search(
            || Nodes::read_and_delete(tree, &self.anonymous),
            has_error,
            source,
        )
        .0
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
        let root = tree.root_node();
        self.search(
            || Nodes::read(root, &self.anonymous),
            root.has_error(),
            source,
        )
    }

    /// [`DetectSet::run`] on the table `read` gives, of a tree that `has_error` or not.
    fn search<'t>(
        &self,
        read: impl FnOnce() -> Nodes<'t>,
        has_error: bool,
        source: &str,
    ) -> (Vec<SetFinding>, HashSet<(usize, usize)>) {
        let mut hits = HashSet::new();
        let mut candidates = Vec::new();
        if self.owners.is_empty() {
            return (Vec::new(), hits);
        }
        let nodes = read();
        let mut rules_allow = vec![true; self.rules.len()];
        // Names are whole tokens, where the parser put them, only in a tree without errors.
        if !has_error {
            self.prefilter
                .keep_possible(source, nodes.leaf_texts(source), &mut rules_allow);
        }
        // A rule whose query or positive relations need a kind the tree lacks cannot match.
        let kinds = nodes.kind_set();
        for (allow, &(kata, rule)) in rules_allow.iter_mut().zip(&self.rules) {
            *allow = *allow && self.katas[kata].rules[rule].pattern.may_match_in(&kinds);
        }
        let possible: Vec<bool> = self.owners.iter().map(|o| rules_allow[o.slot]).collect();
        if !possible.contains(&true) {
            return (Vec::new(), hits);
        }
        self.query
            .each_match(&nodes, source, &possible, |entry, captures| {
                if let Some(owner) = self.owners.get(entry) {
                    candidates.push((owner, Match { captures }));
                }
            });
        // Relations are searched only near the candidates that need them.
        let mut ctx = Context::new(nodes, source);
        let mut seen = FastSet::default();
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
            let Some(node) = candidate.anchor(&rule.pattern, ctx.nodes()) else {
                continue;
            };
            let bytes = ctx.nodes().byte_range(node);
            if seen.contains(&(owner.kata, owner.rule, bytes.clone())) {
                continue;
            }
            let Some(bindings) = eval::accept(&mut ctx, &rule.pattern, &candidate) else {
                continue;
            };
            seen.insert((owner.kata, owner.rule, bytes));
            out.push(SetFinding {
                kata: owner.kata,
                rule_index: owner.rule,
                finding: Finding {
                    rule: rule.id.clone(),
                    kind: RuleKind::Detect,
                    message: eval::interpolate(&rule.message, &bindings),
                    span: Some(eval::span_of(source, ctx.nodes(), node)),
                },
            });
        }
        out.sort_by_key(|f| f.finding.span.map(|s| (s.start_byte, s.end_byte)));
        (out, hits)
    }
}
