//! Input to actions: every key the trainer knows, per screen, as a pure mapping.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use ratatui_textarea::Input;

use super::app::{App, Overlay, Screen};

/// Everything that can happen to the trainer's state.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Leave the trainer (saving the draft).
    Quit,
    /// The terminal changed size.
    Resize(u16, u16),
    /// Time passed (debounced saves).
    Tick,
    /// Move the list selection by this many katas.
    Move(isize),
    /// Select the first kata.
    First,
    /// Select the last kata.
    Last,
    /// Open the selected kata.
    Open,
    /// Start typing a filter.
    StartFilter,
    /// A character typed into the filter.
    FilterChar(char),
    /// Delete the filter's last character.
    FilterBackspace,
    /// Stop typing the filter, keeping it.
    KeepFilter,
    /// Clear the filter.
    ClearFilter,
    /// Back from a kata to the list.
    Back,
    /// Show the next hint.
    NextHint,
    /// Ask to reveal the solution.
    AskReveal,
    /// Ask to reset the code to the starter.
    AskReset,
    /// Answer the open question.
    Confirm(bool),
    /// Open the next (or, negative, previous) kata in catalog order.
    Step(isize),
    /// Open the draft in `$EDITOR`.
    OpenEditor,
    /// Save the draft now.
    Save,
    /// Scroll the explanation by lines.
    ScrollExplain(i16),
    /// Scroll the open overlay by lines.
    ScrollOverlay(i16),
    /// Show or hide the help.
    ToggleHelp,
    /// Close the overlay.
    CloseOverlay,
    /// A key for the editor.
    Edit(Input),
    /// A pasted block of text.
    Paste(String),
    /// Enter: a new line that keeps the indentation (and indents after `:`).
    Newline,
    /// Tab: four spaces.
    Indent,
    /// Select the whole code (a paste then replaces it).
    SelectAll,
    /// Undo the last edit.
    Undo,
    /// Redo the last undone edit.
    Redo,
    /// The draft file changed on disk (another editor saved it).
    ExternalChange(String),
    /// Start reviewing the due katas.
    StartReview,
    /// Scan the Python files of the folder the trainer was started in, to mark the katas they
    /// need.
    Scan,
    /// A scan finished: what it found, or why it could not run.
    ScanDone(Result<super::app::ScanOutcome, String>),
    /// End the round (show its score), or leave the score screen.
    EndRound,
}

fn ctrl(key: &KeyEvent) -> bool {
    key.modifiers.contains(KeyModifiers::CONTROL)
}

/// The action for a key in the current state, if any.
pub fn for_key(app: &App, key: KeyEvent) -> Option<Action> {
    if key.kind == KeyEventKind::Release {
        return None;
    }
    if ctrl(&key) && key.code == KeyCode::Char('q') {
        return Some(Action::Quit);
    }
    if let Some(overlay) = &app.overlay {
        return match overlay {
            Overlay::Confirm(_) => match key.code {
                KeyCode::Char('y' | 'Y') | KeyCode::Enter => Some(Action::Confirm(true)),
                KeyCode::Char('n' | 'N') | KeyCode::Esc => Some(Action::Confirm(false)),
                _ => None,
            },
            Overlay::Help | Overlay::Diff { .. } => match key.code {
                KeyCode::Esc | KeyCode::Char('q') | KeyCode::Char('?') | KeyCode::F(1) => {
                    Some(Action::CloseOverlay)
                }
                KeyCode::Down | KeyCode::Char('j') => Some(Action::ScrollOverlay(1)),
                KeyCode::Up | KeyCode::Char('k') => Some(Action::ScrollOverlay(-1)),
                KeyCode::PageDown | KeyCode::Char(' ') => Some(Action::ScrollOverlay(10)),
                KeyCode::PageUp => Some(Action::ScrollOverlay(-10)),
                _ => None,
            },
        };
    }
    match app.screen {
        Screen::List => list_key(app, key),
        Screen::Kata => kata_key(key),
        Screen::Score => match key.code {
            KeyCode::Char('q') => Some(Action::Quit),
            KeyCode::Enter | KeyCode::Esc | KeyCode::Char(' ') => Some(Action::EndRound),
            _ => None,
        },
    }
}

