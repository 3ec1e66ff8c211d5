//! The trainer's state and the one function that changes it, [`App::update`]. Rendering reads
//! this state and never changes it; the terminal loop in `mod.rs` owns input and output.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use ratatui_textarea::{CursorMove, Input, Key, TextArea};
use syntect::highlighting::Theme;

use super::action::Action;
use super::round::{Round, RoundKind};
use crate::highlight::LineCache;
use crate::kata::{Catalog, Track};
use crate::progress::{Attempt, Drafts, DrillResult, Progress, ProgressStore, Status, now_unix};
use crate::{Kata, Verdict};

/// Which screen is showing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    /// The kata list.
    List,
    /// One kata: explanation, editor, verdict.
    Kata,
    /// The score of a finished review or drill round.
    Score,
}

/// A question waiting for yes or no.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Question {
    /// Reveal the solution?
    Reveal,
    /// Reset the code to the starter?
    Reset,
}

/// A window over the screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Overlay {
    /// The keys of the current screen.
    Help,
    /// A yes/no question.
    Confirm(Question),
    /// The solution as a diff against the learner's code.
    Diff {
        /// Lines of the diff: (`+`, `-` or ` `, text).
        lines: Vec<(char, String)>,
    },
}

/// What the terminal loop must do after an update.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Nothing more.
    None,
    /// Leave the trainer.
    Quit,
    /// Suspend the screen and run `$EDITOR` on this draft file.
    RunEditor(std::path::PathBuf),
    /// Scan the folder the trainer was started in, off the screen's thread, and report back
    /// with [`Action::ScanDone`].
    Scan,
}

/// What a scan started from the list found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanOutcome {
    /// Findings per kata id.
    pub counts: BTreeMap<String, usize>,
    /// The Python files it read.
    pub files: usize,
}

/// The list screen's state.
#[derive(Debug, Clone, Default)]
pub struct ListState {
    /// The filter text.
    pub filter: String,
    /// Whether keys go to the filter.
    pub typing: bool,
    /// The selected kata's index in [`App::visible`].
    pub selected: usize,
}

/// The kata screen's state.
pub struct KataView {
    /// The kata's index in the catalog.
    pub index: usize,
    /// The editing model.
    pub editor: TextArea<'static>,
    /// The verdict on the current code.
    pub verdict: Verdict,
    /// Hints shown so far.
    pub hints_shown: usize,
    /// The explanation's scroll offset.
    pub explain_scroll: u16,
    /// The first code line on screen.
    pub top: usize,
    /// The first code column on screen.
    pub left: usize,
    /// Highlighting of the code, per line.
    pub highlight: LineCache,
    /// When the code last changed without being saved.
    pub dirty_since: Option<Instant>,
    /// The text last written to (or read from) the draft file.
    pub saved: String,
    /// Whether the learner edited the code in this session.
    pub edited: bool,
    /// Whether a pass needs no recording (already passed before, or in this session).
    pub passed_recorded: bool,
    /// When the kata was opened.
    pub opened: Instant,
    /// Whether the solution was revealed in this session.
    pub revealed: bool,
    /// Whether this session's attempt has been recorded (a pass, or on leaving).
    pub attempt_recorded: bool,
}

impl KataView {
    /// The code as one string, ending with one newline.
    pub fn code(&self) -> String {
        let mut code = self.editor.lines().join("\n");
        if !code.ends_with('\n') {
            code.push('\n');
        }
        code
    }
}

