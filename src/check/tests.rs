//! Engine unit tests: each rule kind, each relation, predicates, parse errors and spans.

use crate::kata::{Catalog, Kata, Origin};
use crate::{RuleKind, Verdict};

/// A kata whose `checks:` block is `checks` (indented two spaces per level).
fn kata(checks: &str) -> Kata {
    let text = format!(
        "id: t\ntitle: T\ntopic: basics\ndifficulty: 1\nskill: s\npython: \"3.8\"\nsummary: s\nexplain: e\nstarter: x\nsolution: x\nhints: [h]\nchecks:\n{checks}"
    );
    match Catalog::parse_one(&text, Origin::File("t.yaml".into())) {
        Ok(kata) => kata,
        Err(problems) => panic!("{problems:?}"),
    }
}

fn check(kata: &Kata, code: &str) -> Verdict {
    match kata.check(code) {
        Ok(verdict) => verdict,
        Err(errors) => panic!("{errors:?}"),
    }
}

fn rules(v: &Verdict) -> Vec<&str> {
    v.findings.iter().map(|f| f.rule.as_str()).collect()
}

const EQ_NONE: &str = r#"  detect:
    - id: eq-none
      message: "compare `{{left}}` with `is None`"
      query: |
        (comparison_operator (_) @left operators: "==" (none)) @cmp
      capture: cmp
"#;

#[test]
fn detect_reports_each_match_with_its_span_and_message() {
    let k = kata(EQ_NONE);
    let v = check(&k, "if a == None:\n    pass\nif  é_b == None: pass\n");
    assert_eq!(rules(&v), ["eq-none", "eq-none"]);
    let f = &v.findings[0];
    assert_eq!(f.kind, RuleKind::Detect);
    assert_eq!(f.message, "compare `a` with `is None`");
    let span = f.span.unwrap();
    assert_eq!((span.start.line, span.start.column), (1, 4));
    assert_eq!((span.end.line, span.end.column), (1, 13));
    assert_eq!((span.start_byte, span.end_byte), (3, 12));
    // Columns count characters: `é` is two bytes but one column.
    let second = v.findings[1].span.unwrap();
    assert_eq!((second.start.line, second.start.column), (3, 5));
    assert_eq!(v.findings[1].message, "compare `é_b` with `is None`");
    assert!(check(&k, "if a is None:\n    pass\n").passed());
}

#[test]
fn require_and_keep_fail_when_nothing_matches() {
    let k = kata(
        r#"  require:
    - id: uses-is-none
      message: use `is None`
      query: '(comparison_operator operators: "is" (none)) @cmp'
  keep:
    - id: keeps-load
      message: keep `load`
      query: '(function_definition name: (identifier) @n (#eq? @n "load")) @def'
"#,
    );
    let v = check(&k, "");
    assert_eq!(rules(&v), ["uses-is-none", "keeps-load"]);
    assert_eq!(v.findings[0].kind, RuleKind::Require);
    assert_eq!(v.findings[1].kind, RuleKind::Keep);
    assert!(v.findings.iter().all(|f| f.span.is_none()));
    assert!(check(&k, "def load(x):\n    return x is None\n").passed());
    // A comment that mentions the function is not the function.
    let v = check(&k, "# def load(x):\n#     return x is None\n");
    assert_eq!(rules(&v), ["uses-is-none", "keeps-load"]);
}

#[test]
fn parse_errors_come_first_with_their_location() {
    let k = kata(EQ_NONE);
    let v = check(&k, "x = 1\nif a == None\n    pass\n");
    assert_eq!(v.findings.len(), 1, "{v:?}");
    let f = &v.findings[0];
    assert_eq!((f.rule.as_str(), f.kind), ("syntax-error", RuleKind::Parse));
    assert_eq!(f.span.unwrap().start.line, 2);
    assert!(
        f.message.starts_with("Python cannot parse this line"),
        "{}",
        f.message
    );
}

