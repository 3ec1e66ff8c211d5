//! The terminal trainer: state ([`app`]), input mapping ([`action`]), a pure render
//! ([`render`]), and the loop that owns the terminal (this file).

pub mod action;
pub mod app;
pub mod render;
pub mod round;
mod watch;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use crossterm::event::{self, DisableBracketedPaste, EnableBracketedPaste, Event};
use crossterm::execute;

pub use app::{App, Effect, Screen};

use crate::kata::Catalog;
use crate::progress::{Drafts, ProgressStore};

/// What the trainer starts with.
pub struct Options {
    /// The katas.
    pub catalog: Catalog,
    /// The theme name.
    pub theme: String,
    /// A kata to open straight away.
    pub open: Option<String>,
    /// Findings per kata id from a scan, to mark in the list.
    pub scan: std::collections::BTreeMap<String, usize>,
    /// The track the list shows (all katas when `None`).
    pub track: Option<crate::kata::Track>,
    /// What to start with.
    pub start: Start,
}

/// What the trainer starts with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Start {
    /// The kata list.
    List,
    /// A review of the due katas.
    Review,
    /// A drill round.
    Drill {
        /// How many katas.
        count: usize,
        /// The time allowed, in minutes.
        minutes: u32,
        /// The topics to draw from (all when empty).
        topics: Vec<String>,
        /// The seed of the draw.
        seed: u64,
    },
}

/// Runs the trainer until the learner quits; returns the process exit code.
pub fn run(options: Options) -> i32 {
    let theme = match crate::highlight::load_theme(&options.theme) {
        Ok(theme) => theme,
        Err(e) => {
            eprintln!("pykata: {e}");
            return crate::cli::EXIT_USAGE;
        }
    };
    let data = crate::progress::data_dir();
    if data.is_none() {
        eprintln!(
            "pykata: no data folder (set PYKATA_HOME): progress and drafts will not be saved"
        );
    }
    let color = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let terminate = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGTERM, signal_hook::consts::SIGHUP] {
        let _ = signal_hook::flag::register(signal, Arc::clone(&terminate));
    }
    let size = crossterm::terminal::size().unwrap_or((80, 24));
    let mut app = App::new(
        Arc::new(options.catalog),
        data.as_deref().map(ProgressStore::new),
        data.as_deref().map(Drafts::new),
        Arc::new(theme),
        color,
        size,
    );
    app.set_scan(options.scan);
    app.track = options.track;
    match options.start {
        Start::List => {}
        Start::Review => app.start_review(),
        Start::Drill {
            count,
            minutes,
            topics,
            seed,
        } => {
            let queue = crate::drill::choose(&app.catalog, count, &topics, seed);
            let limit = Duration::from_secs(u64::from(minutes) * 60);
            app.start_drill(queue, seed, topics, limit);
        }
    }
    if let Some(id) = &options.open
        && let Some(index) = app.catalog.position(id)
    {
        app.open(index);
    }
    let watcher = data
        .as_deref()
        .map(|d| watch::DraftWatcher::new(&d.join("drafts")));

    let mut terminal = ratatui::init();
    let _ = execute!(std::io::stdout(), EnableBracketedPaste);
    let result = event_loop(&mut terminal, &mut app, watcher.as_ref(), &terminate);
    app.update(action::Action::Quit);
    let _ = execute!(std::io::stdout(), DisableBracketedPaste);
    ratatui::restore();
    match result {
        Ok(()) => crate::cli::EXIT_OK,
        Err(e) => {
            eprintln!("pykata: terminal error: {e}");
            crate::cli::EXIT_FAIL
        }
    }
}

/// How often an idle trainer redraws.
const IDLE_REDRAW: Duration = Duration::from_secs(1);

