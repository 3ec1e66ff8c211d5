//! `pykata scan`: the merged detect query finds exactly what each kata's own check finds; the
//! corpus under `tests/fixtures/scan/` gets exactly the findings its `# expect:` comments name;
//! and the command's contract (output, JSON, exit codes, ignore comments, bad files, .gitignore).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use pykata::kata::Catalog;

fn bundled() -> Catalog {
    let (catalog, problems) = Catalog::bundled();
    assert!(problems.is_empty(), "{problems:?}");
    catalog
}

/// (kata, rule, line, column) of every detect finding.
type Found = BTreeSet<(String, String, usize, usize)>;

#[test]
fn the_merged_query_finds_what_each_kata_finds_alone_and_a_scan_reads_the_same() {
    let catalog = bundled();
    let katas: Vec<&pykata::Kata> = catalog.katas().iter().collect();
    let set = pykata::scan::detect_set(&katas).unwrap();
    let mut programs = 0;
    for kata in &katas {
        for code in kata.programs() {
            let Some(tree) = pykata::check::parse_python(code) else {
                continue;
            };
            if tree.root_node().has_error() {
                continue;
            }
            programs += 1;
            let alone: Found = kata
                .check(code)
                .unwrap()
                .findings
                .into_iter()
                .filter(|f| f.kind == pykata::RuleKind::Detect)
                .map(|f| {
                    let s = f.span.unwrap();
                    (kata.id.clone(), f.rule, s.start.line, s.start.column)
                })
                .collect();
            let live = set.detect(&tree, code);
            // A scan's way: the tree read and deleted in one walk, the spans from the table.
            let again = pykata::check::parse_python(code).unwrap();
            assert_eq!(live, set.detect_owned(again, code), "{}:\n{code}", kata.id);
            let merged: Found = live
                .into_iter()
                .filter(|f| katas[f.kata].id == kata.id)
                .map(|f| {
                    let s = f.finding.span.unwrap();
                    (
                        kata.id.clone(),
                        f.finding.rule,
                        s.start.line,
                        s.start.column,
                    )
                })
                .collect();
            assert_eq!(alone, merged, "{}:\n{code}", kata.id);
        }
    }
    assert!(programs > 500, "{programs}");
}

/// The `# expect: a, b` comments of a corpus file: (line, kata) pairs.
fn expectations(path: &Path) -> BTreeSet<(usize, String)> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut out = BTreeSet::new();
    for (i, line) in text.lines().enumerate() {
        if let Some(at) = line.find("# expect:") {
            for id in line[at + "# expect:".len()..].split(',') {
                let id = id.split_whitespace().next().unwrap_or("");
                if !id.is_empty() {
                    out.insert((i + 1, id.to_string()));
                }
            }
        }
    }
    out
}

#[test]
fn the_corpus_gets_exactly_the_expected_findings() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/scan");
    let catalog = bundled();
    let katas: Vec<&pykata::Kata> = catalog.katas().iter().collect();
    let report = pykata::scan::scan(&katas, std::slice::from_ref(&dir)).unwrap();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "py"))
        .collect();
    files.sort();
    assert!(!files.is_empty());
    let mut problems = Vec::new();
    let mut lines = 0;
    for file in &files {
        lines += std::fs::read_to_string(file).unwrap().lines().count();
        let label = file.display().to_string();
        let want = expectations(file);
        let got: BTreeSet<(usize, String)> = report
            .findings
            .iter()
            .filter(|f| f.path == label)
            .map(|f| (f.line, f.kata.clone()))
            .collect();
        let name = file.file_name().unwrap().to_string_lossy();
        for (line, kata) in got.difference(&want) {
            let message = report
                .findings
                .iter()
                .find(|f| f.path == label && f.line == *line && &f.kata == kata)
                .map(|f| f.message.as_str())
                .unwrap_or("");
            problems.push(format!("{name}:{line}: unexpected {kata}: {message}"));
        }
        for (line, kata) in want.difference(&got) {
            problems.push(format!("{name}:{line}: expected {kata}, not found"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(report.notes.is_empty(), "{:?}", report.notes);
    eprintln!(
        "corpus: {} files, {lines} lines, {} findings",
        files.len(),
        report.findings.len()
    );
}

fn pykata(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_pykata"))
        .args(args)
        .current_dir(dir)
        .env("PYKATA_HOME", dir.join(".home"))
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const BAD: &str = "def load(path):\n    try:\n        return open(path).read()\n    except:\n        return None\n";

#[test]
fn scan_prints_findings_a_summary_and_exits_one() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("pkg")).unwrap();
    std::fs::write(dir.path().join("pkg/io.py"), BAD).unwrap();
    std::fs::write(dir.path().join("pkg/ok.py"), "x = 1\n").unwrap();
    let (code, out, _) = pykata(dir.path(), &["scan", "--kata", "bare-except"]);
    assert_eq!(code, 1, "{out}");
    let first = out.lines().next().unwrap();
    assert!(first.starts_with("./pkg/io.py:4:5: bare-except: "), "{out}");
    assert!(out.contains("scanned 2 files (6 lines)"), "{out}");
    assert!(out.contains("with 1 kata: 1 finding\n"), "{out}");
    assert!(out.contains("practise first: bare-except"), "{out}");
    let (_, out, _) = pykata(dir.path(), &["scan", "pkg/ok.py"]);
    assert!(out.contains("scanned 1 file (1 line) in "), "{out}");
    assert!(out.contains(": 0 findings\n"), "{out}");

    let (code, out, _) = pykata(
        dir.path(),
        &["scan", "--json", "--kata", "bare-except", "pkg"],
    );
    assert_eq!(code, 1);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["files"], 2);
    let f = &json["findings"][0];
    assert_eq!(f["path"], "pkg/io.py");
    assert_eq!(
        (f["line"].as_u64(), f["column"].as_u64()),
        (Some(4), Some(5))
    );
    assert_eq!(f["kata"], "bare-except");
    for key in ["end_line", "end_column", "rule", "message"] {
        assert!(!f[key].is_null(), "{key} in {f}");
    }
}

#[test]
fn scan_exits_zero_when_clean_and_two_on_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("ok.py"),
        "def f(x):\n    return x is None\n",
    )
    .unwrap();
    let (code, out, _) = pykata(dir.path(), &["scan"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("0 findings"), "{out}");
    for (args, says) in [
        (
            &["scan", "--kata", "bare-exept"][..],
            "did you mean bare-except",
        ),
        (&["scan", "--topic", "nope"], "unknown topic"),
        (
            &["scan", "missing-folder"],
            "missing-folder: no such file or folder",
        ),
        (
            &["scan", "--tui", "--json"],
            "--json and --tui do not go together",
        ),
        (
            &["scan", "--tui", "missing-folder"],
            "no such file or folder",
        ),
    ] {
        let (code, _, err) = pykata(dir.path(), args);
        assert_eq!(code, 2, "{args:?}");
        assert!(err.contains(says), "{args:?}: {err}");
    }
}

