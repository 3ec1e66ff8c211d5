//! Matching patterns against a syntax tree. Every way a pattern matches is found (a child
//! pattern without an anchor may match any later sibling), and a match is kept once even if it
//! is reached several ways; this is what tree-sitter's query cursor yields.

use std::cell::RefCell;
use std::marker::PhantomData;

use tree_sitter::{Node, ffi};

use super::anonymous::AnonymousKinds;
use super::parse::{Item, Kind, NodePat, Pat, Predicate, Quant, TopPattern};

/// One node of a [`Nodes`] table, with what matching asks of it read once: field for field
/// `PykataEntry` in `read_tree.c`, which writes it.
#[repr(C)]
#[derive(Clone, Copy)]
struct Entry {
    /// The node's subtree in tree-sitter's tree (`TSNode::id`).
    id: *const std::ffi::c_void,
    /// Where it starts: byte, row and column (`TSNode::context[0..3]`).
    start_byte: u32,
    row: u32,
    column: u32,
    /// Where it ends.
    end_byte: u32,
    parent: u32,
    /// One past its last descendant: it and its descendants are the entries `i..end`.
    end: u32,
    /// Its children: `kids[first..first + count]`.
    first: u32,
    count: u32,
    /// The alias it has in its parent's production (`TSNode::context[3]`; 0: none).
    alias: u16,
    kind: u16,
    /// The field it is reached by (0: none).
    field: u16,
    /// [`NAMED`] and [`MISSING`].
    flags: u16,
}

/// An entry's flag: its kind is named.
const NAMED: u16 = 1;
/// An entry's flag: the parser put the node in for a token the source lacks.
const MISSING: u16 = 2;

/// A syntax tree (or a subtree) read once into a table in document order, each subtree a
/// range of it and each node's children listed together. Matching then reads plain data
/// instead of asking tree-sitter again for each pattern that tries a node.
pub struct Nodes<'t> {
    /// The tree every entry's node is in; null when the read deleted it.
    tree: *const ffi::TSTree,
    table: Table,
    nodes: PhantomData<Node<'t>>,
}

/// The arrays of a table, kept from one read to the next by each thread.
#[derive(Default)]
struct Table {
    entries: Vec<Entry>,
    /// Entry indices of every node's children, grouped by parent.
    kids: Vec<u32>,
    /// Each entry's kind, apart: the walk over every node reads only these.
    kinds: Vec<u16>,
    /// For each entry, the kinds in its subtree (see `bloom`).
    kinds_below: Vec<u64>,
    /// Which kinds the table holds, as a [`super::bloom::KindSet`].
    present: Vec<u64>,
}

const NONE: u32 = u32::MAX;

/// Where a path of fields leads from a node.
pub(super) enum Follow {
    /// No child has one of the fields.
    None,
    /// One node: its entry.
    One(u32),
    /// Some field is on more than one child.
    Many,
}

/// What `read_tree.c` writes into, field for field its `PykataTable`.
#[repr(C)]
struct Out {
    entries: *mut Entry,
    kinds: *mut u16,
    below: *mut u64,
    capacity: u32,
    kind_bits: *const u64,
    kind_bit_count: u32,
    present: *mut u64,
    present_words: u32,
    keep_anonymous: *const u64,
    keep_words: u32,
    grow: unsafe extern "C" fn(out: *mut Out, written: u32),
    /// The [`Table`] the arrays belong to.
    owner: *mut std::ffi::c_void,
}

unsafe extern "C" {
    /// Writes `root` and the nodes a tree cursor visits below it, in document order, into
    /// the entries, kinds and summaries of `out` (calling `out.grow` when they are full), and
    /// returns how many there are. See `read_tree.c`.
    fn pykata_read_tree(root: ffi::TSNode, out: *mut Out) -> u32;
    /// The same for the whole of `tree`, which it deletes, freeing each node as it reads it.
    fn pykata_read_and_delete_tree(tree: *mut ffi::TSTree, out: *mut Out) -> u32;
}

