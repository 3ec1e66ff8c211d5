//! Leaving out, for one file, the rules that cannot match in it: each rule needs some texts
//! (the names and literals its predicates pin, see [`Needs`]). A name is looked for among the
//! leaves of the file's tree: a node whose whole text is `open` has a leaf `open`, and a name
//! that is only in a string or a comment does not count. Any other text is looked for in the
//! file's text, and only when a rule that is still possible needs it.

use std::cell::Cell;

use super::fast_hash::FastMap;
use super::matcher::{Needs, Text, stands_alone};
use super::text_shapes::Shapes;

/// The needs of a list of rules, searched for together.
pub(super) struct Prefilter {
    texts: Vec<Text>,
    /// For each text, whether it is a whole name (see [`is_name_token`]).
    is_name: Vec<bool>,
    /// The texts that are whole names, by text: found among the leaves.
    names: FastMap<String, usize>,
    /// The names' shapes: most leaves are ruled out without hashing.
    name_shapes: Shapes,
    /// For each rule, its clauses as indices into `texts`, those of names only first.
    rules: Vec<Vec<Vec<usize>>>,
}

/// Whether `text` is a whole name: a token that is an ASCII identifier. (The same letters as
/// a regex's literal are another text, which may be part of a longer word.)
fn is_name_token(text: &Text) -> bool {
    let mut bytes = text.text.bytes();
    text.token
        && bytes
            .next()
            .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
        && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_')
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
        let is_name: Vec<bool> = texts.iter().map(is_name_token).collect();
        let mut names = FastMap::default();
        let mut name_shapes = Shapes::default();
        for (i, text) in texts.iter().enumerate().filter(|(i, _)| is_name[*i]) {
            names.insert(text.text.clone(), i);
            name_shapes.add(&text.text);
        }
        for clauses in &mut rules {
            clauses.sort_by_key(|c: &Vec<usize>| !c.iter().all(|&t| is_name[t]));
        }
        Prefilter {
            texts,
            is_name,
            names,
            name_shapes,
            rules,
        }
    }

    /// Leaves possible, of the rules marked in `possible`, only those whose every text a file
    /// has: `source` is the file's text and `leaves` the texts of its tree's leaves (of a tree
    /// without syntax errors, where every name is a token of its own).
    pub(super) fn keep_possible<'s>(
        &self,
        source: &str,
        leaves: impl Iterator<Item = &'s str>,
        possible: &mut [bool],
    ) {
        // For each text: unknown yet (a text that is not a name is looked for when a rule
        // asks), present, or absent.
        let present: Vec<Cell<Option<bool>>> = self
            .is_name
            .iter()
            .map(|&name| Cell::new(name.then_some(false)))
            .collect();
        let mut unseen = self.names.len();
        if unseen > 0 {
            for leaf in leaves {
                if !self.name_shapes.may_hold(leaf) {
                    continue;
                }
                if let Some(&t) = self.names.get(leaf)
                    && present[t].get() == Some(false)
                {
                    present[t].set(Some(true));
                    unseen -= 1;
                    if unseen == 0 {
                        break;
                    }
                }
            }
        }
        let bytes = source.as_bytes();
        let has = |t: usize| match present[t].get() {
            Some(known) => known,
            None => {
                let text = &self.texts[t];
                let known = memchr::memmem::find_iter(bytes, text.text.as_bytes())
                    .any(|at| !text.token || stands_alone(bytes, at, text.text.as_bytes()));
                present[t].set(Some(known));
                known
            }
        };
        for (clauses, possible) in self.rules.iter().zip(possible) {
            if *possible {
                *possible = clauses.iter().all(|c| c.iter().any(|&t| has(t)));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Prefilter;
    use crate::check::matcher::{Needs, Nodes, Text};
    use crate::check::parse_python;

    fn needs(texts: &[(&str, bool)]) -> Needs {
        Needs {
            clauses: vec![
                texts
                    .iter()
                    .map(|(text, token)| Text {
                        text: text.to_string(),
                        token: *token,
                    })
                    .collect(),
            ],
        }
    }

    /// What the prefilter says of `source`, read as a scan reads it.
    fn verdicts(filter: &Prefilter, source: &str) -> Vec<bool> {
        let tree = parse_python(source).expect("a tree");
        let nodes = Nodes::new(tree.root_node());
        let mut possible = vec![true; filter.rules.len()];
        filter.keep_possible(source, nodes.leaf_texts(source), &mut possible);
        possible
    }

    #[test]
    fn names_count_as_leaves_and_other_texts_anywhere_in_the_text() {
        let filter = Prefilter::new([
            needs(&[("open", true)]),
            needs(&[("torch", false)]),
            needs(&[("os.path", true)]),
            needs(&[("open", true), ("fopen", true)]),
            needs(&[("open", false)]),
        ]);
        // A name in a comment, or inside a longer string, is no leaf of its own; a literal
        // counts inside a word.
        assert_eq!(
            verdicts(&filter, "import pytorch_lightning  # open\nx = 'open it'\n"),
            vec![false, true, false, false, true]
        );
        assert_eq!(
            verdicts(&filter, "f = fopen(p)\n"),
            vec![false, false, false, true, true]
        );
        assert_eq!(
            verdicts(&filter, "with open(p) as f:\n    pass\n"),
            vec![true, false, false, true, true]
        );
        // A token that is not a name is looked for in the text, standing alone.
        assert_eq!(
            verdicts(&filter, "p = os.path.join(a)\n"),
            vec![false, false, true, false, false]
        );
        assert_eq!(
            verdicts(&filter, "p = nos.paths\n"),
            vec![false, false, false, false, false]
        );
    }
}
