//! pykata's own runner of tree-sitter queries. It reads the same query syntax and finds the
//! same matches as tree-sitter's query cursor, without tree-sitter's compile-time analysis of
//! each query against the grammar's parse table (milliseconds per query, paid again by every
//! process) and with one walk of the tree for any number of queries: each node is tried only
//! against the patterns that can start at its kind.
//!
//! Tree-sitter still compiles every query in `pykata verify`, which reports what only its
//! analysis finds (a pattern no tree can match).

mod anonymous;
mod bloom;
mod lazy_regex;
mod needs;
mod parse;
mod run;

use std::sync::Arc;

use tree_sitter::{Language, Node};

pub use anonymous::AnonymousKinds;
pub use bloom::KindSet;
pub use needs::{Needs, Text, stands_alone};
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
    /// Built when the query first runs on its own: a query that only runs merged into a
    /// [`QuerySet`] (most of a scan's) never needs it.
    index: std::sync::OnceLock<Index>,
    needs: Needs,
    anonymous: AnonymousKinds,
}

/// One match: the pattern's index in its query and the captures, in pattern order.
#[derive(Debug, Clone)]
pub struct QueryMatch<'t> {
    pub pattern: usize,
    pub captures: Vec<(u32, Node<'t>)>,
}

/// One match in a [`Nodes`] table: the pattern's index in its query and the captures, in
/// pattern order, each a capture id and an entry.
#[derive(Debug, Clone)]
pub struct TableMatch {
    pub pattern: usize,
    pub captures: Vec<(u32, u32)>,
}

/// For each node kind, the patterns that can start at it.
#[derive(Debug, Default)]
struct Index {
    /// By kind: the patterns to try at every node of that kind.
    by_kind: Vec<Vec<u32>>,
    /// By kind: patterns that also need some descendant, reached through fields, to have one
    /// of a few texts (`(call function: (identifier) @f (#eq? @f "open"))`), found by that
    /// text. Many bundled detect patterns start at `call`: most are tried only at
    /// calls of the names they are about.
    keyed: Vec<Vec<Keyed>>,
    /// Patterns that can start at any node.
    anywhere: Vec<u32>,
    /// Patterns that are a sequence of siblings: tried on every node's children.
    siblings: Vec<u32>,
    /// By kind: whether any pattern starts at it (most nodes are of kinds none does).
    starts: Vec<bool>,
}

/// For one file, the parts of an [`Index`] that hold a pattern its text leaves possible.
struct Live {
    /// A possible pattern may start at any node.
    anywhere: bool,
    /// By kind: some possible pattern may start at it.
    kinds: Vec<bool>,
    /// By kind and keyed group: the group holds a possible pattern.
    groups: Vec<Vec<bool>>,
}

impl Live {
    /// Whether some possible pattern may start at a node of this kind.
    fn starts(&self, kind: u16) -> bool {
        self.anywhere || self.kinds.get(kind as usize) == Some(&true)
    }
}

/// The patterns of one kind that name the text at the end of one path of fields.
#[derive(Debug)]
struct Keyed {
    path: Vec<u16>,
    by_text: super::fast_hash::FastMap<String, Vec<u32>>,
    /// The shapes of the texts of `by_text`: most texts are ruled out without hashing them.
    shapes: super::text_shapes::Shapes,
    /// Every pattern of the group, for a node where the path is ambiguous.
    all: Vec<u32>,
}

impl Index {
    fn add(&mut self, entry: u32, pattern: &TopPattern) {
        let item = &pattern.item;
        if let Pat::Group(items) = &item.pat {
            // An empty group is a predicate outside any pattern: tree-sitter matches nothing.
            if items.len() > 1 {
                self.siblings.push(entry);
            }
            if items.len() != 1 {
                return;
            }
        }
        let Some(kinds) = first_kinds(item) else {
            self.anywhere.push(entry);
            return;
        };
        let keys = match &item.pat {
            Pat::Node(node) => item
                .captures
                .iter()
                .find_map(|c| finite_texts(*c, pattern))
                .map(|texts| vec![(Vec::new(), texts)])
                .or_else(|| {
                    node.children
                        .iter()
                        .filter(|c| c.quant == parse::Quant::One)
                        .find_map(|c| item_keys(c, None, pattern))
                }),
            _ => None,
        };
        for kind in kinds {
            let kind = kind as usize;
            if self.by_kind.len() <= kind {
                self.by_kind.resize_with(kind + 1, Vec::new);
                self.keyed.resize_with(kind + 1, Vec::new);
                self.starts.resize(kind + 1, false);
            }
            self.starts[kind] = true;
            let Some(keys) = &keys else {
                if self.by_kind[kind].last() != Some(&entry) {
                    self.by_kind[kind].push(entry);
                }
                continue;
            };
            for (path, texts) in keys {
                let groups = &mut self.keyed[kind];
                let at = match groups.iter().position(|g| &g.path == path) {
                    Some(at) => at,
                    None => {
                        groups.push(Keyed {
                            path: path.clone(),
                            by_text: super::fast_hash::FastMap::default(),
                            shapes: super::text_shapes::Shapes::default(),
                            all: Vec::new(),
                        });
                        groups.len() - 1
                    }
                };
                let group = &mut groups[at];
                if group.all.last() != Some(&entry) {
                    group.all.push(entry);
                }
                for text in texts {
                    group.shapes.add(text);
                    let list = group.by_text.entry(text.clone()).or_default();
                    if list.last() != Some(&entry) {
                        list.push(entry);
                    }
                }
            }
        }
    }

