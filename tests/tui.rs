//! The trainer's state and screens, without a terminal: every key's action and effect, and
//! TestBackend snapshots of every screen.

use std::sync::Arc;

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyEventState, KeyModifiers};
use pykata::kata::{Catalog, Origin};
use pykata::progress::{Drafts, ProgressStore, Status};
use pykata::tui::action::{Action, for_key};
use pykata::tui::app::{App, Effect, Overlay, Question, ScanOutcome, Screen};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const LATE: &str = include_str!("../katas/basics/late-binding-closure.yaml");

const NONE_KATA: &str = r#"id: none-check
title: Compare with None by identity
topic: patterns
difficulty: 1
skill: identity
python: "3.8"
summary: Use `is None`, not `== None`.
explain: |
  `==` asks the object whether it equals None, and an object may say yes.
starter: |
  def missing(value):
      return value == None
solution: |
  def missing(value):
      return value is None
hints: [Which operator asks about identity?, "Use `is None`."]
checks:
  detect:
    - id: eq-none
      message: "compare with `is None`"
      query: '(comparison_operator operators: "==" (none)) @cmp'
  keep:
    - id: keeps-missing
      message: keep `missing`
      query: '(function_definition name: (identifier) @n (#eq? @n "missing")) @d'
"#;

fn catalog() -> Arc<Catalog> {
    let late = Catalog::parse_one(
        LATE,
        Origin::Bundled("katas/basics/late-binding-closure.yaml".into()),
    )
    .unwrap();
    let none = Catalog::parse_one(
        NONE_KATA,
        Origin::Bundled("katas/patterns/none-check.yaml".into()),
    )
    .unwrap();
    Arc::new(Catalog::from_katas(vec![late, none]))
}

struct Fixture {
    app: App,
    dir: tempfile::TempDir,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let theme = pykata::highlight::load_theme("pykata-dark").unwrap();
    let app = App::new(
        catalog(),
        Some(ProgressStore::new(dir.path())),
        Some(Drafts::new(dir.path())),
        Arc::new(theme),
        true,
        (80, 24),
    );
    Fixture { app, dir }
}

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent {
        code,
        modifiers: KeyModifiers::NONE,
        kind: KeyEventKind::Press,
        state: KeyEventState::NONE,
    }
}

fn with(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
    KeyEvent {
        modifiers,
        ..key(code)
    }
}

fn ctrl(c: char) -> KeyEvent {
    with(KeyCode::Char(c), KeyModifiers::CONTROL)
}

/// Maps a key and applies its action, as the terminal loop does.
fn press(app: &mut App, k: KeyEvent) -> Effect {
    match for_key(app, k) {
        Some(action) => app.update(action),
        None => Effect::None,
    }
}

fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        press(app, key(KeyCode::Char(c)));
    }
}

fn screen(app: &App, w: u16, h: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal
        .draw(|f| pykata::tui::render::draw(f, app))
        .unwrap();
    format!("{}", terminal.backend())
}

fn open_late(app: &mut App) {
    press(app, key(KeyCode::Enter));
    assert_eq!(app.screen, Screen::Kata);
    assert_eq!(app.current().unwrap().id, "late-binding-closure");
}

const FIXED: &str = "def build_retry_plan(max_attempts):\n    delays = []\n    labels = []\n    for attempt in range(max_attempts):\n        delays.append(lambda attempt=attempt: 2 ** attempt)\n        labels.append(lambda attempt=attempt: f\"attempt {attempt + 1} of {max_attempts}\")\n    return delays, labels\n\n\ndef describe(plan):\n    delays, labels = plan\n    return [(label(), delay()) for label, delay in zip(labels, delays)]\n\n\nif __name__ == \"__main__\":\n    print(describe(build_retry_plan(3)))\n";

fn replace_code(app: &mut App, code: &str) {
    // Select everything, then paste over it, as a learner would.
    press(app, ctrl('a'));
    app.update(Action::Paste(code.to_string()));
}

