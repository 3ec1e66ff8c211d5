//! What each kata adds to a merged scan: the merged set of all katas' `detect` rules, then the
//! same set without one kata, over the Python files a scan of the given paths reads (parsed
//! once). `ONLY=id,id` measures only those katas.
//!
//!     cargo run --release --example kata_marginal -- /usr/lib/python3.11/asyncio
use std::sync::Arc;
use std::time::Instant;

mod common;

fn main() {
    let files = common::parsed_files();
    let parse = common::parse_time(&files);
    let (catalog, _) = pykata::kata::Catalog::bundled();
    let compiled: Vec<Arc<_>> = catalog
        .katas()
        .iter()
        .map(|k| Arc::new(pykata::check::CompiledChecks::prepare_detect(&k.checks).unwrap()))
        .collect();
    let run = |set: &pykata::check::DetectSet| {
        let t = Instant::now();
        for file in &files {
            set.detect(&file.tree, &file.source);
        }
        t.elapsed().as_secs_f64()
    };
    let full = pykata::check::DetectSet::new(compiled.clone());
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
        let set = pykata::check::DetectSet::new(rest);
        let t = run(&set).min(run(&set));
        rows.push((all - t, kata.id.clone()));
        eprintln!("{:6.3} {}", all - t, kata.id);
    }
    rows.sort_by(|a, b| b.0.total_cmp(&a.0));
    for (d, id) in rows.iter().take(25) {
        println!("{d:6.3} s  {id}");
    }
}
