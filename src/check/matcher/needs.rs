//! The texts a file must contain for a pattern to match in it, read from the pattern: the
//! texts its predicates pin (`#eq? @f "open"`) and the literals their regexes cannot match
//! without (`"^torch(\\.|$)"`). A scan looks for them in a file's text before matching, and
//! leaves out the rules whose texts are absent: most rules of a library's kata (torch, pandas,
//! Django) have nothing to find in a file that never names the library. (What kinds of node a
//! pattern needs, keywords included, is checked on the tree itself: see `bloom`.)

use regex_syntax::hir::{Hir, HirKind};

use super::parse::{Item, Pat, Predicate, Quant, TopPattern};

/// Texts that must all be present, in the sense of a conjunction of clauses: each clause is
/// met when one of its texts is in the file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Needs {
    /// Each clause: texts one of which the file must have.
    pub clauses: Vec<Vec<Text>>,
}

/// A text to look for.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Text {
    /// What to look for, as written in the source.
    pub text: String,
    /// Whether it is a whole token (a keyword, a name, a node's whole text), so that it does
    /// not count where it is glued to a word character (see [`stands_alone`]); a regex's
    /// literal may be part of a longer word.
    pub token: bool,
}

impl Text {
    fn token(text: &str) -> Text {
        Text {
            text: text.to_string(),
            token: true,
        }
    }
}

impl Needs {
    /// What one of `patterns` needs (a query matches where any of its patterns does): the
    /// union of one clause of each, or nothing when some pattern needs nothing.
    pub(super) fn of_patterns(patterns: &[TopPattern]) -> Needs {
        Needs {
            clauses: either(patterns.iter().map(pattern_clauses).collect()),
        }
    }

    /// Adds what `other` needs: both must be met.
    pub fn and(&mut self, other: Needs) {
        for clause in other.clauses {
            if !self.clauses.contains(&clause) {
                self.clauses.push(clause);
            }
        }
    }

    /// Whether `source` meets every clause, by a plain search (what the tests check needs with).
    #[cfg(test)]
    pub fn met_in(&self, source: &str) -> bool {
        self.clauses.iter().all(|clause| {
            clause.iter().any(|t| {
                source.match_indices(t.text.as_str()).any(|(at, _)| {
                    !t.token || stands_alone(source.as_bytes(), at, t.text.as_bytes())
                })
            })
        })
    }
}

/// Clauses met whenever one of `ways` is met in full: a single way's own clauses, or for
/// several the union of each way's clause with the fewest texts (nothing when some way needs
/// nothing).
fn either(mut ways: Vec<Vec<Vec<Text>>>) -> Vec<Vec<Text>> {
    if ways.len() == 1 {
        return ways.pop().unwrap_or_default();
    }
    let mut union: Vec<Text> = Vec::new();
    for clauses in ways {
        let Some(best) = clauses.into_iter().min_by_key(|c| selectivity(c)) else {
            return Vec::new();
        };
        for text in best {
            if !union.contains(&text) {
                union.push(text);
            }
        }
    }
    if union.is_empty() {
        Vec::new()
    } else {
        vec![union]
    }
}

fn pattern_clauses(pattern: &TopPattern) -> Vec<Vec<Text>> {
    let mut out = Vec::new();
    item_clauses(&pattern.item, pattern, &mut out);
    out
}

/// Names many files have: the words a clause of which rules out little.
const FREQUENT: &[&str] = &[
    "self",
    "str",
    "int",
    "len",
    "all",
    "any",
    "set",
    "list",
    "dict",
    "tuple",
    "type",
    "object",
    "bytes",
    "iter",
    "bool",
    "float",
    "range",
    "isinstance",
    "__init__",
    "__name__",
];

/// The shortest text worth looking for: a shorter one (`_`, `np`, `()`) is in most files, and
/// inside many words.
const SHORTEST: usize = 3;

/// How little a clause rules out, lower first: clauses of rare names before common ones, then
/// fewer texts, then longer ones.
fn selectivity(clause: &[Text]) -> (bool, usize, std::cmp::Reverse<usize>) {
    let common = clause.iter().any(|t| FREQUENT.contains(&t.text.as_str()));
    let shortest = clause.iter().map(|t| t.text.len()).min().unwrap_or(0);
    (common, clause.len(), std::cmp::Reverse(shortest))
}