/// `Out::grow`: keeps the first `written` items of each array and makes room for twice as
/// many.
///
/// # Safety
/// `out` is the `Out` of a read under way, its arrays those of `out.owner`, each with its
/// first `written` items written.
unsafe extern "C" fn grow(out: *mut Out, written: u32) {
    // SAFETY: the caller's contract: `out` and its owner are live, and nothing else holds
    // them while the C walk is stopped in this call.
    let (out, table) = unsafe { (&mut *out, &mut *(*out).owner.cast::<Table>()) };
    let written = written as usize;
    let want = (2 * written).max(64);
    // SAFETY: the first `written` items of each array were written, and are plain data.
    unsafe {
        table.entries.set_len(written);
        table.kinds.set_len(written);
        table.kinds_below.set_len(written);
    }
    table.entries.reserve(want - written);
    table.kinds.reserve(want - written);
    table.kinds_below.reserve(want - written);
    table.aim(out);
}

impl Table {
    /// Points `out` at the arrays' room.
    fn aim(&mut self, out: &mut Out) {
        let room = self
            .entries
            .capacity()
            .min(self.kinds.capacity())
            .min(self.kinds_below.capacity());
        out.entries = self.entries.as_mut_ptr();
        out.kinds = self.kinds.as_mut_ptr();
        out.below = self.kinds_below.as_mut_ptr();
        out.capacity = u32::try_from(room).unwrap_or(u32::MAX);
    }

    /// Reads with `read` (one of the C walks, handed `out`) into this table, emptied and given
    /// room for `want` entries first, keeping the anonymous leaves `anonymous` keeps.
    fn fill(
        &mut self,
        want: usize,
        anonymous: &AnonymousKinds,
        read: impl FnOnce(*mut Out) -> u32,
    ) {
        let keep = anonymous.words();
        let bits = super::bloom::bits();
        self.present.clear();
        self.present.resize(bits.len().div_ceil(64), 0);
        make_room(&mut self.entries, want);
        make_room(&mut self.kinds, want);
        make_room(&mut self.kinds_below, want);
        let mut out = Out {
            entries: std::ptr::null_mut(),
            kinds: std::ptr::null_mut(),
            below: std::ptr::null_mut(),
            capacity: 0,
            kind_bits: bits.as_ptr(),
            kind_bit_count: u32::try_from(bits.len()).unwrap_or(0),
            present: self.present.as_mut_ptr(),
            present_words: u32::try_from(self.present.len()).unwrap_or(0),
            keep_anonymous: keep.map_or(std::ptr::null(), <[u64]>::as_ptr),
            keep_words: keep.map_or(0, |k| u32::try_from(k.len()).unwrap_or(0)),
            grow,
            owner: std::ptr::null_mut(),
        };
        // From here until the read returns, the table is reached only through `owner`.
        let owner: *mut Table = self;
        out.owner = owner.cast();
        // SAFETY: `owner` is this table, live and not otherwise touched meanwhile.
        unsafe { (*owner).aim(&mut out) };
        let count = read(&mut out) as usize;
        // SAFETY: the C walk wrote every field of the first `count` items of each array, all
        // within their room (it grows them through `out.grow` before writing past it).
        unsafe {
            self.entries.set_len(count);
            self.kinds.set_len(count);
            self.kinds_below.set_len(count);
        }
        list_children(self);
    }

    /// A thread's spare table, or a new one.
    fn spare() -> Table {
        SPARE
            .try_with(|spare| spare.borrow_mut().take())
            .ok()
            .flatten()
            .unwrap_or_default()
    }
}

/// The largest table a thread keeps for its next read (about 10 MB): a larger tree's is
/// freed after it.
const KEPT_ENTRIES: usize = 1 << 17;

thread_local! {
    /// A table's arrays, emptied, for the thread's next read.
    static SPARE: RefCell<Option<Table>> = const { RefCell::new(None) };
}

