//! Prints the files on which a scan with every bundled kata spends the most time, beside
//! their parse time: the ones where some rule's query cursor work grows faster than the file.
use std::time::Instant;

fn main() {
    let roots: Vec<String> = std::env::args().skip(1).collect();
    let mut files = Vec::new();
    for root in &roots {
        collect(std::path::Path::new(root), &mut files);
    }
    let (catalog, _) = pykata::kata::Catalog::bundled();
    let katas: Vec<&pykata::Kata> = catalog.katas().iter().collect();
    let Ok(set) = pykata::scan::detect_set(&katas) else {
        return;
    };
    let mut rows = Vec::new();
    let (mut parse_total, mut scan_total) = (0.0, 0.0);
    for path in &files {
        let Ok(source) = std::fs::read_to_string(path) else {
            continue;
        };
        let t = Instant::now();
        let Some(tree) = pykata::check::parse_python(&source) else {
            continue;
        };
        let parse = t.elapsed().as_secs_f64();
        let t = Instant::now();
        let n = set.detect(&tree, &source).len();
        let scan = t.elapsed().as_secs_f64();
        parse_total += parse;
        scan_total += scan;
        rows.push((
            scan,
            parse,
            source.lines().count(),
            n,
            path.display().to_string(),
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

fn collect(path: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    if path.is_dir() {
        if let Ok(entries) = std::fs::read_dir(path) {
            for e in entries.flatten() {
                collect(&e.path(), out);
            }
        }
    } else if path.extension().is_some_and(|e| e == "py") {
        out.push(path.to_path_buf());
    }
}
