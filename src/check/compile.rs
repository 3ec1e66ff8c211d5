//! Compiling a kata's rules: each query is read by pykata's own runner ([`super::matcher`]),
//! with the checks a query needs beyond the syntax: a capture to point at, known capture
//! names, only evaluated predicates. [`CompiledChecks::compile`] also has tree-sitter compile
//! every query, which finds what only its analysis can (a pattern no tree matches).

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use tree_sitter::{Language, Query, QueryError, QueryErrorKind};

use super::matcher;

use super::RuleKind;
use crate::kata::{Checks, Relation, Rule};

/// A query that does not compile, or a rule that names a capture its query lacks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompileError {
    /// The rule the error is in.
    pub rule: String,
    /// 1-based line in the kata file.
    pub line: usize,
    /// 1-based column in the kata file.
    pub column: usize,
    /// What is wrong (tree-sitter's own words where it is a query error).
    pub message: String,
}

impl fmt::Display for CompileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: rule `{}`: {}",
            self.line, self.column, self.rule, self.message
        )
    }
}

/// How a relation constrains its target node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RelationKind {
    Inside,
    NotInside,
    Has,
    NotHas,
}

impl RelationKind {
    /// `inside` and `has` must find a match; `not-inside` and `not-has` must not.
    pub(crate) fn positive(self) -> bool {
        matches!(self, RelationKind::Inside | RelationKind::Has)
    }
}

/// A rule's or relation's query with what is needed to evaluate its relations.
#[derive(Debug)]
pub(crate) struct Pattern {
    /// The query, read by pykata's runner.
    pub query: Arc<matcher::Query>,
    /// The capture names, indexed as in the query.
    pub names: Vec<String>,
    /// How many patterns the query has.
    pub pattern_count: usize,
    /// The capture that findings point at and relations apply to; `None`: the largest node.
    pub anchor: Option<u32>,
    /// The positive relations (`inside`, `has`) in the order written, then the negative ones:
    /// the order they are tested in.
    pub relations: Vec<CompiledRelation>,
}

impl Pattern {
    /// Whether this pattern and its positive relations may all match in a tree that holds the
    /// kinds `set` (see [`matcher::Nodes::kind_set`]).
    pub fn may_match_in(&self, set: &matcher::KindSet<'_>) -> bool {
        self.query.may_match_in(set)
            && self
                .relations
                .iter()
                .filter(|r| r.kind.positive())
                .all(|r| r.pattern.may_match_in(set))
    }

    /// Adds to `out` the anonymous leaves this pattern and its relations can match.
    pub fn add_anonymous_kinds(&self, out: &mut matcher::AnonymousKinds) {
        out.add(self.query.anonymous_kinds());
        for relation in &self.relations {
            relation.pattern.add_anonymous_kinds(out);
        }
    }

    /// The texts a file must contain for this pattern and its positive relations to match.
    pub fn needs(&self) -> matcher::Needs {
        let mut needs = self.query.needs().clone();
        for relation in &self.relations {
            if relation.kind.positive() {
                needs.and(relation.pattern.needs());
            }
        }
        needs
    }
}

#[derive(Debug)]
pub(crate) struct CompiledRelation {
    pub kind: RelationKind,
    /// The parent's capture the relation is about; `None`: the parent's anchor.
    pub on: Option<u32>,
    pub pattern: Pattern,
}

#[derive(Debug)]
pub(crate) struct CompiledRule {
    pub id: String,
    pub kind: RuleKind,
    pub message: String,
    pub pattern: Pattern,
}

/// A kata's rules, compiled once and reused for every check.
#[derive(Debug)]
pub struct CompiledChecks {
    pub(crate) rules: Vec<CompiledRule>,
}

const EVALUATED_PREDICATES: &str = "#eq?, #not-eq?, #any-eq?, #any-not-eq?, #match?, #not-match?, #any-match?, #any-not-match?, #any-of?, #not-any-of?";

impl CompiledChecks {
    /// Compiles every rule, each query also by tree-sitter (what `verify` needs); all errors are
    /// returned, not only the first.
    pub fn compile(checks: &Checks) -> Result<CompiledChecks, Vec<CompileError>> {
        let language: Language = tree_sitter_python::LANGUAGE.into();
        let texts = checks
            .rules()
            .flat_map(|(_, rule)| rule.query_texts())
            .collect();
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        let queries = compile_texts(&language, texts, threads);
        Self::build(checks.rules(), Some(&queries))
    }

    /// Reads the `detect` rules (what `scan` runs) for pykata's runner only: tree-sitter's
    /// analysis of each query would cost a scan more than half a second.
    /// [`CompiledChecks::compile`] also finds what only that analysis can.
    pub fn prepare_detect(checks: &Checks) -> Result<CompiledChecks, Vec<CompileError>> {
        Self::build(checks.detect.iter().map(|r| (RuleKind::Detect, r)), None)
    }