/// The clauses of an item that must match at least once.
fn item_clauses(item: &Item, pattern: &TopPattern, out: &mut Vec<Vec<Text>>) {
    if matches!(item.quant, Quant::Optional | Quant::ZeroOrMore) {
        return;
    }
    for capture in &item.captures {
        for (c, predicate) in pattern.early.iter() {
            if c != capture {
                continue;
            }
            let clause = match predicate {
                Predicate::EqString {
                    text,
                    positive: true,
                    all: true,
                    ..
                } => vec![Text::token(text)],
                Predicate::AnyOf {
                    texts,
                    positive: true,
                    ..
                } => texts.iter().map(|t| Text::token(t)).collect(),
                Predicate::Match {
                    regex,
                    positive: true,
                    all: true,
                    ..
                } => regex_literals(regex.as_str()).unwrap_or_default(),
                _ => continue,
            };
            if !clause.is_empty() && clause.iter().all(|t| t.text.len() >= SHORTEST) {
                out.push(clause);
            }
        }
    }
    match &item.pat {
        Pat::Node(node) => {
            // A node the parser inserted has no text.
            if node.missing {
                return;
            }
            for child in &node.children {
                item_clauses(child, pattern, out);
            }
        }
        Pat::Alt(branches) => {
            let ways = branches
                .iter()
                .map(|branch| {
                    let mut one = Vec::new();
                    item_clauses(branch, pattern, &mut one);
                    one
                })
                .collect();
            out.extend(either(ways));
        }
        Pat::Group(items) => {
            for item in items {
                item_clauses(item, pattern, out);
            }
        }
    }
}

/// Texts one of which is in every text `regex` finds a match in, if the regex has such
/// literals (case-sensitive ones).
fn regex_literals(regex: &str) -> Option<Vec<Text>> {
    let hir = regex_syntax::Parser::new().parse(regex).ok()?;
    let texts = required(&hir)?;
    Some(
        texts
            .into_iter()
            .map(|text| Text { text, token: false })
            .collect(),
    )
}

/// Strings one of which every match of `hir` contains.
fn required(hir: &Hir) -> Option<Vec<String>> {
    match hir.kind() {
        HirKind::Literal(literal) => {
            let text = std::str::from_utf8(&literal.0).ok()?;
            (!text.is_empty()).then(|| vec![text.to_string()])
        }
        HirKind::Capture(capture) => required(&capture.sub),
        HirKind::Repetition(repetition) if repetition.min > 0 => required(&repetition.sub),
        HirKind::Concat(parts) => parts
            .iter()
            .filter_map(required)
            .min_by_key(|texts| (texts.len(), std::cmp::Reverse(shortest(texts)))),
        HirKind::Alternation(branches) => {
            let mut all = Vec::new();
            for branch in branches {
                for text in required(branch)? {
                    if !all.contains(&text) {
                        all.push(text);
                    }
                }
            }
            Some(all)
        }
        _ => None,
    }
}

fn shortest(texts: &[String]) -> usize {
    texts.iter().map(String::len).min().unwrap_or(0)
}

/// Whether `text` occurs in `source` at `start` as a token could: not glued to a word
/// character on a side where `text` itself begins or ends with one. A digit may come before
/// (`1if x else y` is Python); nothing of a word may come after.
pub fn stands_alone(source: &[u8], start: usize, text: &[u8]) -> bool {
    let wordy = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80;
    let end = start + text.len();
    let left_ok = match (text.first(), start.checked_sub(1).map(|i| source[i])) {
        (Some(&first), Some(before)) if wordy(first) => {
            !(before.is_ascii_alphabetic() || before == b'_' || before >= 0x80)
        }
        _ => true,
    };
    let right_ok = match (text.last(), source.get(end)) {
        (Some(&last), Some(&after)) if wordy(last) => !wordy(after),
        _ => true,
    };
    left_ok && right_ok
}

#[cfg(test)]
mod tests {
    use super::{Needs, Text, regex_literals, stands_alone};
    use crate::check::matcher::Query;
    use crate::check::parse_python;

