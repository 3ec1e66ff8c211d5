//! Matching patterns against a syntax tree. Every way a pattern matches is found (a child
//! pattern without an anchor may match any later sibling), and a match is kept once even if it
//! is reached several ways; this is what tree-sitter's query cursor yields.

use tree_sitter::{Node, ffi};

use super::super::node_text;
use super::parse::{Item, Kind, NodePat, Pat, Predicate, Quant, TopPattern};

/// One node of a [`Nodes`] table, with what matching asks of it read once.
#[derive(Clone, Copy)]
struct Entry<'t> {
    node: Node<'t>,
    kind: u16,
    /// The field it is reached by (0: none).
    field: u16,
    named: bool,
    parent: u32,
    /// Its children: `kids[first..first + count]`.
    first: u32,
    count: u32,
    /// One past its last descendant: it and its descendants are the entries `i..end`.
    end: u32,
    /// Its bytes in the source.
    start_byte: u32,
    end_byte: u32,
}

/// A syntax tree (or a subtree) read once into a table in document order, each subtree a
/// range of it and each node's children listed together. Matching then reads plain data
/// instead of asking tree-sitter again for each pattern that tries a node.
pub struct Nodes<'t> {
    entries: Vec<Entry<'t>>,
    /// Entry indices of every node's children, grouped by parent.
    kids: Vec<u32>,
    /// Each entry's kind, apart: the walk over every node reads only these.
    kinds: Vec<u16>,
    /// For each entry, the kinds in its subtree (see `bloom`).
    kinds_below: Vec<u64>,
}

const NONE: u32 = u32::MAX;

/// Where a path of fields leads from a node.
pub(super) enum Follow<'t> {
    /// No child has one of the fields.
    None,
    /// One node.
    One(Node<'t>),
    /// Some field is on more than one child.
    Many,
}

thread_local! {
    /// Whether each node kind is named, by kind id.
    static NAMED: Vec<bool> = {
        let language: tree_sitter::Language = tree_sitter_python::LANGUAGE.into();
        (0..language.node_kind_count() as u16)
            .map(|k| language.node_kind_is_named(k))
            .collect()
    };
}

/// One node as `read_tree.c` writes it, field for field its `PykataRecord`. (Whether its kind
/// is named is looked up in [`NAMED`], as the cursor reader did.)
#[repr(C)]
#[derive(Clone, Copy)]
struct Record {
    node: ffi::TSNode,
    parent: u32,
    end: u32,
    kind: u16,
    field: u16,
    end_byte: u32,
}

impl Record {
    const EMPTY: Record = Record {
        node: ffi::TSNode {
            context: [0; 4],
            id: std::ptr::null(),
            tree: std::ptr::null(),
        },
        parent: 0,
        end: 0,
        kind: 0,
        field: 0,
        end_byte: 0,
    };
}

unsafe extern "C" {
    /// Writes `root` and the nodes a tree cursor visits below it, in document order, into
    /// `out[..capacity]`, and returns how many there are (more than `capacity`: call again
    /// with room for all). See `read_tree.c`.
    fn pykata_read_tree(root: ffi::TSNode, out: *mut Record, capacity: u32) -> u32;
}

/// The most records kept between reads (3 MB): a larger tree's are freed after it.
const KEPT_RECORDS: usize = 1 << 16;

thread_local! {
    /// Where `read_tree.c` writes a tree's records before they become entries, kept from one
    /// read to the next.
    static RECORDS: std::cell::RefCell<Vec<Record>> = const { std::cell::RefCell::new(Vec::new()) };
}