    /// Reads every rule for pykata's runner only, as [`CompiledChecks::prepare_detect`].
    pub fn prepare(checks: &Checks) -> Result<CompiledChecks, Vec<CompileError>> {
        Self::build(checks.rules(), None)
    }

    /// Compiles `all`, with tree-sitter's verdict on each query text when `queries` has them.
    fn build<'r>(
        all: impl Iterator<Item = (RuleKind, &'r Rule)>,
        queries: Option<&Queries<'_>>,
    ) -> Result<CompiledChecks, Vec<CompileError>> {
        let mut rules = Vec::new();
        let mut errors = Vec::new();
        for (kind, rule) in all {
            match compile_rule(queries, kind, rule) {
                Ok(compiled) => rules.push(compiled),
                Err(mut e) => errors.append(&mut e),
            }
        }
        if errors.is_empty() {
            Ok(CompiledChecks { rules })
        } else {
            Err(errors)
        }
    }

    /// The number of compiled rules.
    pub fn len(&self) -> usize {
        self.rules.len()
    }

    /// Whether there are no rules.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }
}

/// Whether tree-sitter compiles each query, by its text.
type Queries<'t> = HashMap<&'t str, Result<(), QueryError>>;

/// Has tree-sitter compile each distinct text once, on up to `threads` threads: its analysis
/// of a query takes milliseconds, and a kata has a dozen or more.
fn compile_texts<'t>(language: &Language, mut texts: Vec<&'t str>, threads: usize) -> Queries<'t> {
    texts.sort_unstable();
    texts.dedup();
    let compile = |text: &str| Query::new(language, text).map(|_| ());
    let threads = threads.min(texts.len());
    if threads <= 1 {
        return texts.into_iter().map(|t| (t, compile(t))).collect();
    }
    let next = AtomicUsize::new(0);
    std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    let mut done = Vec::new();
                    while let Some(&text) = texts.get(next.fetch_add(1, Ordering::Relaxed)) {
                        done.push((text, compile(text)));
                    }
                    done
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    })
}

fn compile_rule(
    queries: Option<&Queries<'_>>,
    kind: RuleKind,
    rule: &Rule,
) -> Result<CompiledRule, Vec<CompileError>> {
    let mut errors = Vec::new();
    let spec = PatternSpec {
        query: &rule.query,
        capture: rule.capture.as_deref(),
        relations: relations_of(&rule.inside, &rule.not_inside, &rule.has, &rule.not_has),
    };
    let pattern = compile_pattern(queries, &rule.id, &spec, &mut errors);
    if let Some(pattern) = &pattern {
        for name in placeholders(&rule.message) {
            if !pattern.has_capture(name) {
                let (line, column) = rule.query.file_position(0, 0);
                errors.push(CompileError {
                    rule: rule.id.clone(),
                    line,
                    column,
                    message: format!("the message uses {{{{{name}}}}} but no query of the rule has a capture @{name}"),
                });
            }
        }
    }
    match pattern {
        Some(pattern) if errors.is_empty() => Ok(CompiledRule {
            id: rule.id.clone(),
            kind,
            message: rule.message.clone(),
            pattern,
        }),
        _ => Err(errors),
    }
}

struct PatternSpec<'a> {
    query: &'a crate::kata::Query,
    capture: Option<&'a str>,
    relations: Vec<(RelationKind, &'a Relation)>,
}

fn relations_of<'a>(
    inside: &'a [Relation],
    not_inside: &'a [Relation],
    has: &'a [Relation],
    not_has: &'a [Relation],
) -> Vec<(RelationKind, &'a Relation)> {
    let tag = |kind: RelationKind| move |r: &'a Relation| (kind, r);
    inside
        .iter()
        .map(tag(RelationKind::Inside))
        .chain(not_inside.iter().map(tag(RelationKind::NotInside)))
        .chain(has.iter().map(tag(RelationKind::Has)))
        .chain(not_has.iter().map(tag(RelationKind::NotHas)))
        .collect()
}

