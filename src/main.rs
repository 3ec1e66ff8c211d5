//! The `pykata` binary: parses the command line and dispatches.

use clap::Parser;

fn main() {
    // SAFETY: nothing has touched tree-sitter yet.
    unsafe { pykata::allocator::route_tree_sitter() };
    let cli = pykata::cli::Cli::parse();
    std::process::exit(pykata::cli::main(&cli));
}
