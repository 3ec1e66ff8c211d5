//! A scan's stages on one core, each file parsed and then searched right away as `scan` does
//! (the tree still in cache): the parse, reading the tree into the matcher's table, and the
//! whole search after the parse (text prefilter, table, matching, relations, findings).
//!
//!     cargo run --release --example scan_stages -- /usr/lib/python3.11
use std::path::PathBuf;
use std::time::Instant;

use pykata::check::matcher::Nodes;

fn main() {
    // SAFETY: no tree-sitter object exists yet; `pykata` itself starts the same way.
    unsafe { pykata::allocator::route_tree_sitter() };
    let roots: Vec<PathBuf> = std::env::args().skip(1).map(PathBuf::from).collect();
    let mut notes = Vec::new();
    let files = pykata::scan::python_files(&roots, &mut notes);
    let (catalog, _) = pykata::kata::Catalog::bundled();
    let katas: Vec<&pykata::Kata> = catalog.katas().iter().collect();
    let Ok(set) = pykata::scan::detect_set(&katas) else {
        return;
    };
    let (mut parse, mut table, mut search, mut findings) = (0.0, 0.0, 0.0, 0);
    for file in &files {
        let Ok(source) = std::fs::read_to_string(file) else {
            continue;
        };
        let t = Instant::now();
        let Some(tree) = pykata::check::parse_python(&source) else {
            continue;
        };
        parse += t.elapsed().as_secs_f64();
        let t = Instant::now();
        std::hint::black_box(Nodes::new(tree.root_node()));
        table += t.elapsed().as_secs_f64();
        let t = Instant::now();
        findings += std::hint::black_box(set.detect(&tree, &source)).len();
        search += t.elapsed().as_secs_f64();
    }
    println!("{} files, {findings} findings", files.len());
    println!("parse {parse:.3} s");
    println!("table {table:.3} s ({:.2}x the parse)", table / parse);
    println!(
        "search after the parse, table included {search:.3} s ({:.2}x the parse)",
        search / parse
    );
}