impl Drop for Nodes<'_> {
    fn drop(&mut self) {
        if self.table.entries.capacity() > KEPT_ENTRIES {
            return;
        }
        let mut table = std::mem::take(&mut self.table);
        table.entries.clear();
        table.kids.clear();
        table.kinds.clear();
        table.kinds_below.clear();
        table.present.clear();
        // A thread that is exiting has no spare to keep it in.
        let _ = SPARE.try_with(|spare| spare.borrow_mut().get_or_insert(table).entries.len());
    }
}

impl Nodes<'static> {
    /// Reads the whole of `tree` but for the anonymous leaves `anonymous` does not keep, and
    /// deletes the tree, freeing each node right after reading it (for a caller done with the
    /// tree, this costs less than a read and a delete). The table has no nodes: its
    /// [`Nodes::node`] is `None`.
    pub fn read_and_delete(tree: tree_sitter::Tree, anonymous: &AnonymousKinds) -> Nodes<'static> {
        let want = tree.root_node().descendant_count();
        let raw = tree.into_raw();
        let mut table = Table::spare();
        // SAFETY: `raw` is a whole tree this call owns (the `Tree` gave it up), which the C
        // walk deletes; nothing else refers to it.
        table.fill(want, anonymous, |out| unsafe {
            pykata_read_and_delete_tree(raw, out)
        });
        Nodes {
            tree: std::ptr::null(),
            table,
            nodes: PhantomData,
        }
    }
}