    /// Of the patterns marked in `possible` (by entry; an entry past its end counts as
    /// possible), which may start at a node of each kind, and which keyed groups hold one.
    fn live(&self, possible: &[bool]) -> Live {
        let is_possible = |e: &u32| possible.get(*e as usize) != Some(&false);
        let groups: Vec<Vec<bool>> = self
            .keyed
            .iter()
            .map(|gs| gs.iter().map(|g| g.all.iter().any(is_possible)).collect())
            .collect();
        let kinds = (0..self.starts.len())
            .map(|kind| {
                self.by_kind
                    .get(kind)
                    .is_some_and(|l| l.iter().any(is_possible))
                    || groups.get(kind).is_some_and(|g| g.contains(&true))
            })
            .collect();
        Live {
            anywhere: self.anywhere.iter().any(is_possible),
            kinds,
            groups,
        }
    }

    /// Whether some pattern may start at a node of this kind.
    fn may_start_at(&self, kind: u16) -> bool {
        !self.anywhere.is_empty() || self.starts.get(kind as usize) == Some(&true)
    }

    /// The patterns to try at entry `at` of `nodes`, in entry order.
    fn at<'a>(
        &'a self,
        nodes: &Nodes<'_>,
        at: u32,
        source: &str,
        merged: &'a mut Vec<u32>,
        live: Option<&Live>,
    ) -> &'a [u32] {
        let kind = nodes.kind(at) as usize;
        let list = self.by_kind.get(kind).map_or(&[][..], Vec::as_slice);
        let keyed = self.keyed.get(kind).map_or(&[][..], Vec::as_slice);
        let live_groups = live.and_then(|l| l.groups.get(kind));
        merged.clear();
        for (g, group) in keyed.iter().enumerate() {
            if live_groups.is_some_and(|l| l.get(g) == Some(&false)) {
                continue;
            }
            match nodes.follow(at, &group.path) {
                run::Follow::One(node) => {
                    let text = nodes.text(node, source);
                    if group.shapes.may_hold(text)
                        && let Some(found) = group.by_text.get(text)
                    {
                        merged.extend_from_slice(found);
                    }
                }
                run::Follow::Many => merged.extend_from_slice(&group.all),
                run::Follow::None => {}
            }
        }
        // Most nodes are about no keyed pattern: their list needs no merging.
        if merged.is_empty() && self.anywhere.is_empty() {
            return list;
        }
        merged.extend_from_slice(list);
        merged.extend_from_slice(&self.anywhere);
        merged.sort_unstable();
        merged.dedup();
        merged
    }
}

/// The ways `item` (reached by `field` when an enclosing alternation gives one) pins a
/// descendant's text: for each branch, the fields from the pattern's root to a captured node
/// and the texts a predicate allows it. `None` if some branch pins nothing.
fn item_keys(
    item: &Item,
    field: Option<u16>,
    pattern: &TopPattern,
) -> Option<Vec<(Vec<u16>, Vec<String>)>> {
    let field = field.or(item.field)?;
    match &item.pat {
        Pat::Node(node) => {
            if let Some(texts) = item.captures.iter().find_map(|c| finite_texts(*c, pattern)) {
                return Some(vec![(vec![field], texts)]);
            }
            let inner = node
                .children
                .iter()
                .filter(|c| c.quant == parse::Quant::One)
                .find_map(|c| item_keys(c, None, pattern))?;
            Some(
                inner
                    .into_iter()
                    .map(|(path, texts)| {
                        let mut full = vec![field];
                        full.extend(path);
                        (full, texts)
                    })
                    .collect(),
            )
        }
        Pat::Alt(branches) => {
            let mut all = Vec::new();
            for branch in branches {
                if branch.quant != parse::Quant::One {
                    return None;
                }
                all.extend(item_keys(branch, Some(field), pattern)?);
            }
            Some(all)
        }
        Pat::Group(_) => None,
    }
}

