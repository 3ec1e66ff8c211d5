//! The `pykata` binary: parses the command line and dispatches.

use clap::Parser;

fn main() {
    let cli = pykata::cli::Cli::parse();
    std::process::exit(pykata::cli::main(&cli));
}
