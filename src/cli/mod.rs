//! The command line: its arguments (clap) and the commands, which write to the given streams
//! and return the process exit code, so they can be tested without spawning a process.

mod check;
mod list;
mod report;
mod reset;
mod save_loop;
mod scan;
mod show;

use std::io::Write;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::kata::{Catalog, LoadProblem, Severity};

/// Exit code: the check passed, or the command did its job.
pub const EXIT_OK: i32 = 0;
/// Exit code: the check failed, or verify found problems.
pub const EXIT_FAIL: i32 = 1;
/// Exit code: a usage error, an unknown id, a file that cannot be read.
pub const EXIT_USAGE: i32 = 2;

/// pykata: learn idiomatic Python one kata at a time.
#[derive(Debug, Parser)]
#[command(name = "pykata", version, about, long_about = None)]
pub struct Cli {
    /// Load the katas in DIR (a pack folder, or one kata file) on top of the bundled ones (repeatable).
    #[arg(long = "katas", value_name = "DIR", global = true)]
    pub katas: Vec<PathBuf>,

    /// The colour theme of the trainer.
    #[arg(long, value_name = "NAME", global = true)]
    pub theme: Option<String>,

    /// Open the trainer on one track: only its katas, in its order.
    #[arg(long, value_name = "NAME")]
    pub track: Option<String>,

