//! Prints the files on which a scan with every bundled kata spends the most time, beside
//! their parse time: the ones where some rule's matching work grows faster than the file.
//! The files are those a scan of the given paths reads.
//!
//!     cargo run --release --example file_costs -- /usr/lib/python3.11
use std::time::Instant;

mod common;

fn main() {
    let files = common::parsed_files();
    let (catalog, _) = pykata::kata::Catalog::bundled();
    let katas: Vec<&pykata::Kata> = catalog.katas().iter().collect();
    let Ok(set) = pykata::scan::detect_set(&katas) else {
        return;
    };
    let mut rows = Vec::new();
    let parse_total = common::parse_time(&files);
    let mut scan_total = 0.0;
    for file in &files {
        let (tree, source, parse) = (&file.tree, &file.source, file.parse);
        let t = Instant::now();
        let n = set.detect(tree, source).len();
        let scan = t.elapsed().as_secs_f64();
        scan_total += scan;
        rows.push((
            scan,
            parse,
            source.lines().count(),
            n,
            file.path.display().to_string(),
        ));
    }
    rows.sort_by(|a, b| b.0.total_cmp(&a.0));
    println!(
        "{} files: parse {parse_total:.2} s, rules {scan_total:.2} s ({:.1}x)",
        rows.len(),
        scan_total / parse_total
    );
    for (scan, parse, lines, n, path) in rows.iter().take(20) {
        println!(
            "{scan:6.3} s rules {:6.1}x parse {lines:6} lines {n:4} found  {path}",
            scan / parse
        );
    }
}
