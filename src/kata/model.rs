//! The kata file format (see `docs/kata-format.md`) as Rust types.

use std::sync::{Arc, OnceLock};

use serde::Deserialize;

use crate::check::{CompileError, CompiledChecks};
use crate::kata::Origin;

/// One kata: an idiom with its BAD starter, its GOOD solution, hints, checks and examples.
#[derive(Debug)]
pub struct Kata {
    /// Lowercase letters, digits and `-`; safe to use as a file name.
    pub id: String,
    /// A short human title.
    pub title: String,
    /// The topic the kata is grouped under (also a valid id).
    pub topic: String,
    /// 1 (easy) to 3 (hard).
    pub difficulty: u8,
    /// The section of the Python skill the kata teaches.
    pub skill: String,
    /// The minimum Python version the GOOD code needs, such as `3.11`.
    pub python: String,
    /// One line saying what the kata is about.
    pub summary: String,
    /// Why the BAD code is wrong: the mechanism.
    pub explain: String,
    /// The BAD program the learner starts from.
    pub starter: String,
    /// A GOOD program.
    pub solution: String,
    /// Hints, from a nudge to nearly the answer.
    pub hints: Vec<String>,
    /// The structural checks.
    pub checks: Checks,
    /// The kata's own test cases.
    pub examples: Examples,
    /// Where the kata was loaded from.
    pub origin: Origin,
    compiled: OnceLock<Result<Arc<CompiledChecks>, Vec<CompileError>>>,
    /// The compiled rules merged into one query per pass, for fast checks.
    merged: OnceLock<Option<crate::check::DetectSet>>,
}

/// The raw file, as deserialized. Unknown fields are an error.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct KataFile {
    pub id: String,
    pub title: String,
    pub topic: String,
    pub difficulty: u8,
    pub skill: String,
    pub python: String,
    pub summary: String,
    pub explain: String,
    pub starter: String,
    pub solution: String,
    pub hints: Vec<String>,
    pub checks: Checks,
    #[serde(default)]
    pub examples: Examples,
}

/// The three kinds of rule a kata checks.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Checks {
    /// The anti-pattern: any match fails the edit.
    #[serde(default)]
    pub detect: Vec<Rule>,
    /// The shape of every correct fix: no match fails.
    #[serde(default)]
    pub require: Vec<Rule>,
    /// The program's intent (its functions, classes, calls): no match fails.
    #[serde(default)]
    pub keep: Vec<Rule>,
}

impl Checks {
    /// Every rule with its kind, in the order detect, require, keep.
    pub fn rules(&self) -> impl Iterator<Item = (crate::RuleKind, &Rule)> {
        use crate::RuleKind;
        self.detect
            .iter()
            .map(|r| (RuleKind::Detect, r))
            .chain(self.require.iter().map(|r| (RuleKind::Require, r)))
            .chain(self.keep.iter().map(|r| (RuleKind::Keep, r)))
    }
}

/// A rule: a tree-sitter query, optional relations on its capture, and a message.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// Unique within the kata.
    pub id: String,
    /// Shown to the learner; `{{name}}` is replaced by the text of capture `@name`.
    pub message: String,
    /// The tree-sitter query (with the predicates tree-sitter evaluates itself).
    pub query: Query,
    /// The capture a finding points at and relations apply to; by default the largest
    /// captured node of each match.
    #[serde(default)]
    pub capture: Option<String>,
    /// The capture must lie within a match of each of these.
    #[serde(default)]
    pub inside: Vec<Relation>,
    /// The capture must not lie within a match of any of these.
    #[serde(default, rename = "not-inside")]
    pub not_inside: Vec<Relation>,
    /// The capture must contain a match of each of these.
    #[serde(default)]
    pub has: Vec<Relation>,
    /// The capture must not contain a match of any of these.
    #[serde(default, rename = "not-has")]
    pub not_has: Vec<Relation>,
}

/// A relation: another query whose match must (or must not) contain, or lie within, a capture
/// of the rule. Captures with the same name in the rule and the relation must have equal text.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Relation {
    /// The relation's query.
    pub query: Query,
    /// The relation's node in each of its matches; by default its largest captured node.
    #[serde(default)]
    pub capture: Option<String>,
    /// Which capture of the enclosing rule or relation this relation is about; by default
    /// the enclosing one's own node.
    #[serde(default)]
    pub on: Option<String>,
    /// Nested relations on this relation's node.
    #[serde(default)]
    pub inside: Vec<Relation>,
    /// Nested relations on this relation's node.
    #[serde(default, rename = "not-inside")]
    pub not_inside: Vec<Relation>,
    /// Nested relations on this relation's node.
    #[serde(default)]
    pub has: Vec<Relation>,
    /// Nested relations on this relation's node.
    #[serde(default, rename = "not-has")]
    pub not_has: Vec<Relation>,
}

impl Rule {
    /// Every query text of the rule: its own, then its relations' (depth first, in the order
    /// inside, not-inside, has, not-has).
    pub fn query_texts(&self) -> Vec<&str> {
        let mut texts = vec![self.query.text.as_str()];
        for relation in relations(&self.inside, &self.not_inside, &self.has, &self.not_has) {
            relation.push_texts(&mut texts);
        }
        texts
    }
}

impl Relation {
    fn push_texts<'r>(&'r self, texts: &mut Vec<&'r str>) {
        texts.push(&self.query.text);
        for nested in relations(&self.inside, &self.not_inside, &self.has, &self.not_has) {
            nested.push_texts(texts);
        }
    }
}