#[test]
fn list_keys_move_filter_and_open() {
    let mut f = fixture();
    let app = &mut f.app;
    assert_eq!(app.visible().len(), 2);
    for (k, selected) in [
        (key(KeyCode::Down), 1),
        (key(KeyCode::Down), 1),
        (key(KeyCode::Up), 0),
        (key(KeyCode::Char('j')), 1),
        (key(KeyCode::Char('k')), 0),
        (key(KeyCode::End), 1),
        (key(KeyCode::Home), 0),
        (key(KeyCode::Char('G')), 1),
        (key(KeyCode::Char('g')), 0),
        (key(KeyCode::PageDown), 1),
        (key(KeyCode::PageUp), 0),
    ] {
        press(app, k);
        assert_eq!(app.list.selected, selected, "{k:?}");
    }
    press(app, key(KeyCode::Char('/')));
    assert!(app.list.typing);
    type_text(app, "none");
    assert_eq!(app.list.filter, "none");
    assert_eq!(app.visible().len(), 1);
    press(app, key(KeyCode::Backspace));
    assert_eq!(app.list.filter, "non");
    press(app, key(KeyCode::Enter));
    assert!(!app.list.typing);
    assert_eq!(app.list.filter, "non");
    // `q` typed while filtering is text; after Enter it quits. Esc clears the filter first.
    press(app, key(KeyCode::Esc));
    assert_eq!(app.list.filter, "");
    assert_eq!(app.visible().len(), 2);
    assert_eq!(
        app.current_list_id(),
        Some("none-check"),
        "the selection stays on the kata"
    );
    press(app, key(KeyCode::Char('?')));
    assert_eq!(app.overlay, Some(Overlay::Help));
    press(app, key(KeyCode::Esc));
    assert_eq!(app.overlay, None);
    press(app, key(KeyCode::Char('l')));
    assert_eq!(app.screen, Screen::Kata);
    press(app, key(KeyCode::Esc));
    assert_eq!(app.screen, Screen::List);
    assert_eq!(press(app, key(KeyCode::Char('q'))), Effect::Quit);
    assert_eq!(press(app, ctrl('q')), Effect::Quit);
}

trait ListId {
    fn current_list_id(&self) -> Option<&str>;
}

impl ListId for App {
    fn current_list_id(&self) -> Option<&str> {
        let index = *self.visible().get(self.list.selected)?;
        Some(self.catalog.katas()[index].id.as_str())
    }
}

#[test]
fn typing_a_fix_passes_records_progress_and_saves_the_draft() {
    let mut f = fixture();
    let app = &mut f.app;
    open_late(app);
    let view = app.kata.as_ref().unwrap();
    assert!(!view.verdict.passed());
    assert_eq!(view.verdict.findings[0].rule, "lambda-reads-loop-variable");
    replace_code(app, FIXED);
    assert!(
        app.kata.as_ref().unwrap().verdict.passed(),
        "{:?}",
        app.kata.as_ref().unwrap().verdict
    );
    assert_eq!(app.progress.status("late-binding-closure"), Status::Passed);
    let stored = ProgressStore::new(f.dir.path()).load().0;
    let k = &stored.katas["late-binding-closure"];
    assert_eq!(k.status, Status::Passed);
    assert_eq!(k.attempts.len(), 1);
    assert!(k.attempts[0].passed && k.attempts[0].hints == 0 && !k.attempts[0].revealed);
    assert!(k.attempts[0].seconds.is_some());
    let card = k
        .card
        .as_ref()
        .expect("a passed kata becomes a review card");
    assert_eq!(
        card.interval_days(),
        16,
        "passed at once without hints: Easy"
    );
    assert!(k.content.is_some());
    // Leaving saves the draft; opening again resumes it.
    press(app, key(KeyCode::Esc));
    let drafts = Drafts::new(f.dir.path());
    assert_eq!(drafts.load("late-binding-closure").as_deref(), Some(FIXED));
    open_late(app);
    assert!(app.kata.as_ref().unwrap().verdict.passed());
}

