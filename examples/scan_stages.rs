//! A scan's stages on one core, each file parsed and then searched right away as `scan` does
//! (the tree still in cache): the parse, and after it what the parse floor does (delete the
//! tree) beside what a scan does (read the tree into the matcher's table, deleting it on the
//! way, then the text prefilter, matching, relations and findings).
//!
//!     cargo run --release --example scan_stages -- /usr/lib/python3.11
use std::path::PathBuf;
use std::time::Instant;

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
    let (mut parse, mut delete, mut search, mut findings) = (0.0, 0.0, 0.0, 0);
    for file in &files {
        let Ok(source) = std::fs::read_to_string(file) else {
            continue;
        };
        // The floor: parse, then delete the tree.
        let t = Instant::now();
        let Some(tree) = pykata::check::parse_python(&source) else {
            continue;
        };
        parse += t.elapsed().as_secs_f64();
        let t = Instant::now();
        drop(tree);
        delete += t.elapsed().as_secs_f64();
        // The scan: the same parse, then everything after it (the tree read into the table
        // and deleted in one walk, matching, relations, findings).
        let Some(tree) = pykata::check::parse_python(&source) else {
            continue;
        };
        let t = Instant::now();
        findings += std::hint::black_box(set.detect_owned(tree, &source)).len();
        search += t.elapsed().as_secs_f64();
    }
    println!("{} files, {findings} findings", files.len());
    println!("parse {parse:.3} s, delete {delete:.3} s");
    println!(
        "after the parse: the floor (delete) {:.2}x the parse, the scan (read and delete, \
         search) {:.2}x; scan / floor {:.3}",
        delete / parse,
        search / parse,
        (parse + search) / (parse + delete)
    );
}
