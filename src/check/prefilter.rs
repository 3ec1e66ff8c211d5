//! Leaving out, for one file, the rules that cannot match in it: each rule needs some texts
//! (its keywords and the names its predicates pin, see [`Needs`]), and one pass over the file
//! finds which of them it has.

use std::cell::Cell;

use aho_corasick::{AhoCorasick, AhoCorasickKind};

use super::matcher::{Needs, Text, is_common, stands_alone};

/// The needs of a list of rules, searched for together.
pub(super) struct Prefilter {
    texts: Vec<Text>,
    /// The texts that are not in nearly every file, found in one pass; `None` when there are
    /// none. The common ones (`def`, `self`) would be found thousands of times a file, so each
    /// is looked for alone, only when a rule still needs it, and found near the top.
    searcher: Option<AhoCorasick>,
    /// The text behind each of the searcher's patterns.
    searched: Vec<usize>,
    /// For each text, whether the searcher looks for it.
    in_searcher: Vec<bool>,
    /// For each rule, its clauses as indices into `texts`, those without a common text first.
    rules: Vec<Vec<Vec<usize>>>,
}

impl Prefilter {
    /// A prefilter for rules with these needs, in order.
    pub(super) fn new(needs: impl IntoIterator<Item = Needs>) -> Prefilter {
        let mut texts: Vec<Text> = Vec::new();
        let mut id = |text: Text| match texts.iter().position(|t| *t == text) {
            Some(i) => i,
            None => {
                texts.push(text);
                texts.len() - 1
            }
        };
        let mut rules: Vec<Vec<Vec<usize>>> = needs
            .into_iter()
            .map(|n| {
                n.clauses
                    .into_iter()
                    .map(|clause| clause.into_iter().map(&mut id).collect())
                    .collect()
            })
            .collect();
        let common = |t: usize| is_common(&texts[t].text);
        for clauses in &mut rules {
            clauses.sort_by_key(|c: &Vec<usize>| c.iter().any(|&t| common(t)));
        }
        let searched: Vec<usize> = (0..texts.len()).filter(|&t| !common(t)).collect();
        let searcher = if searched.is_empty() {
            None
        } else {
            // A DFA searches fastest but takes longer to build: worth it for a scan's many
            // texts, not for the few of one kata's check.
            let kind = (searched.len() > 64).then_some(AhoCorasickKind::DFA);
            AhoCorasick::builder()
                .kind(kind)
                .build(searched.iter().map(|&t| &texts[t].text))
                .ok()
        };
        let mut in_searcher = vec![false; texts.len()];
        if searcher.is_some() {
            for &t in &searched {
                in_searcher[t] = true;
            }
        }
        Prefilter {
            texts,
            searcher,
            searched,
            in_searcher,
            rules,
        }
    }

    /// How many rules it was made for.
    pub(super) fn rules(&self) -> usize {
        self.rules.len()
    }

    /// For each rule, whether `source` has every text it needs.
    pub(super) fn may_match(&self, source: &str) -> Vec<bool> {
        let bytes = source.as_bytes();
        let found = |t: &Text, at: usize| !t.token || stands_alone(bytes, at, t.text.as_bytes());
        // For each text: unknown yet (a common one not looked for), present, or absent.
        let present: Vec<Cell<Option<bool>>> = self
            .in_searcher
            .iter()
            .map(|&searched| Cell::new(searched.then_some(false)))
            .collect();
        if let Some(searcher) = &self.searcher {
            for m in searcher.find_overlapping_iter(source) {
                let t = self.searched[m.pattern().as_usize()];
                if present[t].get() == Some(false) && found(&self.texts[t], m.start()) {
                    present[t].set(Some(true));
                }
            }
        }
        let has = |t: usize| match present[t].get() {
            Some(known) => known,
            None => {
                let text = &self.texts[t];
                let known = memchr::memmem::find_iter(bytes, text.text.as_bytes())
                    .any(|at| found(text, at));
                present[t].set(Some(known));
                known
            }
        };
        self.rules
            .iter()
            .map(|clauses| clauses.iter().all(|c| c.iter().any(|&t| has(t))))
            .collect()
    }
}