#[test]
fn editing_keys_indent_undo_and_paste() {
    let mut f = fixture();
    let app = &mut f.app;
    open_late(app);
    replace_code(app, "def f(x):");
    press(app, key(KeyCode::Enter));
    type_text(app, "if x:");
    press(app, key(KeyCode::Enter));
    type_text(app, "return 1");
    press(app, key(KeyCode::Tab));
    let lines = app.kata.as_ref().unwrap().editor.lines().to_vec();
    assert_eq!(lines, ["def f(x):", "    if x:", "        return 1    "]);
    press(app, ctrl('z'));
    assert_ne!(app.kata.as_ref().unwrap().editor.lines().to_vec(), lines);
    press(app, ctrl('y'));
    assert_eq!(app.kata.as_ref().unwrap().editor.lines().to_vec(), lines);
    // A pasted block is one edit: tabs become spaces, CRLF becomes LF.
    app.update(Action::Paste("\r\n\tpass".into()));
    assert_eq!(
        app.kata.as_ref().unwrap().editor.lines().last().unwrap(),
        "    pass"
    );
}

#[test]
fn hints_come_one_at_a_time_and_are_recorded_with_the_attempt() {
    let mut f = fixture();
    let app = &mut f.app;
    open_late(app);
    let total = app.current().unwrap().hints.len();
    press(app, key(KeyCode::F(2)));
    assert_eq!(app.kata.as_ref().unwrap().hints_shown, 1);
    press(app, ctrl('t'));
    assert_eq!(app.kata.as_ref().unwrap().hints_shown, 2);
    for _ in 0..10 {
        press(app, key(KeyCode::F(2)));
    }
    assert_eq!(app.kata.as_ref().unwrap().hints_shown, total);
    assert!(app.message.as_deref().unwrap().contains("no more hints"));
    press(app, key(KeyCode::Esc));
    let k = &app.progress.katas["late-binding-closure"];
    assert_eq!(k.attempts.len(), 1, "leaving records the attempt");
    assert!(!k.attempts[0].passed);
    assert_eq!(k.attempts[0].hints as usize, total);
    assert!(
        k.attempts[0]
            .rules
            .contains(&"lambda-reads-loop-variable".to_string())
    );
    // Leaving again (quitting from the list) does not record it twice.
    press(app, ctrl('q'));
    assert_eq!(app.progress.katas["late-binding-closure"].attempts.len(), 1);
}

#[test]
fn reveal_asks_then_shows_a_diff_and_records_it() {
    let mut f = fixture();
    let app = &mut f.app;
    open_late(app);
    press(app, key(KeyCode::F(3)));
    assert_eq!(app.overlay, Some(Overlay::Confirm(Question::Reveal)));
    press(app, key(KeyCode::Char('n')));
    assert_eq!(app.overlay, None);
    assert!(
        !app.progress
            .katas
            .get("late-binding-closure")
            .is_some_and(|k| k.revealed())
    );
    press(app, key(KeyCode::F(3)));
    press(app, key(KeyCode::Char('y')));
    let Some(Overlay::Diff { lines }) = &app.overlay else {
        panic!("{:?}", app.overlay)
    };
    assert!(
        lines
            .iter()
            .any(|(s, t)| *s == '+' && t.contains("lambda attempt=attempt"))
    );
    assert!(
        lines
            .iter()
            .any(|(s, t)| *s == '-' && t.contains("lambda: 2 ** attempt"))
    );
    assert!(app.kata.as_ref().unwrap().revealed);
    press(app, key(KeyCode::Down));
    assert_eq!(app.overlay_scroll, 1);
    press(app, key(KeyCode::Esc));
    assert_eq!(app.overlay, None);
    assert_eq!(
        app.screen,
        Screen::Kata,
        "Esc closes the overlay, not the kata"
    );
    // Passing after the reveal grades the card Again.
    replace_code(app, FIXED);
    let k = &app.progress.katas["late-binding-closure"];
    assert!(k.revealed());
    assert_eq!(k.card.as_ref().unwrap().lapses, 1);
}

#[test]
fn reset_asks_backs_up_and_can_be_undone() {
    let mut f = fixture();
    let app = &mut f.app;
    open_late(app);
    replace_code(app, "my own attempt\n");
    press(app, key(KeyCode::F(4)));
    assert_eq!(app.overlay, Some(Overlay::Confirm(Question::Reset)));
    press(app, key(KeyCode::Esc));
    assert_eq!(app.kata.as_ref().unwrap().code(), "my own attempt\n");
    press(app, key(KeyCode::F(4)));
    press(app, key(KeyCode::Enter));
    let starter = app.current().unwrap().starter.clone();
    assert_eq!(app.kata.as_ref().unwrap().code(), starter);
    let backup = f.dir.path().join("drafts/late-binding-closure.py.bak");
    assert_eq!(std::fs::read_to_string(backup).unwrap(), "my own attempt\n");
    press(app, ctrl('z'));
    press(app, ctrl('z'));
    assert_eq!(app.kata.as_ref().unwrap().code(), "my own attempt\n");
}

