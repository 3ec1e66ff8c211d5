//! The real binary in a pseudo-terminal (portable-pty), its screen read back with vt100: the
//! main learner flows, each with a fresh PYKATA_HOME.

use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

const FIX: &str = "def build_retry_plan(max_attempts):\n    delays = []\n    labels = []\n    for attempt in range(max_attempts):\n        delays.append(lambda attempt=attempt: 2 ** attempt)\n        labels.append(lambda attempt=attempt: f\"attempt {attempt + 1} of {max_attempts}\")\n    return delays, labels\n\n\ndef describe(plan):\n    delays, labels = plan\n    return [(label(), delay()) for label, delay in zip(labels, delays)]\n\n\nif __name__ == \"__main__\":\n    print(describe(build_retry_plan(3)))\n";

/// A running pykata in a pty.
struct Session {
    parser: Arc<Mutex<vt100::Parser>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
}

impl Session {
    fn start(home: &Path, args: &[&str]) -> Session {
        Session::start_with(home, args, "true")
    }

    fn start_with(home: &Path, args: &[&str], editor: &str) -> Session {
        Session::start_in(home, None, args, editor)
    }

    fn start_in(home: &Path, folder: Option<&Path>, args: &[&str], editor: &str) -> Session {
        let pty = native_pty_system()
            .openpty(PtySize {
                rows: 30,
                cols: 100,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_pykata"));
        cmd.args(args);
        cmd.env("PYKATA_HOME", home);
        cmd.env("TERM", "xterm-256color");
        cmd.env("EDITOR", editor);
        cmd.env_remove("VISUAL");
        if let Some(folder) = folder {
            cmd.cwd(folder);
        }
        let child = pty.slave.spawn_command(cmd).unwrap();
        drop(pty.slave);
        let parser = Arc::new(Mutex::new(vt100::Parser::new(30, 100, 0)));
        let mut reader = pty.master.try_clone_reader().unwrap();
        let sink = Arc::clone(&parser);
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().process(&buf[..n]);
            }
        });
        let writer = pty.master.take_writer().unwrap();
        // Keep the master alive as long as the writer: leak it into the writer's lifetime.
        std::mem::forget(pty.master);
        Session {
            parser,
            writer,
            child,
        }
    }

    fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    fn wait_for(&self, text: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let screen = self.screen();
            if screen.contains(text) {
                return screen;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {text:?}; screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn send(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).unwrap();
        self.writer.flush().unwrap();
        std::thread::sleep(Duration::from_millis(100));
    }

    fn paste(&mut self, text: &str) {
        let mut bytes = b"\x1b[200~".to_vec();
        bytes.extend_from_slice(text.as_bytes());
        bytes.extend_from_slice(b"\x1b[201~");
        self.send(&bytes);
    }

    fn quit(mut self) {
        self.send(b"\x11"); // Ctrl+Q
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                assert!(status.success(), "pykata exited with {status:?}");
                return;
            }
            assert!(Instant::now() < deadline, "pykata did not quit");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

fn open_late_binding(s: &mut Session) {
    s.wait_for("katas");
    s.send(b"/late");
    s.send(b"\r");
    s.send(b"\r");
    s.wait_for("Your code");
}

#[test]
fn paste_a_fix_pass_quit_and_resume() {
    let home = tempfile::tempdir().unwrap();
    let mut s = Session::start(home.path(), &[]);
    open_late_binding(&mut s);
    s.wait_for("this lambda reads `attempt`");
    s.send(b"\x01"); // Ctrl+A selects everything; the paste replaces it.
    s.paste(FIX);
    s.wait_for("Passed: every check is happy");
    s.send(b"\x1b"); // back to the list
    s.wait_for("1 passed");
    s.quit();

    let draft = home.path().join("drafts/late-binding-closure.py");
    assert_eq!(std::fs::read_to_string(&draft).unwrap(), FIX);

    let mut s = Session::start(home.path(), &[]);
    let screen = s.wait_for("1 passed");
    let line = screen
        .lines()
        .find(|l| l.contains("late-binding-closure"))
        .unwrap();
    assert!(line.contains('✔'), "marked passed: {line}");
    open_late_binding(&mut s);
    s.wait_for("Passed: every check is happy");
    assert!(
        s.screen().contains("lambda attempt=attempt"),
        "the draft is resumed"
    );
    s.quit();
}

#[test]
fn a_fix_written_to_the_draft_from_outside_changes_the_verdict() {
    let home = tempfile::tempdir().unwrap();
    let path = std::process::Command::new(env!("CARGO_BIN_EXE_pykata"))
        .args(["path", "late-binding-closure"])
        .env("PYKATA_HOME", home.path())
        .output()
        .unwrap();
    let path = String::from_utf8(path.stdout).unwrap().trim().to_string();
    assert_eq!(
        Path::new(&path),
        home.path().join("drafts/late-binding-closure.py")
    );

    let mut s = Session::start(home.path(), &[]);
    open_late_binding(&mut s);
    s.wait_for("this lambda reads `attempt`");
    std::fs::create_dir_all(Path::new(&path).parent().unwrap()).unwrap();
    std::fs::write(&path, FIX).unwrap();
    s.wait_for("Passed: every check is happy");
    s.quit();
}

#[test]
fn sigterm_saves_the_draft_and_restores_the_terminal() {
    let home = tempfile::tempdir().unwrap();
    let mut s = Session::start(home.path(), &[]);
    open_late_binding(&mut s);
    s.send(b"# kept\r");
    s.wait_for("# kept");
    let pid = s.child.process_id().unwrap();
    std::process::Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while s.child.try_wait().unwrap().is_none() {
        assert!(Instant::now() < deadline, "pykata ignored SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    }
    let draft =
        std::fs::read_to_string(home.path().join("drafts/late-binding-closure.py")).unwrap();
    assert!(draft.starts_with("# kept\n"), "{draft}");
    // The alternate screen was left: the shell's screen is back.
    assert!(!s.parser.lock().unwrap().screen().alternate_screen());
}

#[test]
fn the_editor_key_suspends_runs_editor_and_rechecks() {
    let home = tempfile::tempdir().unwrap();
    let fix = home.path().join("fix.py");
    std::fs::write(&fix, FIX).unwrap();
    // An "editor" that writes the fix into the file it is given.
    let editor = format!("cp {}", fix.display());
    let mut s = Session::start_with(home.path(), &[], &editor);
    open_late_binding(&mut s);
    s.wait_for("this lambda reads `attempt`");
    s.send(b"\x1b[15~"); // F5
    s.wait_for("Passed: every check is happy");
    s.quit();
}

#[test]
fn closing_the_terminal_saves_the_draft_and_exits() {
    // The test holds the only handles on the master; dropping them hangs the terminal up, as
    // closing a terminal window does. A dead terminal stays readable forever: the trainer must
    // notice, save the draft and leave, not spin.
    let home = tempfile::tempdir().unwrap();
    let pty = native_pty_system()
        .openpty(PtySize {
            rows: 30,
            cols: 100,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_pykata"));
    cmd.env("PYKATA_HOME", home.path());
    cmd.env("TERM", "xterm-256color");
    let mut child = pty.slave.spawn_command(cmd).unwrap();
    drop(pty.slave);
    // Follow the screen until told to stop; the reader lets go of its handle after the read
    // that follows the stop.
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let parser = Arc::new(Mutex::new(vt100::Parser::new(30, 100, 0)));
    let mut reader = pty.master.try_clone_reader().unwrap();
    let (stopping, sink) = (Arc::clone(&stop), Arc::clone(&parser));
    let drained = std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 || stopping.load(std::sync::atomic::Ordering::SeqCst) {
                break;
            }
            sink.lock().unwrap().process(&buf[..n]);
        }
    });
    let wait_for = |text: &str| {
        let deadline = Instant::now() + Duration::from_secs(20);
        while !parser.lock().unwrap().screen().contents().contains(text) {
            assert!(Instant::now() < deadline, "timed out waiting for {text:?}");
            std::thread::sleep(Duration::from_millis(50));
        }
    };
    let mut writer = pty.master.take_writer().unwrap();
    wait_for("katas");
    for keys in [&b"/late"[..], b"\r", b"\r"] {
        writer.write_all(keys).unwrap();
        writer.flush().unwrap();
        std::thread::sleep(Duration::from_millis(100));
    }
    wait_for("Your code");
    writer.write_all(b"# kept").unwrap();
    writer.flush().unwrap();
    wait_for("# kept");
    // Stop following: the next output (this key's redraw, or the idle redraw) frees the reader.
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    writer.write_all(b"\r").unwrap();
    writer.flush().unwrap();
    drained.join().unwrap();
    drop(writer);
    drop(pty.master);
    let deadline = Instant::now() + Duration::from_secs(10);
    while child.try_wait().unwrap().is_none() {
        assert!(
            Instant::now() < deadline,
            "pykata kept running after its terminal closed"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let draft =
        std::fs::read_to_string(home.path().join("drafts/late-binding-closure.py")).unwrap();
    // Input still in flight when the terminal hung up may be lost; what was on screen is not.
    assert!(draft.starts_with("# kept"), "{draft}");
}

#[test]
fn a_drill_round_counts_down_and_ends_on_its_score() {
    let home = tempfile::tempdir().unwrap();
    let mut s = Session::start(
        home.path(),
        &[
            "drill",
            "--count",
            "1",
            "--minutes",
            "2",
            "--topic",
            "basics",
            "--seed",
            "3",
        ],
    );
    let screen = s.wait_for("[drill 1/1 ⏱ ");
    assert!(
        screen.contains("⏱ 2:00") || screen.contains("⏱ 1:5"),
        "{screen}"
    );
    let id = drill_kata();
    let solution = solution_of(&id);
    s.send(b"\x01");
    s.paste(&solution);
    let screen = s.wait_for("Drill over · seed 3");
    assert!(screen.contains("passed 1/1"), "{screen}");
    assert!(screen.contains(&id), "{screen}");
    s.send(b"\r");
    s.wait_for("1 passed");
    s.quit();
    let progress: serde_json::Value =
        serde_json::from_slice(&std::fs::read(home.path().join("progress.json")).unwrap()).unwrap();
    assert_eq!(progress["drills"][0]["seed"], 3);
    assert_eq!(progress["drills"][0]["passed"][0], id.as_str());
}

/// The kata `--count 1 --topic basics --seed 3` draws, as the library draws it.
fn drill_kata() -> String {
    let (catalog, _) = pykata::Catalog::bundled();
    let round = pykata::drill::choose(&catalog, 1, &["basics".to_string()], 3);
    catalog.katas()[round[0]].id.clone()
}

fn solution_of(id: &str) -> String {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_pykata"))
        .args(["show", id, "--json"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    json["solution"].as_str().unwrap().to_string()
}

#[test]
fn the_trainer_opens_on_a_track_and_review_needs_something_due() {
    let home = tempfile::tempdir().unwrap();
    let s = Session::start(home.path(), &["--track", "essentials"]);
    let screen = s.wait_for("track essentials");
    assert!(screen.contains("start here"), "{screen}");
    let first = screen
        .lines()
        .position(|l| l.contains("mutable-default-argument"))
        .unwrap();
    let later = screen
        .lines()
        .position(|l| l.contains("bare-except"))
        .unwrap();
    assert!(first < later, "in the track's order: {screen}");
    s.quit();

    let out = std::process::Command::new(env!("CARGO_BIN_EXE_pykata"))
        .arg("review")
        .env("PYKATA_HOME", home.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no review is due"));
}

#[test]
fn scan_tui_opens_the_list_with_the_found_katas_marked() {
    let home = tempfile::tempdir().unwrap();
    let code = tempfile::tempdir().unwrap();
    std::fs::write(
        code.path().join("jobs.py"),
        "def enqueue(job, queue=[]):\n    queue.append(job)\n    return queue\n\n\n\
         def run(job):\n    try:\n        job()\n    except:\n        pass\n\n\n\
         def drain(queue, pending=[]):\n    pending.extend(queue)\n    return pending\n",
    )
    .unwrap();
    let dir = code.path().to_str().unwrap();
    let s = Session::start(home.path(), &["scan", "--tui", dir]);
    let screen = s.wait_for("scan: 3 findings in 2 katas");
    let line = |id: &str| {
        screen
            .lines()
            .find(|l| l.contains(id))
            .unwrap_or_else(|| panic!("{id} not on screen:\n{screen}"))
            .to_string()
    };
    assert!(line("mutable-default-argument").contains("⚑2"), "{screen}");
    assert!(line("bare-except").contains("⚑1"), "{screen}");
    assert!(!line("with-for-resources").contains('⚑'), "{screen}");
    s.quit();
}

#[test]
fn the_scan_key_scans_the_folder_the_trainer_started_in() {
    let home = tempfile::tempdir().unwrap();
    let code = tempfile::tempdir().unwrap();
    std::fs::write(
        code.path().join("jobs.py"),
        "def run(job):\n    try:\n        job()\n    except:\n        pass\n",
    )
    .unwrap();
    let mut s = Session::start_in(home.path(), Some(code.path()), &[], "true");
    let screen = s.wait_for("s scan");
    assert!(!screen.contains('⚑'), "{screen}");
    s.send(b"s");
    let screen = s.wait_for("scan: 1 finding in 1 file");
    let line = screen
        .lines()
        .find(|l| l.contains("bare-except"))
        .unwrap_or_else(|| panic!("bare-except not on screen:\n{screen}"))
        .to_string();
    assert!(line.contains("⚑1"), "{screen}");
    s.quit();
}
