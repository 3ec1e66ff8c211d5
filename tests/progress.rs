//! Progress through the real binary: `check --record`, list marks (passed, due, updated),
//! tracks, stats, reports and their class merge, reset, and the store's crash safety (a saver
//! killed with SIGKILL at random moments) and its lock (two processes saving at once).

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use pykata::progress::{ProgressStore, Status};

const KATA: &str = "late-binding-closure";

fn pykata(home: &Path, args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_pykata"))
        .args(args)
        .env("PYKATA_HOME", home)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    child.wait_with_output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn show_field(field: &str) -> String {
    let home = tempfile::tempdir().unwrap();
    let out = pykata(home.path(), &["show", KATA, "--json"], b"");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    json[field].as_str().unwrap().to_string()
}

fn list_line(home: &Path, args: &[&str], id: &str) -> String {
    let out = pykata(home, args, b"");
    text(&out.stdout)
        .lines()
        .find(|l| l.starts_with(id))
        .unwrap_or_default()
        .to_string()
}

#[test]
fn check_without_record_never_touches_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    let file = dir.path().join("fix.py");
    std::fs::write(&file, show_field("solution")).unwrap();
    let out = pykata(&home, &["check", KATA, file.to_str().unwrap()], b"");
    assert_eq!(out.status.code(), Some(0));
    for args in [&["list"][..], &["stats"], &["report"], &["list", "--json"]] {
        let out = pykata(&home, args, b"");
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?}: {}",
            text(&out.stderr)
        );
    }
    assert!(!home.exists(), "nothing was written to PYKATA_HOME");
}

#[test]
fn check_record_records_each_attempt_and_list_shows_it() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    let bad = dir.path().join("bad.py");
    let good = dir.path().join("good.py");
    std::fs::write(&bad, show_field("starter")).unwrap();
    std::fs::write(&good, show_field("solution")).unwrap();
    let out = pykata(
        &home,
        &["check", KATA, bad.to_str().unwrap(), "--record"],
        b"",
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(list_line(&home, &["list"], KATA).contains(" started "));
    let out = pykata(
        &home,
        &["check", KATA, good.to_str().unwrap(), "--record"],
        b"",
    );
    assert_eq!(out.status.code(), Some(0));
    let progress = ProgressStore::new(&home).load().0;
    let k = &progress.katas[KATA];
    assert_eq!(k.status, Status::Passed);
    assert_eq!(k.attempts.len(), 2);
    assert!(!k.attempts[0].passed);
    assert!(
        k.attempts[0]
            .rules
            .contains(&"lambda-reads-loop-variable".to_string())
    );
    assert!(k.attempts[1].passed && k.attempts[1].seconds.is_none());
    assert_eq!(
        k.card.as_ref().unwrap().interval_days(),
        3,
        "a pass of unknown duration without hints is Good"
    );
    let line = list_line(&home, &["list"], KATA);
    assert!(line.contains(" passed "), "{line}");
    let listing = text(&pykata(&home, &["list"], b"").stdout);
    assert!(
        listing.contains(" · 1 passed · 0 due · 0 updated"),
        "{listing}"
    );

    // Make the review due: the list and stats say so.
    ProgressStore::new(&home)
        .update(|p| {
            if let Some(card) = p.katas.get_mut(KATA).and_then(|k| k.card.as_mut()) {
                card.due = 1;
            }
        })
        .unwrap();
    assert!(list_line(&home, &["list"], KATA).contains(" due "));
    let listing = text(&pykata(&home, &["list"], b"").stdout);
    assert!(listing.contains(" · 1 due · "), "{listing}");
    let stats = text(&pykata(&home, &["stats"], b"").stdout);
    assert!(stats.contains("1 due for review"), "{stats}");
    assert!(stats.contains("streak 1 day"), "{stats}");
    assert!(stats.contains(&format!("{KATA}  1")), "weakest: {stats}");
}

const PACK_KATA: &str = r#"id: team-none-check
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
"#;