fn compile_pattern(
    queries: Option<&Queries<'_>>,
    rule_id: &str,
    spec: &PatternSpec<'_>,
    errors: &mut Vec<CompileError>,
) -> Option<Pattern> {
    let at = |row: usize, column: usize, message: String| {
        let (line, column) = spec.query.file_position(row, column);
        CompileError {
            rule: rule_id.to_string(),
            line,
            column,
            message,
        }
    };
    // Tree-sitter's verdict first, where it compiled the query: its words name the problem.
    match queries.map(|q| q.get(spec.query.text.as_str())) {
        None | Some(Some(Ok(_))) => {}
        Some(None) => {
            errors.push(at(0, 0, "query was not compiled".into()));
            return None;
        }
        Some(Some(Err(e))) => {
            let what = match e.kind {
                QueryErrorKind::Syntax => "query syntax error",
                QueryErrorKind::NodeType => "unknown node type",
                QueryErrorKind::Field => "unknown field",
                QueryErrorKind::Capture => "unknown capture",
                QueryErrorKind::Predicate => "invalid predicate",
                QueryErrorKind::Structure => "impossible pattern",
                QueryErrorKind::Language => "language error",
            };
            let detail = crate::text::one_line(&e.message, 120);
            errors.push(at(e.row, e.column, format!("{what}: {detail}")));
            return None;
        }
    }
    let before = errors.len();
    // Positions inside the query text, as (row, byte column) for `at`.
    let at_byte = |offset: usize, message: String| {
        let text = spec.query.text.get(..offset).unwrap_or("");
        let row = text.matches('\n').count();
        let column = text.len() - text.rfind('\n').map_or(0, |n| n + 1);
        at(row, column, message)
    };
    let query = match matcher::Query::new(&spec.query.text) {
        Ok(query) => Arc::new(query),
        Err(e) => {
            let what = match e.kind {
                matcher::ErrorKind::Syntax => "query syntax error",
                matcher::ErrorKind::NodeType => "unknown node type",
                matcher::ErrorKind::Field => "unknown field",
                matcher::ErrorKind::Capture => "unknown capture",
                matcher::ErrorKind::Predicate => "invalid predicate",
            };
            errors.push(at_byte(
                e.offset,
                format!("{what}: {}", crate::text::one_line(&e.message, 120)),
            ));
            return None;
        }
    };
    if let Some(offset) = query.stray_predicate() {
        errors.push(at_byte(
            offset,
            "this predicate is outside the parentheses of its pattern, so tree-sitter ignores it: write `((node) @x (#eq? @x \"...\"))`".into(),
        ));
    }
    // Tree-sitter accepts any predicate name; only these are evaluated.
    for (offset, name) in query.predicate_names() {
        if matches!(name.as_str(), "#set!" | "#is?" | "#is-not?") {
            errors.push(at_byte(
                *offset,
                "#set! and #is? properties have no meaning in a kata rule".into(),
            ));
        } else if !EVALUATED_PREDICATES.split(", ").any(|p| p == name) {
            errors.push(at_byte(
                *offset,
                format!("predicate {name} is not evaluated; use one of {EVALUATED_PREDICATES}"),
            ));
        }
    }
    let names = query.capture_names().to_vec();
    let pattern_count = query.pattern_count();
    let index_of = |name: &str| names.iter().position(|n| n == name).map(|i| i as u32);
    if names.is_empty() {
        errors.push(at(
            0,
            0,
            "the query has no capture: add @name after the node a finding points at".into(),
        ));
    }
    let anchor = match spec.capture {
        Some(name) => {
            let index = index_of(name);
            if index.is_none() {
                errors.push(at(
                    0,
                    0,
                    format!("`capture: {name}` names no capture of the query"),
                ));
            }
            index
        }
        None => None,
    };
    let mut relations = Vec::new();
    for (kind, relation) in &spec.relations {
        let on = match relation.on.as_deref() {
            Some(name) => {
                let index = index_of(name);
                if index.is_none() {
                    let (line, column) = relation.query.file_position(0, 0);
                    errors.push(CompileError {
                        rule: rule_id.to_string(),
                        line,
                        column,
                        message: format!("`on: {name}` names no capture of the enclosing query"),
                    });
                }
                index
            }
            None => None,
        };
        let nested = PatternSpec {
            query: &relation.query,
            capture: relation.capture.as_deref(),
            relations: relations_of(
                &relation.inside,
                &relation.not_inside,
                &relation.has,
                &relation.not_has,
            ),
        };
        if let Some(pattern) = compile_pattern(queries, rule_id, &nested, errors) {
            relations.push(CompiledRelation {
                kind: *kind,
                on,
                pattern,
            });
        }
    }
    relations.sort_by_key(|r| !r.kind.positive());
    (errors.len() == before).then_some(Pattern {
        query,
        names,
        pattern_count,
        anchor,
        relations,
    })
}

impl Pattern {
    /// Whether this pattern or one of its relations has a capture called `name`.
    fn has_capture(&self, name: &str) -> bool {
        self.capture_index(name).is_some()
            || self.relations.iter().any(|r| r.pattern.has_capture(name))
    }

    /// The index of capture `name` in this pattern's own query.
    pub(crate) fn capture_index(&self, name: &str) -> Option<u32> {
        self.names.iter().position(|n| n == name).map(|i| i as u32)
    }
}

/// The capture names a message interpolates as `{{name}}`.
pub(crate) fn placeholders(message: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = message;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else { break };
        let name = after[..end].trim();
        if !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '-' || c == '.')
        {
            names.push(name);
        }
        rest = &after[end + 2..];
    }
    names
}