#[test]
fn kata_keys_navigate_scroll_save_and_open_the_editor() {
    let mut f = fixture();
    let app = &mut f.app;
    open_late(app);
    press(app, ctrl('n'));
    assert_eq!(app.current().unwrap().id, "none-check");
    press(app, ctrl('n'));
    assert_eq!(
        app.current().unwrap().id,
        "late-binding-closure",
        "wraps around"
    );
    press(app, ctrl('p'));
    assert_eq!(app.current().unwrap().id, "none-check");
    press(app, with(KeyCode::Down, KeyModifiers::ALT));
    press(app, with(KeyCode::Down, KeyModifiers::CONTROL));
    assert_eq!(app.kata.as_ref().unwrap().explain_scroll, 2);
    press(app, with(KeyCode::Up, KeyModifiers::ALT));
    assert_eq!(app.kata.as_ref().unwrap().explain_scroll, 1);
    type_text(app, "# note\n");
    press(app, ctrl('s'));
    assert_eq!(app.message.as_deref(), Some("draft saved"));
    let draft = Drafts::new(f.dir.path()).load("none-check").unwrap();
    assert!(draft.starts_with("# note"), "{draft}");
    let path = f.dir.path().join("drafts/none-check.py");
    assert_eq!(
        press(app, key(KeyCode::F(5))),
        Effect::RunEditor(path.clone())
    );
    assert_eq!(press(app, ctrl('e')), Effect::RunEditor(path));
    press(app, key(KeyCode::F(1)));
    assert_eq!(app.overlay, Some(Overlay::Help));
    press(app, key(KeyCode::F(1)));
    assert_eq!(app.overlay, None);
    assert_eq!(press(app, ctrl('q')), Effect::Quit);
}

#[test]
fn a_draft_changed_on_disk_is_checked_again() {
    let mut f = fixture();
    let app = &mut f.app;
    open_late(app);
    app.update(Action::ExternalChange(FIXED.to_string()));
    assert!(app.kata.as_ref().unwrap().verdict.passed());
    assert_eq!(app.kata.as_ref().unwrap().code(), FIXED);
    // Our own save coming back through the watcher changes nothing.
    type_text(app, "x");
    let code = app.kata.as_ref().unwrap().code();
    app.update(Action::ExternalChange(FIXED.to_string()));
    assert_eq!(
        app.kata.as_ref().unwrap().code(),
        code,
        "an echo of the saved text is ignored"
    );
}

#[test]
fn debounced_saves_happen_on_tick() {
    let mut f = fixture();
    let app = &mut f.app;
    open_late(app);
    type_text(app, "#");
    app.update(Action::Tick);
    let drafts = Drafts::new(f.dir.path());
    assert_eq!(
        drafts.load("late-binding-closure"),
        None,
        "not yet: the debounce has not passed"
    );
    std::thread::sleep(pykata::tui::app::SAVE_DEBOUNCE);
    app.update(Action::Tick);
    assert!(
        drafts
            .load("late-binding-closure")
            .unwrap()
            .starts_with('#')
    );
}

#[test]
fn snapshot_list() {
    let f = fixture();
    insta::assert_snapshot!("list", screen(&f.app, 80, 24));
}

#[test]
fn snapshot_list_filtered() {
    let mut f = fixture();
    press(&mut f.app, key(KeyCode::Char('/')));
    type_text(&mut f.app, "loop");
    insta::assert_snapshot!("list_filtered", screen(&f.app, 80, 24));
}

#[test]
fn snapshot_kata_failing() {
    let mut f = fixture();
    open_late(&mut f.app);
    insta::assert_snapshot!("kata_failing", screen(&f.app, 80, 24));
}

