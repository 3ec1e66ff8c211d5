//! Drawing: a pure function of [`App`] onto a frame. Nothing here changes state.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Paragraph, Wrap};

use super::action::help;
use super::app::{App, KataView, Overlay, Question, Screen};
use super::round::{Round, RoundKind, clock};
use crate::progress::Status;
use crate::text::{one_line, sanitize};
use crate::{Kata, RuleKind};

/// The smallest terminal the trainer draws in; below it a one-line notice is shown.
pub const MIN_SIZE: (u16, u16) = (44, 12);

/// Where the parts of the kata screen go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KataAreas {
    /// The title line.
    pub title: Rect,
    /// The explanation.
    pub explain: Rect,
    /// The editor, with its border.
    pub editor: Rect,
    /// Line numbers.
    pub gutter: Rect,
    /// The code itself.
    pub code: Rect,
    /// Findings and hints.
    pub verdict: Rect,
    /// The status bar.
    pub status: Rect,
}

/// Lays out the kata screen: side by side from 110 columns, stacked below that.
pub fn kata_areas(area: Rect) -> KataAreas {
    let [title, body, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(area);
    let (explain, right) = if area.width >= 110 {
        let [l, r] = Layout::horizontal([Constraint::Percentage(38), Constraint::Percentage(62)])
            .areas(body);
        (l, r)
    } else {
        let explain_height = (body.height / 4).clamp(3, 8);
        let [e, r] =
            Layout::vertical([Constraint::Length(explain_height), Constraint::Min(1)]).areas(body);
        (e, r)
    };
    let verdict_height = (right.height / 3).clamp(3, 9);
    let [editor, verdict] =
        Layout::vertical([Constraint::Min(1), Constraint::Length(verdict_height)]).areas(right);
    let inner = Block::bordered().inner(editor);
    let gutter_width = 5.min(inner.width);
    let gutter = Rect {
        width: gutter_width,
        ..inner
    };
    let code = Rect {
        x: inner.x + gutter_width,
        width: inner.width - gutter_width,
        ..inner
    };
    KataAreas {
        title,
        explain,
        editor,
        gutter,
        code,
        verdict,
        status,
    }
}

/// Colours, or none of them when `NO_COLOR` is set.
struct Palette {
    color: bool,
}

impl Palette {
    fn fg(&self, c: Color) -> Style {
        if self.color {
            Style::new().fg(c)
        } else {
            Style::new()
        }
    }
    fn accent(&self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }
    fn good(&self) -> Style {
        self.fg(Color::Green).add_modifier(Modifier::BOLD)
    }
    fn bad(&self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }
    fn warn(&self) -> Style {
        self.fg(Color::Yellow)
    }
    fn dim(&self) -> Style {
        if self.color {
            Style::new().fg(Color::DarkGray)
        } else {
            Style::new().add_modifier(Modifier::DIM)
        }
    }
    fn selected(&self) -> Style {
        if self.color {
            Style::new()
                .bg(Color::Blue)
                .fg(Color::White)
                .add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::REVERSED)
        }
    }
    fn bar(&self) -> Style {
        if self.color {
            Style::new().bg(Color::DarkGray).fg(Color::White)
        } else {
            Style::new().add_modifier(Modifier::REVERSED)
        }
    }
}

/// Draws the whole screen.
pub fn draw(frame: &mut Frame, app: &App) {
    let area = frame.area();
    let palette = Palette { color: app.color };
    if area.width < MIN_SIZE.0 || area.height < MIN_SIZE.1 {
        let text = format!(
            "terminal too small: {}×{} (pykata needs {}×{})",
            area.width, area.height, MIN_SIZE.0, MIN_SIZE.1
        );
        frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
        return;
    }
    match (app.screen, &app.kata, &app.round) {
        (Screen::Kata, Some(view), _) => draw_kata(frame, app, view, &palette),
        (Screen::Score, _, Some(round)) => draw_score(frame, app, round, &palette),
        _ => draw_list(frame, app, &palette),
    }
    match &app.overlay {
        Some(Overlay::Help) => draw_help(frame, app, &palette),
        Some(Overlay::Confirm(q)) => draw_confirm(frame, *q, &palette),
        Some(Overlay::Diff { lines }) => draw_diff(frame, app, lines, &palette),
        None => {}
    }
}