impl<'t> Nodes<'t> {
    /// Reads `root` and everything below it.
    pub fn new(root: Node<'t>) -> Nodes<'t> {
        NAMED.with(|named| RECORDS.with_borrow_mut(|records| Self::read(root, named, records)))
    }

    /// Reads the tree with one call of `read_tree.c`, which walks tree-sitter's subtrees as
    /// its tree cursor does (the tests hold it to the cursor, entry by entry).
    fn read(root: Node<'t>, named: &[bool], records: &mut Vec<Record>) -> Nodes<'t> {
        let mut want = root.descendant_count();
        let count = loop {
            if records.len() < want {
                records.resize(want, Record::EMPTY);
            }
            let capacity = u32::try_from(records.len()).unwrap_or(u32::MAX);
            // SAFETY: `root` is a node of a tree borrowed for `'t`, so its `id` and `tree`
            // point into a live tree that cannot be edited or freed meanwhile; `records` holds
            // `capacity` records, and the C function writes only `out[..capacity]`.
            let count =
                unsafe { pykata_read_tree(root.into_raw(), records.as_mut_ptr(), capacity) };
            if count <= capacity {
                break count as usize;
            }
            want = count as usize;
        };
        let entries = records[..count]
            .iter()
            .map(|r| Entry {
                // SAFETY: the C function wrote each `node` as tree-sitter's API builds it (the
                // same context, the address of the node's subtree inside `root`'s tree, and
                // that tree), so it is a node of the tree `root` borrows for `'t`.
                node: unsafe { Node::from_raw(r.node) },
                kind: r.kind,
                field: r.field,
                named: named.get(r.kind as usize).copied().unwrap_or(true),
                parent: r.parent,
                first: 0,
                count: 0,
                end: r.end,
                start_byte: r.node.context[0],
                end_byte: r.end_byte,
            })
            .collect();
        if records.len() > KEPT_RECORDS {
            *records = Vec::new();
        }
        Self::group(entries)
    }

    /// The table of `entries` (in document order, each with its parent and end): lists each
    /// node's children together.
    fn group(mut entries: Vec<Entry<'t>>) -> Nodes<'t> {
        // Children grouped by parent, in document order: count, then place.
        let parents: Vec<u32> = entries[1..].iter().map(|e| e.parent).collect();
        for &parent in &parents {
            entries[parent as usize].count += 1;
        }
        let mut next = 0u32;
        for e in &mut entries {
            e.first = next;
            next += e.count;
        }
        let mut fill: Vec<u32> = entries.iter().map(|e| e.first).collect();
        let mut kids = vec![0u32; next as usize];
        for (i, &parent) in parents.iter().enumerate() {
            let parent = parent as usize;
            kids[fill[parent] as usize] = i as u32 + 1;
            fill[parent] += 1;
        }
        let kinds: Vec<u16> = entries.iter().map(|e| e.kind).collect();
        let kinds_below = super::bloom::subtree_bits(&kinds, |i| entries[i].parent as usize);
        Nodes {
            entries,
            kids,
            kinds,
            kinds_below,
        }
    }

    /// The entry of `node`, if it is in the table: found by descending from the root
    /// through the children whose byte range holds it.
    pub fn index_of(&self, node: Node<'_>) -> Option<u32> {
        self.find(0, node, node.start_byte(), node.end_byte())
    }

    fn find(&self, i: u32, node: Node<'_>, start: usize, end: usize) -> Option<u32> {
        let e = &self.entries[i as usize];
        if e.node.id() == node.id() {
            return Some(i);
        }
        let kids = self.children(i);
        let from = kids.partition_point(|&c| (self.entries[c as usize].end_byte as usize) < end);
        for &c in &kids[from..] {
            if self.entries[c as usize].start_byte as usize > start {
                break;
            }
            if let Some(found) = self.find(c, node, start, end) {
                return Some(found);
            }
        }
        None
    }

    /// The outermost of entry `i` and its ancestors that span the same bytes as it.
    pub fn outermost_alike(&self, mut i: u32) -> u32 {
        let range = self.bytes(i);
        while let Some(p) = self.parent(i) {
            if self.bytes(p) != range {
                break;
            }
            i = p;
        }
        i
    }

    /// The innermost of entry `i` and its descendants that span the same bytes as it.
    pub fn innermost_alike(&self, mut i: u32) -> u32 {
        let range = self.bytes(i);
        while let Some(&c) = self.children(i).iter().find(|&&c| self.bytes(c) == range) {
            i = c;
        }
        i
    }

    /// The node reached from entry `at` through a child with each field of `path` in turn.
    pub(super) fn follow(&self, mut at: u32, path: &[u16]) -> Follow<'t> {
        for &field in path {
            let mut with = self
                .children(at)
                .iter()
                .filter(|&&c| self.entries[c as usize].field == field);
            match (with.next(), with.next()) {
                (Some(&c), None) => at = c,
                (None, _) => return Follow::None,
                (Some(_), Some(_)) => return Follow::Many,
            }
        }
        Follow::One(self.entries[at as usize].node)
    }

    /// Entry `i` and its descendants, in document order.
    pub fn subtree(&self, i: u32) -> std::ops::Range<u32> {
        i..self.entries[i as usize].end
    }

    /// The parent of entry `i`.
    pub fn parent(&self, i: u32) -> Option<u32> {
        let p = self.entries[i as usize].parent;
        (p != NONE).then_some(p)
    }

    /// The first and one past the last byte of entry `i`.
    fn bytes(&self, i: u32) -> (u32, u32) {
        let e = &self.entries[i as usize];
        (e.start_byte, e.end_byte)
    }

    /// The kinds in the subtree of entry `i`, as `bloom` sums them up.
    pub(super) fn subtree_kinds(&self, i: u32) -> u64 {
        self.kinds_below
            .get(i as usize)
            .copied()
            .unwrap_or(u64::MAX)
    }

    pub(super) fn kind(&self, i: u32) -> u16 {
        self.kinds[i as usize]
    }

    pub(super) fn has_children(&self, i: u32) -> bool {
        self.entries[i as usize].count > 0
    }

    fn children(&self, i: u32) -> &[u32] {
        let e = &self.entries[i as usize];
        &self.kids[e.first as usize..(e.first + e.count) as usize]
    }
}

#[cfg(test)]
impl<'t> Nodes<'t> {
    /// Reads `root` through tree-sitter's tree cursor: the reference `read_tree.c` is held to.
    pub(super) fn read_with_cursor(root: Node<'t>) -> Nodes<'t> {
        NAMED.with(|named| {
            let entry = |node: Node<'t>, field: u16, parent: u32| {
                let kind = node.kind_id();
                Entry {
                    node,
                    kind,
                    field,
                    named: named.get(kind as usize).copied().unwrap_or(true),
                    parent,
                    first: 0,
                    count: 0,
                    end: 0,
                    start_byte: node.start_byte() as u32,
                    end_byte: node.end_byte() as u32,
                }
            };
            let mut entries = Vec::with_capacity(root.descendant_count());
            entries.push(entry(root, 0, NONE));
            let mut cursor = root.walk();
            // The entries of the current node's ancestors, innermost last.
            let mut path: Vec<u32> = vec![0];
            'walk: loop {
                if cursor.goto_first_child() {
                    let parent = *path.last().unwrap_or(&0);
                    let field = cursor.field_id().map_or(0, |f| f.get());
                    entries.push(entry(cursor.node(), field, parent));
                    path.push((entries.len() - 1) as u32);
                    continue;
                }
                loop {
                    let Some(done) = path.pop() else { break 'walk };
                    entries[done as usize].end = entries.len() as u32;
                    if path.is_empty() {
                        break 'walk;
                    }
                    if cursor.goto_next_sibling() {
                        let parent = *path.last().unwrap_or(&0);
                        let field = cursor.field_id().map_or(0, |f| f.get());
                        entries.push(entry(cursor.node(), field, parent));
                        path.push((entries.len() - 1) as u32);
                        continue 'walk;
                    }
                    cursor.goto_parent();
                }
            }
            Self::group(entries)
        })
    }

    /// Every node of the table, in document order.
    pub(super) fn all(&self) -> impl Iterator<Item = Node<'t>> + '_ {
        self.entries.iter().map(|e| e.node)
    }

    /// The first way this table and `other` differ (any field of any entry, or the children
    /// lists), if they differ.
    pub(super) fn difference(&self, other: &Nodes<'_>) -> Option<String> {
        if self.entries.len() != other.entries.len() {
            return Some(format!(
                "{} entries against {}",
                self.entries.len(),
                other.entries.len()
            ));
        }
        for (i, (a, b)) in self.entries.iter().zip(&other.entries).enumerate() {
            let (ra, rb) = (a.node.into_raw(), b.node.into_raw());
            let facts = |e: &Entry<'_>, raw: ffi::TSNode| {
                (
                    raw.context,
                    raw.id,
                    raw.tree,
                    e.node.id(),
                    e.node.byte_range(),
                    e.node.start_position(),
                    e.node.end_position(),
                    e.node.kind_id(),
                    (e.kind, e.field, e.named, e.parent, e.first, e.count, e.end),
                    (e.start_byte, e.end_byte),
                )
            };
            let (fa, fb) = (facts(a, ra), facts(b, rb));
            if fa != fb {
                return Some(format!(
                    "entry {i} ({} at {:?}): {fa:?} against {fb:?}",
                    a.node.kind(),
                    a.node.start_position()
                ));
            }
        }
        (self.kids != other.kids).then(|| "the children lists differ".to_string())
    }
}

/// What an item and the alternations or groups around it say about its first node.
#[derive(Clone, Copy, Default)]
struct Pending<'a> {
    field: Option<u16>,
    last: bool,
    captures: &'a [u32],
    /// Whether this or an outer link of the chain has captures.
    capturing: bool,
    outer: Option<&'a Pending<'a>>,
}