#[test]
fn predicates_are_evaluated() {
    let k = kata(
        r#"  detect:
    - id: legacy-typing
      message: "`{{name}}` from typing"
      query: |
        (import_from_statement
          module_name: (dotted_name) @mod
          name: (dotted_name (identifier) @name)
          (#eq? @mod "typing")
          (#any-of? @name "List" "Dict")
          (#not-match? @name "^_")) @imp
"#,
    );
    assert_eq!(
        rules(&check(&k, "from typing import List\n")),
        ["legacy-typing"]
    );
    assert!(check(&k, "from typing import Any\n").passed());
    assert!(check(&k, "from typingx import List\n").passed());
}

const LOOP_LAMBDA: &str = r#"  detect:
    - id: late
      message: "reads {{var}}"
      query: '(lambda body: (_) @body) @fn'
      capture: fn
      inside:
        - query: '(for_statement left: (identifier) @var body: (block) @scope)'
          capture: scope
      has:
        - on: body
          query: '(identifier) @var'
      not-has:
        - query: '(lambda_parameters (default_parameter name: (identifier) @var))'
"#;

#[test]
fn inside_has_and_not_has_share_captures() {
    let k = kata(LOOP_LAMBDA);
    let bad = "for i in r:\n    fs.append(lambda: i)\n";
    let v = check(&k, bad);
    assert_eq!(rules(&v), ["late"]);
    // The relation's capture fills the message.
    assert_eq!(v.findings[0].message, "reads i");
    // Bound by a default of the same name: fine.
    assert!(check(&k, "for i in r:\n    fs.append(lambda i=i: i)\n").passed());
    // A default of another name does not bind `i`.
    assert_eq!(
        rules(&check(&k, "for i in r:\n    fs.append(lambda j=0: i)\n")),
        ["late"]
    );
    // Reads something else: `has` finds no identifier equal to the loop variable.
    assert!(check(&k, "for i in r:\n    fs.append(lambda: j)\n").passed());
    // Not inside a loop.
    assert!(check(&k, "fs.append(lambda: i)\n").passed());
    // In the loop's iterable, not its body.
    assert!(check(&k, "for i in map(lambda: i, r):\n    pass\n").passed());
}

#[test]
fn not_inside_excludes_and_nested_relations_apply_to_the_relation_node() {
    let plain = r#"  detect:
    - id: print-call
      message: no print
      query: '(call function: (identifier) @f (#eq? @f "print")) @call'
      not-inside:
        - query: '(function_definition name: (identifier) @name body: (block) @body)'
          capture: body
"#;
    let k = kata(plain);
    assert_eq!(rules(&check(&k, "print(1)\n")), ["print-call"]);
    assert!(check(&k, "def f():\n    print(1)\n").passed());
    // A nested relation narrows the relation: only functions whose *name* holds a decorator
    // (none ever does) would exclude the call, so the call is flagged again.
    let nested = format!(
        "{plain}          has:\n            - query: '(decorator) @d'\n              on: name\n"
    );
    let k = kata(&nested);
    assert_eq!(
        rules(&check(&k, "def f():\n    print(1)\n")),
        ["print-call"]
    );
    // Nested on the relation's own node: functions that contain a `return`.
    let nested = format!("{plain}          has:\n            - query: '(return_statement) @r'\n");
    let k = kata(&nested);
    assert!(check(&k, "def f():\n    print(1)\n    return 2\n").passed());
    assert_eq!(
        rules(&check(&k, "def f():\n    print(1)\n")),
        ["print-call"]
    );
}

#[test]
fn backtracking_tries_every_way_a_relation_matches() {
    // The loop binds two names; only the second is read by the lambda.
    let k = kata(&LOOP_LAMBDA.replace(
        "(for_statement left: (identifier) @var body: (block) @scope)",
        "(for_statement left: (pattern_list (identifier) @var) body: (block) @scope)",
    ));
    let v = check(&k, "for i, j in r:\n    fs.append(lambda: j)\n");
    assert_eq!(rules(&v), ["late"]);
    assert_eq!(v.findings[0].message, "reads j");
}

#[test]
fn the_same_node_counts_for_inside_and_has() {
    let k = kata(
        r#"  detect:
    - id: attr-name
      message: x
      query: '(identifier) @id'
      inside:
        - query: '(attribute attribute: (identifier) @a)'
          capture: a
"#,
    );
    let v = check(&k, "obj.field\n");
    assert_eq!(v.findings.len(), 1);
    assert_eq!(v.findings[0].span.unwrap().start.column, 5);
}

#[test]
fn compile_errors_name_the_yaml_line_and_column() {
    let k = kata(
        r#"  detect:
    - id: broken
      message: x
      query: |
        (call
          function: (idontexist) @f)
"#,
    );
    let errors = k.check("x").unwrap_err();
    assert_eq!(errors.len(), 1);
    let e = &errors[0];
    // The query starts on line 17 of the file, column 9; the bad node is on its second line,
    // 13 characters into it.
    assert_eq!((e.line, e.column), (18, 22), "{e}");
    assert!(e.message.starts_with("unknown node type"), "{e}");
}

#[test]
fn a_predicate_outside_its_pattern_is_a_compile_error() {
    let k = kata(
        r#"  require:
    - id: named
      message: x
      query: |
        (function_definition name: (identifier) @name) @def
      has:
        - query: |
            (identifier) @name (#eq? @name "main")
"#,
    );
    let errors = k.check("def main(): pass\n").unwrap_err();
    assert_eq!(errors.len(), 1, "{errors:?}");
    // The relation's query starts on line 20, column 13; the predicate is 19 characters in.
    assert_eq!(
        (errors[0].line, errors[0].column),
        (20, 32),
        "{}",
        errors[0]
    );
    assert!(
        errors[0].message.contains("outside the parentheses"),
        "{}",
        errors[0]
    );
}

#[test]
fn rule_level_mistakes_are_compile_errors() {
    let k = kata(
        r#"  detect:
    - id: a
      message: "uses {{missing}}"
      query: '(identifier) @x'
    - id: b
      message: x
      query: '((identifier) @x (#frobnicate? @x))'
    - id: c
      message: x
      query: '(identifier)'
    - id: d
      message: x
      query: '(identifier) @x'
      capture: y
"#,
    );
    let errors = k.check("x").unwrap_err();
    let text: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(errors.len(), 4, "{text:?}");
    assert!(text[0].contains("{{missing}}"), "{text:?}");
    assert!(
        text[1].contains("#frobnicate? is not evaluated"),
        "{text:?}"
    );
    assert!(text[2].contains("has no capture"), "{text:?}");
    assert!(
        text[3].contains("`capture: y` names no capture"),
        "{text:?}"
    );
}

#[test]
fn queries_compile_once_and_are_cached() {
    let k = kata(EQ_NONE);
    let first = k.compiled().unwrap();
    let second = k.compiled().unwrap();
    assert!(std::sync::Arc::ptr_eq(&first, &second));
}

#[test]
fn huge_inputs_are_checked_without_trouble() {
    let k = kata(EQ_NONE);
    let long_line = format!("x = \"{}\" == None\n", "a".repeat(1_000_000));
    let v = check(&k, &long_line);
    assert_eq!(rules(&v), ["eq-none"]);
    // The message quotes at most 40 characters of the capture.
    assert!(v.findings[0].message.len() < 80);
}

#[test]
fn outline_shows_fields_and_leaf_text() {
    let tree = crate::check::parse_python("f(a)\n").unwrap();
    let text = crate::check::outline(&tree, "f(a)\n");
    assert!(text.contains("function: identifier `f`  [1:1]"), "{text}");
    assert!(text.contains("arguments: argument_list"), "{text}");
}

/// Relations place nodes by byte range: a statement that is only a call lies inside that call
/// (the same bytes), and has it, whichever of the two a rule points at.
#[test]
fn relations_treat_nodes_with_the_same_bytes_alike() {
    let inside_call = kata(
        r#"  detect:
    - id: bare-call-statement
      message: m
      query: "(expression_statement) @s"
      inside:
        - query: "(call) @c"
"#,
    );
    let v = check(&inside_call, "f(x)\ny = 1\n");
    assert_eq!(rules(&v), ["bare-call-statement"]);
    assert_eq!(v.findings[0].span.unwrap().start.line, 1);
    let call_has_statement = kata(
        r#"  detect:
    - id: call-as-statement
      message: m
      query: "(call) @c"
      has:
        - query: "(expression_statement) @s"
"#,
    );
    let v = check(&call_has_statement, "f(x)\ny = g(x)\n");
    assert_eq!(rules(&v), ["call-as-statement"]);
    assert_eq!(v.findings[0].span.unwrap().start.line, 1);
}
