//! The runner against tree-sitter's query cursor, and its own errors.

use super::{ErrorKind, Query, agrees_with_tree_sitter};
use crate::check::parse_python;

/// Every bundled kata's queries find, on every program of the kata, exactly the matches that
/// tree-sitter's query cursor finds (two known differences aside, see below).
#[test]
fn every_kata_query_matches_as_tree_sitter_does_on_the_katas_programs() {
    let (catalog, _) = crate::kata::Catalog::bundled();
    let mut checked = 0;
    for kata in catalog.katas() {
        let trees: Vec<_> = kata
            .programs()
            .filter_map(|p| Some((parse_python(p)?, p)))
            .collect();
        let refs: Vec<_> = trees.iter().map(|(t, s)| (t, *s)).collect();
        let mut texts: Vec<&str> = kata.rules().flat_map(|(_, r)| r.query_texts()).collect();
        texts.sort_unstable();
        texts.dedup();
        for text in texts {
            match agrees_with_tree_sitter(text, &refs) {
                Ok(n) => checked += n,
                Err(e) => panic!("{}: {e:?}\n{text}", kata.id),
            }
        }
    }
    assert!(checked > 10_000, "{checked}");
}

pub(super) const PROGRAM: &str = r#"
import asyncio, typing

# leading comment
def load(path, retries=3, *, strict: bool = False) -> dict:
    """Docstring."""
    x = 1  # trailing
    y = x + 2
    # between
    print(x, y, sep="")
    if x == None or y is not None:
        raise ValueError("bad") from None
    return {"a": [i for i in range(3) if i], "b": lambda q=x: q}

class Store(Base, metaclass=Meta):
    items: list[int] = []
    async def run(self):
        try:
            await asyncio.sleep(1)
        except asyncio.CancelledError:
            pass
        finally:
            self.close()

for k, v in {}.items():
    handlers.append(lambda: k)
value = f(a)(b)[c].d
"#;

/// Each feature of the query syntax, alone and mixed, on one program.
#[test]
fn each_feature_of_the_syntax_matches_as_tree_sitter_does() {
    let tree = parse_python(PROGRAM).unwrap();
    let queries = [
        // fields, negated fields, wildcards, anonymous nodes
        "(function_definition name: (identifier) @n !return_type) @f",
        "(function_definition name: (identifier) @n return_type: (_) @t)",
        "(call arguments: (argument_list _ @any))",
        "(call arguments: (argument_list (_) @named))",
        "(binary_operator left: (_) @l \"+\" right: (_) @r)",
        "(comparison_operator (_) @a [\"==\" \"is not\"] @op (_) @b)",
        // anchors: first, last, adjacent (anonymous nodes between are passed over)
        "(argument_list . (_) @first)",
        "(argument_list (_) @last .)",
        "(block . (expression_statement) @doc)",
        "(block (_) @a . (_) @b)",
        "(block (expression_statement) @a . (comment)* . (_) @b)",
        "(parameters . (identifier) @self)",
        // quantifiers and groups
        "(block (comment)+ @c)",
        "(block (expression_statement)? @e (return_statement) @r)",
        "(argument_list ((identifier) @x (#eq? @x \"x\")) ((identifier) @y))",
        "((comment) @c . (function_definition) @f)",
        "((expression_statement) @a (expression_statement) @b)",
        // alternations with captures and fields
        "[(identifier) @id (attribute attribute: (identifier) @id)] @thing",
        "(call function: [(identifier) (attribute)] @fn)",
        "(except_clause [(attribute attribute: (identifier) @e) (identifier) @e] (#eq? @e \"CancelledError\"))",
        // predicates (a few texts at the end of fields: the patterns are found by that text)
        "((identifier) @x (#any-of? @x \"x\" \"y\" \"k\"))",
        "(call function: [(identifier) @f (attribute attribute: (identifier) @f)] (#any-of? @f \"print\" \"append\" \"sleep\")) @c",
        "(call function: (attribute object: (identifier) @o attribute: (identifier) @m) (#eq? @m \"get\")) @c",
        "(comparison_operator operators: \"==\" @op)",
        "((identifier) @x (#not-any-of? @x \"x\" \"y\"))",
        "((identifier) @x (#match? @x \"^[a-c]\"))",
        "((identifier) @x (#not-match? @x \"^[a-c]\"))",
        "((identifier) @x (#not-eq? @x \"x\"))",
        "(assignment left: (identifier) @a right: (binary_operator left: (identifier) @b) (#eq? @a @b))",
        "(assignment left: (identifier) @a right: (binary_operator left: (identifier) @b) (#not-eq? @a @b))",
        "(for_statement left: (pattern_list (identifier) @v) body: (block (expression_statement (call arguments: (argument_list (lambda body: (identifier) @u))))) (#eq? @v @u))",
        // supertypes, several patterns, comments in queries
        "(expression_statement (expression) @e)",
        "(return_statement (primary_expression/dictionary) @d)",
        "(lambda) @l ; a comment\n(dictionary) @d\n(list_comprehension) @c",
        "(module (_) @top)",
        "(_ (comment) @c)",
        "(subscript value: (call function: (call) @inner) @outer)",
    ];
    for text in queries {
        agrees_with_tree_sitter(text, &[(&tree, PROGRAM)])
            .unwrap_or_else(|e| panic!("{text}: {e:?}"));
    }
}