#[test]
fn snapshot_kata_passing_wide() {
    let mut f = fixture();
    open_late(&mut f.app);
    f.app.update(Action::Resize(120, 30));
    replace_code(&mut f.app, FIXED);
    insta::assert_snapshot!("kata_passing", screen(&f.app, 120, 30));
}

#[test]
fn snapshot_hint_shown() {
    let mut f = fixture();
    press(&mut f.app, key(KeyCode::Down));
    press(&mut f.app, key(KeyCode::Enter));
    press(&mut f.app, key(KeyCode::F(2)));
    insta::assert_snapshot!("hint_shown", screen(&f.app, 80, 24));
}

#[test]
fn snapshot_diff_shown() {
    let mut f = fixture();
    press(&mut f.app, key(KeyCode::Down));
    press(&mut f.app, key(KeyCode::Enter));
    press(&mut f.app, key(KeyCode::F(3)));
    insta::assert_snapshot!("confirm_reveal", screen(&f.app, 80, 24));
    press(&mut f.app, key(KeyCode::Char('y')));
    insta::assert_snapshot!("diff_shown", screen(&f.app, 80, 24));
}

#[test]
fn snapshot_help() {
    let mut f = fixture();
    press(&mut f.app, key(KeyCode::Char('?')));
    insta::assert_snapshot!("help_list", screen(&f.app, 80, 24));
    press(&mut f.app, key(KeyCode::Esc));
    open_late(&mut f.app);
    press(&mut f.app, key(KeyCode::F(1)));
    insta::assert_snapshot!("help_kata", screen(&f.app, 80, 24));
}

#[test]
fn tiny_terminals_show_a_notice_instead_of_panicking() {
    let mut f = fixture();
    for (w, h) in [(1, 1), (10, 5), (43, 12), (44, 11)] {
        let shown = screen(&f.app, w, h);
        assert!(shown.contains("term") || w < 5, "{w}x{h}: {shown}");
    }
    insta::assert_snapshot!("too_small", screen(&f.app, 30, 6));
    open_late(&mut f.app);
    for (w, h) in [(1, 1), (10, 5), (44, 12), (200, 60)] {
        f.app.update(Action::Resize(w, h));
        screen(&f.app, w, h);
    }
}

#[test]
fn control_characters_from_kata_files_never_reach_the_screen() {
    let evil = NONE_KATA
        .replace(
            "title: Compare with None by identity",
            "title: \"Evil \\e[2J title\\a\"",
        )
        .replace("id: none-check", "id: evil");
    let kata = Catalog::parse_one(&evil, Origin::File("evil.yaml".into())).unwrap();
    let theme = pykata::highlight::load_theme("pykata-dark").unwrap();
    let app = App::new(
        Arc::new(Catalog::from_katas(vec![kata])),
        None,
        None,
        Arc::new(theme),
        false,
        (80, 24),
    );
    let shown = screen(&app, 80, 24);
    assert!(shown.contains("Evil [2J title"), "{shown}");
    assert!(!shown.contains('\u{1b}') && !shown.contains('\u{7}'));
}

/// The app over a progress file that has `late-binding-closure` passed and due for review.
fn with_due_review() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let store = ProgressStore::new(dir.path());
    let late = catalog()
        .get("late-binding-closure")
        .unwrap()
        .content_hash();
    store
        .update(|p| {
            p.record(
                "late-binding-closure",
                &late,
                pykata::progress::Attempt {
                    at: 1_000,
                    passed: true,
                    ..Default::default()
                },
            );
        })
        .unwrap();
    Drafts::new(dir.path())
        .save("late-binding-closure", FIXED)
        .unwrap();
    let theme = pykata::highlight::load_theme("pykata-dark").unwrap();
    let app = App::new(
        catalog(),
        Some(ProgressStore::new(dir.path())),
        Some(Drafts::new(dir.path())),
        Arc::new(theme),
        true,
        (80, 24),
    );
    Fixture { app, dir }
}