/// Everything the trainer shows and remembers.
pub struct App {
    /// The katas.
    pub catalog: Arc<Catalog>,
    /// The learner's progress, as last saved.
    pub progress: Progress,
    /// Where progress is saved; `None` runs without saving (no data folder).
    pub store: Option<ProgressStore>,
    /// Where drafts are saved.
    pub drafts: Option<Drafts>,
    /// The current screen.
    pub screen: Screen,
    /// The list's state.
    pub list: ListState,
    /// The open kata, on the kata screen.
    pub kata: Option<KataView>,
    /// An overlay over the screen.
    pub overlay: Option<Overlay>,
    /// The overlay's scroll offset.
    pub overlay_scroll: u16,
    /// The syntax theme.
    pub theme: Arc<Theme>,
    /// Whether to use colour (`NO_COLOR` turns it off).
    pub color: bool,
    /// The terminal size.
    pub size: (u16, u16),
    /// A line for the status bar (a warning or a confirmation).
    pub message: Option<String>,
    /// Findings per kata id from a scan (`pykata scan --tui`, or the list's scan key): the list
    /// marks these katas.
    pub scan: BTreeMap<String, usize>,
    /// Whether a scan started from the list is running.
    pub scanning: bool,
    /// The track the list shows (all katas when `None`).
    pub track: Option<Track>,
    /// A review or drill round.
    pub round: Option<Round>,
    /// The time as of the last action (for countdowns).
    pub clock: Instant,
    /// Seconds since the Unix epoch as of the last action (for due reviews).
    pub now: u64,
}

/// How long the code may stay unsaved after the last keystroke.
pub const SAVE_DEBOUNCE: Duration = Duration::from_millis(300);

fn text_lines(code: &str) -> Vec<String> {
    let code = code.replace("\r\n", "\n").replace('\t', "    ");
    let trimmed = code.strip_suffix('\n').unwrap_or(&code);
    trimmed.split('\n').map(str::to_string).collect()
}

fn new_editor(code: &str) -> TextArea<'static> {
    let mut editor = TextArea::new(text_lines(code));
    editor.set_tab_length(4);
    editor.set_hard_tab_indent(false);
    editor.set_max_histories(500);
    editor
}

impl App {
    /// A trainer on the list screen.
    pub fn new(
        catalog: Arc<Catalog>,
        store: Option<ProgressStore>,
        drafts: Option<Drafts>,
        theme: Arc<Theme>,
        color: bool,
        size: (u16, u16),
    ) -> App {
        let (progress, warning) = store.as_ref().map(ProgressStore::load).unwrap_or_default();
        App {
            catalog,
            progress,
            store,
            drafts,
            screen: Screen::List,
            list: ListState::default(),
            kata: None,
            overlay: None,
            overlay_scroll: 0,
            theme,
            color,
            size,
            message: warning,
            track: None,
            round: None,
            clock: Instant::now(),
            now: now_unix(),
            scan: BTreeMap::new(),
            scanning: false,
        }
    }

    /// Marks the katas a scan found, and selects the one found most.
    pub fn set_scan(&mut self, counts: BTreeMap<String, usize>) {
        let top = counts
            .iter()
            .max_by_key(|(_, n)| **n)
            .map(|(id, _)| id.clone());
        self.scan = counts;
        if let Some(index) = top.and_then(|id| self.catalog.position(&id))
            && let Some(pos) = self.visible().iter().position(|&i| i == index)
        {
            self.list.selected = pos;
        }
    }

    /// Catalog indexes of the katas whose review is due, in catalog order.
    pub fn due(&self) -> Vec<usize> {
        self.catalog
            .katas()
            .iter()
            .enumerate()
            .filter(|(_, k)| self.progress.is_due(&k.id, self.now))
            .map(|(i, _)| i)
            .collect()
    }

    /// Whether kata `index` changed since the learner passed it.
    pub fn is_updated(&self, index: usize) -> bool {
        self.catalog
            .katas()
            .get(index)
            .is_some_and(|k| self.progress.is_updated(&k.id, &k.content_hash()))
    }

    /// Starts a review of the due katas; says so when none is due.
    pub fn start_review(&mut self) {
        let due = self.due();
        if due.is_empty() {
            self.message = Some("no review is due: pass katas to schedule them".into());
            return;
        }
        self.start_round(Round::new(RoundKind::Review, due, self.clock));
    }