impl Pending<'_> {
    /// Captures `node` as every capture of the chain, outermost first.
    fn capture<'t>(&self, node: Node<'t>, out: &mut Vec<(u32, Node<'t>)>) {
        if !self.capturing {
            return;
        }
        if let Some(outer) = self.outer {
            outer.capture(node, out);
        }
        out.extend(self.captures.iter().map(|&c| (c, node)));
    }
}

/// The table being matched, the captures made so far (undone on backtracking) and the
/// predicates of the pattern being matched.
pub(super) struct State<'q, 'n, 't, 's> {
    nodes: &'n Nodes<'t>,
    pub source: &'s str,
    pub captures: Vec<(u32, Node<'t>)>,
    /// The pattern's predicates that can be tested on one captured node as soon as it is
    /// captured, by capture id.
    early: &'q [(u32, Predicate)],
}

/// Called at the end of a sequence with the position after it; `true` stops the search.
type Next<'a, 'q, 'n, 't, 's> = &'a mut dyn FnMut(&mut State<'q, 'n, 't, 's>, usize) -> bool;

impl<'q, 'n, 't, 's> State<'q, 'n, 't, 's> {
    pub(super) fn new(nodes: &'n Nodes<'t>, source: &'s str) -> State<'q, 'n, 't, 's> {
        State {
            nodes,
            source,
            captures: Vec::new(),
            early: &[],
        }
    }