fn list_key(app: &App, key: KeyEvent) -> Option<Action> {
    if app.list.typing {
        return match key.code {
            KeyCode::Esc => Some(Action::ClearFilter),
            KeyCode::Enter => Some(Action::KeepFilter),
            KeyCode::Backspace => Some(Action::FilterBackspace),
            KeyCode::Up => Some(Action::Move(-1)),
            KeyCode::Down => Some(Action::Move(1)),
            KeyCode::Char(c) if !ctrl(&key) => Some(Action::FilterChar(c)),
            _ => None,
        };
    }
    match key.code {
        KeyCode::Char('c') if ctrl(&key) => Some(Action::Quit),
        KeyCode::Char('q') => Some(Action::Quit),
        KeyCode::Up | KeyCode::Char('k') => Some(Action::Move(-1)),
        KeyCode::Down | KeyCode::Char('j') => Some(Action::Move(1)),
        KeyCode::PageUp => Some(Action::Move(-10)),
        KeyCode::PageDown => Some(Action::Move(10)),
        KeyCode::Home | KeyCode::Char('g') => Some(Action::First),
        KeyCode::End | KeyCode::Char('G') => Some(Action::Last),
        KeyCode::Enter | KeyCode::Char('l') | KeyCode::Right => Some(Action::Open),
        KeyCode::Char('/') => Some(Action::StartFilter),
        KeyCode::Char('r') => Some(Action::StartReview),
        KeyCode::Char('s') => Some(Action::Scan),
        KeyCode::Esc if !app.list.filter.is_empty() => Some(Action::ClearFilter),
        KeyCode::Char('?') | KeyCode::F(1) => Some(Action::ToggleHelp),
        _ => None,
    }
}

fn kata_key(key: KeyEvent) -> Option<Action> {
    let alt = key.modifiers.contains(KeyModifiers::ALT);
    if ctrl(&key) {
        return match key.code {
            KeyCode::Char('t') => Some(Action::NextHint),
            KeyCode::Char('e') => Some(Action::OpenEditor),
            KeyCode::Char('s') => Some(Action::Save),
            KeyCode::Char('n') => Some(Action::Step(1)),
            KeyCode::Char('p') => Some(Action::Step(-1)),
            KeyCode::Char('a') => Some(Action::SelectAll),
            KeyCode::Char('z') => Some(Action::Undo),
            KeyCode::Char('y') => Some(Action::Redo),
            KeyCode::Up => Some(Action::ScrollExplain(-1)),
            KeyCode::Down => Some(Action::ScrollExplain(1)),
            _ => Some(Action::Edit(Input::from(key))),
        };
    }
    match key.code {
        KeyCode::Esc => Some(Action::Back),
        KeyCode::F(1) => Some(Action::ToggleHelp),
        KeyCode::F(2) => Some(Action::NextHint),
        KeyCode::F(3) => Some(Action::AskReveal),
        KeyCode::F(4) => Some(Action::AskReset),
        KeyCode::F(5) => Some(Action::OpenEditor),
        KeyCode::Up if alt => Some(Action::ScrollExplain(-1)),
        KeyCode::Down if alt => Some(Action::ScrollExplain(1)),
        KeyCode::Enter => Some(Action::Newline),
        KeyCode::Tab => Some(Action::Indent),
        _ => Some(Action::Edit(Input::from(key))),
    }
}

/// The keys of a screen, for the help overlay: (keys, what they do).
pub fn help(screen: Screen) -> &'static [(&'static str, &'static str)] {
    match screen {
        Screen::List => &[
            ("↑ ↓  j k", "move"),
            ("PgUp PgDn", "move by ten"),
            ("Home End  g G", "first, last kata"),
            ("Enter  l  →", "open the kata"),
            ("/", "filter by text (Enter keeps it, Esc clears it)"),
            ("r", "review the due katas, each from its starter"),
            (
                "s",
                "scan this folder's Python files and mark the katas they need",
            ),
            ("Esc", "clear the filter"),
            ("?  F1", "this help"),
            ("q  Ctrl+Q", "quit"),
        ],
        Screen::Kata => &[
            ("type", "edit the code: the verdict updates as you type"),
            ("F2  Ctrl+T", "show the next hint"),
            ("F3", "reveal the solution as a diff (asks first)"),
            (
                "F4",
                "reset the code to the starter (asks first; undo with Ctrl+Z)",
            ),
            ("F5  Ctrl+E", "edit the draft in $EDITOR"),
            ("Ctrl+S", "save the draft now (it also saves as you type)"),
            (
                "Ctrl+N  Ctrl+P",
                "next, previous kata (of the round, in a round)",
            ),
            ("Alt+↑ ↓  Ctrl+↑ ↓", "scroll the explanation"),
            ("Ctrl+Z  Ctrl+Y", "undo, redo"),
            (
                "Shift+arrows",
                "select; Ctrl+C copy, Ctrl+X cut, Ctrl+V paste",
            ),
            (
                "Tab  Enter",
                "four spaces; new line keeping the indentation",
            ),
            (
                "Esc",
                "back to the list (in a round: end it and see the score)",
            ),
            ("F1", "this help"),
            ("Ctrl+Q", "quit"),
        ],
        Screen::Score => &[("Enter  Esc", "back to the list"), ("q", "quit")],
    }
}
