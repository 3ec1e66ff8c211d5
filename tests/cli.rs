//! The command-line contract, driven through the real binary: names, flags, output formats
//! and exit codes, and clear errors for bad input.

use std::io::Write;
use std::process::{Command, Output, Stdio};

const KATA: &str = "late-binding-closure";

fn pykata(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_pykata"))
        .args(args)
        .env(
            "PYKATA_HOME",
            std::env::temp_dir().join("pykata-cli-test-home"),
        )
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    if let Some(input) = stdin {
        child.stdin.take().unwrap().write_all(input).unwrap();
    }
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn starter() -> String {
    let out = pykata(&["show", KATA, "--json"], None);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    json["starter"].as_str().unwrap().to_string()
}

fn solution() -> String {
    let out = pykata(&["show", KATA, "--json"], None);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    json["solution"].as_str().unwrap().to_string()
}

#[test]
fn list_prints_id_topic_title_and_json() {
    let out = pykata(&["list"], None);
    assert_eq!(out.status.code(), Some(0));
    let stdout = text(&out.stdout);
    let line = stdout
        .lines()
        .find(|l| l.starts_with(KATA))
        .expect("listed");
    let cols: Vec<&str> = line.split("  ").filter(|c| !c.trim().is_empty()).collect();
    assert_eq!(cols[1].trim(), "basics");
    let out = pykata(&["list", "--json"], None);
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let row = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == KATA)
        .unwrap();
    let mut keys: Vec<&str> = row
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "difficulty",
            "due",
            "id",
            "status",
            "title",
            "topic",
            "updated"
        ]
    );
}

#[test]
fn show_text_hides_the_solution_and_json_has_every_field() {
    let out = pykata(&["show", KATA], None);
    assert_eq!(out.status.code(), Some(0));
    let shown = text(&out.stdout);
    assert!(shown.contains("lambda: 2 ** attempt"), "{shown}");
    assert!(
        !shown.contains("delays.append(lambda attempt=attempt"),
        "the solution is not shown"
    );
    let out = pykata(&["show", KATA, "--json"], None);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for key in [
        "id",
        "title",
        "topic",
        "difficulty",
        "skill",
        "python",
        "summary",
        "explain",
        "starter",
        "solution",
        "hints",
    ] {
        assert!(!json[key].is_null(), "{key} missing");
    }
    assert!(json["hints"].as_array().unwrap().len() >= 3);
}

#[test]
fn check_exit_codes_and_finding_lines() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.py");
    std::fs::write(&bad, starter()).unwrap();
    let out = pykata(&["check", KATA, bad.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    let first = stdout.lines().next().unwrap();
    assert_eq!(
        first,
        format!(
            "{}:8:23: lambda-reads-loop-variable: this lambda reads `attempt` when it is called, after the loop has moved on: bind the current value when the lambda is made",
            bad.display()
        )
    );
    let good = dir.path().join("good.py");
    std::fs::write(&good, solution()).unwrap();
    let out = pykata(&["check", KATA, good.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
}

#[test]
fn check_reads_stdin_and_prints_json() {
    let out = pykata(&["check", KATA, "-", "--json"], Some(starter().as_bytes()));
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["kata"], KATA);
    assert_eq!(json["passed"], false);
    let f = &json["findings"][0];
    assert_eq!(f["rule"], "lambda-reads-loop-variable");
    assert_eq!(f["kind"], "detect");
    assert_eq!(
        (f["line"].as_u64(), f["column"].as_u64()),
        (Some(8), Some(23))
    );
    assert_eq!(
        (f["end_line"].as_u64(), f["end_column"].as_u64()),
        (Some(8), Some(43))
    );
    let out = pykata(&["check", KATA, "-", "--json"], Some(solution().as_bytes()));
    assert_eq!(out.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["passed"], true);
    assert_eq!(json["findings"].as_array().unwrap().len(), 0);
}

#[test]
fn check_usage_errors_exit_2_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.py");
    let out = pykata(&["check", KATA, missing.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr).trim(),
        format!(
            "pykata: {}: cannot read: no such file or folder",
            missing.display()
        )
    );

    let out = pykata(&["check", "late-bindin", "-"], Some(b"x = 1\n"));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr)
            .contains("unknown kata `late-bindin`; did you mean late-binding-closure?")
    );

    let binary = dir.path().join("a.pyc");
    std::fs::write(&binary, b"\x00\x01\x02binary").unwrap();
    let out = pykata(&["check", KATA, binary.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("a.pyc: this is a binary file"),
        "{}",
        text(&out.stderr)
    );

    let latin1 = dir.path().join("latin1.py");
    std::fs::write(&latin1, b"name = 'caf\xe9'\n").unwrap();
    let out = pykata(&["check", KATA, latin1.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("latin1.py:1:12: not UTF-8"),
        "{}",
        text(&out.stderr)
    );

    let huge = dir.path().join("huge.py");
    std::fs::write(&huge, vec![b'#'; 10 * 1024 * 1024]).unwrap();
    let out = pykata(&["check", KATA, huge.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("huge.py: the file is 2.0 MB")
            || text(&out.stderr).contains("huge.py: the file is"),
        "{}",
        text(&out.stderr)
    );

    let out = pykata(&["check", KATA], None);
    assert_eq!(out.status.code(), Some(2), "clap's usage error");
}

#[test]
fn a_one_megabyte_line_is_checked() {
    let dir = tempfile::tempdir().unwrap();
    let long = dir.path().join("long.py");
    std::fs::write(&long, format!("data = \"{}\"\n", "x".repeat(1024 * 1024))).unwrap();
    let out = pykata(&["check", KATA, long.to_str().unwrap()], None);
    // It fails (the program is gone), but it is judged.
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stdout).contains("keeps-build-retry-plan"));
}

