//! The `pykata` binary: parses the command line and dispatches.

use clap::Parser;

fn main() {
    let cli = pykata::cli::Cli::parse();
    let code = match &cli.command {
        Some(command) => {
            let stdout = std::io::stdout();
            let stderr = std::io::stderr();
            pykata::cli::run(&cli, command, &mut stdout.lock(), &mut stderr.lock())
        }
        None => {
            eprintln!("pykata: the trainer is not built yet; try `pykata list`");
            pykata::cli::EXIT_USAGE
        }
    };
    std::process::exit(code);
}