    /// What to do; without a command the trainer opens.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the katas: one line each (id, topic, title).
    List {
        /// Print a JSON array of {id, title, topic, difficulty, status, updated, due}.
        #[arg(long)]
        json: bool,
        /// Only the katas of this track, in its order.
        #[arg(long, value_name = "NAME")]
        track: Option<String>,
    },
    /// Show a kata for reading in the terminal.
    Show {
        /// The kata id.
        id: String,
        /// Print every field as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Check a Python file against a kata: exit 0 pass, 1 fail, 2 error.
    Check {
        /// The kata id.
        id: String,
        /// The file to check (`-` reads standard input).
        file: String,
        /// Print {kata, passed, findings} as JSON.
        #[arg(long)]
        json: bool,
        /// Record the attempt in the learner's progress (without it nothing is written).
        #[arg(long)]
        record: bool,
    },
    /// Print the syntax tree of a Python file, for writing queries (`-` reads standard input).
    Tree {
        /// The file to parse.
        file: String,
    },
    /// Print the path of a kata's draft file, to edit it in any editor while the trainer runs.
    Path {
        /// The kata id.
        id: String,
    },
    /// Lint the katas (the bundled ones and every --katas folder): exit 1 on any problem.
    Verify,
    /// Review the katas that are due, each from its starter (the old draft is backed up).
    Review,
    /// A timed round of katas drawn by a seed; the same seed gives the same round anywhere.
    Drill {
        /// How many katas.
        #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..=100))]
        count: u32,
        /// The time allowed, in minutes.
        #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..=600))]
        minutes: u32,
        /// Draw only from this topic (repeatable).
        #[arg(long = "topic", value_name = "T")]
        topics: Vec<String>,
        /// The seed (printed on the score screen; a random one by default).
        #[arg(long)]
        seed: Option<u64>,
    },
    /// A summary of your progress: passed per topic, streak, due reviews, weakest katas.
    Stats,
    /// Your progress as JSON, Markdown or CSV; or, with --merge, a class view of many reports.
    Report {
        /// The output format (a class view is Markdown or CSV).
        #[arg(long, value_enum, default_value = "markdown")]
        format: crate::report::Format,
        /// The learner's name in the report (default: $USER).
        #[arg(long, value_name = "LEARNER")]
        name: Option<String>,
        /// Merge these learners' JSON reports into a class view.
        #[arg(long, value_name = "FILE", num_args = 1..)]
        merge: Vec<PathBuf>,
    },
    /// Reset a kata (or --all): its draft is moved to a backup and its status cleared; the
    /// attempt history is kept unless --forget.
    Reset {
        /// The kata id.
        #[arg(required_unless_present = "all", conflicts_with = "all")]
        id: Option<String>,
        /// Reset every kata.
        #[arg(long)]
        all: bool,
        /// Do not ask for confirmation.
        #[arg(long, short = 'y')]
        yes: bool,
        /// Forget the attempt history and review cards too.
        #[arg(long)]
        forget: bool,
    },
    /// Save progress in a loop, printing a counter after each completed save (for the
    /// crash-safety tests and `bench/crash-loop.sh`).
    #[command(name = "debug-save-loop", hide = true)]
    SaveLoop {
        /// Stop after this many saves (default: never).
        #[arg(long)]
        count: Option<u64>,
    },
    /// Find in a codebase the anti-patterns the katas teach: exit 0 none, 1 some, 2 error.
    Scan {
        /// Files and folders to scan (default: the current folder).
        #[arg(value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// Print {files, findings: [...]} as JSON.
        #[arg(long)]
        json: bool,
        /// Only this kata's rules (repeatable).
        #[arg(long = "kata", value_name = "ID")]
        ids: Vec<String>,
        /// Only the katas of this topic (repeatable).
        #[arg(long = "topic", value_name = "TOPIC")]
        topics: Vec<String>,
        /// Open the trainer with the katas the scan found marked.
        #[arg(long)]
        tui: bool,
        /// Only read and parse the files (the floor `scan` is measured against).
        #[arg(long, hide = true)]
        parse_only: bool,
    },
    /// List the bundled colour themes.
    Themes,
}

/// Loads the catalog and prints load problems (errors and notes) to `err`.
pub fn load_catalog(dirs: &[PathBuf], err: &mut dyn Write) -> (Catalog, Vec<LoadProblem>) {
    let (catalog, problems) = Catalog::load(dirs);
    for p in &problems {
        let _ = writeln!(err, "pykata: {p}");
    }
    (catalog, problems)
}

/// Runs what the command line asks for: a command, or the trainer. Returns the exit code.
pub fn main(cli: &Cli) -> i32 {
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    let (out, err) = (&mut stdout.lock(), &mut stderr.lock());
    let (config, warning) = crate::config::Config::load();
    if let Some(warning) = warning {
        let _ = writeln!(err, "pykata: {warning}");
    }
    let mut packs = config.packs.clone();
    packs.extend(cli.katas.iter().cloned());
    let mut scan_counts = std::collections::BTreeMap::new();
    let start = match &cli.command {
        Some(Command::Review) => crate::tui::Start::Review,
        Some(Command::Drill {
            count,
            minutes,
            topics,
            seed,
        }) => crate::tui::Start::Drill {
            count: *count as usize,
            minutes: *minutes,
            topics: topics.clone(),
            seed: seed.unwrap_or_else(crate::drill::clock_seed),
        },
        Some(Command::Scan {
            paths,
            json,
            ids,
            topics,
            tui: true,
            ..
        }) => {
            let (catalog, _) = Catalog::load(&packs);
            match scan::counts_for_tui(&catalog, paths, ids, topics, *json, err) {
                Some(counts) => scan_counts = counts,
                None => return EXIT_USAGE,
            }
            crate::tui::Start::List
        }
        Some(command) => return run(&packs, command, out, err),
        None => crate::tui::Start::List,
    };
    let (catalog, problems) = load_catalog(&packs, err);
    if problems.iter().any(|p| p.severity == Severity::Error) {
        let _ = writeln!(
            err,
            "pykata: some katas were not loaded; `pykata verify` says why"
        );
    }
    let theme = cli
        .theme
        .clone()
        .or(config.theme)
        .unwrap_or_else(|| crate::highlight::DEFAULT_THEME.to_string());
    let track = match &cli.track {
        Some(name) => match find_track(&catalog, name, err) {
            Some(track) => Some(track.clone()),
            None => return EXIT_USAGE,
        },
        None => None,
    };
    if let Some(code) = check_start(&catalog, &start, err) {
        return code;
    }
    crate::tui::run(crate::tui::Options {
        catalog,
        theme,
        open: None,
        track,
        start,
        scan: scan_counts,
    })
}

/// Runs a command (not the trainer) with these pack folders and returns the exit code.
pub fn run(packs: &[PathBuf], command: &Command, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    match command {
        Command::Verify => return verify(packs, out),
        Command::Themes => {
            for name in crate::highlight::theme_names() {
                let _ = writeln!(out, "{name}");
            }
            return EXIT_OK;
        }
        Command::Tree { file } => return tree(file, out, err),
        _ => {}
    }
    if let Command::SaveLoop { count } = command {
        return save_loop::run(*count, out, err);
    }
    // A one-shot check of a bundled kata reads only that kata's file.
    if let Command::Check {
        id,
        file,
        json,
        record,
    } = command
        && packs.is_empty()
        && let Some(kata) = Catalog::bundled_one(id)
    {
        return check::run(&kata, file, *json, *record, out, err);
    }
    let (catalog, _) = load_catalog(packs, err);
    match command {
        Command::List { json, track } => {
            let track = match track {
                Some(name) => match find_track(&catalog, name, err) {
                    Some(track) => Some(track),
                    None => return EXIT_USAGE,
                },
                None => None,
            };
            list::run(&catalog, track, *json, out, err)
        }
        Command::Stats => report::stats(&catalog, out, err),
        Command::Report {
            format,
            name,
            merge,
        } => {
            if merge.is_empty() {
                report::learner(&catalog, *format, name.as_deref(), out, err)
            } else {
                report::merge(merge, *format, out, err)
            }
        }
        Command::Reset {
            id,
            all,
            yes,
            forget,
        } => reset::run(&catalog, id.as_deref(), *all, *yes, *forget, out, err),
        Command::Show { id, json } => match find(&catalog, id, err) {
            Some(kata) => show::run(kata, *json, out),
            None => EXIT_USAGE,
        },
        Command::Check {
            id,
            file,
            json,
            record,
        } => match find(&catalog, id, err) {
            Some(kata) => check::run(kata, file, *json, *record, out, err),
            None => EXIT_USAGE,
        },
        Command::Path { id } => match find(&catalog, id, err) {
            Some(kata) => {
                match crate::progress::data_dir().map(|d| crate::progress::Drafts::new(&d)) {
                    Some(drafts) => {
                        let path = drafts.path(&kata.id).unwrap_or_default();
                        let _ = writeln!(out, "{}", path.display());
                        EXIT_OK
                    }
                    None => {
                        let _ = writeln!(err, "pykata: no data folder: set PYKATA_HOME");
                        EXIT_USAGE
                    }
                }
            }
            None => EXIT_USAGE,
        },
        Command::Scan {
            paths,
            json,
            ids,
            topics,
            parse_only,
            ..
        } => {
            let ids: &[String] = if *parse_only { &[] } else { ids };
            let katas = match crate::scan::select(&catalog, ids, topics) {
                Ok(_) if *parse_only => Vec::new(),
                Ok(katas) => katas,
                Err(e) => {
                    let _ = writeln!(err, "pykata: {e}");
                    return EXIT_USAGE;
                }
            };
            scan::run(&katas, paths, *json, out, err)
        }
        Command::Verify
        | Command::Tree { .. }
        | Command::Review
        | Command::Drill { .. }
        | Command::SaveLoop { .. }
        | Command::Themes => EXIT_USAGE,
    }
}

/// Looks a track up by name; an unknown name is reported on `err` with the known ones.
pub fn find_track<'c>(
    catalog: &'c Catalog,
    name: &str,
    err: &mut dyn Write,
) -> Option<&'c crate::kata::Track> {
    let track = catalog.track(name);
    if track.is_none() {
        let known: Vec<&str> = catalog.tracks().iter().map(|t| t.name.as_str()).collect();
        let _ = writeln!(
            err,
            "pykata: unknown track `{}`; the tracks are: {}",
            crate::text::one_line(name, 64),
            if known.is_empty() {
                "(none)".to_string()
            } else {
                known.join(", ")
            }
        );
    }
    track
}

