//! Which anonymous leaves a table must hold for some queries. A third of a Python tree's nodes
//! are punctuation and keywords (`(`, `,`, `.`, `def`), which a pattern can only match by
//! naming them (`"=="`, `"lambda"`) or with the wildcard `_`. A table read for queries that name
//! none of them leaves those leaves out, and every later pass over it (the children lists, the
//! walk of every node, the leaf texts) is that much shorter.
//!
//! Leaving such a leaf out changes no match: tree-sitter's anchors (`.`) ignore anonymous
//! siblings, a pattern's children may skip siblings anyway, and `(_)` matches named nodes only.
//! What a pattern can still reach is kept: a leaf reached by a field (`operator: _`,
//! `!operators`), a leaf of a kind some pattern names, and every leaf when some pattern has a
//! `_` without a field or a `(MISSING)` of any kind.

use super::parse::{Item, Kind, Pat, TopPattern};

/// The anonymous kinds whose leaves a table keeps (all of them, or those named by some queries).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AnonymousKinds {
    /// Every anonymous leaf is kept.
    every: bool,
    /// Bit `k % 64` of word `k / 64`: leaves of kind `k` are kept.
    kept: Vec<u64>,
}

impl AnonymousKinds {
    /// Keeps every leaf: the table a tree cursor would give.
    pub fn every() -> AnonymousKinds {
        AnonymousKinds {
            every: true,
            kept: Vec::new(),
        }
    }

    /// Whether every leaf is kept.
    pub fn keeps_every(&self) -> bool {
        self.every
    }

    /// Whether leaves of `kind` are kept.
    pub fn keeps(&self, kind: u16) -> bool {
        self.every
            || self
                .kept
                .get(kind as usize / 64)
                .is_some_and(|w| w & (1 << (kind % 64)) != 0)
    }

    /// Also keeps what `other` keeps.
    pub fn add(&mut self, other: &AnonymousKinds) {
        self.every |= other.every;
        if self.kept.len() < other.kept.len() {
            self.kept.resize(other.kept.len(), 0);
        }
        for (mine, theirs) in self.kept.iter_mut().zip(&other.kept) {
            *mine |= theirs;
        }
    }

    /// The kept kinds as words of bits, for `read_tree.c`; `None` when every leaf is kept.
    pub(super) fn words(&self) -> Option<&[u64]> {
        (!self.every).then_some(self.kept.as_slice())
    }

    /// What the patterns of a query can match.
    pub(super) fn of_patterns(patterns: &[TopPattern]) -> AnonymousKinds {
        let mut out = AnonymousKinds::default();
        for pattern in patterns {
            out.add_item(&pattern.item, false);
        }
        out
    }

    fn add_kind(&mut self, kind: u16) {
        let word = kind as usize / 64;
        if self.kept.len() <= word {
            self.kept.resize(word + 1, 0);
        }
        self.kept[word] |= 1 << (kind % 64);
    }

    /// `fielded`: the item's first node is reached by a field (its own or an enclosing
    /// alternation's), so it can only be a node that has one, which is always kept.
    fn add_item(&mut self, item: &Item, fielded: bool) {
        let fielded = fielded || item.field.is_some();
        match &item.pat {
            Pat::Node(node) => {
                match &node.kind {
                    // A `_` with children matches a node that has them, never a leaf.
                    Kind::Any => self.every |= !fielded && node.children.is_empty(),
                    Kind::AnyNamed => self.every |= node.missing,
                    Kind::Ids(ids) => ids.iter().for_each(|&id| self.add_kind(id)),
                }
                for child in &node.children {
                    self.add_item(child, false);
                }
            }
            Pat::Alt(items) => items.iter().for_each(|i| self.add_item(i, fielded)),
            // A field before a group is about its first node only.
            Pat::Group(items) => {
                for (n, i) in items.iter().enumerate() {
                    self.add_item(i, fielded && n == 0);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Query, language};
    use super::AnonymousKinds;

    fn kept(query: &str) -> AnonymousKinds {
        Query::new(query).unwrap().anonymous_kinds().clone()
    }

    fn id(name: &str) -> u16 {
        language().id_for_node_kind(name, false)
    }

    #[test]
    fn named_kinds_are_kept_and_wildcards_keep_what_they_can_reach() {
        let none = kept("(call function: (identifier) @f (#eq? @f \"open\")) @c");
        assert!(!none.keeps_every());
        assert!(!none.keeps(id("(")) && !none.keeps(id("def")));

        let ops = kept("(comparison_operator operators: \"==\" (none)) @c (lambda \"lambda\") @l");
        assert!(ops.keeps(id("==")) && ops.keeps(id("lambda")));
        assert!(!ops.keeps(id("!=")) && !ops.keeps(id(",")));

        assert!(
            kept("(binary_operator operator: _ @op) @b")
                .words()
                .is_some()
        );
        assert!(kept("(argument_list [_ (identifier)] @any)").keeps_every());
        assert!(kept("(argument_list _ @any)").keeps_every());
        assert!(kept("(block (MISSING) @m)").keeps_every());
        assert!(!kept("(block (MISSING \")\") @m)").keeps_every());
        assert!(!kept("(_ attribute: (identifier) @a)").keeps_every());

        let mut both = none.clone();
        both.add(&ops);
        assert!(both.keeps(id("==")) && !both.keeps(id("(")));
        both.add(&AnonymousKinds::every());
        assert!(both.keeps(id("(")) && both.words().is_none());
    }
}