fn event_loop(
    terminal: &mut ratatui::DefaultTerminal,
    app: &mut App,
    watcher: Option<&watch::DraftWatcher>,
    terminate: &AtomicBool,
) -> std::io::Result<()> {
    // Draw after anything happened, and once a second when idle (a countdown moves on, and
    // a terminal that went away shows up as a write error).
    let mut drawn_at: Option<Instant> = None;
    let mut changed = true;
    // The result of a scan started from the list, while it runs.
    let mut scan: Option<mpsc::Receiver<ScanResult>> = None;
    loop {
        if changed || drawn_at.is_none_or(|t| t.elapsed() >= IDLE_REDRAW) {
            terminal.draw(|frame| render::draw(frame, app))?;
            drawn_at = Some(Instant::now());
        }
        if terminate.load(Ordering::Relaxed) {
            return Ok(());
        }
        // Take every event already waiting (each mapped against the state the previous one
        // left), then draw once.
        let mut pending = event::poll(Duration::from_millis(100))?;
        changed = pending;
        while pending {
            let action = match event::read()? {
                Event::Key(key) => {
                    app.message = None;
                    action::for_key(app, key)
                }
                Event::Paste(text) => Some(action::Action::Paste(text)),
                Event::Resize(w, h) => Some(action::Action::Resize(w, h)),
                _ => None,
            };
            if let Some(action) = action
                && apply(terminal, app, action, &mut scan)?
            {
                return Ok(());
            }
            pending = event::poll(Duration::ZERO)?;
        }
        if let Some(done) = scan.as_ref().and_then(scan_done) {
            scan = None;
            changed = true;
            apply(terminal, app, action::Action::ScanDone(done), &mut scan)?;
        }
        let unsaved = app.kata.as_ref().is_some_and(|k| k.dirty_since.is_some());
        if apply(terminal, app, action::Action::Tick, &mut scan)? {
            return Ok(());
        }
        changed |= unsaved != app.kata.as_ref().is_some_and(|k| k.dirty_since.is_some());
        if let (Some(w), Some(kata)) = (watcher, app.current())
            && let Some(text) = w.changed(&kata.id)
        {
            changed = true;
            if apply(
                terminal,
                app,
                action::Action::ExternalChange(text),
                &mut scan,
            )? {
                return Ok(());
            }
        }
    }
}

/// What a scan from the list sends back.
type ScanResult = Result<app::ScanOutcome, String>;

/// The scan's result if it has finished.
fn scan_done(scan: &mpsc::Receiver<ScanResult>) -> Option<ScanResult> {
    match scan.try_recv() {
        Ok(result) => Some(result),
        Err(mpsc::TryRecvError::Empty) => None,
        Err(mpsc::TryRecvError::Disconnected) => Some(Err("the scan stopped".into())),
    }
}

/// Scans the current folder with every kata of `catalog` on other threads; the receiver gets
/// the outcome.
fn start_scan(catalog: Arc<Catalog>) -> mpsc::Receiver<ScanResult> {
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || {
        let katas: Vec<&crate::kata::Kata> = catalog.katas().iter().collect();
        let result = crate::scan::scan(&katas, &[std::path::PathBuf::from(".")]).map(|report| {
            app::ScanOutcome {
                counts: crate::scan::counts(&report, &katas).into_iter().collect(),
                files: report.files,
            }
        });
        let _ = send.send(result);
    });
    receive
}

/// Applies one action and carries out its effect; `true` when the trainer should stop.
fn apply(
    terminal: &mut ratatui::DefaultTerminal,
    app: &mut App,
    action: action::Action,
    scan: &mut Option<mpsc::Receiver<ScanResult>>,
) -> std::io::Result<bool> {
    match app.update(action) {
        Effect::None => Ok(false),
        Effect::Quit => Ok(true),
        Effect::Scan => {
            *scan = Some(start_scan(Arc::clone(&app.catalog)));
            Ok(false)
        }
        Effect::RunEditor(path) => {
            run_editor(terminal, &path);
            if let Ok(text) = std::fs::read_to_string(&path) {
                app.update(action::Action::ExternalChange(text));
            }
            Ok(false)
        }
    }
}

/// Suspends the screen, runs `$VISUAL` or `$EDITOR` (else `vi`) on `path`, and resumes.
fn run_editor(terminal: &mut ratatui::DefaultTerminal, path: &std::path::Path) {
    let editor = std::env::var("VISUAL")
        .ok()
        .filter(|e| !e.trim().is_empty())
        .or_else(|| {
            std::env::var("EDITOR")
                .ok()
                .filter(|e| !e.trim().is_empty())
        })
        .unwrap_or_else(|| "vi".to_string());
    let _ = execute!(std::io::stdout(), DisableBracketedPaste);
    ratatui::restore();
    // Through the shell, so that EDITOR="code --wait" works.
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("{editor} \"$1\""))
        .arg("pykata")
        .arg(path)
        .status();
    // A new terminal starts from an empty buffer, so the next draw repaints everything. (No
    // `clear()`: it asks the terminal for the cursor position, which a bare pty never answers.)
    *terminal = ratatui::init();
    let _ = execute!(std::io::stdout(), EnableBracketedPaste);
    if let Err(e) = status {
        eprintln!("pykata: cannot run {editor}: {e}");
    }
}