impl<'t> Nodes<'t> {
    /// Reads `root` and everything below it, with one call of `read_tree.c`, which walks
    /// tree-sitter's subtrees as its tree cursor does (the tests hold it to the cursor, entry
    /// by entry).
    pub fn new(root: Node<'t>) -> Nodes<'t> {
        Self::read(root, &AnonymousKinds::every())
    }

    /// Reads `root` and everything below it, but for the anonymous leaves without a field
    /// whose kinds `anonymous` does not keep: the table the queries it was made for need.
    pub fn read(root: Node<'t>, anonymous: &AnonymousKinds) -> Nodes<'t> {
        let raw = root.into_raw();
        let mut table = Table::spare();
        // SAFETY: `root` is a node of a tree borrowed for `'t`, so its `id` and `tree` point
        // into a live tree that cannot be edited or freed meanwhile.
        table.fill(root.descendant_count(), anonymous, |out| unsafe {
            pykata_read_tree(raw, out)
        });
        Nodes {
            tree: raw.tree,
            table,
            nodes: PhantomData,
        }
    }

    /// The node of entry `i`, while the tree is there (not for a table whose read deleted it).
    pub fn node(&self, i: u32) -> Option<Node<'t>> {
        if self.tree.is_null() {
            return None;
        }
        let e = &self.table.entries[i as usize];
        let raw = ffi::TSNode {
            context: [e.start_byte, e.row, e.column, u32::from(e.alias)],
            id: e.id,
            tree: self.tree,
        };
        // SAFETY: this is the node `read_tree.c` read (tree-sitter's API builds it the same
        // way: where it starts, its alias, the address of its subtree inside the tree, and the
        // tree), of the tree borrowed for `'t`, which is still there.
        Some(unsafe { Node::from_raw(raw) })
    }

    /// Where entry `i` starts and ends as tree-sitter counts (rows from 0, columns in bytes):
    /// the start as read, the end found in `source`, the text its tree was parsed from.
    pub fn points(&self, i: u32, source: &str) -> (tree_sitter::Point, tree_sitter::Point) {
        let e = &self.table.entries[i as usize];
        let start = tree_sitter::Point::new(e.row as usize, e.column as usize);
        let text = source
            .as_bytes()
            .get(e.start_byte as usize..e.end_byte as usize)
            .unwrap_or_default();
        let end = match memchr::memrchr(b'\n', text) {
            None => tree_sitter::Point::new(start.row, start.column + text.len()),
            Some(last) => tree_sitter::Point::new(
                start.row + memchr::memchr_iter(b'\n', text).count(),
                text.len() - last - 1,
            ),
        };
        (start, end)
    }

    /// The text of entry `i` in `source`, the text its tree was parsed from.
    pub fn text<'s>(&self, i: u32, source: &'s str) -> &'s str {
        source.get(self.byte_range(i)).unwrap_or("")
    }

    /// The texts of the table's leaves (in `source`, the text its tree was parsed from), in
    /// document order.
    pub fn leaf_texts<'a, 's: 'a>(&'a self, source: &'s str) -> impl Iterator<Item = &'s str> + 'a {
        (0..self.table.entries.len() as u32)
            .filter(|&i| !self.has_children(i))
            .map(move |i| self.text(i, source))
    }

    /// The outermost of entry `i` and its ancestors that span the same bytes as it.
    pub fn outermost_alike(&self, mut i: u32) -> u32 {
        let range = self.byte_range(i);
        while let Some(p) = self.parent(i) {
            if self.byte_range(p) != range {
                break;
            }
            i = p;
        }
        i
    }

    /// The innermost of entry `i` and its descendants that span the same bytes as it.
    pub fn innermost_alike(&self, mut i: u32) -> u32 {
        let range = self.byte_range(i);
        while let Some(&c) = self
            .children(i)
            .iter()
            .find(|&&c| self.byte_range(c) == range)
        {
            i = c;
        }
        i
    }

    /// The entry reached from entry `at` through a child with each field of `path` in turn.
    pub(super) fn follow(&self, mut at: u32, path: &[u16]) -> Follow {
        for &field in path {
            let mut with = self
                .children(at)
                .iter()
                .filter(|&&c| self.table.entries[c as usize].field == field);
            match (with.next(), with.next()) {
                (Some(&c), None) => at = c,
                (None, _) => return Follow::None,
                (Some(_), Some(_)) => return Follow::Many,
            }
        }
        Follow::One(at)
    }

    /// Entry `i` and its descendants, in document order.
    pub fn subtree(&self, i: u32) -> std::ops::Range<u32> {
        i..self.table.entries[i as usize].end
    }

    /// The parent of entry `i`.
    pub fn parent(&self, i: u32) -> Option<u32> {
        let p = self.table.entries[i as usize].parent;
        (p != NONE).then_some(p)
    }

    /// The bytes of entry `i` in the source.
    pub fn byte_range(&self, i: u32) -> std::ops::Range<usize> {
        let e = &self.table.entries[i as usize];
        e.start_byte as usize..e.end_byte as usize
    }

    /// The kinds the table holds.
    pub fn kind_set(&self) -> super::bloom::KindSet<'_> {
        super::bloom::KindSet(&self.table.present)
    }

    /// The kinds in the subtree of entry `i`, as `bloom` sums them up.
    pub(super) fn subtree_kinds(&self, i: u32) -> u64 {
        self.table
            .kinds_below
            .get(i as usize)
            .copied()
            .unwrap_or(u64::MAX)
    }

    pub(super) fn kind(&self, i: u32) -> u16 {
        self.table.kinds[i as usize]
    }

    fn named(&self, i: u32) -> bool {
        self.table.entries[i as usize].flags & NAMED != 0
    }

    fn field(&self, i: u32) -> u16 {
        self.table.entries[i as usize].field
    }

    pub(super) fn has_children(&self, i: u32) -> bool {
        self.table.entries[i as usize].count > 0
    }

    fn children(&self, i: u32) -> &[u32] {
        let e = &self.table.entries[i as usize];
        &self.table.kids[e.first as usize..(e.first + e.count) as usize]
    }
}

/// Gives the empty `items` room for `n` (at least twice what it had, as `Vec` grows): a
/// larger array is allocated afresh, not grown, as growing would copy the old, unused one.
fn make_room<T>(items: &mut Vec<T>, n: usize) {
    debug_assert!(items.is_empty());
    let had = items.capacity();
    if had < n {
        *items = Vec::new();
        items.reserve(n.max(2 * had));
    }
}

