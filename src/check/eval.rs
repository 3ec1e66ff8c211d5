//! Running compiled rules over a syntax tree.
//!
//! A rule's query yields candidate matches. Each candidate's relations are then tested on its
//! target node (the anchor capture, or the capture named by `on`): `inside` wants a match of
//! the relation's query whose node contains the target, `has` one whose node lies within it.
//! A capture name used both by a rule and by its relation must have the same text in both:
//! that is how a relation says "the same variable".

use std::collections::HashSet;
use std::rc::Rc;

use tree_sitter::Tree;

use std::ops::Range;

use super::compile::{CompiledChecks, CompiledRelation, Pattern, RelationKind};
use super::fast_hash::FastMap;
use super::matcher::Nodes;
use super::{Finding, RuleKind, Span};
use crate::text::{Position, one_line, position_of};

/// One match of a pattern: its captures by index, in capture order, each a capture id and
/// the entry of its node in the tree's table.
#[derive(Clone)]
pub(super) struct Match {
    pub(super) captures: Vec<(u32, u32)>,
}

impl Match {
    fn node(&self, index: u32) -> Option<u32> {
        self.captures
            .iter()
            .find(|(i, _)| *i == index)
            .map(|(_, n)| *n)
    }

    /// The anchor capture's entry, or that of the largest captured node (the first on a tie).
    pub(super) fn anchor(&self, pattern: &Pattern, nodes: &Nodes<'_>) -> Option<u32> {
        match pattern.anchor {
            Some(index) => self.node(index),
            None => self.captures.iter().map(|(_, n)| *n).reduce(|best, n| {
                if nodes.byte_range(n).len() > nodes.byte_range(best).len() {
                    n
                } else {
                    best
                }
            }),
        }
    }
}

/// Capture name → captured text, from the rule and the relations above the current one.
pub(super) type Bindings<'s> = FastMap<&'s str, &'s str>;

pub(super) struct Context<'t, 's> {
    /// The tree, read once for every query run over it.
    nodes: Nodes<'t>,
    source: &'s str,
    /// Matches of relation patterns within a target node (for `has`), by pattern and the
    /// entry of the outermost node with the target's bytes: a target is often the target of
    /// several candidates.
    within: FastMap<(*const Pattern, u32), Rc<Found>>,
    /// Matches of relation patterns that start at a node (`None`: none), by pattern and the
    /// node's entry. An `inside` relation looks at every ancestor of its target, and the
    /// targets in a file share most of their ancestors.
    starting: FastMap<(*const Pattern, u32), Option<Rc<Found>>>,
}

/// The matches of a relation's pattern near a target with their anchors' byte ranges,
/// sorted by where the anchor starts.
struct Found {
    matches: Vec<(Range<usize>, Match)>,
}

impl Found {
    /// `found`, each with its anchor's byte range (a match without an anchor is dropped),
    /// sorted by where the anchor starts, outer first.
    fn new(pattern: &Pattern, nodes: &Nodes<'_>, found: Vec<Match>) -> Found {
        let mut matches: Vec<(Range<usize>, Match)> = found
            .into_iter()
            .filter_map(|m| Some((nodes.byte_range(m.anchor(pattern, nodes)?), m)))
            .collect();
        let key = |(r, _): &(Range<usize>, Match)| (r.start, std::cmp::Reverse(r.end));
        if !matches.is_sorted_by_key(key) {
            matches.sort_by_key(key);
        }
        Found { matches }
    }
}

/// The matches of `pattern` within the node of entry `target`. From the cache when asked
/// before.
///
/// Placement is by byte range, so the nodes that share the target's range count alike: within
/// the outermost of them, around the innermost.
fn matches_within(ctx: &mut Context<'_, '_>, pattern: &Pattern, target: u32) -> Rc<Found> {
    let outermost = ctx.nodes.outermost_alike(target);
    let key = (pattern as *const Pattern, outermost);
    if let Some(found) = ctx.within.get(&key) {
        return Rc::clone(found);
    }
    let matches = collect(ctx, pattern, ctx.nodes.subtree(outermost));
    let found = Rc::new(Found::new(pattern, &ctx.nodes, matches));
    ctx.within.insert(key, Rc::clone(&found));
    found
}

/// The matches of `pattern` that can contain the node of entry `target`, as lists that each
/// hold the matches starting at one node, innermost node first: a match's anchor lies within
/// the match's root, so a match around the target starts at the target or at one of its
/// ancestors.
fn matches_around(ctx: &mut Context<'_, '_>, pattern: &Pattern, target: u32) -> Vec<Rc<Found>> {
    let mut lists = Vec::new();
    let mut at = Some(ctx.nodes.innermost_alike(target));
    while let Some(here) = at {
        at = ctx.nodes.parent(here);
        if !pattern.query.may_start_at(&ctx.nodes, here) {
            continue;
        }
        let key = (pattern as *const Pattern, here);
        let found = match ctx.starting.get(&key) {
            Some(found) => found.clone(),
            None => {
                let matches = collect(ctx, pattern, [here]);
                let found = (!matches.is_empty())
                    .then(|| Rc::new(Found::new(pattern, &ctx.nodes, matches)));
                ctx.starting.insert(key, found.clone());
                found
            }
        };
        lists.extend(found);
    }
    lists
}