fn status_bar(frame: &mut Frame, app: &App, area: Rect, keys: &str, palette: &Palette) {
    let text = match &app.message {
        Some(message) => format!(" {}", one_line(message, area.width as usize)),
        None => format!(" {keys}"),
    };
    frame.render_widget(Paragraph::new(text).style(palette.bar()), area);
}

fn mark(status: Status) -> &'static str {
    match status {
        Status::New => "·",
        Status::Started => "◐",
        Status::Passed => "✔",
    }
}

/// The list mark of a passed kata whose content changed since.
const UPDATED: &str = "↻";

fn difficulty(d: u8) -> String {
    (1..=3).map(|i| if i <= d { '●' } else { '○' }).collect()
}

/// One line of the list: a topic heading or a kata.
enum Row {
    Topic {
        name: String,
        passed: usize,
        total: usize,
    },
    Kata(usize),
}

fn list_rows(app: &App) -> Vec<Row> {
    let mut rows = Vec::new();
    let katas = app.catalog.katas();
    if let Some(track) = &app.track {
        let all = app.catalog.track_katas(track);
        let passed = all
            .iter()
            .filter(|&&i| app.progress.status(&katas[i].id) == Status::Passed)
            .count();
        rows.push(Row::Topic {
            name: format!("track {}", track.name),
            passed,
            total: all.len(),
        });
        rows.extend(app.visible().into_iter().map(Row::Kata));
        return rows;
    }
    let mut last_topic: Option<&str> = None;
    for index in app.visible() {
        let kata = &katas[index];
        if last_topic != Some(kata.topic.as_str()) {
            let in_topic = katas.iter().filter(|k| k.topic == kata.topic);
            let (total, passed) = in_topic.fold((0, 0), |(t, p), k| {
                (
                    t + 1,
                    p + usize::from(app.progress.status(&k.id) == Status::Passed),
                )
            });
            rows.push(Row::Topic {
                name: kata.topic.clone(),
                passed,
                total,
            });
            last_topic = Some(&kata.topic);
        }
        rows.push(Row::Kata(index));
    }
    rows
}

