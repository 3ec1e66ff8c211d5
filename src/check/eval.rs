//! Running compiled rules over a syntax tree.
//!
//! A rule's query yields candidate matches. Each candidate's relations are then tested on its
//! target node (the anchor capture, or the capture named by `on`): `inside` wants a match of
//! the relation's query whose node contains the target, `has` one whose node lies within it.
//! A capture name used both by a rule and by its relation must have the same text in both:
//! that is how a relation says "the same variable".

use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use streaming_iterator::StreamingIterator;
use tree_sitter::{Node, QueryCursor, Tree};

use super::compile::{CompiledChecks, CompiledRelation, Pattern, RelationKind};
use super::{Finding, RuleKind, Span};
use crate::text::{one_line, position_of};

/// One match of a pattern: its captures by index, in capture order.
#[derive(Clone)]
pub(super) struct Match<'t> {
    pub(super) captures: Vec<(u32, Node<'t>)>,
}

impl<'t> Match<'t> {
    fn node(&self, index: u32) -> Option<Node<'t>> {
        self.captures
            .iter()
            .find(|(i, _)| *i == index)
            .map(|(_, n)| *n)
    }

    /// The anchor capture's node, or the largest captured node (the first on a tie).
    pub(super) fn anchor(&self, pattern: &Pattern) -> Option<Node<'t>> {
        match pattern.anchor {
            Some(index) => self.node(index),
            None => self.captures.iter().map(|(_, n)| *n).reduce(|best, n| {
                if n.byte_range().len() > best.byte_range().len() {
                    n
                } else {
                    best
                }
            }),
        }
    }
}

/// Capture name → captured text, from the rule and the relations above the current one.
pub(super) type Bindings<'s> = HashMap<&'s str, &'s str>;

pub(super) struct Context<'t, 's> {
    root: Node<'t>,
    source: &'s str,
    /// Made on first use: a check whose relations were prefilled never needs one.
    cursor: Option<QueryCursor>,
    /// Matches of relation patterns, found once per check: for `inside`, in the whole tree
    /// (key: the pattern and `None`); for `has`, within a target node (key: its byte range).
    everywhere: HashMap<FoundKey, Rc<Found<'t>>>,
    /// Whether every relation pattern's whole-tree matches were given up front ([`prefill`]):
    /// `has` then searches those instead of running its query within the target.
    prefilled: bool,
}

/// Gives the whole-tree matches of a relation pattern, found by a merged query.
pub(super) fn prefill<'t>(ctx: &mut Context<'t, '_>, pattern: &Pattern, found: Vec<Match<'t>>) {
    ctx.everywhere.insert(
        (pattern as *const Pattern, None),
        Rc::new(Found::new(pattern, found)),
    );
    ctx.prefilled = true;
}

/// A relation pattern, and the byte range it was searched within (`None`: the whole tree).
type FoundKey = (*const Pattern, Option<(usize, usize)>);

/// The matches of a relation's pattern in the whole tree with their anchors' byte ranges,
/// sorted by where the anchor starts: what lies within a node, or around it, is then a
/// binary search away instead of a query per candidate.
struct Found<'t> {
    matches: Vec<(std::ops::Range<usize>, Match<'t>)>,
}

impl<'t> Found<'t> {
    /// `found`, each with its anchor's byte range (a match without an anchor is dropped),
    /// sorted by where the anchor starts, outer first.
    fn new(pattern: &Pattern, found: Vec<Match<'t>>) -> Found<'t> {
        let mut matches: Vec<(std::ops::Range<usize>, Match<'t>)> = found
            .into_iter()
            .filter_map(|m| Some((m.anchor(pattern)?.byte_range(), m)))
            .collect();
        // The cursor mostly yields them in that order already.
        let key =
            |(r, _): &(std::ops::Range<usize>, Match<'_>)| (r.start, std::cmp::Reverse(r.end));
        if !matches.is_sorted_by_key(key) {
            matches.sort_by_key(key);
        }
        Found { matches }
    }
}

/// Every match of `pattern` in the whole tree (`within` is `None`) or within a node, from the
/// cache when it was asked before.
fn matches_of<'t>(
    ctx: &mut Context<'t, '_>,
    pattern: &Pattern,
    within: Option<Node<'t>>,
) -> Rc<Found<'t>> {
    let key = (
        pattern as *const Pattern,
        within.map(|n| (n.start_byte(), n.end_byte())),
    );
    if let Some(found) = ctx.everywhere.get(&key) {
        return Rc::clone(found);
    }
    let node = within.unwrap_or(ctx.root);
    let found = Rc::new(Found::new(pattern, collect(ctx, pattern, node)));
    ctx.everywhere.insert(key, Rc::clone(&found));
    found
}

/// Every match of `pattern` under `node`.
fn collect<'t>(ctx: &mut Context<'t, '_>, pattern: &Pattern, node: Node<'t>) -> Vec<Match<'t>> {
    let mut out = Vec::new();
    let Some(query) = pattern.query() else {
        return out;
    };
    let cursor = ctx.cursor.get_or_insert_with(QueryCursor::new);
    let mut it = cursor.matches(query, node, ctx.source.as_bytes());
    while let Some(m) = it.next() {
        out.push(Match {
            captures: m.captures().iter().map(|c| (c.index, c.node)).collect(),
        });
    }
    out
}