/// The texts a capture's node may have, when a predicate allows only a few.
fn finite_texts(capture: u32, pattern: &TopPattern) -> Option<Vec<String>> {
    pattern.early.iter().find_map(|(c, p)| match p {
        parse::Predicate::EqString {
            text,
            positive: true,
            ..
        } if *c == capture => Some(vec![text.clone()]),
        parse::Predicate::AnyOf {
            texts,
            positive: true,
            ..
        } if *c == capture => Some(texts.clone()),
        _ => None,
    })
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
        Ok(Query {
            needs: Needs::of_patterns(&parsed.patterns),
            anonymous: AnonymousKinds::of_patterns(&parsed.patterns),
            patterns: parsed.patterns,
            capture_names: parsed.capture_names,
            predicate_names: parsed.predicate_names,
            stray_predicate: parsed.stray_predicate,
            index: std::sync::OnceLock::new(),
        })
    }

    /// The patterns by the kinds they start at.
    fn index(&self) -> &Index {
        self.index.get_or_init(|| {
            let mut index = Index::default();
            for (i, pattern) in self.patterns.iter().enumerate() {
                index.add(i as u32, pattern);
            }
            index
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

    /// The anonymous leaves its patterns can match: a table read for the query (see
    /// [`Nodes::read`]) needs only those.
    pub fn anonymous_kinds(&self) -> &AnonymousKinds {
        &self.anonymous
    }

    /// The texts a file must contain for the query to match in it.
    pub fn needs(&self) -> &Needs {
        &self.needs
    }

    /// Whether the query may match somewhere in a tree that holds the kinds `set` (see
    /// [`Nodes::kind_set`]): some pattern finds every kind it needs there.
    pub fn may_match_in(&self, set: &KindSet<'_>) -> bool {
        self.patterns.iter().any(|p| p.kinds.may_be_in(set))
    }

    /// Whether some pattern of the query may start at entry `at` of `nodes`, by its kind
    /// (or, for a pattern of siblings, by its having children).
    pub fn may_start_at(&self, nodes: &Nodes<'_>, at: u32) -> bool {
        let index = self.index();
        index.may_start_at(nodes.kind(at)) || (!index.siblings.is_empty() && nodes.has_children(at))
    }

    /// Every match in `node` and below, by where the match starts.
    pub fn matches<'t>(&self, node: Node<'t>, source: &str) -> Vec<QueryMatch<'t>> {
        let nodes = Nodes::read(node, &self.anonymous);
        self.matches_at(&nodes, nodes.subtree(0), source)
            .into_iter()
            .map(|m| QueryMatch {
                pattern: m.pattern,
                captures: m
                    .captures
                    .into_iter()
                    .filter_map(|(id, entry)| Some((id, nodes.node(entry)?)))
                    .collect(),
            })
            .collect()
    }

    /// Every match whose first node is one of the entries `at` of `nodes`, in that order
    /// (`nodes.subtree(i)`: every match in entry `i` and below), and of sibling patterns,
    /// every match among their children.
    pub fn matches_at(
        &self,
        nodes: &Nodes<'_>,
        at: impl IntoIterator<Item = u32>,
        source: &str,
    ) -> Vec<TableMatch> {
        let mut out = Vec::new();
        walk(
            self.index(),
            &[],
            |i| &self.patterns[i as usize],
            nodes,
            at,
            source,
            |i, captures| {
                out.push(TableMatch {
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
                index.add(entries.len() as u32, pattern);
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

    /// Calls `found` with the entry and captures (capture ids and table entries) of every
    /// match in `nodes` of the entries marked in `possible` (by entry; an entry past its end
    /// counts as possible).
    pub fn each_match(
        &self,
        nodes: &Nodes<'_>,
        source: &str,
        possible: &[bool],
        found: impl FnMut(usize, Vec<(u32, u32)>),
    ) {
        let mut found = found;
        walk(
            &self.index,
            possible,
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
fn walk<'q>(
    index: &Index,
    possible: &[bool],
    pattern: impl Fn(u32) -> &'q TopPattern,
    nodes: &Nodes<'_>,
    at: impl IntoIterator<Item = u32>,
    source: &str,
    mut found: impl FnMut(u32, Vec<(u32, u32)>),
) {
    let mut st = run::State::new(nodes, source);
    let mut candidates = Vec::new();
    let mut out = Vec::new();
    // The kinds at which some possible pattern starts, when some are ruled out: most nodes
    // need no look at the index.
    let live = (!possible.is_empty()).then(|| index.live(possible));
    for here in at {
        let kind = nodes.kind(here);
        let starts = match &live {
            Some(live) => live.starts(kind),
            None => index.may_start_at(kind),
        };
        let list = if starts {
            index.at(nodes, here, source, &mut candidates, live.as_ref())
        } else {
            &[]
        };
        for &entry in list {
            if possible.get(entry as usize) == Some(&false) {
                continue;
            }
            let pattern = pattern(entry);
            if !pattern.kinds.may_hold(nodes.subtree_kinds(here)) {
                continue;
            }
            run::matches_at(pattern, here, &mut st, &mut out);
            for captures in out.drain(..) {
                found(entry, captures);
            }
        }
        if !index.siblings.is_empty() && nodes.has_children(here) {
            for &entry in &index.siblings {
                if possible.get(entry as usize) == Some(&false) {
                    continue;
                }
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
mod read_tests;
#[cfg(test)]
mod tests;
