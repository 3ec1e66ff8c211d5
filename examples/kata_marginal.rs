//! What each kata adds to a merged scan: the merged set of all katas' `detect` rules, then the
//! same set without one kata, over every `.py` file under the given folders (parsed once).
use std::sync::Arc;
use std::time::Instant;

fn main() {
    let roots: Vec<String> = std::env::args().skip(1).collect();
    let mut files = Vec::new();
    for root in &roots {
        collect(std::path::Path::new(root), &mut files);
    }
    let sources: Vec<String> = files
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect();
    let t = Instant::now();
    let trees: Vec<_> = sources
        .iter()
        .filter_map(|s| Some((pykata::check::parse_python(s)?, s.as_str())))
        .collect();
    let parse = t.elapsed().as_secs_f64();
    let (catalog, _) = pykata::kata::Catalog::bundled();
    let compiled: Vec<Arc<_>> = catalog
        .katas()
        .iter()
        .map(|k| Arc::new(pykata::check::CompiledChecks::compile_detect(&k.checks).unwrap()))
        .collect();
    let run = |set: &pykata::check::DetectSet| {
        let t = Instant::now();
        for (tree, source) in &trees {
            set.detect(tree, source);
        }
        t.elapsed().as_secs_f64()
    };
    let full = pykata::check::DetectSet::new(compiled.clone()).unwrap();
    run(&full);
    let all = run(&full).min(run(&full));
    println!(
        "parse {parse:.2} s, all merged {all:.2} s ({:.1}x)",
        all / parse
    );
    let only: Option<String> = std::env::var("ONLY").ok();
    let mut rows = Vec::new();
    for (i, kata) in catalog.katas().iter().enumerate() {
        if only
            .as_ref()
            .is_some_and(|o| !o.split(',').any(|x| x == kata.id))
        {
            continue;
        }
        let mut rest = compiled.clone();
        rest.remove(i);
        let set = pykata::check::DetectSet::new(rest).unwrap();
        let t = run(&set).min(run(&set));
        rows.push((all - t, kata.id.clone()));
        eprintln!("{:6.3} {}", all - t, kata.id);
    }
    rows.sort_by(|a, b| b.0.total_cmp(&a.0));
    for (d, id) in rows.iter().take(25) {
        println!("{d:6.3} s  {id}");
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
