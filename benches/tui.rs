//! The trainer's speed targets, on the update + render cycle against a TestBackend:
//! the first frame after start (load the pack and the theme, build the state, draw the list)
//! and a keystroke on a 40-line kata (map the key, edit, re-check, re-highlight, redraw).
//! Prints median, p99 and max over many runs; targets: first frame <= 50 ms, keystroke <= 8 ms p99.

use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyEventState, KeyModifiers};
use pykata::kata::Catalog;
use pykata::tui::action::{Action, for_key};
use pykata::tui::app::App;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

mod common;
use common::forty_lines;

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent {
        code,
        modifiers: KeyModifiers::NONE,
        kind: KeyEventKind::Press,
        state: KeyEventState::NONE,
    }
}

fn report(name: &str, mut samples: Vec<Duration>) {
    samples.sort();
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize];
    println!(
        "{name:<48} n={:<5} median {:>8.3} ms   p99 {:>8.3} ms   max {:>8.3} ms",
        samples.len(),
        at(0.5).as_secs_f64() * 1e3,
        at(0.99).as_secs_f64() * 1e3,
        samples[samples.len() - 1].as_secs_f64() * 1e3,
    );
}

/// Everything the binary does before its first frame, except entering raw mode.
fn first_frame(home: &std::path::Path) -> Duration {
    let started = Instant::now();
    let (catalog, _) = Catalog::bundled();
    let theme = pykata::highlight::load_theme(pykata::highlight::DEFAULT_THEME).unwrap();
    let app = App::new(
        Arc::new(catalog),
        Some(pykata::progress::ProgressStore::new(home)),
        Some(pykata::progress::Drafts::new(home)),
        Arc::new(theme),
        true,
        (120, 40),
    );
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    terminal
        .draw(|f| pykata::tui::render::draw(f, &app))
        .unwrap();
    black_box(&terminal);
    started.elapsed()
}

fn main() {
    // SAFETY: no tree-sitter object exists yet; the binary does the same first thing.
    unsafe { pykata::allocator::route_tree_sitter() };
    if std::env::args().any(|a| a == "--list") {
        println!("tui: bench");
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let mut starts = Vec::new();
    for _ in 0..60 {
        starts.push(first_frame(home.path()));
    }
    report("first frame (load pack + theme, draw list)", starts);

    let (catalog, _) = Catalog::bundled();
    let catalog = Arc::new(catalog);
    let index = catalog.position("late-binding-closure").unwrap();
    let theme = pykata::highlight::load_theme(pykata::highlight::DEFAULT_THEME).unwrap();
    let mut app = App::new(
        catalog.clone(),
        None,
        None,
        Arc::new(theme),
        true,
        (120, 40),
    );
    app.open(index);
    app.update(Action::SelectAll);
    app.update(Action::Paste(forty_lines(&catalog.katas()[index].starter)));
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    terminal
        .draw(|f| pykata::tui::render::draw(f, &app))
        .unwrap();
    let mut samples = Vec::new();
    for i in 0..2000 {
        // Type a character then delete it, in the middle of the program.
        let k = if i % 2 == 0 {
            key(KeyCode::Char('x'))
        } else {
            key(KeyCode::Backspace)
        };
        let started = Instant::now();
        if let Some(action) = for_key(&app, k) {
            app.update(action);
        }
        terminal
            .draw(|f| pykata::tui::render::draw(f, &app))
            .unwrap();
        samples.push(started.elapsed());
    }
    assert_eq!(app.kata.as_ref().unwrap().code().lines().count(), 40);
    report("keystroke on a 40-line kata (check + redraw)", samples);
}