fn text_of<'s>(source: &'s str, node: Node<'_>) -> &'s str {
    source.get(node.byte_range()).unwrap_or("")
}

/// Adds a match's captures to the bindings; `false` if one contradicts an existing binding.
fn bind<'s>(
    pattern: &'s Pattern,
    m: &Match<'_>,
    source: &'s str,
    bindings: &mut Bindings<'s>,
) -> bool {
    let names = &pattern.names;
    let mut done: Vec<u32> = Vec::new();
    for (index, node) in &m.captures {
        // A quantified capture binds through its first node.
        if done.contains(index) {
            continue;
        }
        done.push(*index);
        let Some(name) = names.get(*index as usize).map(String::as_str) else {
            continue;
        };
        let text = text_of(source, *node);
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
/// (backtracking over the ways); negative ones are tested last, with every binding known.
/// Returns the bindings of the first way they all hold.
fn relations_hold<'t, 's>(
    ctx: &mut Context<'t, 's>,
    pattern: &'s Pattern,
    m: &Match<'t>,
    bindings: &Bindings<'s>,
) -> Option<Bindings<'s>> {
    let mut order: Vec<&'s CompiledRelation> = pattern
        .relations
        .iter()
        .filter(|r| r.kind.positive())
        .collect();
    order.extend(pattern.relations.iter().filter(|r| !r.kind.positive()));
    solve(ctx, pattern, m, &order, bindings)
}

fn solve<'t, 's>(
    ctx: &mut Context<'t, 's>,
    pattern: &'s Pattern,
    m: &Match<'t>,
    relations: &[&'s CompiledRelation],
    bindings: &Bindings<'s>,
) -> Option<Bindings<'s>> {
    let Some((relation, rest)) = relations.split_first() else {
        return Some(bindings.clone());
    };
    let target = match relation.on {
        Some(index) => m.node(index),
        None => m.anchor(pattern),
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
fn relation_ways<'t, 's>(
    ctx: &mut Context<'t, 's>,
    relation: &'s CompiledRelation,
    target: Node<'t>,
    bindings: &Bindings<'s>,
) -> Vec<Bindings<'s>> {
    let inner = matches!(relation.kind, RelationKind::Has | RelationKind::NotHas);
    let within = (inner && !ctx.prefilled).then_some(target);
    let found = matches_of(ctx, &relation.pattern, within);
    let all = &found.matches;
    let (start, end) = (target.start_byte(), target.end_byte());
    // Within the target: anchors starting in it. Around it: anchors starting at or before it.
    let range = if inner {
        all.partition_point(|(r, _)| r.start < start)..all.partition_point(|(r, _)| r.start <= end)
    } else {
        0..all.partition_point(|(r, _)| r.start <= start)
    };
    let mut ways = Vec::new();
    for (anchor, candidate) in &all[range] {
        let placed = if inner {
            anchor.end <= end
        } else {
            anchor.end >= end
        };
        if !placed {
            continue;
        }
        let mut extended = bindings.clone();
        if !bind(&relation.pattern, candidate, ctx.source, &mut extended) {
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

pub(super) fn span_of(source: &str, node: Node<'_>) -> Span {
    let start = node.start_position();
    let end = node.end_position();
    Span {
        start_byte: node.start_byte(),
        end_byte: node.end_byte(),
        start: position_of(source, start.row, start.column),
        end: position_of(source, end.row, end.column),
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
    /// A context for evaluating rules over `tree`.
    pub(super) fn new(tree: &'t Tree, source: &'s str) -> Context<'t, 's> {
        Context {
            root: tree.root_node(),
            source,
            cursor: None,
            everywhere: HashMap::new(),
            prefilled: false,
        }
    }
}

/// The bindings of a candidate match of `pattern` if its captures agree and its relations hold.
pub(super) fn accept<'t, 's>(
    ctx: &mut Context<'t, 's>,
    pattern: &'s Pattern,
    candidate: &Match<'t>,
) -> Option<Bindings<'s>> {
    let mut bindings = Bindings::new();
    if !bind(pattern, candidate, ctx.source, &mut bindings) {
        return None;
    }
    relations_hold(ctx, pattern, candidate, &bindings)
}

/// Runs every rule; findings come in rule order, detect findings by position within a rule.
pub(super) fn run<'s>(checks: &'s CompiledChecks, tree: &Tree, source: &'s str) -> Vec<Finding> {
    let mut ctx = Context::new(tree, source);
    let mut findings = Vec::new();
    for rule in &checks.rules {
        let root = ctx.root;
        let candidates = collect(&mut ctx, &rule.pattern, root);
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
            let Some(node) = candidate.anchor(&rule.pattern) else {
                continue;
            };
            if seen.insert(node.byte_range()) {
                findings.push(Finding {
                    rule: rule.id.clone(),
                    kind: rule.kind,
                    message: interpolate(&rule.message, &bindings),
                    span: Some(span_of(source, node)),
                });
            }
        }
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