    /// Starts a drill over these catalog indexes.
    pub fn start_drill(
        &mut self,
        queue: Vec<usize>,
        seed: u64,
        topics: Vec<String>,
        limit: Duration,
    ) {
        if queue.is_empty() {
            self.message = Some("no kata matches the drill's topics".into());
            return;
        }
        let kind = RoundKind::Drill {
            seed,
            topics,
            limit,
        };
        self.start_round(Round::new(kind, queue, Instant::now()));
    }

    fn start_round(&mut self, round: Round) {
        let first = round.queue[0];
        self.leave_kata();
        self.round = Some(round);
        self.open_fresh(first);
    }

    /// Ends the round and shows its score; a drill's result is saved.
    pub fn finish_round(&mut self) {
        self.leave_kata();
        self.kata = None;
        let Some(round) = &mut self.round else { return };
        let took = self.clock.saturating_duration_since(round.started);
        round.ended = Some(took);
        self.screen = Screen::Score;
        self.overlay = None;
        if let RoundKind::Drill {
            seed,
            topics,
            limit,
        } = &round.kind
        {
            let katas = self.catalog.katas();
            let result = DrillResult {
                at: self.now,
                seed: *seed,
                topics: topics.clone(),
                katas: round.queue.iter().map(|&i| katas[i].id.clone()).collect(),
                passed: round
                    .queue
                    .iter()
                    .zip(&round.passed)
                    .filter(|(_, p)| **p)
                    .map(|(&i, _)| katas[i].id.clone())
                    .collect(),
                seconds: took.min(*limit).as_secs(),
                limit: limit.as_secs(),
                hints: round.hints,
            };
            self.change(|p| p.drills.push(result));
        }
    }

    /// Moves to another kata of the round; past the last one the round ends.
    fn step_round(&mut self, by: isize) {
        let Some(round) = &mut self.round else { return };
        let next = round.at as isize + by;
        if next < 0 {
            return;
        }
        if next >= round.queue.len() as isize {
            self.finish_round();
            return;
        }
        round.at = next.max(0) as usize;
        let index = round.queue[round.at];
        self.leave_kata();
        self.open_fresh(index);
    }

    /// Catalog indexes of the katas the list shows, in order.
    pub fn visible(&self) -> Vec<usize> {
        let needle = self.list.filter.to_lowercase();
        let katas = self.catalog.katas();
        let base: Vec<usize> = match &self.track {
            Some(track) => self.catalog.track_katas(track),
            None => (0..katas.len()).collect(),
        };
        base.into_iter()
            .map(|i| (i, &katas[i]))
            .filter(|(_, k)| {
                needle.is_empty()
                    || [&k.id, &k.title, &k.topic, &k.summary]
                        .iter()
                        .any(|t| t.to_lowercase().contains(&needle))
            })
            .map(|(i, _)| i)
            .collect()
    }

    /// The kata on the kata screen.
    pub fn current(&self) -> Option<&Kata> {
        self.kata.as_ref().map(|v| &self.catalog.katas()[v.index])
    }