    /// A query that matches in a program finds its needs in the program's text: for every
    /// bundled query (rules and relations) on every program of its kata.
    #[test]
    fn a_query_that_matches_finds_what_it_needs() {
        let (catalog, _) = crate::kata::Catalog::bundled();
        let mut matched = 0;
        for kata in catalog.katas() {
            let trees: Vec<_> = kata
                .programs()
                .filter_map(|p| Some((parse_python(p)?, p)))
                .collect();
            for (_, rule) in kata.rules() {
                for text in rule.query_texts() {
                    let Ok(query) = Query::new(text) else {
                        continue;
                    };
                    for (tree, program) in &trees {
                        if !query.matches(tree.root_node(), program).is_empty() {
                            matched += 1;
                            assert!(
                                query.needs().met_in(program),
                                "{}: {:?}\n{text}\n{program}",
                                kata.id,
                                query.needs()
                            );
                        }
                    }
                }
            }
        }
        assert!(matched > 1000, "{matched}");
    }

    #[test]
    fn needs_read_from_predicates_and_regexes() {
        let texts = |q: &str| -> Vec<Vec<(String, bool)>> {
            Query::new(q)
                .unwrap()
                .needs()
                .clauses
                .iter()
                .map(|c| c.iter().map(|t| (t.text.clone(), t.token)).collect())
                .collect()
        };
        let token = |t: &str| (t.to_string(), true);
        // Kinds need no text (the tree tells whether it has them).
        assert_eq!(
            texts(
                r#"(try_statement (except_clause) (call function: (identifier) @f (#eq? @f "open")))"#
            ),
            vec![vec![token("open")]]
        );
        // Optional parts, negated predicates and `any-` forms need nothing.
        assert_eq!(
            texts(
                r#"(call function: (identifier) @f (#not-eq? @f "open") (lambda)? @l (#any-eq? @f "x"))"#
            ),
            Vec::<Vec<(String, bool)>>::new()
        );
        // An alternation or a query of several patterns needs one text of each way.
        assert_eq!(
            texts(
                r#"[((call function: (identifier) @f) (#eq? @f "open")) ((identifier) @g (#eq? @g "fopen"))]"#
            ),
            vec![vec![token("open"), token("fopen")]]
        );
        assert_eq!(
            texts(r#"((identifier) @g (#eq? @g "fopen")) (block)"#),
            Vec::<Vec<_>>::new()
        );
        // Texts too short to rule anything out are not looked for.
        assert_eq!(
            texts(r#"((identifier) @n (#any-of? @n "np" "numpy"))"#),
            Vec::<Vec<_>>::new()
        );
        assert_eq!(
            texts(r#"((identifier) @n (#any-of? @n "List" "Dict"))"#),
            vec![vec![token("List"), token("Dict")]]
        );
        assert_eq!(
            texts(r#"((identifier) @n (#match? @n "^torch(\\.|$)"))"#),
            vec![vec![("torch".to_string(), false)]]
        );
        assert_eq!(texts(r#"(MISSING "lambda")"#), Vec::<Vec<_>>::new());
    }

    #[test]
    fn regex_literals_are_in_every_match() {
        let lits =
            |r: &str| regex_literals(r).map(|v| v.into_iter().map(|t| t.text).collect::<Vec<_>>());
        assert_eq!(lits("DataFrame"), Some(vec!["DataFrame".to_string()]));
        assert_eq!(
            lits("^(df|.+_df)$"),
            Some(vec!["df".to_string(), "_df".to_string()])
        );
        assert_eq!(lits("^(?i)torch$"), None);
        assert_eq!(lits("^a?$"), None);
        assert_eq!(lits("x|.*"), None);
        assert_eq!(lits("(ab)+c*"), Some(vec!["ab".to_string()]));
    }

    #[test]
    fn a_token_stands_alone_only_between_non_word_characters() {
        let at = |s: &str, t: &str| stands_alone(s.as_bytes(), s.find(t).unwrap(), t.as_bytes());
        assert!(at("x = open(p)", "open"));
        assert!(!at("x = reopen(p)", "open"));
        assert!(!at("x = opener(p)", "open"));
        assert!(!at("é_open = 1", "_open"));
        // A digit may come right before a keyword: `1if x else 2` is Python.
        assert!(at("y = 1if x else 2", "if"));
        assert!(at("a.b.c", ".b."));
        let needs = Needs {
            clauses: vec![vec![Text {
                text: "torch".into(),
                token: false,
            }]],
        };
        assert!(needs.met_in("import pytorch_lightning"));
        assert!(!needs.met_in("import tensorflow"));
    }
}