/// Every match of `pattern` that starts at one of the entries `at` of the tree.
fn collect(
    ctx: &Context<'_, '_>,
    pattern: &Pattern,
    at: impl IntoIterator<Item = u32>,
) -> Vec<Match> {
    pattern
        .query
        .matches_at(&ctx.nodes, at, ctx.source)
        .into_iter()
        .map(|m| Match {
            captures: m.captures,
        })
        .collect()
}

/// Each capture of a match by its name, with its text: a quantified capture through its first
/// node.
fn named_texts<'a, 's>(
    pattern: &'s Pattern,
    m: &'a Match,
    nodes: &'a Nodes<'_>,
    source: &'s str,
) -> impl Iterator<Item = (&'s str, &'s str)> + 'a
where
    's: 'a,
{
    m.captures
        .iter()
        .enumerate()
        .filter(|(k, (index, _))| !m.captures[..*k].iter().any(|(i, _)| i == index))
        .filter_map(move |(_, (index, node))| {
            let name = pattern.names.get(*index as usize)?;
            Some((name.as_str(), nodes.text(*node, source)))
        })
}

/// Whether no capture of a match contradicts the bindings.
fn agrees<'s>(
    pattern: &'s Pattern,
    m: &Match,
    nodes: &Nodes<'_>,
    source: &'s str,
    bindings: &Bindings<'s>,
) -> bool {
    named_texts(pattern, m, nodes, source)
        .all(|(name, text)| bindings.get(name).is_none_or(|b| *b == text))
}

/// Adds a match's captures to the bindings; `false` if one contradicts an existing binding.
fn bind<'s>(
    pattern: &'s Pattern,
    m: &Match,
    nodes: &Nodes<'_>,
    source: &'s str,
    bindings: &mut Bindings<'s>,
) -> bool {
    for (name, text) in named_texts(pattern, m, nodes, source) {
        match bindings.get(name) {
            Some(bound) if *bound != text => return false,
            Some(_) => {}
            None => {
                bindings.insert(name, text);
            }
        }
    }
    true
}

/// Whether the relations of `pattern` hold for the match `m`. Positive relations (`inside`,
/// `has`) are tried first, in order, and each way one matches binds its captures for the rest
/// (backtracking over the ways); negative ones are tested last, with every binding known (the
/// order `compile` keeps them in). Returns the bindings of the first way they all hold.
fn relations_hold<'t, 's>(
    ctx: &mut Context<'t, 's>,
    pattern: &'s Pattern,
    m: &Match,
    bindings: &Bindings<'s>,
) -> Option<Bindings<'s>> {
    solve(ctx, pattern, m, &pattern.relations, bindings)
}

fn solve<'t, 's>(
    ctx: &mut Context<'t, 's>,
    pattern: &'s Pattern,
    m: &Match,
    relations: &'s [CompiledRelation],
    bindings: &Bindings<'s>,
) -> Option<Bindings<'s>> {
    let Some((relation, rest)) = relations.split_first() else {
        return Some(bindings.clone());
    };
    let target = match relation.on {
        Some(index) => m.node(index),
        None => m.anchor(pattern, &ctx.nodes),
    };
    let Some(target) = target else {
        // An optional capture that is absent has nothing inside it and is inside nothing.
        return if relation.kind.positive() {
            None
        } else {
            solve(ctx, pattern, m, rest, bindings)
        };
    };
    let ways = relation_ways(ctx, relation, target, bindings);
    if relation.kind.positive() {
        ways.into_iter()
            .find_map(|extended| solve(ctx, pattern, m, rest, &extended))
    } else if ways.is_empty() {
        solve(ctx, pattern, m, rest, bindings)
    } else {
        None
    }
}

