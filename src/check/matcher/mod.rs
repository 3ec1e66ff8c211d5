//! pykata's own runner of tree-sitter queries. It reads the same query syntax and finds the
//! same matches as tree-sitter's query cursor, without tree-sitter's compile-time analysis of
//! each query against the grammar's parse table (milliseconds per query, paid again by every
//! process) and with one walk of the tree for any number of queries: each node is tried only
//! against the patterns that can start at its kind.
//!
//! Tree-sitter still compiles every query in `pykata verify`, which reports what only its
//! analysis finds (a pattern no tree can match).

mod parse;
mod run;

use std::sync::Arc;

use tree_sitter::{Language, Node};

pub use parse::{ErrorKind, ParseError};
use parse::{Item, Kind, Pat, TopPattern};
pub use run::Nodes;

/// A query read from its text: one or more patterns and their capture names.
#[derive(Debug)]
pub struct Query {
    patterns: Vec<TopPattern>,
    capture_names: Vec<String>,
    predicate_names: Vec<(usize, String)>,
    stray_predicate: Option<usize>,
    index: Index,
}

/// One match: the pattern's index in its query and the captures, in pattern order.
#[derive(Debug, Clone)]
pub struct QueryMatch<'t> {
    pub pattern: usize,
    pub captures: Vec<(u32, Node<'t>)>,
}

/// For each node kind, the patterns that can start at it.
#[derive(Debug, Default)]
struct Index {
    by_kind: Vec<Vec<u32>>,
    /// Patterns that can start at any node.
    anywhere: Vec<u32>,
    /// Patterns that are a sequence of siblings: tried on every node's children.
    siblings: Vec<u32>,
}

impl Index {
    fn add(&mut self, entry: u32, item: &Item) {
        if let Pat::Group(items) = &item.pat {
            // An empty group is a predicate outside any pattern: tree-sitter matches nothing.
            if items.len() > 1 {
                self.siblings.push(entry);
            }
            if items.len() != 1 {
                return;
            }
        }
        match first_kinds(item) {
            Some(kinds) => {
                for kind in kinds {
                    let kind = kind as usize;
                    if self.by_kind.len() <= kind {
                        self.by_kind.resize_with(kind + 1, Vec::new);
                    }
                    if self.by_kind[kind].last() != Some(&entry) {
                        self.by_kind[kind].push(entry);
                    }
                }
            }
            None => self.anywhere.push(entry),
        }
    }

    /// The patterns to try at a node of kind `kind`, in entry order.
    fn at<'a>(&'a self, kind: u16, merged: &'a mut Vec<u32>) -> &'a [u32] {
        let list = self
            .by_kind
            .get(kind as usize)
            .map_or(&[][..], Vec::as_slice);
        if self.anywhere.is_empty() {
            return list;
        }
        merged.clear();
        merged.extend_from_slice(list);
        merged.extend_from_slice(&self.anywhere);
        merged.sort_unstable();
        merged
    }
}

/// The kinds an item's first node can have; `None`: any.
fn first_kinds(item: &Item) -> Option<Vec<u16>> {
    match &item.pat {
        Pat::Node(node) => match &node.kind {
            Kind::Ids(ids) => Some(ids.clone()),
            Kind::Any | Kind::AnyNamed => None,
        },
        Pat::Alt(branches) => {
            let mut all = Vec::new();
            for branch in branches {
                all.extend(first_kinds(branch)?);
            }
            Some(all)
        }
        Pat::Group(items) => match items.first() {
            Some(first) if first.quant == parse::Quant::One => first_kinds(first),
            _ => None,
        },
    }
}

fn language() -> Language {
    tree_sitter_python::LANGUAGE.into()
}