#[test]
fn a_parse_error_is_reported_at_its_line() {
    let out = pykata(
        &["check", KATA, "-"],
        Some(b"def build_retry_plan(n:\n    return []\n"),
    );
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(stdout.starts_with("<stdin>:1:"), "{stdout}");
    assert!(
        stdout.contains("syntax-error: Python cannot parse this line"),
        "{stdout}"
    );
}

#[test]
fn tree_prints_the_syntax_tree() {
    let out = pykata(&["tree", "-"], Some(b"f = lambda: i\n"));
    assert_eq!(out.status.code(), Some(0));
    assert!(
        text(&out.stdout).contains("right: lambda  [1:5]"),
        "{}",
        text(&out.stdout)
    );
}

const GOOD_PACK_KATA: &str = r#"id: team-none-check
title: Team rule
topic: team
difficulty: 1
skill: identity
python: "3.8"
summary: s
explain: e
starter: |
  def f(x):
      return x == None
solution: |
  def f(x):
      return x is None
hints: [use is]
checks:
  detect:
    - id: eq-none
      message: use is None
      query: '(comparison_operator operators: "==" (none)) @c'
  keep:
    - id: keeps-f
      message: keep f
      query: '(function_definition name: (identifier) @n (#eq? @n "f")) @d'
examples:
  accept:
    - note: is
      code: "def f(x):\n    return x is None\n"
  reject:
    - note: empty
      code: ""
"#;

#[test]
fn verify_lints_a_pack_and_names_each_problem() {
    let dir = tempfile::tempdir().unwrap();
    let pack = dir.path();
    let write = |name: &str, body: &str| std::fs::write(pack.join(name), body).unwrap();
    write("team-none-check.yaml", GOOD_PACK_KATA);
    write("malformed.yaml", "id: [unclosed\n");
    write(
        "unknown-field.yaml",
        &GOOD_PACK_KATA.replace("id: team-none-check", "id: unknown-field\nhint: typo"),
    );
    write(
        "bad-query.yaml",
        &GOOD_PACK_KATA
            .replace("id: team-none-check", "id: bad-query")
            .replace("(none)) @c", "(nonee)) @c"),
    );
    write("dup.yaml", GOOD_PACK_KATA);
    write(
        "bad-id.yaml",
        &GOOD_PACK_KATA.replace("id: team-none-check", "id: Bad_Id"),
    );
    write("binary.yaml", "id: x\n\u{0}");
    std::fs::write(pack.join("latin.yaml"), b"id: caf\xe9\n").unwrap();
    let out = pykata(&["verify", "--katas", pack.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    let p = pack.display();
    let (query_line, query_column) = GOOD_PACK_KATA
        .lines()
        .enumerate()
        .find_map(|(i, l)| l.find("(none)").map(|c| (i + 1, c + 2)))
        .unwrap();
    let expect = [
        format!("{p}/malformed.yaml:"),
        format!("{p}/unknown-field.yaml:2:1: invalid kata file: unknown field `hint`"),
        format!(
            "{p}/bad-query.yaml:{query_line}:{query_column}: rule `eq-none`: unknown node type: \"nonee\""
        ),
        format!(
            "{p}/team-none-check.yaml: duplicate id `team-none-check`: already defined in {p}/dup.yaml"
        ),
        format!("{p}/bad-id.yaml:1:1: invalid id `Bad_Id`"),
        format!("{p}/latin.yaml: not UTF-8"),
        format!("{p}/binary.yaml:"),
    ];
    for line in &expect {
        assert!(
            stdout.contains(line.as_str()),
            "missing {line:?} in:\n{stdout}"
        );
    }
    // The good kata and the bundled ones still load and are verified.
    assert!(stdout.contains(&format!(
        "{p}/dup.yaml: the file should be named `team-none-check.yaml`"
    )));
    let summary = stdout.lines().last().unwrap();
    assert!(
        summary.starts_with("verify: ") && summary.ends_with(" problems"),
        "{summary}"
    );
    let out = pykata(&["list", "--katas", pack.to_str().unwrap()], None);
    assert!(text(&out.stdout).contains("team-none-check"));
    assert!(text(&out.stdout).contains(KATA));
    assert!(
        text(&out.stderr).contains("malformed.yaml"),
        "load problems go to stderr"
    );
}

#[test]
fn a_pack_kata_replaces_a_bundled_one_with_a_note() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("late-binding-closure.yaml");
    std::fs::write(
        &file,
        GOOD_PACK_KATA
            .replace("id: team-none-check", "id: late-binding-closure")
            .replace("title: Team rule", "title: Our own"),
    )
    .unwrap();
    let out = pykata(&["list", "--katas", dir.path().to_str().unwrap()], None);
    assert!(text(&out.stdout).contains("Our own"));
    assert!(
        text(&out.stderr).contains("note: kata `late-binding-closure` replaces the bundled one")
    );
    let out = pykata(&["list", "--katas", "/no/such/dir"], None);
    assert_eq!(
        out.status.code(),
        Some(0),
        "a missing pack does not stop the others"
    );
    assert!(text(&out.stderr).contains("/no/such/dir: error: cannot open pack folder"));
}