#[test]
fn r_reviews_the_due_katas_from_the_starter_keeping_the_old_draft() {
    let mut f = fixture();
    press(&mut f.app, key(KeyCode::Char('r')));
    assert_eq!(f.app.screen, Screen::List);
    assert!(
        f.app
            .message
            .as_deref()
            .unwrap()
            .contains("no review is due")
    );

    let mut f = with_due_review();
    let app = &mut f.app;
    assert_eq!(app.due().len(), 1);
    assert!(screen(app, 80, 24).contains("1 due"));
    press(app, key(KeyCode::Char('r')));
    assert_eq!(app.screen, Screen::Kata);
    assert_eq!(app.current().unwrap().id, "late-binding-closure");
    assert!(
        !app.kata.as_ref().unwrap().verdict.passed(),
        "starts from the starter"
    );
    assert!(screen(app, 80, 24).contains("[review 1/1]"));
    let backup = f.dir.path().join("drafts/late-binding-closure.py.bak");
    assert_eq!(
        std::fs::read_to_string(backup).unwrap(),
        FIXED,
        "old draft kept"
    );
    replace_code(app, FIXED);
    assert_eq!(app.screen, Screen::Score, "the last pass ends the round");
    let shown = screen(app, 80, 24);
    assert!(
        shown.contains("Review done") && shown.contains("passed 1/1"),
        "{shown}"
    );
    let k = &app.progress.katas["late-binding-closure"];
    assert_eq!(k.card.as_ref().unwrap().reps, 2);
    assert!(app.due().is_empty());
    press(app, key(KeyCode::Enter));
    assert_eq!(app.screen, Screen::List);
    assert!(app.round.is_none());
}

#[test]
fn a_drill_counts_down_and_saves_its_score() {
    let mut f = fixture();
    let app = &mut f.app;
    let queue = pykata::drill::choose(&app.catalog, 2, &[], 9);
    assert_eq!(queue.len(), 2);
    app.start_drill(
        queue.clone(),
        9,
        vec![],
        std::time::Duration::from_secs(300),
    );
    assert_eq!(app.screen, Screen::Kata);
    let shown = screen(app, 80, 24);
    assert!(
        shown.contains("[drill 1/2 ⏱ 5:00]") || shown.contains("[drill 1/2 ⏱ 4:59]"),
        "{shown}"
    );
    press(app, key(KeyCode::F(2)));
    press(app, ctrl('n'));
    assert_eq!(app.round.as_ref().unwrap().at, 1);
    press(app, ctrl('n'));
    assert_eq!(app.screen, Screen::Score);
    let shown = screen(app, 80, 24);
    assert!(
        shown.contains("Drill over · seed 9") && shown.contains("passed 0/2"),
        "{shown}"
    );
    assert!(shown.contains("hints 1"), "{shown}");
    let stored = ProgressStore::new(f.dir.path()).load().0;
    assert_eq!(stored.drills.len(), 1);
    let d = &stored.drills[0];
    assert_eq!((d.seed, d.limit, d.hints), (9, 300, 1));
    assert_eq!(d.katas.len(), 2);
    assert!(d.passed.is_empty());

    // Time running out ends a round too.
    app.start_drill(queue, 9, vec![], std::time::Duration::ZERO);
    app.update(Action::Tick);
    assert_eq!(app.screen, Screen::Score);
    assert_eq!(app.message.as_deref(), Some("time is up"));
}

#[test]
fn a_track_lists_only_its_katas_in_order() {
    let mut f = fixture();
    let app = &mut f.app;
    app.track = Some(pykata::kata::Track {
        name: "mine".into(),
        description: "Two katas, none first.".into(),
        katas: vec![("none-check".into(), 3), ("late-binding-closure".into(), 4)],
        origin: Origin::File("tracks.yaml".into()),
        line: 2,
    });
    let ids: Vec<&str> = app
        .visible()
        .into_iter()
        .map(|i| app.catalog.katas()[i].id.as_str())
        .collect();
    assert_eq!(ids, ["none-check", "late-binding-closure"]);
    let shown = screen(app, 80, 24);
    assert!(shown.contains("track mine  0/2"), "{shown}");
    assert!(shown.contains("Two katas, none first."), "{shown}");
}

#[test]
fn a_kata_changed_since_it_was_passed_is_marked_updated() {
    let f = with_due_review();
    let mut app = f.app;
    assert!(!app.is_updated(0));
    app.progress
        .katas
        .get_mut("late-binding-closure")
        .unwrap()
        .content = Some("0000000000000000".into());
    let index = app.catalog.position("late-binding-closure").unwrap();
    assert!(app.is_updated(index));
    let shown = screen(&app, 80, 24);
    assert!(shown.contains("1 updated"), "{shown}");
    let line = shown
        .lines()
        .find(|l| l.contains("late-binding-closure"))
        .unwrap();
    assert!(line.contains('↻'), "{line}");
}