impl Query {
    /// Reads `text` against the Python grammar.
    pub fn new(text: &str) -> Result<Query, ParseError> {
        let parsed = parse::parse(&language(), text)?;
        let mut index = Index::default();
        for (i, pattern) in parsed.patterns.iter().enumerate() {
            index.add(i as u32, &pattern.item);
        }
        Ok(Query {
            patterns: parsed.patterns,
            capture_names: parsed.capture_names,
            predicate_names: parsed.predicate_names,
            stray_predicate: parsed.stray_predicate,
            index,
        })
    }

    /// The capture names, indexed by capture id.
    pub fn capture_names(&self) -> &[String] {
        &self.capture_names
    }

    /// How many patterns the query has.
    pub fn pattern_count(&self) -> usize {
        self.patterns.len()
    }

    /// Every predicate: the byte offset of its `(` in the text and its name (`#eq?`).
    pub fn predicate_names(&self) -> &[(usize, String)] {
        &self.predicate_names
    }

    /// The byte offset of the first predicate written outside the parentheses of the pattern
    /// it is meant for, as in `(identifier) @x (#eq? @x "a")`: tree-sitter takes it for a
    /// pattern of its own (matching nothing), and the pattern before it matches without it.
    pub fn stray_predicate(&self) -> Option<usize> {
        self.stray_predicate
    }

    /// Every match in `node` and below, by where the match starts.
    pub fn matches<'t>(&self, node: Node<'t>, source: &str) -> Vec<QueryMatch<'t>> {
        let nodes = Nodes::new(node);
        self.matches_within(&nodes, 0, source)
    }

    /// Every match in entry `at` of `nodes` and below, by where the match starts.
    pub fn matches_within<'t>(
        &self,
        nodes: &Nodes<'t>,
        at: u32,
        source: &str,
    ) -> Vec<QueryMatch<'t>> {
        self.matches_at(nodes, nodes.subtree(at), source)
    }

    /// Every match whose first node is entry `at` of `nodes`, and of sibling patterns, every
    /// match among its children.
    pub fn matches_rooted_at<'t>(
        &self,
        nodes: &Nodes<'t>,
        at: u32,
        source: &str,
    ) -> Vec<QueryMatch<'t>> {
        self.matches_at(nodes, [at], source)
    }

    fn matches_at<'t>(
        &self,
        nodes: &Nodes<'t>,
        at: impl IntoIterator<Item = u32>,
        source: &str,
    ) -> Vec<QueryMatch<'t>> {
        let mut out = Vec::new();
        walk(
            &self.index,
            |i| &self.patterns[i as usize],
            nodes,
            at,
            source,
            |i, captures| {
                out.push(QueryMatch {
                    pattern: i as usize,
                    captures,
                })
            },
        );
        out
    }
}

/// The patterns of many queries, searched in one walk.
#[derive(Debug)]
pub struct QuerySet {
    /// Each entry: a query and one of its patterns.
    entries: Vec<(Arc<Query>, usize)>,
    index: Index,
}

impl QuerySet {
    /// A set of every pattern of `queries`, in order: entry `n` is the `n`th pattern overall.
    pub fn new(queries: &[Arc<Query>]) -> QuerySet {
        let mut entries = Vec::new();
        let mut index = Index::default();
        for query in queries {
            for (p, pattern) in query.patterns.iter().enumerate() {
                index.add(entries.len() as u32, &pattern.item);
                entries.push((Arc::clone(query), p));
            }
        }
        QuerySet { entries, index }
    }