/// Lists each entry's children together in `table.kids`, in document order, from the entries'
/// parents and child counts.
fn list_children(table: &mut Table) {
    let Table { entries, kids, .. } = table;
    // Each entry's `first` is first set past its children, then moved back over them as they
    // are placed, last child first.
    let mut next = 0u32;
    for e in entries.iter_mut() {
        next += e.count;
        e.first = next;
    }
    kids.clear();
    make_room(kids, next as usize);
    kids.resize(next as usize, 0);
    for i in (1..entries.len()).rev() {
        let parent = entries[i].parent as usize;
        let first = &mut entries[parent].first;
        *first -= 1;
        kids[*first as usize] = i as u32;
    }
}

#[cfg(test)]
impl Nodes<'static> {
    /// [`Nodes::read`] and [`Nodes::read_and_delete`] (`delete`) of the whole of `tree`, into
    /// a table with no room at first, which grows as the walk goes.
    pub(super) fn read_growing(tree: tree_sitter::Tree, delete: bool) -> (usize, Nodes<'static>) {
        let raw = tree.into_raw();
        let mut table = Table::default();
        let mut grown = 0;
        table.fill(0, &AnonymousKinds::every(), |out| {
            // SAFETY: as in `read` and `read_and_delete`: `raw` is a whole tree this call
            // owns.
            let count = unsafe {
                if delete {
                    pykata_read_and_delete_tree(raw, out)
                } else {
                    pykata_read_tree(ffi::ts_tree_root_node(raw), out)
                }
            };
            // SAFETY: the read is over; `out` is still the one the walk grew.
            grown = unsafe { (*out).capacity } as usize;
            count
        });
        if !delete {
            // SAFETY: the live read left the tree whole, and this call owns it.
            unsafe { ffi::ts_tree_delete(raw) };
        }
        (
            grown,
            Nodes {
                tree: std::ptr::null(),
                table,
                nodes: PhantomData,
            },
        )
    }
}