/// Refuses a start that cannot work (an unknown drill topic, a review with nothing due):
/// `Some(exit code)` after saying why.
fn check_start(catalog: &Catalog, start: &crate::tui::Start, err: &mut dyn Write) -> Option<i32> {
    match start {
        crate::tui::Start::Drill { topics, .. } => {
            let known = catalog.topics();
            let unknown: Vec<&String> = topics
                .iter()
                .filter(|t| !known.contains(&t.as_str()))
                .collect();
            if unknown.is_empty() {
                return None;
            }
            let unknown: Vec<String> = unknown
                .iter()
                .map(|t| format!("`{}`", crate::text::one_line(t, 40)))
                .collect();
            let _ = writeln!(
                err,
                "pykata: unknown topic {}; the topics are: {}",
                unknown.join(", "),
                known.join(", ")
            );
            Some(EXIT_USAGE)
        }
        crate::tui::Start::Review => {
            let data = crate::progress::data_dir()?;
            let (progress, warning) = crate::progress::ProgressStore::new(&data).load();
            if let Some(w) = warning {
                let _ = writeln!(err, "pykata: {w}");
            }
            let now = crate::progress::now_unix();
            let due = catalog
                .katas()
                .iter()
                .filter(|k| progress.is_due(&k.id, now))
                .count();
            if due == 0 {
                let _ = writeln!(err, "pykata: no review is due; pass katas to schedule them");
                return Some(EXIT_OK);
            }
            None
        }
        crate::tui::Start::List => None,
    }
}