    /// Applies one action. All state changes happen here.
    pub fn update(&mut self, action: Action) -> Effect {
        match action {
            Action::Quit => {
                self.leave_kata();
                return Effect::Quit;
            }
            Action::Resize(w, h) => {
                self.size = (w, h);
                self.follow_cursor();
            }
            Action::Tick => {
                self.clock = Instant::now();
                self.now = now_unix();
                self.save_if_due(false);
                let over = self.round.as_ref().is_some_and(|r| {
                    r.ended.is_none() && r.remaining(self.clock).is_some_and(|d| d.is_zero())
                });
                if over {
                    self.finish_round();
                    self.message = Some("time is up".into());
                }
            }
            Action::StartReview => self.start_review(),
            Action::Scan => {
                if self.scanning {
                    self.message = Some("a scan is already running".into());
                } else {
                    self.scanning = true;
                    self.message = Some("scanning this folder's Python files…".into());
                    return Effect::Scan;
                }
            }
            Action::ScanDone(outcome) => {
                self.scanning = false;
                self.message = Some(match outcome {
                    Ok(outcome) => {
                        let found: usize = outcome.counts.values().sum();
                        let files = crate::text::counted(outcome.files, "file");
                        let text = if found == 0 {
                            format!("scan: nothing found in {files}")
                        } else {
                            format!(
                                "scan: {} in {files}; ⚑ marks the katas to practise",
                                crate::text::counted(found, "finding")
                            )
                        };
                        self.set_scan(outcome.counts);
                        text
                    }
                    Err(e) => format!("scan failed: {e}"),
                });
            }
            Action::EndRound => {
                if self.round.as_ref().is_some_and(|r| r.ended.is_none()) {
                    self.finish_round();
                } else {
                    self.round = None;
                    self.screen = Screen::List;
                }
            }
            Action::Move(by) => {
                let count = self.visible().len();
                if count > 0 {
                    let at = self.list.selected as isize + by;
                    self.list.selected = at.clamp(0, count as isize - 1) as usize;
                }
            }
            Action::First => self.list.selected = 0,
            Action::Last => self.list.selected = self.visible().len().saturating_sub(1),
            Action::Open => {
                if let Some(&index) = self.visible().get(self.list.selected) {
                    self.open(index);
                }
            }
            Action::StartFilter => self.list.typing = true,
            Action::FilterChar(c) => {
                if !c.is_control() {
                    self.list.filter.push(c);
                    self.list.selected = 0;
                }
            }
            Action::FilterBackspace => {
                self.list.filter.pop();
                self.list.selected = 0;
            }
            Action::KeepFilter => self.list.typing = false,
            Action::ClearFilter => {
                let keep = self.visible().get(self.list.selected).copied();
                self.list.filter.clear();
                self.list.typing = false;
                self.list.selected = keep
                    .and_then(|k| self.visible().iter().position(|&i| i == k))
                    .unwrap_or(0);
            }
            Action::Back if self.round.is_some() => return self.update(Action::EndRound),
            Action::Back => {
                self.leave_kata();
                self.screen = Screen::List;
            }
            Action::NextHint => {
                if let Some(view) = &mut self.kata {
                    let total = self.catalog.katas()[view.index].hints.len();
                    if view.hints_shown < total {
                        view.hints_shown += 1;
                    } else {
                        self.message = Some("no more hints: F3 reveals the solution".into());
                    }
                }
            }
            Action::AskReveal if self.kata.is_some() => {
                self.overlay = Some(Overlay::Confirm(Question::Reveal))
            }
            Action::AskReset if self.kata.is_some() => {
                self.overlay = Some(Overlay::Confirm(Question::Reset))
            }
            Action::AskReveal | Action::AskReset => {}
            Action::Confirm(yes) => {
                let question = match self.overlay.take() {
                    Some(Overlay::Confirm(q)) => q,
                    other => {
                        self.overlay = other;
                        return Effect::None;
                    }
                };
                if yes {
                    match question {
                        Question::Reveal => self.reveal(),
                        Question::Reset => self.reset(),
                    }
                }
            }
            Action::Step(by) if self.round.is_some() => self.step_round(by),
            Action::Step(by) => {
                if let Some(view) = &self.kata {
                    let count = self.catalog.katas().len() as isize;
                    let next = (view.index as isize + by).rem_euclid(count.max(1)) as usize;
                    self.leave_kata();
                    self.open(next);
                }
            }
            Action::OpenEditor => {
                // The editor must open the code as it is on screen.
                if let Some(view) = &mut self.kata {
                    view.edited = true;
                }
                self.save_if_due(true);
                if let (Some(kata), Some(drafts)) = (self.current(), &self.drafts)
                    && let Some(path) = drafts.path(&kata.id)
                {
                    return Effect::RunEditor(path);
                }
                self.message = Some("no data folder: the draft cannot be opened in $EDITOR".into());
            }
            Action::Save => {
                self.save_if_due(true);
                if self.message.is_none() {
                    self.message = Some("draft saved".into());
                }
            }
            Action::ScrollExplain(by) => {
                if let Some(view) = &mut self.kata {
                    view.explain_scroll = view.explain_scroll.saturating_add_signed(by);
                }
            }
            Action::ScrollOverlay(by) => {
                self.overlay_scroll = self.overlay_scroll.saturating_add_signed(by)
            }
            Action::ToggleHelp => {
                self.overlay = match self.overlay {
                    Some(Overlay::Help) => None,
                    _ => Some(Overlay::Help),
                };
                self.overlay_scroll = 0;
            }
            Action::CloseOverlay => self.overlay = None,
            Action::Edit(input) => self.edit(|editor| match input {
                Input {
                    key: Key::Char('c'),
                    ctrl: true,
                    ..
                } => {
                    editor.copy();
                    false
                }
                Input {
                    key: Key::Char('v'),
                    ctrl: true,
                    ..
                } => editor.paste(),
                other => editor.input(other),
            }),
            Action::Paste(text) => {
                let text = text
                    .replace("\r\n", "\n")
                    .replace('\r', "\n")
                    .replace('\t', "    ");
                self.edit(|editor| editor.insert_str(&text));
            }
            Action::Newline => self.edit(|editor| {
                let ratatui_textarea::DataCursor(row, col) = editor.cursor();
                let line = editor.lines().get(row).cloned().unwrap_or_default();
                let before: String = line.chars().take(col).collect();
                let mut indent: String = before.chars().take_while(|c| *c == ' ').collect();
                if before.trim_end().ends_with(':') {
                    indent.push_str("    ");
                }
                editor.insert_newline();
                editor.insert_str(&indent);
                true
            }),
            Action::Indent => self.edit(|editor| editor.insert_str("    ")),
            Action::SelectAll => self.edit(|editor| {
                editor.select_all();
                false
            }),
            Action::Undo => self.edit(TextArea::undo),
            Action::Redo => self.edit(TextArea::redo),
            Action::ExternalChange(text) => self.external_change(&text),
        }
        Effect::None
    }