#[cfg(test)]
impl<'t> Nodes<'t> {
    /// Reads `root` through tree-sitter's tree cursor and node API, leaving out the anonymous
    /// leaves without a field that `anonymous` does not keep: the reference `read_tree.c` is
    /// held to.
    pub(super) fn read_with_cursor(root: Node<'t>, anonymous: &AnonymousKinds) -> Nodes<'t> {
        let language: tree_sitter::Language = tree_sitter_python::LANGUAGE.into();
        let is_named = |kind: u16| {
            kind as usize >= language.node_kind_count() || language.node_kind_is_named(kind)
        };
        let field_of =
            |cursor: &tree_sitter::TreeCursor<'t>| cursor.field_id().map_or(0, |f| f.get());
        let entry = |node: Node<'t>, field: u16, parent: u32| {
            let raw = node.into_raw();
            let kind = node.kind_id();
            Entry {
                id: raw.id,
                start_byte: node.start_byte() as u32,
                row: node.start_position().row as u32,
                column: node.start_position().column as u32,
                end_byte: node.end_byte() as u32,
                parent,
                end: 0,
                first: 0,
                count: 0,
                alias: raw.context[3] as u16,
                kind,
                field,
                flags: if is_named(kind) { NAMED } else { 0 }
                    | if node.is_missing() { MISSING } else { 0 },
            }
        };
        let left_out = |cursor: &tree_sitter::TreeCursor<'t>| {
            let node = cursor.node();
            let kind = node.kind_id();
            node.child_count() == 0
                && field_of(cursor) == 0
                && !is_named(kind)
                && !anonymous.keeps(kind)
        };
        // Moves the cursor on to the next sibling it does not leave out, if there is one.
        let next_kept = |cursor: &mut tree_sitter::TreeCursor<'t>| {
            while cursor.goto_next_sibling() {
                if !left_out(cursor) {
                    return true;
                }
            }
            false
        };
        // Enters the cursor's node as a child of the innermost entry still open.
        let enter = |entries: &mut Vec<Entry>,
                     path: &mut Vec<u32>,
                     cursor: &tree_sitter::TreeCursor<'t>| {
            let parent = *path.last().unwrap_or(&0);
            entries.push(entry(cursor.node(), field_of(cursor), parent));
            path.push((entries.len() - 1) as u32);
        };
        let mut entries = Vec::with_capacity(root.descendant_count());
        entries.push(entry(root, 0, NONE));
        let mut cursor = root.walk();
        // The entries of the current node's ancestors, innermost last.
        let mut path: Vec<u32> = vec![0];
        'walk: loop {
            if cursor.goto_first_child() {
                if !left_out(&cursor) || next_kept(&mut cursor) {
                    enter(&mut entries, &mut path, &cursor);
                    continue;
                }
                cursor.goto_parent();
            }
            loop {
                let Some(done) = path.pop() else { break 'walk };
                entries[done as usize].end = entries.len() as u32;
                if path.is_empty() {
                    break 'walk;
                }
                if next_kept(&mut cursor) {
                    enter(&mut entries, &mut path, &cursor);
                    continue 'walk;
                }
                cursor.goto_parent();
            }
        }
        for i in 1..entries.len() {
            let parent = entries[i].parent as usize;
            entries[parent].count += 1;
        }
        let kinds: Vec<u16> = entries.iter().map(|e| e.kind).collect();
        let kinds_below = super::bloom::subtree_bits(&kinds, |i| entries[i].parent as usize);
        let mut present = vec![0u64; super::bloom::bits().len().div_ceil(64)];
        for &kind in &kinds {
            if let Some(word) = present.get_mut(kind as usize / 64) {
                *word |= 1 << (kind % 64);
            }
        }
        let mut table = Table {
            entries,
            kids: Vec::new(),
            kinds,
            kinds_below,
            present,
        };
        list_children(&mut table);
        Nodes {
            tree: root.into_raw().tree,
            table,
            nodes: PhantomData,
        }
    }

    /// Every node of the table, in document order (none when the read deleted the tree).
    pub(super) fn all(&self) -> impl Iterator<Item = Node<'t>> + '_ {
        (0..self.table.entries.len() as u32).filter_map(|i| self.node(i))
    }

    /// The first way this table and `other` differ (any field of any entry, its node as the
    /// API reads it when both trees are there, or the children lists), if they differ.
    pub(super) fn difference(&self, other: &Nodes<'_>) -> Option<String> {
        let (mine, theirs) = (&self.table, &other.table);
        if mine.entries.len() != theirs.entries.len() {
            return Some(format!(
                "{} entries against {}",
                mine.entries.len(),
                theirs.entries.len()
            ));
        }
        for i in 0..mine.entries.len() {
            let both = !self.tree.is_null() && !other.tree.is_null();
            let facts = |nodes: &Nodes<'_>| {
                let e = nodes.table.entries[i];
                let node = nodes.node(i as u32).filter(|_| both).map(|node| {
                    let raw = node.into_raw();
                    (
                        (raw.context, raw.id, raw.tree),
                        (
                            node.id(),
                            node.byte_range(),
                            node.kind_id(),
                            node.is_named(),
                        ),
                        (node.start_position(), node.end_position()),
                    )
                });
                (
                    node,
                    (e.kind, e.field, e.flags, e.parent, e.first, e.count, e.end),
                    (e.start_byte, e.end_byte, e.row, e.column, e.alias),
                    (nodes.table.kinds[i], nodes.table.kinds_below[i]),
                )
            };
            let (fa, fb) = (facts(self), facts(other));
            if fa != fb {
                let e = self.table.entries[i];
                return Some(format!(
                    "entry {i} (kind {} at {}:{}): {fa:?} against {fb:?}",
                    e.kind, e.row, e.column
                ));
            }
        }
        if mine.present != theirs.present {
            return Some("the sets of kinds differ".to_string());
        }
        (mine.kids != theirs.kids).then(|| "the children lists differ".to_string())
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
    /// Captures entry `node` as every capture of the chain, outermost first.
    fn capture(&self, node: u32, out: &mut Vec<(u32, u32)>) {
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
    /// Capture ids and the entries they captured.
    pub captures: Vec<(u32, u32)>,
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
                .all(|&(id, node)| self.node_passes(id, node))
    }

    /// Whether entry `node`, captured as `capture`, passes the pattern's one-node predicates
    /// on it.
    fn node_passes(&self, capture: u32, node: u32) -> bool {
        self.early
            .iter()
            .filter(|(c, _)| *c == capture)
            .all(|(_, p)| one_node_holds(p, self.nodes.text(node, self.source)))
    }
}