/// Looks a kata up by id; an unknown id is reported on `err` with suggestions.
pub fn find<'c>(catalog: &'c Catalog, id: &str, err: &mut dyn Write) -> Option<&'c crate::Kata> {
    let kata = catalog.get(id);
    if kata.is_none() {
        let shown = crate::text::one_line(id, 64);
        let _ = write!(err, "pykata: unknown kata `{shown}`");
        let close = catalog.suggest(id);
        if close.is_empty() {
            let _ = writeln!(err, " (`pykata list` shows them all)");
        } else {
            let _ = writeln!(err, "; did you mean {}?", close.join(", "));
        }
    }
    kata
}

fn verify(dirs: &[PathBuf], out: &mut dyn Write) -> i32 {
    let (catalog, problems) = Catalog::load(dirs);
    let report = crate::verify::verify(&catalog, &problems);
    for note in problems.iter().filter(|p| p.severity == Severity::Note) {
        let _ = writeln!(out, "{note}");
    }
    for problem in &report.problems {
        let _ = writeln!(out, "{problem}");
    }
    let _ = writeln!(
        out,
        "verify: {} katas, {} programs checked, {} problem{}",
        report.katas,
        report.programs,
        report.problems.len(),
        if report.problems.len() == 1 { "" } else { "s" }
    );
    if report.problems.is_empty() {
        EXIT_OK
    } else {
        EXIT_FAIL
    }
}

fn tree(file: &str, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let source = match crate::source::read_source(file) {
        Ok(source) => source,
        Err(e) => {
            let _ = writeln!(err, "pykata: {e}");
            return EXIT_USAGE;
        }
    };
    let Some(tree) = crate::check::parse_python(&source) else {
        let _ = writeln!(err, "pykata: {file}: the code could not be parsed");
        return EXIT_FAIL;
    };
    let _ = write!(out, "{}", crate::check::outline(&tree, &source));
    EXIT_OK
}