/// Tree-sitter drops a match of one branch of an alternation when another branch, which had
/// captured more, fails a text predicate afterwards: in `[(argument_list (keyword_argument
/// name: (identifier) @kw (#eq? @kw "maxsize"))) (argument_list . (integer))] @args`, the call
/// `lru_cache(64, typed=True)` matches neither. This runner finds the second branch's match,
/// as the query says; the bundled katas were written to that reading.
#[test]
fn an_alternation_branch_is_not_hidden_by_a_failed_predicate_of_another() {
    let text = r#"[
      (argument_list (keyword_argument name: (identifier) @kw (#eq? @kw "maxsize")))
      (argument_list . (integer))
    ] @args"#;
    let source = "lru_cache(64, typed=True)\n";
    let tree = parse_python(source).unwrap();
    let query = Query::new(text).unwrap();
    let found = query.matches(tree.root_node(), source);
    assert_eq!(found.len(), 1);
    let args = found[0].captures[0].1;
    assert_eq!(&source[args.byte_range()], "(64, typed=True)");
    assert!(agrees_with_tree_sitter(text, &[(&tree, source)]).is_err());
}

#[test]
fn errors_name_their_kind_and_place() {
    let err = |text: &str| Query::new(text).unwrap_err();
    let e = err("(call function: (idontexist) @f)");
    assert_eq!((e.kind, e.offset), (ErrorKind::NodeType, 17));
    let e = err("(call nofield: (identifier))");
    assert_eq!((e.kind, e.offset), (ErrorKind::Field, 6));
    let e = err("((identifier) @x (#eq? @y \"a\"))");
    assert_eq!((e.kind, e.offset), (ErrorKind::Capture, 24));
    let e = err("((identifier) @x (#match? @x \"(\"))");
    assert_eq!(e.kind, ErrorKind::Predicate);
    let e = err("((identifier) @x (#eq? @x))");
    assert_eq!(e.kind, ErrorKind::Predicate);
    assert_eq!(err("(call").kind, ErrorKind::Syntax);
    assert_eq!(err("(call))").kind, ErrorKind::Syntax);
    assert_eq!(err("[]").kind, ErrorKind::Syntax);
    assert_eq!(err("(call (identifier) .").kind, ErrorKind::Syntax);
    assert_eq!(err("\"nosuchtoken\"").kind, ErrorKind::NodeType);
}

#[test]
fn predicates_and_stray_predicates_are_reported_with_offsets() {
    let q = Query::new("((identifier) @x (#eq? @x \"a\") (#set! k v))").unwrap();
    let names: Vec<(usize, &str)> = q
        .predicate_names()
        .iter()
        .map(|(o, n)| (*o, n.as_str()))
        .collect();
    assert_eq!(names, vec![(17, "#eq?"), (31, "#set!")]);
    assert_eq!(q.stray_predicate(), None);
    let stray = Query::new("(identifier) @x (#eq? @x \"a\")").unwrap();
    assert_eq!(stray.stray_predicate(), Some(16));
    // The stray predicate is a pattern of its own (as tree-sitter counts) that matches nothing.
    assert_eq!(stray.pattern_count(), 2);
    let tree = parse_python("a = b\n").unwrap();
    assert_eq!(stray.matches(tree.root_node(), "a = b\n").len(), 2);
}

/// Tree-sitter commits a child pattern that captures nothing to the first child that fits its
/// outer node, and when the pattern's inner parts fail there, it does not try the later ones:
/// the match statement below has a `case` with a class pattern, but not first. This runner
/// tries every child, as the query says.
#[test]
fn a_child_pattern_without_captures_is_tried_on_every_child() {
    let text = "(match_statement body: (block (case_clause (case_pattern (class_pattern))))) @ok";
    let source = "match x:\n    case None:\n        pass\n    case str(s):\n        pass\n";
    let tree = parse_python(source).unwrap();
    assert_eq!(
        Query::new(text)
            .unwrap()
            .matches(tree.root_node(), source)
            .len(),
        1
    );
    assert!(agrees_with_tree_sitter(text, &[(&tree, source)]).is_err());
}