#[test]
fn a_pack_update_keeps_progress_and_marks_the_kata_updated() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    let pack = dir.path().join("pack");
    std::fs::create_dir_all(&pack).unwrap();
    std::fs::write(pack.join("team-none-check.yaml"), PACK_KATA).unwrap();
    let fix = dir.path().join("fix.py");
    std::fs::write(&fix, "def f(x):\n    return x is None\n").unwrap();
    let packs = ["--katas", pack.to_str().unwrap()];
    let args = [
        &packs[..],
        &[
            "check",
            "team-none-check",
            fix.to_str().unwrap(),
            "--record",
        ],
    ]
    .concat();
    assert_eq!(pykata(&home, &args, b"").status.code(), Some(0));
    let list = [&packs[..], &["list"]].concat();
    assert!(list_line(&home, &list, "team-none-check").contains(" passed "));
    // The team changes the kata's checks: progress stays, the kata is marked updated.
    let changed = PACK_KATA.replace(
        "message: use is None",
        "message: use `is None`\n      capture: c",
    );
    std::fs::write(pack.join("team-none-check.yaml"), changed).unwrap();
    let line = list_line(&home, &list, "team-none-check");
    assert!(line.contains(" updated "), "{line}");
    let out = pykata(&home, &[&packs[..], &["list", "--json"]].concat(), b"");
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let row = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "team-none-check")
        .unwrap();
    assert_eq!(
        (row["status"].as_str(), row["updated"].as_bool()),
        (Some("passed"), Some(true))
    );
    // Passing it again clears the mark.
    assert_eq!(pykata(&home, &args, b"").status.code(), Some(0));
    assert!(list_line(&home, &list, "team-none-check").contains(" passed "));
}

#[test]
fn tracks_list_in_order_and_unknown_ids_are_verify_problems() {
    let home = tempfile::tempdir().unwrap();
    let out = pykata(home.path(), &["list", "--track", "essentials"], b"");
    assert_eq!(out.status.code(), Some(0));
    let shown = text(&out.stdout);
    let ids: Vec<&str> = shown
        .lines()
        .take_while(|l| !l.is_empty())
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert_eq!(ids.first(), Some(&"mutable-default-argument"), "{shown}");
    assert!(shown.contains("track essentials: "), "{shown}");
    let out = pykata(home.path(), &["list", "--track", "nope"], b"");
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.contains(
            "unknown track `nope`; the tracks are: essentials, async, typing, data-and-ml"
        ),
        "{err}"
    );

    let pack = home.path().join("pack");
    std::fs::create_dir_all(&pack).unwrap();
    std::fs::write(pack.join("team-none-check.yaml"), PACK_KATA).unwrap();
    std::fs::write(
        pack.join("tracks.yaml"),
        "tracks:\n  - name: team\n    description: Our rules.\n    katas:\n      - team-none-check\n      - team-missing\n",
    )
    .unwrap();
    let out = pykata(
        home.path(),
        &["verify", "--katas", pack.to_str().unwrap()],
        b"",
    );
    let shown = text(&out.stdout);
    let problem = format!(
        "{}:6: track `team` lists unknown kata `team-missing`",
        pack.join("tracks.yaml").display()
    );
    assert!(shown.contains(&problem), "{shown}");
    assert!(
        !shown.contains("tracks.yaml: error"),
        "tracks.yaml is not a kata: {shown}"
    );
    let out = pykata(
        home.path(),
        &["list", "--katas", pack.to_str().unwrap(), "--track", "team"],
        b"",
    );
    assert!(
        text(&out.stdout).starts_with("team-none-check "),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn the_shipped_tracks_name_only_catalog_ids() {
    let contract = include_str!("fixtures/catalog-ids.txt");
    let ids: Vec<&str> = contract
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .collect();
    let (catalog, problems) = pykata::Catalog::bundled();
    assert!(
        !problems.iter().any(|p| p.file.contains("tracks")),
        "{problems:?}"
    );
    let names: Vec<&str> = catalog.tracks().iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["essentials", "async", "typing", "data-and-ml"]);
    for track in catalog.tracks() {
        assert!(!track.description.is_empty());
        for (id, _) in &track.katas {
            assert!(ids.contains(&id.as_str()), "track {}: {id}", track.name);
        }
    }
}

fn report(home: &Path, name: &str) -> String {
    let out = pykata(home, &["report", "--format", "json", "--name", name], b"");
    assert_eq!(out.status.code(), Some(0));
    text(&out.stdout)
}

