//! What kinds of node a subtree holds, summed up in 64 bits: each kind (but the few that are
//! everywhere) sets one bit, and a node's summary is that of its whole subtree. A pattern that
//! needs a `subscript` or an `"or"` somewhere below its first node cannot match at a node whose
//! summary lacks that bit, which two instructions tell before any matching.

use std::sync::OnceLock;

use super::parse::{Item, Kind, Pat, Quant};

/// Kinds in nearly every subtree, which would set their bit everywhere and so tell nothing.
const EVERYWHERE: &[&str] = &[
    "module",
    "identifier",
    "attribute",
    "call",
    "argument_list",
    "expression_statement",
    "block",
    "parameters",
    "string",
    "string_start",
    "string_content",
    "string_end",
    "comment",
    "(",
    ")",
    ",",
    ".",
    ":",
    "=",
    "[",
    "]",
    "{",
    "}",
];

/// The bit of each kind id (0: none).
pub(super) fn bits() -> &'static [u64] {
    static BITS: OnceLock<Vec<u64>> = OnceLock::new();
    BITS.get_or_init(|| {
        let language = super::language();
        let mut next = 0u32;
        (0..language.node_kind_count() as u16)
            .map(|id| match language.node_kind_for_id(id) {
                Some(name) if !EVERYWHERE.contains(&name) => {
                    next += 1;
                    1u64 << (next % 64)
                }
                _ => 0,
            })
            .collect()
    })
}

/// The bit of a node kind (0 for a kind that has none).
pub(super) fn bit_of(kind: u16) -> u64 {
    bits().get(kind as usize).copied().unwrap_or(0)
}

/// The summaries of a table's subtrees, for entries of these kinds and parents (parents come
/// before their children), as `read_tree.c` sums them up while it reads a tree.
#[cfg(test)]
pub(super) fn subtree_bits(kinds: &[u16], parent: impl Fn(usize) -> usize) -> Vec<u64> {
    let table = bits();
    let mut out: Vec<u64> = kinds
        .iter()
        .map(|&k| table.get(k as usize).copied().unwrap_or(0))
        .collect();
    for i in (1..out.len()).rev() {
        let p = parent(i);
        if p < i {
            out[p] |= out[i];
        }
    }
    out
}

/// The kinds a pattern needs below its first node: every bit of `all`, and some bit of each
/// of `any`.
#[derive(Debug, Clone, Default)]
pub(super) struct KindNeeds {
    all: u64,
    any: Vec<u64>,
    /// The same needs kind by kind, every kind with its own place: some kind of each clause
    /// (while the needs are read; then as `exact_words`).
    exact: Vec<Vec<u16>>,
    /// `exact` as a [`KindSet`] tests it: for each clause, words of the set and the bits one
    /// of which it needs.
    exact_words: Vec<Vec<(usize, u64)>>,
}

/// Which kinds a whole tree holds, exactly: bit `k % 64` of word `k / 64` for kind `k`.
pub struct KindSet<'a>(pub(super) &'a [u64]);

impl KindNeeds {
    /// What a top-level pattern needs in the subtree of the node it starts at (a sequence of
    /// siblings spans several subtrees: nothing).
    pub(super) fn of(item: &Item) -> KindNeeds {
        let mut needs = KindNeeds::default();
        if !matches!(&item.pat, Pat::Group(items) if items.len() > 1) {
            needs.add(item);
        }
        let kinds = bits().len();
        for clause in std::mem::take(&mut needs.exact) {
            // A kind past the grammar's (the error kind) counts as held: the clause is met.
            if clause.iter().any(|&k| k as usize >= kinds) {
                continue;
            }
            let mut words: Vec<(usize, u64)> = Vec::new();
            for k in clause {
                let word = k as usize / 64;
                match words.iter_mut().find(|(w, _)| *w == word) {
                    Some((_, mask)) => *mask |= 1 << (k % 64),
                    None => words.push((word, 1 << (k % 64))),
                }
            }
            if !needs.exact_words.contains(&words) {
                needs.exact_words.push(words);
            }
        }
        needs
    }

    /// Whether a subtree with the summary `bits` may hold a match.
    pub(super) fn may_hold(&self, bits: u64) -> bool {
        bits & self.all == self.all && self.any.iter().all(|m| bits & m != 0)
    }

    /// Whether a tree that holds the kinds `set` may hold a match.
    pub(super) fn may_be_in(&self, set: &KindSet<'_>) -> bool {
        self.exact_words.iter().all(|clause| {
            clause
                .iter()
                .any(|&(word, mask)| set.0.get(word).is_none_or(|w| w & mask != 0))
        })
    }

    fn add(&mut self, item: &Item) {
        if matches!(item.quant, Quant::Optional | Quant::ZeroOrMore) {
            return;
        }
        match &item.pat {
            Pat::Node(node) => {
                if let Kind::Ids(ids) = &node.kind {
                    self.clause(ids.iter().map(|&k| bit_of(k)));
                    self.exact.push(ids.clone());
                }
                for child in &node.children {
                    self.add(child);
                }
            }
            // Some branch matches, so some branch's kinds are all there: at least one bit of
            // the union of what each needs in full.
            Pat::Alt(branches) => {
                let ways: Vec<KindNeeds> = branches
                    .iter()
                    .map(|branch| {
                        let mut one = KindNeeds::default();
                        one.add(branch);
                        one
                    })
                    .collect();
                self.clause(ways.iter().map(|one| one.all));
                // Each way's kinds of the clauses that have one kind; a way with none needs
                // nothing.
                let mut union = Vec::new();
                for one in &ways {
                    let before = union.len();
                    union.extend(one.exact.iter().filter(|c| c.len() == 1).map(|c| c[0]));
                    if union.len() == before {
                        return;
                    }
                }
                self.exact.push(union);
            }
            Pat::Group(items) => {
                for item in items {
                    self.add(item);
                }
            }
        }
    }

    /// Needs one of these bits; nothing if one of them is 0 (a way that needs no bit).
    fn clause(&mut self, bits: impl Iterator<Item = u64>) {
        let mut mask = 0;
        let mut ways = 0;
        for bit in bits {
            if bit == 0 {
                return;
            }
            mask |= bit;
            ways += 1;
        }
        match ways {
            0 => {}
            1 => self.all |= mask,
            _ if mask.count_ones() == 1 => self.all |= mask,
            _ => self.any.push(mask),
        }
    }
}
