//! The command line: its arguments (clap) and the commands, which write to the given streams
//! and return the process exit code, so they can be tested without spawning a process.

mod check;
mod list;
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

    /// What to do; without a command the trainer opens.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the katas: one line each (id, topic, title).
    List {
        /// Print a JSON array of {id, title, topic, difficulty}.
        #[arg(long)]
        json: bool,
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
    let theme = cli
        .theme
        .clone()
        .or(config.theme.clone())
        .unwrap_or_else(|| crate::highlight::DEFAULT_THEME.to_string());
    match &cli.command {
        Some(Command::Scan {
            paths,
            json,
            ids,
            topics,
            tui: true,
            ..
        }) => {
            let (catalog, _) = load_catalog(&packs, err);
            let Some(counts) = scan::counts_for_tui(&catalog, paths, ids, topics, *json, err)
            else {
                return EXIT_USAGE;
            };
            crate::tui::run(crate::tui::Options {
                catalog,
                theme,
                open: None,
                scan: counts,
            })
        }
        Some(command) => run(&packs, command, out, err),
        None => {
            let (catalog, problems) = load_catalog(&packs, err);
            if problems.iter().any(|p| p.severity == Severity::Error) {
                let _ = writeln!(
                    err,
                    "pykata: some katas were not loaded; `pykata verify` says why"
                );
            }
            crate::tui::run(crate::tui::Options {
                catalog,
                theme,
                open: None,
                scan: Default::default(),
            })
        }
    }
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
    let (catalog, _) = load_catalog(packs, err);
    match command {
        Command::List { json } => list::run(&catalog, *json, out),
        Command::Show { id, json } => match find(&catalog, id, err) {
            Some(kata) => show::run(kata, *json, out),
            None => EXIT_USAGE,
        },
        Command::Check { id, file, json } => match find(&catalog, id, err) {
            Some(kata) => check::run(kata, file, *json, out, err),
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
        Command::Verify | Command::Tree { .. } | Command::Themes => EXIT_USAGE,
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