#[test]
fn the_scan_key_asks_for_one_scan_at_a_time_and_marks_what_it_found() {
    let mut f = fixture();
    assert!(matches!(
        press(&mut f.app, key(KeyCode::Char('s'))),
        Effect::Scan
    ));
    assert!(f.app.scanning);
    assert!(screen(&f.app, 80, 24).contains("scanning this folder"));
    // A second press while it runs starts nothing.
    assert!(matches!(
        press(&mut f.app, key(KeyCode::Char('s'))),
        Effect::None
    ));
    assert_eq!(f.app.message.as_deref(), Some("a scan is already running"));

    let counts = [("none-check".to_string(), 3)].into_iter().collect();
    f.app
        .update(Action::ScanDone(Ok(ScanOutcome { counts, files: 12 })));
    assert!(!f.app.scanning);
    assert_eq!(f.app.current_list_id(), Some("none-check"));
    let shown = screen(&f.app, 80, 24);
    assert!(shown.contains("scan: 3 findings in 12 files"), "{shown}");
    let line = shown.lines().find(|l| l.contains("none-check")).unwrap();
    assert!(line.contains("⚑3"), "{line}");

    // Nothing found, and a scan that fails, say so; either way a new scan can start.
    let nothing = ScanOutcome {
        counts: Default::default(),
        files: 1,
    };
    assert!(matches!(
        press(&mut f.app, key(KeyCode::Char('s'))),
        Effect::Scan
    ));
    f.app.update(Action::ScanDone(Ok(nothing)));
    assert_eq!(
        f.app.message.as_deref(),
        Some("scan: nothing found in 1 file")
    );
    assert!(f.app.scan.is_empty());
    assert!(matches!(
        press(&mut f.app, key(KeyCode::Char('s'))),
        Effect::Scan
    ));
    f.app.update(Action::ScanDone(Err("no such folder".into())));
    assert_eq!(
        f.app.message.as_deref(),
        Some("scan failed: no such folder")
    );
    assert!(!f.app.scanning);

    // While the filter is being typed, `s` is a letter of it.
    press(&mut f.app, key(KeyCode::Char('/')));
    assert!(matches!(
        press(&mut f.app, key(KeyCode::Char('s'))),
        Effect::None
    ));
    assert_eq!(f.app.list.filter, "s");
}

#[test]
fn a_scan_marks_its_katas_with_counts_and_selects_the_most_found() {
    let mut f = fixture();
    assert_eq!(f.app.current_list_id(), Some("late-binding-closure"));
    let counts = [("late-binding-closure", 2), ("none-check", 5)]
        .into_iter()
        .map(|(id, n)| (id.to_string(), n))
        .collect();
    f.app.set_scan(counts);
    assert_eq!(f.app.current_list_id(), Some("none-check"));
    let shown = screen(&f.app, 80, 24);
    assert!(shown.contains("scan: 7 findings in 2 katas"), "{shown}");
    for (id, mark) in [("none-check", "⚑5"), ("late-binding-closure", "⚑2")] {
        let line = shown.lines().find(|l| l.contains(id)).unwrap();
        assert!(line.contains(mark), "{id}: {line}");
    }
    insta::assert_snapshot!("list_scan", screen(&f.app, 80, 24));

    // A filter that hides the most-found kata leaves the selection on a visible one.
    let mut f = fixture();
    press(&mut f.app, key(KeyCode::Char('/')));
    type_text(&mut f.app, "late");
    press(&mut f.app, key(KeyCode::Enter));
    f.app
        .set_scan([("none-check".to_string(), 1)].into_iter().collect());
    assert_eq!(f.app.current_list_id(), Some("late-binding-closure"));
    let line = screen(&f.app, 80, 24)
        .lines()
        .find(|l| l.contains("late-binding-closure"))
        .map(str::to_string)
        .unwrap();
    assert!(!line.contains('⚑'), "{line}");
}