#[test]
fn reports_in_every_format_and_a_class_merge_that_names_bad_files() {
    let dir = tempfile::tempdir().unwrap();
    let (ada, bob) = (dir.path().join("ada"), dir.path().join("bob"));
    let good = dir.path().join("good.py");
    let bad = dir.path().join("bad.py");
    std::fs::write(&good, show_field("solution")).unwrap();
    std::fs::write(&bad, show_field("starter")).unwrap();
    for _ in 0..2 {
        pykata(
            &ada,
            &["check", KATA, bad.to_str().unwrap(), "--record"],
            b"",
        );
    }
    pykata(
        &ada,
        &["check", KATA, good.to_str().unwrap(), "--record"],
        b"",
    );
    pykata(
        &bob,
        &["check", KATA, bad.to_str().unwrap(), "--record"],
        b"",
    );

    let md = text(&pykata(&ada, &["report", "--name", "Ada"], b"").stdout);
    assert!(md.starts_with("# pykata report: Ada\n\n1 of "), "{md}");
    assert!(
        md.contains(&format!("| {KATA} | basics | passed | 3 | 0 | no |")),
        "{md}"
    );
    let csv = text(&pykata(&ada, &["report", "--format", "csv", "--name", "Ada"], b"").stdout);
    assert!(
        csv.starts_with(
            "learner,kata,topic,status,attempts,hints,revealed,first_pass,updated,due\n"
        )
    );
    assert!(
        csv.contains(&format!("Ada,{KATA},basics,passed,3,0,false,")),
        "{csv}"
    );

    let files = dir.path().join("reports");
    std::fs::create_dir_all(&files).unwrap();
    std::fs::write(files.join("ada.json"), report(&ada, "Ada")).unwrap();
    std::fs::write(files.join("bob.json"), report(&bob, "Bob")).unwrap();
    std::fs::write(files.join("notes.json"), "these are not JSON").unwrap();
    let future = report(&bob, "Bob").replacen("\"version\": 1", "\"version\": 9", 1);
    std::fs::write(files.join("future.json"), future).unwrap();
    std::fs::write(files.join("other.json"), "{\"version\": 1}").unwrap();
    let mut args = vec!["report".to_string(), "--merge".to_string()];
    for name in [
        "ada.json",
        "notes.json",
        "bob.json",
        "future.json",
        "other.json",
    ] {
        args.push(files.join(name).display().to_string());
    }
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = pykata(dir.path(), &argv, b"");
    assert_eq!(out.status.code(), Some(1), "some files were left out");
    let err = text(&out.stderr);
    assert!(
        err.contains(&format!(
            "{}:1:2: not JSON: expected ident",
            files.join("notes.json").display()
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "{}: report version 9 is not supported",
            files.join("future.json").display()
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "{}: not a pykata report",
            files.join("other.json").display()
        )),
        "{err}"
    );
    assert!(err.contains("3 of 5 files left out"), "{err}");
    let md = text(&out.stdout);
    assert!(md.contains("2 learners."), "{md}");
    assert!(
        md.contains(&format!("| {KATA} | 50% | 1/2 | 2 | 0 |")),
        "{md}"
    );
    assert!(md.contains("| Ada | 1/"), "{md}");
    assert!(md.contains("| Bob | 0/"), "{md}");

    let mut csv_args = argv.clone();
    csv_args.extend(["--format", "csv"]);
    let csv = text(&pykata(dir.path(), &csv_args, b"").stdout);
    assert!(csv.starts_with(
        "row,name,passed,total,pass_rate,median_attempts,median_hints,attempts,hints,revealed\n"
    ));
    assert!(
        csv.contains(&format!("kata,{KATA},1,2,0.500,2,0,,,")),
        "{csv}"
    );
    assert!(csv.contains("learner,Ada,1,"), "{csv}");
}

#[test]
fn reset_asks_backs_up_the_draft_and_keeps_history_unless_forget() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path();
    let bad = home.join("bad.py");
    std::fs::write(&bad, show_field("starter")).unwrap();
    pykata(
        home,
        &["check", KATA, bad.to_str().unwrap(), "--record"],
        b"",
    );
    std::fs::create_dir_all(home.join("drafts")).unwrap();
    let draft = home.join(format!("drafts/{KATA}.py"));
    std::fs::write(&draft, "# my work\n").unwrap();

    let out = pykata(home, &["reset", KATA], b"n\n");
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("[y/N]"));
    assert!(draft.exists(), "no means no");
    let out = pykata(home, &["reset", KATA], b"");
    assert_eq!(out.status.code(), Some(1), "no answer means no");

    let out = pykata(home, &["reset", KATA], b"y\n");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(!draft.exists());
    let backup = home.join(format!("drafts/{KATA}.py.bak"));
    assert_eq!(std::fs::read_to_string(&backup).unwrap(), "# my work\n");
    assert!(text(&out.stdout).contains(&backup.display().to_string()));
    let p = ProgressStore::new(home).load().0;
    assert_eq!(p.status(KATA), Status::New);
    assert_eq!(p.katas[KATA].attempts.len(), 1, "history kept");

    std::fs::write(&draft, "# second try\n").unwrap();
    let out = pykata(home, &["reset", "--all", "--yes", "--forget"], b"");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("reset 1 kata"));
    assert_eq!(
        std::fs::read_to_string(&backup).unwrap(),
        "# my work\n",
        "older backup kept"
    );
    assert_eq!(
        std::fs::read_to_string(home.join(format!("drafts/{KATA}.py.bak.1"))).unwrap(),
        "# second try\n"
    );
    assert!(
        ProgressStore::new(home).load().0.katas.is_empty(),
        "forgotten"
    );
}