    /// Opens kata `index`, resuming its draft.
    pub fn open(&mut self, index: usize) {
        self.open_with(index, false);
    }

    /// Opens kata `index` from its starter; the learner's draft is first backed up
    /// (`drafts/<id>.py.bak`), never lost.
    pub fn open_fresh(&mut self, index: usize) {
        self.open_with(index, true);
    }

    fn open_with(&mut self, index: usize, fresh: bool) {
        let Some(kata) = self.catalog.katas().get(index) else {
            return;
        };
        let mut draft = self.drafts.as_ref().and_then(|d| d.load(&kata.id));
        if fresh {
            if let (Some(drafts), Some(old)) = (&self.drafts, &draft)
                && *old != kata.starter
                && let Err(e) = drafts.back_up(&kata.id, old)
            {
                self.message = Some(format!("could not back up the draft: {e}"));
                return;
            }
            draft = None;
        }
        let code = draft.clone().unwrap_or_else(|| kata.starter.clone());
        let mut view = KataView {
            index,
            editor: new_editor(&code),
            verdict: Verdict::default(),
            hints_shown: 0,
            explain_scroll: 0,
            top: 0,
            left: 0,
            highlight: LineCache::default(),
            dirty_since: None,
            saved: draft.unwrap_or_default(),
            edited: false,
            passed_recorded: !fresh && self.progress.status(&kata.id) == Status::Passed,
            opened: Instant::now(),
            revealed: false,
            attempt_recorded: false,
        };
        view.highlight.update(&self.theme, view.editor.lines());
        self.kata = Some(view);
        self.screen = Screen::Kata;
        self.overlay = None;
        self.recheck();
        self.follow_cursor();
        if let Some(pos) = self.visible().iter().position(|&i| i == index) {
            self.list.selected = pos;
        }
    }

