//! The bundled pack, tested by its own examples and against a second opinion: `verify` passes,
//! every catalog id is there, every kata meets the content bar, CPython compiles every GOOD
//! program, and the starters of runtime-bug katas really misbehave when run.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use pykata::kata::Catalog;

fn bundled() -> Catalog {
    let (catalog, problems) = Catalog::bundled();
    assert!(problems.is_empty(), "{problems:?}");
    catalog
}

#[test]
fn verify_passes_on_the_bundled_pack() {
    let catalog = bundled();
    let report = pykata::verify::verify(&catalog, &[]);
    let lines: Vec<String> = report.problems.iter().map(ToString::to_string).collect();
    assert!(lines.is_empty(), "verify problems:\n{}", lines.join("\n"));
}

#[test]
fn every_catalog_id_is_a_kata() {
    let catalog = bundled();
    let wanted = include_str!("fixtures/catalog-ids.txt");
    let missing: Vec<&str> = wanted
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter(|id| catalog.get(id).is_none())
        .collect();
    assert!(
        missing.is_empty(),
        "{} catalog ids have no kata: {missing:?}",
        missing.len()
    );
    // The list agrees with the catalog itself where the shared folder is beside the checkout.
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/catalog.md");
    if let Ok(text) = std::fs::read_to_string(shared) {
        for line in text.lines() {
            let Some(rest) = line.strip_prefix("| ") else {
                continue;
            };
            let id = rest.split(' ').next().unwrap_or("");
            if id.contains('-')
                && id
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            {
                assert!(
                    wanted.lines().any(|l| l == id),
                    "catalog id {id} missing from fixtures/catalog-ids.txt"
                );
            }
        }
    }
}

#[test]
fn every_kata_meets_the_content_bar() {
    let mut short = Vec::new();
    for kata in bundled().katas() {
        let words = kata.explain.split_whitespace().count();
        let lines = kata.starter.trim_end().lines().count();
        let mut why = Vec::new();
        if kata.examples.accept.len() < 4 {
            why.push(format!("{} accept examples", kata.examples.accept.len()));
        }
        if kata.examples.reject.len() < 4 {
            why.push(format!("{} reject examples", kata.examples.reject.len()));
        }
        if kata.hints.len() < 3 {
            why.push(format!("{} hints", kata.hints.len()));
        }
        if !(80..=250).contains(&words) {
            why.push(format!("explain has {words} words"));
        }
        if !(8..=30).contains(&lines) {
            why.push(format!("starter has {lines} lines"));
        }
        if kata.checks.require.is_empty() {
            why.push("no require rule".into());
        }
        if !why.is_empty() {
            short.push(format!("{}: {}", kata.id, why.join(", ")));
        }
    }
    assert!(short.is_empty(), "{}", short.join("\n"));
}

/// The version of a Python interpreter, if it runs.
fn version_of(command: &str) -> Option<(u32, u32)> {
    let out = Command::new(command)
        .args([
            "-c",
            "import sys; print(sys.version_info[0], sys.version_info[1])",
        ])
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let mut parts = text.split_whitespace().map(|p| p.parse::<u32>().ok());
    Some((parts.next()??, parts.next()??))
}

/// The Python interpreters on this machine, by version: `python3`, any `python3.N` on PATH that
/// runs, and pyenv's installed versions (`$PYENV_ROOT/versions/*/bin/python3`), whose shims
/// refuse to run a version that is not the selected one.
fn interpreters() -> BTreeMap<(u32, u32), String> {
    let mut candidates: Vec<String> = (8..=14).map(|m| format!("python3.{m}")).collect();
    let pyenv = std::env::var_os("PYENV_ROOT")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".pyenv")));
    if let Some(Ok(entries)) = pyenv.map(|root| std::fs::read_dir(root.join("versions"))) {
        for entry in entries.flatten() {
            let bin = entry.path().join("bin/python3");
            if bin.is_file() {
                candidates.push(bin.to_string_lossy().into_owned());
            }
        }
    }
    candidates.push("python3".to_string());
    let mut found = BTreeMap::new();
    for name in candidates {
        if let Some(v) = version_of(&name) {
            found.insert(v, name);
        }
    }
    if found.is_empty() {
        eprintln!("SKIPPED python cross-checks: no python3 on this machine");
    }
    found
}

/// The interpreter to judge a kata with: its minimum version if present, else the oldest newer one.
fn interpreter_for(all: &BTreeMap<(u32, u32), String>, need: (u32, u32)) -> Option<&str> {
    all.range(need..).next().map(|(_, name)| name.as_str())
}