fn draw_list(frame: &mut Frame, app: &App, palette: &Palette) {
    let area = frame.area();
    let katas = app.catalog.katas();
    let passed = katas
        .iter()
        .filter(|k| app.progress.status(&k.id) == Status::Passed)
        .count();
    let started = katas
        .iter()
        .filter(|k| app.progress.status(&k.id) == Status::Started)
        .count();
    let due = app.due().len();
    let updated = (0..katas.len()).filter(|&i| app.is_updated(i)).count();
    let mut summary = format!(
        "— {} katas · {passed} passed · {started} started · {due} due",
        katas.len()
    );
    if updated > 0 {
        summary.push_str(&format!(" · {updated} updated"));
    }
    let mut head = vec![Line::from(vec![
        Span::styled(" pykata ", palette.accent()),
        Span::raw(summary),
    ])];
    if !app.scan.is_empty() {
        let total: usize = app.scan.values().sum();
        head.push(Line::styled(
            format!(
                " ⚑ scan: {} in {}, counted beside each",
                crate::text::counted(total, "finding"),
                crate::text::counted(app.scan.len(), "kata"),
            ),
            palette.warn(),
        ));
    }
    if let Some(track) = &app.track
        && !app.list.typing
        && app.list.filter.is_empty()
    {
        head.push(Line::styled(
            format!(" {}", one_line(&track.description, area.width as usize)),
            palette.dim(),
        ));
    }
    let visible = app.visible();
    if app.list.typing || !app.list.filter.is_empty() {
        let cursor = if app.list.typing { "▏" } else { "" };
        head.push(Line::from(vec![
            Span::styled(" / ", palette.accent()),
            Span::raw(format!("{}{cursor}", sanitize(&app.list.filter, false))),
            Span::styled(
                format!(
                    "  ({} match{})",
                    visible.len(),
                    if visible.len() == 1 { "" } else { "es" }
                ),
                palette.dim(),
            ),
        ]));
    }
    let [header, body, status] = Layout::vertical([
        Constraint::Length(head.len().max(2) as u16),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(area);
    frame.render_widget(Paragraph::new(head), header);

    let rows = list_rows(app);
    let selected_kata = visible.get(app.list.selected).copied();
    let selected_line = rows
        .iter()
        .position(|r| matches!(r, Row::Kata(i) if Some(*i) == selected_kata))
        .unwrap_or(0);
    let height = body.height as usize;
    let offset = if selected_line < height {
        0
    } else {
        (selected_line + 1)
            .saturating_sub(height)
            .max(selected_line.saturating_sub(height / 2))
    };
    let width = body.width as usize;
    let id_width = katas
        .iter()
        .map(|k| k.id.len())
        .max()
        .unwrap_or(10)
        .min(width / 3);
    let mut lines = Vec::new();
    if rows.is_empty() {
        lines.push(Line::styled(
            "  no kata matches the filter (Esc clears it)",
            palette.dim(),
        ));
    }
    for row in rows.iter().skip(offset).take(height) {
        match row {
            Row::Topic {
                name,
                passed,
                total,
            } => lines.push(Line::from(vec![
                Span::styled(format!(" {name}"), palette.accent()),
                Span::styled(format!("  {passed}/{total}"), palette.dim()),
            ])),
            Row::Kata(index) => {
                let kata = &katas[*index];
                let status = app.progress.status(&kata.id);
                let updated = app.is_updated(*index);
                let mark_style = match status {
                    _ if updated => palette.warn(),
                    Status::Passed => palette.good(),
                    Status::Started => palette.warn(),
                    Status::New => palette.dim(),
                };
                let scan_width = if app.scan.is_empty() { 0 } else { 7 };
                let title_width = width.saturating_sub(id_width + 12 + scan_width);
                let id = one_line(&kata.id, id_width);
                let mut spans = vec![
                    Span::raw("   "),
                    Span::styled(if updated { UPDATED } else { mark(status) }, mark_style),
                    Span::raw(" "),
                    Span::raw(format!("{id:id_width$}  ")),
                    Span::raw(format!(
                        "{:title_width$}",
                        one_line(&kata.title, title_width)
                    )),
                    Span::styled(format!(" {}", difficulty(kata.difficulty)), palette.dim()),
                ];
                if scan_width > 0 {
                    let found = app.scan.get(&kata.id).copied().unwrap_or(0);
                    let text = if found > 0 {
                        format!(" ⚑{found:<5}")
                    } else {
                        " ".repeat(scan_width)
                    };
                    spans.push(Span::styled(text, palette.warn()));
                }
                if Some(*index) == selected_kata {
                    spans = spans
                        .into_iter()
                        .map(|s| s.patch_style(palette.selected()))
                        .collect();
                }
                lines.push(Line::from(spans));
            }
        }
    }
    frame.render_widget(Paragraph::new(lines), body);
    let keys = if app.list.typing {
        "type to filter · Enter keep · Esc clear · ↑↓ move"
    } else {
        "↑↓ jk move · Enter open · / filter · r review · s scan · ? help · q quit"
    };
    status_bar(frame, app, status, keys, palette);
}

fn draw_kata(frame: &mut Frame, app: &App, view: &KataView, palette: &Palette) {
    let kata = &app.catalog.katas()[view.index];
    let areas = kata_areas(frame.area());
    let status = app.progress.status(&kata.id);
    let mut title = vec![Span::styled(" pykata ", palette.accent())];
    if let Some(round) = &app.round {
        let what = match round.kind {
            RoundKind::Review => "review",
            RoundKind::Drill { .. } => "drill",
        };
        let mut text = format!("{what} {}/{}", round.at + 1, round.queue.len());
        if let Some(left) = round.remaining(app.clock) {
            text.push_str(&format!(" ⏱ {}", clock(left)));
        }
        title.push(Span::styled(format!("[{text}] "), palette.warn()));
    }
    title.extend([
        Span::styled(format!("› {} › ", kata.topic), palette.dim()),
        Span::styled(
            one_line(&kata.title, areas.title.width.saturating_sub(40) as usize),
            Style::new().add_modifier(Modifier::BOLD),
        ),
        Span::styled(
            format!(
                "  {}  python {}+  {}",
                difficulty(kata.difficulty),
                one_line(&kata.python, 6),
                mark(status)
            ),
            palette.dim(),
        ),
    ]);
    frame.render_widget(Paragraph::new(Line::from(title)), areas.title);

    draw_explain(frame, kata, view, areas.explain, palette);
    draw_editor(frame, app, view, &areas, palette);
    draw_verdict(frame, kata, view, areas.verdict, palette);
    status_bar(
        frame,
        app,
        areas.status,
        "Esc list · F1 help · F2 hint · F3 solution · F4 reset · F5 $EDITOR · ^N/^P next/prev",
        palette,
    );
}

fn draw_explain(frame: &mut Frame, kata: &Kata, view: &KataView, area: Rect, palette: &Palette) {
    let mut text = Text::default();
    text.push_line(Line::styled(
        sanitize(&kata.summary, false),
        Style::new().add_modifier(Modifier::BOLD),
    ));
    text.push_line(Line::raw(""));
    for line in crate::text::reflow(&sanitize(kata.explain.trim_end(), true)) {
        text.push_line(Line::raw(line));
    }
    let block = Block::bordered()
        .border_type(BorderType::Rounded)
        .title(" Why ")
        .title_bottom(Line::styled(" Alt+↑↓ scroll ", palette.dim()))
        .border_style(palette.dim());
    frame.render_widget(
        Paragraph::new(text)
            .block(block)
            .wrap(Wrap { trim: false })
            .scroll((view.explain_scroll, 0)),
        area,
    );
}

/// The byte offset of each line's start in the code (lines joined by `\n`).
fn line_starts(lines: &[String]) -> Vec<usize> {
    let mut starts = Vec::with_capacity(lines.len());
    let mut at = 0;
    for line in lines {
        starts.push(at);
        at += line.len() + 1;
    }
    starts
}

fn draw_editor(
    frame: &mut Frame,
    app: &App,
    view: &KataView,
    areas: &KataAreas,
    palette: &Palette,
) {
    let lines = view.editor.lines();
    let verdict_style = if view.verdict.passed() {
        palette.good()
    } else {
        palette.dim()
    };
    let block = Block::bordered()
        .border_type(BorderType::Rounded)
        .title(" Your code ")
        .border_style(verdict_style);
    frame.render_widget(block, areas.editor);
    let starts = line_starts(lines);
    let marked: Vec<(usize, usize)> = view
        .verdict
        .findings
        .iter()
        .filter(|f| matches!(f.kind, RuleKind::Detect | RuleKind::Parse))
        .filter_map(|f| {
            f.span
                .map(|s| (s.start_byte, s.end_byte.max(s.start_byte + 1)))
        })
        .collect();
    let selection = view.editor.selection_range();
    let ratatui_textarea::DataCursor(cursor_row, cursor_col) = view.editor.cursor();
    let height = areas.code.height as usize;
    let width = areas.code.width as usize;
    let mut gutter = Vec::new();
    let mut code = Vec::new();
    for row in view.top..(view.top + height).min(lines.len()) {
        let number_style = if row == cursor_row {
            palette.warn()
        } else {
            palette.dim()
        };
        gutter.push(Line::styled(format!("{:>4} ", row + 1), number_style));
        let line = &lines[row];
        let tints = view.highlight.line(row);
        let mut spans: Vec<Span> = Vec::new();
        let mut tint_at = 0;
        for (col, (byte, ch)) in line.char_indices().enumerate().skip(view.left).take(width) {
            while tint_at < tints.len() && tints[tint_at].1.end <= byte {
                tint_at += 1;
            }
            let mut style = Style::new();
            if app.color
                && let Some((tint, range)) = tints.get(tint_at)
                && range.contains(&byte)
            {
                style = style.fg(Color::Rgb(tint.fg.0, tint.fg.1, tint.fg.2));
                if tint.bold {
                    style = style.add_modifier(Modifier::BOLD);
                }
                if tint.italic {
                    style = style.add_modifier(Modifier::ITALIC);
                }
            }
            let absolute = starts[row] + byte;
            if marked.iter().any(|(s, e)| (*s..*e).contains(&absolute)) {
                style = style
                    .add_modifier(Modifier::UNDERLINED)
                    .patch(palette.fg(Color::Red));
                if app.color {
                    style = style.underline_color(Color::Red);
                }
            }
            if let Some(((r0, c0), (r1, c1))) = selection
                && (row, col) >= (r0, c0)
                && (row, col) < (r1, c1)
            {
                style = style.add_modifier(Modifier::REVERSED);
            }
            let ch = if ch.is_control() { ' ' } else { ch };
            match spans.last_mut() {
                Some(last) if last.style == style => last.content.to_mut().push(ch),
                _ => spans.push(Span::styled(ch.to_string(), style)),
            }
        }
        // A finding at the very end of a line (a missing `:`) still shows.
        let end = starts[row] + line.len();
        if line.chars().count() < view.left + width
            && marked
                .iter()
                .any(|(s, e)| *s <= end && end < *e && *s >= starts[row])
        {
            spans.push(Span::styled(
                " ",
                Style::new()
                    .add_modifier(Modifier::UNDERLINED)
                    .patch(palette.fg(Color::Red)),
            ));
        }
        code.push(Line::from(spans));
    }
    frame.render_widget(Paragraph::new(gutter), areas.gutter);
    frame.render_widget(Paragraph::new(code), areas.code);
    if app.overlay.is_none() && cursor_row >= view.top && cursor_col >= view.left {
        let x = areas.code.x + (cursor_col - view.left) as u16;
        let y = areas.code.y + (cursor_row - view.top) as u16;
        if x < areas.code.right() && y < areas.code.bottom() {
            frame.set_cursor_position((x, y));
        }
    }
}

fn draw_verdict(frame: &mut Frame, kata: &Kata, view: &KataView, area: Rect, palette: &Palette) {
    let mut lines = Vec::new();
    if view.verdict.passed() {
        lines.push(Line::styled(
            "✔ Passed: every check is happy. Ctrl+N for the next kata.",
            palette.good(),
        ));
    } else {
        for f in &view.verdict.findings {
            let (sign, style) = match f.kind {
                RuleKind::Detect | RuleKind::Parse => ("✘", palette.bad()),
                RuleKind::Require | RuleKind::Keep => ("○", palette.warn()),
            };
            let at = f
                .span
                .map(|s| format!("{}:{} ", s.start.line, s.start.column))
                .unwrap_or_default();
            lines.push(Line::from(vec![
                Span::styled(format!("{sign} "), style),
                Span::styled(at, palette.dim()),
                Span::raw(sanitize(&f.message, false)),
            ]));
        }
    }
    for (i, hint) in kata.hints.iter().take(view.hints_shown).enumerate() {
        lines.push(Line::from(vec![
            Span::styled(
                format!("Hint {}/{}: ", i + 1, kata.hints.len()),
                palette.accent(),
            ),
            Span::raw(sanitize(hint, false)),
        ]));
    }
    let title = if view.verdict.passed() {
        " Verdict: passed ".to_string()
    } else {
        format!(" Verdict: {} to fix ", view.verdict.findings.len())
    };
    let hints = format!(" hints {}/{} (F2) ", view.hints_shown, kata.hints.len());
    let block = Block::default()
        .borders(Borders::ALL)
        .border_type(BorderType::Rounded)
        .title(Line::styled(
            title,
            if view.verdict.passed() {
                palette.good()
            } else {
                palette.bad()
            },
        ))
        .title_bottom(Line::styled(hints, palette.dim()))
        .border_style(palette.dim());
    frame.render_widget(
        Paragraph::new(lines).block(block).wrap(Wrap { trim: true }),
        area,
    );
}

fn popup(area: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(area.width.saturating_sub(2));
    let height = height.min(area.height.saturating_sub(2));
    Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    }
}

fn draw_help(frame: &mut Frame, app: &App, palette: &Palette) {
    let keys = help(app.screen);
    let key_width = keys
        .iter()
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(0);
    let lines: Vec<Line> = keys
        .iter()
        .map(|(k, what)| {
            Line::from(vec![
                Span::styled(format!(" {k:key_width$}  "), palette.accent()),
                Span::raw(*what),
            ])
        })
        .collect();
    let area = popup(frame.area(), 78, lines.len() as u16 + 2);
    frame.render_widget(Clear, area);
    let title = match app.screen {
        Screen::List => " Keys: kata list ",
        Screen::Kata => " Keys: kata ",
        Screen::Score => " Keys: score ",
    };
    let block = Block::bordered()
        .border_type(BorderType::Rounded)
        .title(title)
        .title_bottom(Line::styled(" Esc closes ", palette.dim()));
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .scroll((app.overlay_scroll, 0)),
        area,
    );
}