    /// Whether the captures from `mark` on pass the predicates that test one node.
    fn early_hold(&self, mark: usize) -> bool {
        self.early.is_empty()
            || self.captures[mark..]
                .iter()
                .all(|(id, node)| self.node_passes(*id, *node))
    }

    /// Whether `node`, captured as `capture`, passes the pattern's one-node predicates on it.
    fn node_passes(&self, capture: u32, node: Node<'_>) -> bool {
        self.early
            .iter()
            .filter(|(c, _)| *c == capture)
            .all(|(_, p)| one_node_holds(p, node_text(self.source, node)))
    }
}

fn kind_ok(kind: &Kind, missing: bool, e: &Entry<'_>) -> bool {
    if missing && !e.node.is_missing() {
        return false;
    }
    match kind {
        Kind::Any => e.kind != u16::MAX,
        Kind::AnyNamed => e.named && e.kind != u16::MAX,
        Kind::Ids(ids) => ids.contains(&e.kind),
    }
}

/// The entries being matched, in order (a node's children, or the one node a pattern starts
/// at); positions are indices into it.
type Kids<'k> = &'k [u32];

/// Matches `item` with its first node at entry `p`.
fn item_at<'q, 'n, 't, 's>(
    item: &Item,
    kids: Kids<'_>,
    p: usize,
    pending: &Pending<'_>,
    st: &mut State<'q, 'n, 't, 's>,
    next: Next<'_, 'q, 'n, 't, 's>,
) -> bool {
    let own = Pending {
        field: pending.field.or(item.field),
        last: pending.last || item.last,
        captures: &item.captures,
        capturing: pending.capturing || !item.captures.is_empty(),
        outer: Some(pending),
    };
    match &item.pat {
        Pat::Node(node) => {
            let Some(&at) = kids.get(p) else {
                return false;
            };
            let nodes = st.nodes;
            let later_named = own.last
                && kids[p + 1..]
                    .iter()
                    .any(|&k| nodes.entries[k as usize].named);
            node_at(node, at, later_named, &own, st, &mut |st| next(st, p + 1))
        }
        Pat::Alt(branches) => branches
            .iter()
            .any(|branch| item_at(branch, kids, p, &own, st, next)),
        Pat::Group(items) => sequence(items, 0, kids, p, Some(&own), true, st, next),
    }
}

fn node_at<'q, 'n, 't, 's>(
    pat: &NodePat,
    at: u32,
    later_named: bool,
    pending: &Pending<'_>,
    st: &mut State<'q, 'n, 't, 's>,
    next: &mut dyn FnMut(&mut State<'q, 'n, 't, 's>) -> bool,
) -> bool {
    let nodes = st.nodes;
    let e = &nodes.entries[at as usize];
    if !kind_ok(&pat.kind, pat.missing, e)
        || pending.field.is_some_and(|f| f != e.field)
        || later_named
        || (!pat.negated.is_empty()
            && nodes
                .children(at)
                .iter()
                .any(|&c| pat.negated.contains(&nodes.entries[c as usize].field)))
    {
        return false;
    }
    let mark = st.captures.len();
    pending.capture(e.node, &mut st.captures);
    let stop = if !st.early_hold(mark) {
        false
    } else if pat.children.is_empty() {
        next(st)
    } else {
        let kids = nodes.children(at);
        sequence(&pat.children, 0, kids, 0, None, false, st, &mut |st, _| {
            next(st)
        })
    };
    st.captures.truncate(mark);
    stop
}

/// Matches `items[i..]` against the kids from `pos` on. `first`: the first item must start
/// exactly at `pos`, with these pending facts (a group's first item). `end_matters`: whether
/// `next` depends on where the sequence ends (a group's does; a node's children's does not).
#[allow(clippy::too_many_arguments)]
fn sequence<'q, 'n, 't, 's>(
    items: &[Item],
    i: usize,
    kids: Kids<'_>,
    pos: usize,
    first: Option<&Pending<'_>>,
    end_matters: bool,
    st: &mut State<'q, 'n, 't, 's>,
    next: Next<'_, 'q, 'n, 't, 's>,
) -> bool {
    let Some(item) = items.get(i) else {
        return next(st, pos);
    };
    let (min, max) = match item.quant {
        Quant::One => (1, Some(1)),
        Quant::Optional => (0, Some(1)),
        Quant::ZeroOrMore => (0, None),
        Quant::OneOrMore => (1, None),
    };
    if item.quant == Quant::One {
        // A pattern that captures nothing needs only its first place when what follows may
        // start anywhere after it: every match from a later place is also a match from there.
        let monotone = match items.get(i + 1) {
            Some(after) => !after.immediate,
            None => !end_matters,
        };
        if first.is_none()
            && item.capture_free
            && !item.last
            && monotone
            && matches!(item.pat, Pat::Node(_) | Pat::Alt(_))
        {
            let found = places(item, item.immediate, kids, pos, st, &mut |st, p| {
                item_at(item, kids, p, &Pending::default(), st, &mut |_, _| true)
            });
            return match found {
                Some(p) => sequence(items, i + 1, kids, p + 1, None, end_matters, st, next),
                None => false,
            };
        }
    }
    repeat(
        items,
        i,
        kids,
        pos,
        first,
        end_matters,
        0,
        min,
        max,
        st,
        next,
    )
}

/// The first place from `pos` where `test` holds, trying only the places the item may take
/// (after an anchor, or for a repetition after the first, only the next named sibling).
fn places<'q, 'n, 't, 's>(
    item: &Item,
    immediate: bool,
    kids: Kids<'_>,
    pos: usize,
    st: &mut State<'q, 'n, 't, 's>,
    test: &mut dyn FnMut(&mut State<'q, 'n, 't, 's>, usize) -> bool,
) -> Option<usize> {
    let mut p = pos;
    let entries = &st.nodes.entries;
    while let Some(&k) = kids.get(p) {
        let e = &entries[k as usize];
        if may_start(item, k, st) && test(st, p) {
            return Some(p);
        }
        // After an anchor, only anonymous nodes may be passed over.
        if immediate && e.named {
            break;
        }
        p += 1;
    }
    None
}

/// Whether `item` could start at entry `e`, by its field and its first node's kind: most
/// places fail this cheap test.
fn may_start(item: &Item, at: u32, st: &State<'_, '_, '_, '_>) -> bool {
    let e = &st.nodes.entries[at as usize];
    if item.field.is_some_and(|f| f != e.field) {
        return false;
    }
    match &item.pat {
        Pat::Node(node) => quick(node, &item.captures, at, st),
        Pat::Alt(_) | Pat::Group(_) => true,
    }
}

/// A necessary condition for `pat` to match at entry `at`, cheap to test: the kind, negated
/// fields, the one-node predicates on its captures, and the same of each child pattern bound
/// to a field. Most tries fail here without the search for every way to match.
fn quick(pat: &NodePat, captures: &[u32], at: u32, st: &State<'_, '_, '_, '_>) -> bool {
    let nodes = st.nodes;
    let e = &nodes.entries[at as usize];
    if !kind_ok(&pat.kind, pat.missing, e) {
        return false;
    }
    if !st.early.is_empty() && !captures.iter().all(|c| st.node_passes(*c, e.node)) {
        return false;
    }
    let kids = nodes.children(at);
    if !pat.negated.is_empty()
        && kids
            .iter()
            .any(|&k| pat.negated.contains(&nodes.entries[k as usize].field))
    {
        return false;
    }
    pat.children
        .iter()
        .all(|item| match (&item.pat, item.field) {
            (Pat::Node(child), Some(field)) if item.quant == Quant::One => kids.iter().any(|&k| {
                nodes.entries[k as usize].field == field && quick(child, &item.captures, k, st)
            }),
            _ => true,
        })
}

/// Item `i` matched `done` times so far, ending at `pos`.
#[allow(clippy::too_many_arguments)]
fn repeat<'q, 'n, 't, 's>(
    items: &[Item],
    i: usize,
    kids: Kids<'_>,
    pos: usize,
    first: Option<&Pending<'_>>,
    end_matters: bool,
    done: usize,
    min: usize,
    max: Option<usize>,
    st: &mut State<'q, 'n, 't, 's>,
    next: Next<'_, 'q, 'n, 't, 's>,
) -> bool {
    let item = &items[i];
    if done >= min && sequence(items, i + 1, kids, pos, None, end_matters, st, next) {
        return true;
    }
    if max.is_some_and(|m| done >= m) {
        return false;
    }
    let mut more = |st: &mut State<'q, 'n, 't, 's>, q: usize| {
        repeat(
            items,
            i,
            kids,
            q,
            None,
            end_matters,
            done + 1,
            min,
            max,
            st,
            next,
        )
    };
    match (done, first) {
        (0, Some(pending)) => item_at(item, kids, pos, pending, st, &mut more),
        // Repetitions follow each other, as tree-sitter matches them.
        _ => places(
            item,
            item.immediate || done > 0,
            kids,
            pos,
            st,
            &mut |st, p| item_at(item, kids, p, &Pending::default(), st, &mut more),
        )
        .is_some(),
    }
}

/// Every match of `pattern` whose first node is entry `root`, as capture lists.
pub(super) fn matches_at<'q, 'n, 't, 's>(
    pattern: &'q TopPattern,
    root: u32,
    st: &mut State<'q, 'n, 't, 's>,
    out: &mut Vec<Vec<(u32, Node<'t>)>>,
) {
    set_early(pattern, st);
    if let Pat::Node(node) = &pattern.item.pat
        && !quick(node, &pattern.item.captures, root, st)
    {
        return;
    }
    let start = out.len();
    let kids = [root];
    let mut emit = |st: &mut State<'q, 'n, 't, 's>, _: usize| record(pattern, st, out, start);
    item_at(&pattern.item, &kids, 0, &Pending::default(), st, &mut emit);
    if pattern.quantified {
        keep_longest(out, start);
    }
}

/// Drops each of `out[start..]` whose captures are all among another's: of the ways a
/// repetition matches, tree-sitter keeps the longest.
fn keep_longest(out: &mut Vec<Vec<(u32, Node<'_>)>>, start: usize) {
    let keys: Vec<Vec<(u32, usize)>> = out[start..]
        .iter()
        .map(|m| {
            let mut k: Vec<(u32, usize)> = m.iter().map(|(c, n)| (*c, n.id())).collect();
            k.sort_unstable();
            k
        })
        .collect();
    let within = |a: &[(u32, usize)], b: &[(u32, usize)]| {
        a.len() < b.len() && a.iter().all(|x| b.binary_search(x).is_ok())
    };
    let mut i = 0;
    out.retain(|_| {
        let k = i;
        i += 1;
        k < start || !keys.iter().any(|other| within(&keys[k - start], other))
    });
}

/// Every match of a sibling-sequence pattern among the children of entry `parent`.
pub(super) fn sibling_matches<'q, 'n, 't, 's>(
    pattern: &'q TopPattern,
    parent: u32,
    st: &mut State<'q, 'n, 't, 's>,
    out: &mut Vec<Vec<(u32, Node<'t>)>>,
) {
    let Pat::Group(items) = &pattern.item.pat else {
        return;
    };
    let nodes = st.nodes;
    let kids = nodes.children(parent);
    set_early(pattern, st);
    let pending = Pending {
        field: pattern.item.field,
        captures: &pattern.item.captures,
        capturing: !pattern.item.captures.is_empty(),
        ..Pending::default()
    };
    for p in 0..kids.len() {
        let start = out.len();
        let mut emit = |st: &mut State<'q, 'n, 't, 's>, _: usize| record(pattern, st, out, start);
        sequence(items, 0, kids, p, Some(&pending), false, st, &mut emit);
        if pattern.quantified {
            keep_longest(out, start);
        }
    }
}

/// Keeps the captures of a finished match if its predicates hold and the same captures were
/// not found since `start`; never stops the search.
fn record<'t>(
    pattern: &TopPattern,
    st: &State<'_, '_, 't, '_>,
    out: &mut Vec<Vec<(u32, Node<'t>)>>,
    start: usize,
) -> bool {
    if predicates_hold(&pattern.predicates, st) && !out[start..].contains(&st.captures) {
        out.push(st.captures.clone());
    }
    false
}

fn set_early<'q>(pattern: &'q TopPattern, st: &mut State<'q, '_, '_, '_>) {
    st.early = &pattern.early;
}

fn one_node_holds(p: &Predicate, text: &str) -> bool {
    match p {
        Predicate::EqString {
            text: want,
            positive,
            ..
        } => (text == want) == *positive,
        Predicate::Match {
            regex, positive, ..
        } => regex.is_match(text) == *positive,
        Predicate::AnyOf {
            texts, positive, ..
        } => texts.iter().any(|t| t == text) == *positive,
        Predicate::EqCapture { .. } => true,
    }
}

/// The text predicates, evaluated as tree-sitter's Rust binding does: a predicate on a capture
/// with no node holds, except `#eq?` between a captured and an uncaptured name.
fn predicates_hold(predicates: &[Predicate], st: &State<'_, '_, '_, '_>) -> bool {
    let nodes = |i: u32| st.captures.iter().filter(move |c| c.0 == i).map(|c| c.1);
    predicates.iter().all(|p| match p {
        Predicate::EqCapture {
            a,
            b,
            positive,
            all,
        } => {
            let mut left = nodes(*a);
            let mut right = nodes(*b);
            loop {
                match (left.next(), right.next()) {
                    (Some(x), Some(y)) => {
                        let equal = node_text(st.source, x) == node_text(st.source, y);
                        if equal != *positive && *all {
                            return false;
                        }
                        if equal == *positive && !*all {
                            return true;
                        }
                    }
                    (None, None) => return true,
                    _ => return false,
                }
            }
        }
        // As tree-sitter's binding has them: the `any-` forms never fail a match.
        Predicate::EqString { a, all, .. } | Predicate::Match { a, all, .. } => {
            !*all || nodes(*a).all(|n| one_node_holds(p, node_text(st.source, n)))
        }
        Predicate::AnyOf { a, .. } => nodes(*a).all(|n| one_node_holds(p, node_text(st.source, n))),
    })
}