const COMPILE_ALL: &str = r#"
import json, sys
failed = 0
for item in json.load(sys.stdin):
    try:
        compile(item["code"], item["name"], "exec")
    except SyntaxError as e:
        failed += 1
        print(f"{item['name']}: line {e.lineno}: {e.msg}")
sys.exit(1 if failed else 0)
"#;

#[test]
fn cpython_compiles_every_solution_and_accept_example() {
    let all = interpreters();
    if all.is_empty() {
        return;
    }
    // A solution must compile on the kata's minimum version (that is what `python` promises);
    // accept examples are fixes a learner on any newer Python may write, so the newest judges them.
    let newest = all
        .values()
        .next_back()
        .map(String::as_str)
        .unwrap_or("python3");
    let mut by_interpreter: BTreeMap<&str, Vec<serde_json::Value>> = BTreeMap::new();
    let mut skipped = Vec::new();
    let catalog = bundled();
    for kata in catalog.katas() {
        let Some(need) = kata.python_version() else {
            continue;
        };
        let Some(python) = interpreter_for(&all, need) else {
            skipped.push(format!("{} (needs {})", kata.id, kata.python));
            continue;
        };
        by_interpreter.entry(python).or_default().push(
            serde_json::json!({"name": format!("{}: solution", kata.id), "code": kata.solution}),
        );
        let accepts = by_interpreter.entry(newest).or_default();
        for (i, ex) in kata.examples.accept.iter().enumerate() {
            accepts.push(serde_json::json!({"name": format!("{}: accept #{} ({})", kata.id, i + 1, ex.note), "code": ex.code}));
        }
    }
    if !skipped.is_empty() {
        eprintln!(
            "SKIPPED compiling {} katas, no interpreter new enough: {}",
            skipped.len(),
            skipped.join(", ")
        );
    }
    let mut failures = String::new();
    for (python, programs) in by_interpreter {
        eprintln!("compiling {} programs with {python}", programs.len());
        let mut child = Command::new(python)
            .args(["-c", COMPILE_ALL])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let input = serde_json::to_vec(&programs).unwrap();
        child.stdin.take().unwrap().write_all(&input).unwrap();
        let out = child.wait_with_output().unwrap();
        if !out.status.success() {
            failures.push_str(&format!(
                "{python} rejects:\n{}",
                String::from_utf8_lossy(&out.stdout)
            ));
        }
    }
    assert!(failures.is_empty(), "{failures}");
}

/// What running a kata's starter (and solution) must show.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RunFixture {
    #[serde(default)]
    starter_shows: Vec<String>,
    #[serde(default)]
    solution_shows: Vec<String>,
}

fn run_python(python: &str, code: &str, dir: &Path) -> String {
    let file = dir.join("program.py");
    std::fs::write(&file, code).unwrap();
    let mut child = Command::new(python)
        .arg(&file)
        .current_dir(dir)
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(20) {
            let _ = child.kill();
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let out = child.wait_with_output().unwrap();
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn runtime_bug_starters_really_misbehave() {
    let all = interpreters();
    if all.is_empty() {
        return;
    }
    let catalog = bundled();
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/runs");
    let mut fixtures = BTreeMap::new();
    for entry in std::fs::read_dir(&dir).unwrap().flatten() {
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "yaml") {
            let id = path.file_stem().unwrap().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(&path).unwrap();
            let fixture: RunFixture =
                serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            fixtures.insert(id, fixture);
        }
    }
    assert!(fixtures.contains_key("late-binding-closure"));
    let mut failures = Vec::new();
    let work = tempfile::tempdir().unwrap();
    for (id, fixture) in &fixtures {
        let kata = catalog
            .get(id)
            .unwrap_or_else(|| panic!("fixture for unknown kata {id}"));
        // Fixtures are written against the machine's python3, newer interpreters where needed.
        let need = kata.python_version().unwrap_or((3, 0));
        let default = all.iter().find(|(_, n)| *n == "python3").map(|(v, _)| *v);
        let python = match default {
            Some(v) if v >= need => "python3",
            _ => match interpreter_for(&all, need) {
                Some(p) => p,
                None => {
                    eprintln!("SKIPPED running {id}: needs Python {}", kata.python);
                    continue;
                }
            },
        };
        for (what, code, shows) in [
            ("starter", &kata.starter, &fixture.starter_shows),
            ("solution", &kata.solution, &fixture.solution_shows),
        ] {
            if shows.is_empty() {
                continue;
            }
            let output = run_python(python, code, work.path());
            for needle in shows {
                if !output.contains(needle.as_str()) {
                    failures.push(format!(
                        "{id}: the {what} does not show {needle:?}; it printed:\n{output}"
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