fn draw_confirm(frame: &mut Frame, question: Question, palette: &Palette) {
    let (title, text) = match question {
        Question::Reveal => (
            " Reveal the solution? ",
            "The solution will be shown as a diff against your code. Try a hint first (F2)?",
        ),
        Question::Reset => (
            " Reset to the starter? ",
            "Your code is replaced by the starter. A copy is kept beside the draft, and Ctrl+Z undoes it.",
        ),
    };
    let area = popup(frame.area(), 56, 7);
    frame.render_widget(Clear, area);
    let lines = vec![
        Line::raw(text),
        Line::raw(""),
        Line::from(vec![
            Span::styled("[y]", palette.accent()),
            Span::raw(" yes   "),
            Span::styled("[n]", palette.accent()),
            Span::raw(" no"),
        ]),
    ];
    let block = Block::bordered()
        .border_type(BorderType::Rounded)
        .title(title);
    frame.render_widget(
        Paragraph::new(lines).block(block).wrap(Wrap { trim: true }),
        area,
    );
}

fn draw_diff(frame: &mut Frame, app: &App, lines: &[(char, String)], palette: &Palette) {
    let outer = frame.area();
    let area = popup(
        outer,
        outer.width.saturating_sub(4),
        outer.height.saturating_sub(2),
    );
    frame.render_widget(Clear, area);
    let shown: Vec<Line> = lines
        .iter()
        .map(|(sign, text)| {
            let style = match sign {
                '+' => palette.fg(Color::Green),
                '-' => palette.fg(Color::Red),
                _ => Style::new(),
            };
            Line::styled(format!("{sign} {}", sanitize(text, false)), style)
        })
        .collect();
    let block = Block::bordered()
        .border_type(BorderType::Rounded)
        .title(" Solution: - your code, + the solution ")
        .title_bottom(Line::styled(
            " ↑↓ PgUp PgDn scroll · Esc closes ",
            palette.dim(),
        ));
    frame.render_widget(
        Paragraph::new(shown)
            .block(block)
            .scroll((app.overlay_scroll, 0)),
        area,
    );
}