    /// Applies an editing operation; when it changed the text, re-checks and re-highlights.
    fn edit(&mut self, op: impl FnOnce(&mut TextArea<'static>) -> bool) {
        let Some(view) = &mut self.kata else { return };
        let changed = op(&mut view.editor);
        if changed {
            view.dirty_since.get_or_insert_with(Instant::now);
            if !view.edited {
                view.edited = true;
                let id = self.catalog.katas()[view.index].id.clone();
                self.change(|p| p.start(&id));
            }
            self.recheck();
        }
        self.follow_cursor();
    }

    /// Re-checks the code, refreshes highlighting, and records a first pass.
    fn recheck(&mut self) {
        let Some(view) = &mut self.kata else { return };
        let kata = &self.catalog.katas()[view.index];
        let code = view.code();
        view.verdict = match kata.check(&code) {
            Ok(verdict) => verdict,
            Err(errors) => Verdict {
                findings: errors
                    .iter()
                    .map(|e| crate::Finding {
                        rule: e.rule.clone(),
                        kind: crate::RuleKind::Parse,
                        message: format!("this kata's checks are broken ({}:{e})", kata.origin),
                        span: None,
                    })
                    .collect(),
            },
        };
        view.highlight.update(&self.theme, view.editor.lines());
        if view.verdict.passed() && view.edited && !view.passed_recorded {
            view.passed_recorded = true;
            view.attempt_recorded = true;
            let id = kata.id.clone();
            let hash = kata.content_hash();
            let attempt = Attempt {
                at: now_unix(),
                passed: true,
                rules: Vec::new(),
                hints: view.hints_shown as u32,
                revealed: view.revealed,
                seconds: Some(view.opened.elapsed().as_secs()),
            };
            let hints = attempt.hints;
            self.change(|p| {
                p.record(&id, &hash, attempt);
            });
            self.message = Some("passed! Ctrl+N opens the next kata".into());
            if let Some(round) = &mut self.round {
                round.passed[round.at] = true;
                round.hints += hints;
                if round.passed.iter().all(|p| *p) {
                    self.finish_round();
                } else {
                    self.message = Some(format!(
                        "passed! Ctrl+N opens the next kata ({} of {} passed)",
                        round.passed_count(),
                        round.queue.len()
                    ));
                }
            }
        }
    }

    /// Records the open kata's attempt as failed, once, when the learner leaves it after
    /// trying (editing, hints or a reveal) without passing.
    fn end_attempt(&mut self) {
        let Some(view) = &mut self.kata else { return };
        let tried = view.edited || view.hints_shown > 0 || view.revealed;
        if view.attempt_recorded || !tried {
            return;
        }
        view.attempt_recorded = true;
        let kata = &self.catalog.katas()[view.index];
        let (id, hash) = (kata.id.clone(), kata.content_hash());
        let mut rules: Vec<String> = view
            .verdict
            .findings
            .iter()
            .map(|f| f.rule.clone())
            .collect();
        rules.dedup();
        let attempt = Attempt {
            at: now_unix(),
            passed: false,
            rules,
            hints: view.hints_shown as u32,
            revealed: view.revealed,
            seconds: Some(view.opened.elapsed().as_secs()),
        };
        if let Some(round) = &mut self.round {
            round.hints += attempt.hints;
        }
        self.change(|p| {
            p.record(&id, &hash, attempt);
        });
    }

    /// Changes the progress and saves it (or only in memory, without a data folder).
    fn change(&mut self, change: impl FnOnce(&mut Progress)) {
        let Some(store) = &self.store else {
            change(&mut self.progress);
            return;
        };
        match store.update(change) {
            Ok((progress, warning)) => {
                self.progress = progress;
                if warning.is_some() {
                    self.message = warning;
                }
            }
            Err(e) => self.message = Some(format!("progress not saved: {e}")),
        }
    }

    fn reveal(&mut self) {
        let Some(view) = &self.kata else { return };
        let kata = &self.catalog.katas()[view.index];
        let mine = view.code();
        let diff = similar::TextDiff::from_lines(mine.as_str(), kata.solution.as_str());
        let lines = diff
            .iter_all_changes()
            .map(|change| {
                let sign = match change.tag() {
                    similar::ChangeTag::Delete => '-',
                    similar::ChangeTag::Insert => '+',
                    similar::ChangeTag::Equal => ' ',
                };
                (sign, change.value().trim_end_matches('\n').to_string())
            })
            .collect();
        self.overlay = Some(Overlay::Diff { lines });
        self.overlay_scroll = 0;
        if let Some(view) = &mut self.kata {
            view.revealed = true;
        }
    }

    fn reset(&mut self) {
        let Some(view) = &mut self.kata else { return };
        let kata = &self.catalog.katas()[view.index];
        let old = view.code();
        if let Some(drafts) = &self.drafts
            && let Err(e) = drafts.back_up(&kata.id, &old)
        {
            self.message = Some(format!("could not back up the draft: {e}"));
        }
        let starter = kata.starter.clone();
        // Replace through the editor so Ctrl+Z brings the learner's code back.
        self.edit(|editor| {
            editor.select_all();
            editor.cut();
            editor.insert_str(starter.trim_end_matches('\n'));
            editor.move_cursor(CursorMove::Top);
            editor.move_cursor(CursorMove::Head);
            true
        });
        self.message = Some("reset to the starter (Ctrl+Z undoes it)".into());
    }

    fn external_change(&mut self, text: &str) {
        let Some(view) = &mut self.kata else { return };
        if text == view.saved || text == view.code() {
            return;
        }
        let ratatui_textarea::DataCursor(row, col) = view.editor.cursor();
        view.saved = text.to_string();
        self.edit(|editor| {
            editor.select_all();
            editor.cut();
            editor.insert_str(text.strip_suffix('\n').unwrap_or(text));
            editor.move_cursor(CursorMove::Jump(row as u16, col as u16));
            true
        });
        if let Some(view) = &mut self.kata {
            // The file already holds this text.
            view.dirty_since = None;
        }
        self.message = Some("the draft changed on disk: checked again".into());
    }

    /// Saves the draft when it has been dirty long enough (or now, when `force`).
    pub fn save_if_due(&mut self, force: bool) {
        let (Some(view), Some(drafts)) = (&mut self.kata, &self.drafts) else {
            return;
        };
        let due = view
            .dirty_since
            .is_some_and(|t| force || t.elapsed() >= SAVE_DEBOUNCE);
        if !(due || force && view.edited) {
            return;
        }
        let id = &self.catalog.katas()[view.index].id;
        let code = view.code();
        match drafts.save(id, &code) {
            Ok(()) => {
                view.saved = code;
                view.dirty_since = None;
            }
            Err(e) => self.message = Some(format!("draft not saved: {e}")),
        }
    }

    fn leave_kata(&mut self) {
        self.save_if_due(true);
        self.end_attempt();
        self.overlay = None;
    }

    /// Keeps the cursor inside the editor's viewport.
    fn follow_cursor(&mut self) {
        let areas =
            super::render::kata_areas(ratatui::layout::Rect::new(0, 0, self.size.0, self.size.1));
        let Some(view) = &mut self.kata else { return };
        let height = areas.code.height as usize;
        let width = areas.code.width as usize;
        let ratatui_textarea::DataCursor(row, col) = view.editor.cursor();
        if row < view.top {
            view.top = row;
        } else if height > 0 && row >= view.top + height {
            view.top = row + 1 - height;
        }
        if col < view.left {
            view.left = col;
        } else if width > 1 && col >= view.left + width - 1 {
            view.left = col + 2 - width;
        }
    }
}