fn relations<'r>(
    inside: &'r [Relation],
    not_inside: &'r [Relation],
    has: &'r [Relation],
    not_has: &'r [Relation],
) -> impl Iterator<Item = &'r Relation> {
    inside.iter().chain(not_inside).chain(has).chain(not_has)
}

/// A query's text and where it starts in its YAML file, so that a query error can name the
/// file's line and column.
#[derive(Debug, Clone)]
pub struct Query {
    /// The query source.
    pub text: String,
    /// 1-based line in the YAML file of the query's first line.
    pub line: usize,
    /// 1-based column in the YAML file of the query's first character.
    pub column: usize,
    /// Whether the query is a block scalar (`|`), whose every line starts at `column`.
    pub block: bool,
}

impl Query {
    /// Maps a 0-based (row, column) inside the query to a 1-based (line, column) in the file.
    pub fn file_position(&self, row: usize, column: usize) -> (usize, usize) {
        if row == 0 || self.block {
            (self.line + row, self.column + column)
        } else {
            (self.line + row, column + 1)
        }
    }
}

impl<'de> Deserialize<'de> for Query {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let spanned = serde_saphyr::Spanned::<String>::deserialize(d)?;
        let loc = spanned.referenced;
        Ok(Query {
            text: spanned.value,
            // Refined against the file's text by the loader (see `locate_block`).
            line: usize::try_from(loc.line()).unwrap_or(0),
            column: usize::try_from(loc.column()).unwrap_or(0),
            block: false,
        })
    }
}

/// A kata's own test cases.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Examples {
    /// Correct fixes that must pass.
    #[serde(default)]
    pub accept: Vec<Example>,
    /// Tempting non-fixes that must fail.
    #[serde(default)]
    pub reject: Vec<Example>,
}

/// One example program with a note saying what it shows.
#[derive(Debug)]
pub struct Example {
    /// What the example shows.
    pub note: String,
    /// The program.
    pub code: String,
    /// 1-based line of the example in its kata file.
    pub line: usize,
}

impl<'de> Deserialize<'de> for Example {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Raw {
            note: serde_saphyr::Spanned<String>,
            code: String,
        }
        let raw = Raw::deserialize(d)?;
        Ok(Example {
            line: usize::try_from(raw.note.referenced.line()).unwrap_or(0),
            note: raw.note.value,
            code: raw.code,
        })
    }
}

/// Whether `id` is a valid kata (or topic) id: lowercase ASCII letters and digits in groups
/// joined by single `-`, at most 64 characters. Such an id is safe as a file name.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && !id.starts_with('-')
        && !id.ends_with('-')
        && !id.contains("--")
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

impl Kata {
    /// Every program the kata holds: its starter, its solution, then its accept and reject
    /// examples.
    pub fn programs(&self) -> impl Iterator<Item = &str> {
        [self.starter.as_str(), self.solution.as_str()]
            .into_iter()
            .chain(self.examples.accept.iter().map(|e| e.code.as_str()))
            .chain(self.examples.reject.iter().map(|e| e.code.as_str()))
    }

    pub(crate) fn from_file(file: KataFile, origin: Origin) -> Kata {
        Kata {
            id: file.id,
            title: file.title,
            topic: file.topic,
            difficulty: file.difficulty,
            skill: file.skill,
            python: file.python,
            summary: file.summary,
            explain: file.explain,
            starter: file.starter,
            solution: file.solution,
            hints: file.hints,
            checks: file.checks,
            examples: file.examples,
            origin,
            compiled: OnceLock::new(),
            merged: OnceLock::new(),
        }
    }

    /// The kata's compiled queries, compiled on first use and cached.
    pub fn compiled(&self) -> Result<Arc<CompiledChecks>, &[CompileError]> {
        self.compiled
            .get_or_init(|| CompiledChecks::compile(&self.checks).map(Arc::new))
            .as_ref()
            .map(Arc::clone)
            .map_err(Vec::as_slice)
    }

    /// The kata's rules and relations merged, so that a check is one walk of the tree. Built on
    /// first use; `None` if a query cannot be read (then `compiled` names what is wrong).
    pub(crate) fn merged_checks(&self) -> Option<&crate::check::DetectSet> {
        self.merged
            .get_or_init(|| {
                let prepared = CompiledChecks::prepare(&self.checks).ok()?;
                Some(crate::check::DetectSet::for_kata(Arc::new(prepared)))
            })
            .as_ref()
    }

    /// Every rule of the kata with its kind, in the order detect, require, keep.
    pub fn rules(&self) -> impl Iterator<Item = (crate::RuleKind, &Rule)> {
        self.checks.rules()
    }

    /// The minimum Python version as (major, minor), if it is well formed.
    pub fn python_version(&self) -> Option<(u32, u32)> {
        let (major, minor) = self.python.trim().split_once('.')?;
        Some((major.parse().ok()?, minor.parse().ok()?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids() {
        for ok in ["late-binding-closure", "a", "x1-2y", "pep695-generics"] {
            assert!(is_valid_id(ok), "{ok}");
        }
        for bad in [
            "",
            "-a",
            "a-",
            "a--b",
            "A",
            "a_b",
            "../x",
            "a/b",
            "a.b",
            "é",
            &"a".repeat(65),
        ] {
            assert!(!is_valid_id(bad), "{bad}");
        }
    }

    #[test]
    fn query_positions_map_to_the_file() {
        let block = Query {
            text: String::new(),
            line: 10,
            column: 7,
            block: true,
        };
        assert_eq!(block.file_position(0, 0), (10, 7));
        assert_eq!(block.file_position(2, 3), (12, 10));
        let inline = Query {
            text: String::new(),
            line: 4,
            column: 12,
            block: false,
        };
        assert_eq!(inline.file_position(0, 5), (4, 17));
    }
}