/// The bindings of every way the relation's query matches around (or within) `target`,
/// consistent with `bindings` and with the relation's own nested relations.
fn relation_ways<'s>(
    ctx: &mut Context<'_, 's>,
    relation: &'s CompiledRelation,
    target: u32,
    bindings: &Bindings<'s>,
) -> Vec<Bindings<'s>> {
    let inner = matches!(relation.kind, RelationKind::Has | RelationKind::NotHas);
    let lists = if inner {
        vec![matches_within(ctx, &relation.pattern, target)]
    } else {
        matches_around(ctx, &relation.pattern, target)
    };
    let Range { start, end } = ctx.nodes.byte_range(target);
    // Within the target: anchors that start and end in it. Around it: anchors that start at
    // or before it and end at or after it.
    let mut placed: Vec<(&Range<usize>, &Match)> = Vec::new();
    for found in &lists {
        let all = &found.matches;
        let range = if inner {
            all.partition_point(|(r, _)| r.start < start)
                ..all.partition_point(|(r, _)| r.start <= end)
        } else {
            0..all.partition_point(|(r, _)| r.start <= start)
        };
        placed.extend(
            all[range]
                .iter()
                .filter(|(anchor, _)| {
                    if inner {
                        anchor.end <= end
                    } else {
                        anchor.end >= end
                    }
                })
                .map(|(anchor, m)| (anchor, m)),
        );
    }
    // Outer first, by where the anchors start, across the lists.
    if lists.len() > 1 {
        placed.sort_by_key(|(r, _)| (r.start, std::cmp::Reverse(r.end)));
    }
    let mut ways = Vec::new();
    for (_, candidate) in placed {
        if !agrees(
            &relation.pattern,
            candidate,
            &ctx.nodes,
            ctx.source,
            bindings,
        ) {
            continue;
        }
        let mut extended = bindings.clone();
        if !bind(
            &relation.pattern,
            candidate,
            &ctx.nodes,
            ctx.source,
            &mut extended,
        ) {
            continue;
        }
        if let Some(solved) = relations_hold(ctx, &relation.pattern, candidate, &extended) {
            ways.push(solved);
            if !relation.kind.positive() {
                break;
            }
        }
    }
    ways
}

/// Where entry `node` of `nodes` is in `source`, the text its tree was parsed from.
pub(super) fn span_of(source: &str, nodes: &Nodes<'_>, node: u32) -> Span {
    let bytes = nodes.byte_range(node);
    let (start, end) = nodes.points(node, source);
    Span {
        start_byte: bytes.start,
        end_byte: bytes.end,
        start: position_at(source, bytes.start, start),
        end: position_at(source, bytes.end, end),
    }
}

/// The position of a node's boundary, at `byte` and tree-sitter's `point`: the line's text
/// before it is the point's column of bytes, so no line has to be looked for.
fn position_at(source: &str, byte: usize, point: tree_sitter::Point) -> Position {
    match source.get(byte.saturating_sub(point.column)..byte) {
        Some(before) => Position {
            line: point.row + 1,
            column: before.chars().count() + 1,
        },
        None => position_of(source, point.row, point.column),
    }
}

/// Fills `{{name}}` with the (shortened, one-line) text of capture `name`.
pub(super) fn interpolate(message: &str, bindings: &Bindings<'_>) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        match after.find("}}") {
            Some(end) => {
                let name = after[..end].trim();
                match bindings.get(name) {
                    Some(text) => out.push_str(&one_line(text, 40)),
                    None => out.push_str(&rest[start..start + 2 + end + 2]),
                }
                rest = &after[end + 2..];
            }
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

impl<'t, 's> Context<'t, 's> {
    /// The tree's table.
    pub(super) fn nodes(&self) -> &Nodes<'t> {
        &self.nodes
    }

    /// A context for evaluating rules over a tree read into `nodes`.
    pub(super) fn new(nodes: Nodes<'t>, source: &'s str) -> Context<'t, 's> {
        Context {
            nodes,
            source,
            within: FastMap::default(),
            starting: FastMap::default(),
        }
    }
}

/// The bindings of a candidate match of `pattern` if its captures agree and its relations hold.
pub(super) fn accept<'s>(
    ctx: &mut Context<'_, 's>,
    pattern: &'s Pattern,
    candidate: &Match,
) -> Option<Bindings<'s>> {
    let mut bindings = Bindings::default();
    if !bind(pattern, candidate, &ctx.nodes, ctx.source, &mut bindings) {
        return None;
    }
    relations_hold(ctx, pattern, candidate, &bindings)
}

/// Runs every rule; findings come in rule order, detect findings by position within a rule.
pub(super) fn run<'s>(checks: &'s CompiledChecks, tree: &Tree, source: &'s str) -> Vec<Finding> {
    let mut ctx = Context::new(Nodes::new(tree.root_node()), source);
    let mut findings = Vec::new();
    for rule in &checks.rules {
        let candidates = collect(&ctx, &rule.pattern, ctx.nodes.subtree(0));
        let first = findings.len();
        let mut seen = HashSet::new();
        let mut hit = false;
        for candidate in &candidates {
            let Some(bindings) = accept(&mut ctx, &rule.pattern, candidate) else {
                continue;
            };
            hit = true;
            if rule.kind != RuleKind::Detect {
                break;
            }
            let Some(node) = candidate.anchor(&rule.pattern, &ctx.nodes) else {
                continue;
            };
            if seen.insert(ctx.nodes.byte_range(node)) {
                findings.push(Finding {
                    rule: rule.id.clone(),
                    kind: rule.kind,
                    message: interpolate(&rule.message, &bindings),
                    span: Some(span_of(source, &ctx.nodes, node)),
                });
            }
        }
        findings[first..].sort_by_key(|f: &Finding| f.span.map(|s| (s.start_byte, s.end_byte)));
        if !hit && rule.kind != RuleKind::Detect {
            findings.push(Finding {
                rule: rule.id.clone(),
                kind: rule.kind,
                message: rule.message.clone(),
                span: None,
            });
        }
    }
    findings
}