#[test]
fn an_ignore_comment_silences_its_line_only() {
    let dir = tempfile::tempdir().unwrap();
    let code = "def f(x):\n    try:\n        return g(x)\n    except:  # pykata: ignore[bare-except]\n        return None\n\n\ndef h(x):\n    try:\n        return g(x)\n    except:\n        return None\n";
    std::fs::write(dir.path().join("m.py"), code).unwrap();
    let (_, out, _) = pykata(dir.path(), &["scan", "--json", "--kata", "bare-except"]);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let lines: Vec<u64> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, vec![11]);
}

#[test]
fn bad_files_are_noted_once_and_the_rest_is_scanned() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("latin1.py"), b"# caf\xe9\nx = 1\n").unwrap();
    std::fs::write(
        dir.path().join("broken.py"),
        format!("def oops(:\n    pass\n\n\n{BAD}"),
    )
    .unwrap();
    std::fs::write(dir.path().join("good.py"), BAD).unwrap();
    let (code, out, err) = pykata(dir.path(), &["scan", "--kata", "bare-except"]);
    assert_eq!(code, 1);
    assert!(err.contains("latin1.py:1: not UTF-8; skipped"), "{err}");
    assert!(err.contains("broken.py:1:"), "{err}");
    assert!(err.contains("scanned as far as it parses"), "{err}");
    assert_eq!(err.matches("broken.py").count(), 1, "{err}");
    assert!(out.contains("./good.py:4:5: bare-except"), "{out}");
    // The broken file is scanned past its error.
    assert!(out.contains("./broken.py:8:5: bare-except"), "{out}");
}

#[test]
fn gitignored_hidden_and_installed_files_are_skipped() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(".gitignore"), "generated/\n").unwrap();
    for sub in ["generated", ".venv", "src", "lib/site-packages/dep"] {
        std::fs::create_dir_all(dir.path().join(sub)).unwrap();
        std::fs::write(dir.path().join(sub).join("m.py"), BAD).unwrap();
    }
    let (_, out, _) = pykata(dir.path(), &["scan", "--json", "--kata", "bare-except"]);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let paths: Vec<&str> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, vec!["./src/m.py"]);
    assert_eq!(json["files"], 1);
}

#[test]
fn a_katas_merged_check_gives_the_same_verdict_as_rule_by_rule() {
    // `Kata::check` (the trainer's and `pykata check`'s path) runs the kata's rules and
    // relations merged, in one walk; `CompiledChecks::check` runs them one by one, as
    // `verify` does; `DetectSet::check` is the merged set on a parsed tree.
    let catalog = bundled();
    for kata in catalog.katas() {
        let compiled = kata.compiled().unwrap();
        let prepared = pykata::check::CompiledChecks::prepare(&kata.checks).unwrap();
        let once = pykata::check::DetectSet::for_kata(std::sync::Arc::new(prepared));
        for code in kata.programs().chain([""]) {
            let merged = kata.check(code).unwrap();
            let alone = compiled.check(code);
            assert_eq!(merged.findings, alone.findings, "{}:\n{code}", kata.id);
            let tree = pykata::check::parse_python(code).unwrap();
            if !tree.root_node().has_error() {
                assert_eq!(
                    once.check(&tree, code),
                    alone.findings,
                    "{}:\n{code}",
                    kata.id
                );
            }
        }
    }
}

/// A scan reads the rules with pykata's runner, not tree-sitter's compiler; a query that does
/// not read still gets an error that names its kata and the reason.
#[test]
fn a_broken_detect_query_is_named_by_kata() {
    let text = "id: broken-kata\ntitle: T\ntopic: basics\ndifficulty: 1\nskill: s\npython: \"3.8\"\nsummary: s\nexplain: e\nstarter: x\nsolution: x\nhints: [h]\nchecks:\n  detect:\n    - id: nope\n      message: m\n      query: '(call function: (idontexist) @f) @call'\n";
    let kata = Catalog::parse_one(text, pykata::kata::Origin::File("broken.yaml".into()))
        .unwrap_or_else(|p| panic!("{p:?}"));
    let catalog = bundled();
    let mut katas: Vec<&pykata::Kata> = catalog.katas().iter().take(3).collect();
    katas.push(&kata);
    let err = match pykata::scan::detect_set(&katas) {
        Ok(_) => panic!("a query with an unknown node type merged"),
        Err(e) => e,
    };
    assert!(err.contains("broken-kata"), "{err}");
    assert!(err.contains("unknown node type"), "{err}");
}
