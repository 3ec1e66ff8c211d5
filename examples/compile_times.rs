//! Prints how long tree-sitter takes to compile each bundled kata's queries (what `verify`
//! pays; checks and scans read them with pykata's own matcher instead), slowest first, and how
//! long `scan` takes to read and merge every kata's detect rules.
fn main() {
    let (catalog, _) = pykata::kata::Catalog::bundled();
    let mut times: Vec<(f64, String, usize)> = catalog
        .katas()
        .iter()
        .map(|k| {
            let t = std::time::Instant::now();
            let n = pykata::check::CompiledChecks::compile(&k.checks).map_or(0, |c| c.len());
            (t.elapsed().as_secs_f64() * 1e3, k.id.clone(), n)
        })
        .collect();
    times.sort_by(|a, b| b.0.total_cmp(&a.0));
    let total: f64 = times.iter().map(|t| t.0).sum();
    println!("total {total:.0} ms");
    for (ms, id, n) in times.iter().take(15) {
        println!("{ms:8.1} ms  {id} ({n} rules)");
    }
    let katas: Vec<&pykata::Kata> = catalog.katas().iter().collect();
    let t = std::time::Instant::now();
    match pykata::scan::detect_set(&katas) {
        Ok(set) => println!(
            "scan's merged detect set: {set:?}, built in {:.0} ms",
            t.elapsed().as_secs_f64() * 1e3
        ),
        Err(e) => println!("{e}"),
    }
}