    /// How many patterns the set has.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the set has no pattern.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Calls `found` with the entry and captures of every match in `nodes`.
    pub fn each_match<'t>(
        &self,
        nodes: &Nodes<'t>,
        source: &str,
        found: impl FnMut(usize, Vec<(u32, Node<'t>)>),
    ) {
        let mut found = found;
        walk(
            &self.index,
            |i| {
                let (query, p) = &self.entries[i as usize];
                &query.patterns[*p]
            },
            nodes,
            nodes.subtree(0),
            source,
            |i, captures| found(i as usize, captures),
        );
    }
}

/// Tries at each of the entries `at` (in that order) the patterns that can start there.
fn walk<'q, 't>(
    index: &Index,
    pattern: impl Fn(u32) -> &'q TopPattern,
    nodes: &Nodes<'t>,
    at: impl IntoIterator<Item = u32>,
    source: &str,
    mut found: impl FnMut(u32, Vec<(u32, Node<'t>)>),
) {
    let mut st = run::State::new(nodes, source);
    let mut candidates = Vec::new();
    let mut out = Vec::new();
    for here in at {
        for &entry in index.at(nodes.kind(here), &mut candidates) {
            run::matches_at(pattern(entry), here, &mut st, &mut out);
            for captures in out.drain(..) {
                found(entry, captures);
            }
        }
        if !index.siblings.is_empty() && nodes.has_children(here) {
            for &entry in &index.siblings {
                run::sibling_matches(pattern(entry), here, &mut st, &mut out);
                for captures in out.drain(..) {
                    found(entry, captures);
                }
            }
        }
    }
}

/// A match as comparable data: the pattern, then each capture's id, byte range and kind.
type Key = (usize, Vec<(u32, usize, usize, u16)>);

fn key(pattern: usize, captures: &[(u32, Node<'_>)]) -> Key {
    let mut captures: Vec<_> = captures
        .iter()
        .map(|(i, n)| (*i, n.start_byte(), n.end_byte(), n.kind_id()))
        .collect();
    captures.sort_unstable();
    (pattern, captures)
}

/// Compares this runner with tree-sitter's query cursor on one query and some trees: the same
/// capture names and, as sets, the same matches in each tree. Returns how many matches agreed,
/// or for each tree that differs, its index and what differs. This is the test that keeps the
/// two in step (see also `--example matcher_agrees`).
pub fn agrees_with_tree_sitter(
    text: &str,
    trees: &[(&tree_sitter::Tree, &str)],
) -> Result<usize, Vec<(usize, String)>> {
    use std::collections::BTreeSet;
    use streaming_iterator::StreamingIterator;
    let theirs = tree_sitter::Query::new(&language(), text)
        .map_err(|e| vec![(0, format!("tree-sitter: {e}"))])?;
    let ours = Query::new(text).map_err(|e| vec![(0, format!("ours: {e:?}"))])?;
    if theirs.capture_names() != ours.capture_names()
        || theirs.pattern_count() != ours.pattern_count()
    {
        return Err(vec![(
            0,
            format!(
                "capture names {:?} vs {:?}, patterns {} vs {}",
                theirs.capture_names(),
                ours.capture_names(),
                theirs.pattern_count(),
                ours.pattern_count()
            ),
        )]);
    }
    let mut cursor = tree_sitter::QueryCursor::new();
    let mut agreed = 0;
    let mut differ = Vec::new();
    for (n, (tree, source)) in trees.iter().enumerate() {
        let mut expected = BTreeSet::new();
        let mut it = cursor.matches(&theirs, tree.root_node(), source.as_bytes());
        while let Some(m) = it.next() {
            let captures: Vec<_> = m.captures().iter().map(|c| (c.index, c.node)).collect();
            expected.insert(key(m.pattern_index, &captures));
        }
        let got: BTreeSet<Key> = ours
            .matches(tree.root_node(), source)
            .iter()
            .map(|m| key(m.pattern, &m.captures))
            .collect();
        if got == expected {
            agreed += got.len();
            continue;
        }
        let missing: Vec<_> = expected.difference(&got).take(3).collect();
        let extra: Vec<_> = got.difference(&expected).take(3).collect();
        differ.push((
            n,
            format!(
                "{} matches vs tree-sitter's {}; missing {missing:?}; extra {extra:?}",
                got.len(),
                expected.len()
            ),
        ));
    }
    if differ.is_empty() {
        Ok(agreed)
    } else {
        Err(differ)
    }
}

#[cfg(test)]
mod tests;