#[test]
fn config_packs_with_the_same_kata_id_name_both_files() {
    let home = tempfile::tempdir().unwrap();
    let (one, two) = (home.path().join("one"), home.path().join("two"));
    for pack in [&one, &two] {
        std::fs::create_dir_all(pack).unwrap();
        std::fs::write(pack.join("team-none-check.yaml"), PACK_KATA).unwrap();
    }
    std::fs::write(
        home.path().join("config.toml"),
        format!(
            "packs = [{:?}, {:?}]\n",
            one.display().to_string(),
            two.display().to_string()
        ),
    )
    .unwrap();
    let out = pykata(home.path(), &["list"], b"");
    let err = text(&out.stderr);
    assert!(
        err.contains(&format!(
            "kata `team-none-check` is defined by two packs: {} and {}",
            one.join("team-none-check.yaml").display(),
            two.join("team-none-check.yaml").display()
        )),
        "{err}"
    );
    assert!(text(&out.stdout).contains("team-none-check "));
}

/// Runs the saver, kills it with SIGKILL a few random milliseconds after its first save, and
/// returns the last count it printed (a completed save).
fn save_then_kill(home: &Path, wait: Duration) -> u64 {
    let mut child = Command::new(env!("CARGO_BIN_EXE_pykata"))
        .arg("debug-save-loop")
        .env("PYKATA_HOME", home)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut last: u64 = lines
        .next()
        .and_then(Result::ok)
        .and_then(|l| l.parse().ok())
        .unwrap_or(0);
    std::thread::sleep(wait);
    child.kill().unwrap();
    let status = child.wait().unwrap();
    assert!(!status.success(), "the saver never stops by itself");
    for line in lines.map_while(Result::ok) {
        if let Ok(n) = line.parse() {
            last = n;
        }
    }
    last
}

#[test]
fn a_saver_killed_at_random_moments_never_loses_a_completed_save() {
    let started = Instant::now();
    let mut rng = pykata::drill::SplitMix64::new(pykata::drill::clock_seed());
    let mut home: Option<tempfile::TempDir> = None;
    let mut kills = 0;
    for round in 0..200 {
        if round % 25 == 0 {
            home = Some(tempfile::tempdir().unwrap());
        }
        let dir = home.as_ref().unwrap().path();
        let wait = Duration::from_micros(rng.below(8_000));
        let printed = save_then_kill(dir, wait);
        kills += 1;
        let (progress, warning) = ProgressStore::new(dir).load();
        assert!(warning.is_none(), "kill {kills}: {warning:?}");
        let held = progress
            .katas
            .get("save-loop")
            .map_or(0, |k| k.attempts.len()) as u64;
        assert!(
            held >= printed,
            "kill {kills}: the store holds {held}, the saver had completed {printed}"
        );
        let aside: Vec<PathBuf> = std::fs::read_dir(dir)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.to_string_lossy().contains("corrupt"))
            .collect();
        assert!(aside.is_empty(), "{aside:?}");
    }
    assert_eq!(kills, 200);
    eprintln!("{kills} kills in {:?}", started.elapsed());
}

#[test]
fn two_processes_saving_at_once_lose_nothing() {
    let home = tempfile::tempdir().unwrap();
    let children: Vec<_> = (0..2)
        .map(|_| {
            Command::new(env!("CARGO_BIN_EXE_pykata"))
                .args(["debug-save-loop", "--count", "150"])
                .env("PYKATA_HOME", home.path())
                .stdout(Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut child in children {
        assert!(child.wait().unwrap().success());
    }
    let (progress, warning) = ProgressStore::new(home.path()).load();
    assert!(warning.is_none());
    assert_eq!(progress.katas["save-loop"].attempts.len(), 300);
}