fn draw_score(frame: &mut Frame, app: &App, round: &Round, palette: &Palette) {
    let katas = app.catalog.katas();
    let took = round.ended.unwrap_or_default();
    let mut lines = Vec::new();
    let heading = match &round.kind {
        RoundKind::Review => "Review done".to_string(),
        RoundKind::Drill { seed, limit, .. } => format!(
            "Drill over · seed {seed} · {} of {}",
            clock(took.min(*limit)),
            clock(*limit)
        ),
    };
    lines.push(Line::styled(format!(" {heading}"), palette.accent()));
    lines.push(Line::raw(""));
    lines.push(Line::from(vec![
        Span::styled(
            format!(" passed {}/{}", round.passed_count(), round.queue.len()),
            palette.good(),
        ),
        Span::raw(format!(" · time {} · hints {}", clock(took), round.hints)),
    ]));
    lines.push(Line::raw(""));
    for (&index, passed) in round.queue.iter().zip(&round.passed) {
        let (sign, style) = if *passed {
            ("✔", palette.good())
        } else {
            ("✘", palette.bad())
        };
        lines.push(Line::from(vec![
            Span::styled(format!("   {sign} "), style),
            Span::raw(one_line(&katas[index].id, 60)),
        ]));
    }
    let area = frame.area();
    let [body, status] = Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(area);
    frame.render_widget(Paragraph::new(lines), body);
    status_bar(
        frame,
        app,
        status,
        "Enter back to the list · q quit",
        palette,
    );
}