fn kind_ok(kind: &Kind, missing: bool, nodes: &Nodes<'_>, at: u32) -> bool {
    let e = &nodes.table.entries[at as usize];
    if missing && e.flags & MISSING == 0 {
        return false;
    }
    match kind {
        Kind::Any => e.kind != u16::MAX,
        Kind::AnyNamed => e.flags & NAMED != 0 && e.kind != u16::MAX,
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
            let later_named = own.last && kids[p + 1..].iter().any(|&k| nodes.named(k));
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
    if !kind_ok(&pat.kind, pat.missing, nodes, at)
        || pending.field.is_some_and(|f| f != nodes.field(at))
        || later_named
        || (!pat.negated.is_empty()
            && nodes
                .children(at)
                .iter()
                .any(|&c| pat.negated.contains(&nodes.field(c))))
    {
        return false;
    }
    let mark = st.captures.len();
    pending.capture(at, &mut st.captures);
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
    while let Some(&k) = kids.get(p) {
        if may_start(item, k, st) && test(st, p) {
            return Some(p);
        }
        // After an anchor, only anonymous nodes may be passed over.
        if immediate && st.nodes.named(k) {
            break;
        }
        p += 1;
    }
    None
}

/// Whether `item` could start at entry `e`, by its field and its first node's kind: most
/// places fail this cheap test.
fn may_start(item: &Item, at: u32, st: &State<'_, '_, '_, '_>) -> bool {
    if item.field.is_some_and(|f| f != st.nodes.field(at)) {
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
    if !kind_ok(&pat.kind, pat.missing, nodes, at) {
        return false;
    }
    if !st.early.is_empty() && !captures.iter().all(|&c| st.node_passes(c, at)) {
        return false;
    }
    let kids = nodes.children(at);
    if !pat.negated.is_empty() && kids.iter().any(|&k| pat.negated.contains(&nodes.field(k))) {
        return false;
    }
    pat.children
        .iter()
        .all(|item| match (&item.pat, item.field) {
            (Pat::Node(child), Some(field)) if item.quant == Quant::One => kids
                .iter()
                .any(|&k| nodes.field(k) == field && quick(child, &item.captures, k, st)),
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
    out: &mut Vec<Vec<(u32, u32)>>,
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
fn keep_longest(out: &mut Vec<Vec<(u32, u32)>>, start: usize) {
    let keys: Vec<Vec<(u32, u32)>> = out[start..]
        .iter()
        .map(|m| {
            let mut k = m.clone();
            k.sort_unstable();
            k
        })
        .collect();
    let within = |a: &[(u32, u32)], b: &[(u32, u32)]| {
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
    out: &mut Vec<Vec<(u32, u32)>>,
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
fn record(
    pattern: &TopPattern,
    st: &State<'_, '_, '_, '_>,
    out: &mut Vec<Vec<(u32, u32)>>,
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
    let text = |node: u32| st.nodes.text(node, st.source);
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
                        let equal = text(x) == text(y);
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
            !*all || nodes(*a).all(|n| one_node_holds(p, text(n)))
        }
        Predicate::AnyOf { a, .. } => nodes(*a).all(|n| one_node_holds(p, text(n))),
    })
}
