//! Where a scan's time goes after the parse, over the Python files a scan of the given paths
//! reads (each parsed once): reading each tree into a table, matching every bundled `detect`
//! query merged, matching every relation query merged over whole trees (a scan searches them
//! only near candidates), and the detect queries that cost most alone.
//!
//!     cargo run --release --example match_costs -- /usr/lib/python3.11
use std::sync::Arc;
use std::time::Instant;

use pykata::check::matcher::{Nodes, Query, QuerySet};

mod common;

fn main() {
    let files = common::parsed_files();
    let parse = common::parse_time(&files);
    println!("{} files parsed in {parse:.2} s", files.len());
    let (catalog, _) = pykata::kata::Catalog::bundled();
    let mut rules = Vec::new();
    let mut relations = Vec::new();
    for kata in catalog.katas() {
        for rule in &kata.checks.detect {
            for (i, text) in rule.query_texts().into_iter().enumerate() {
                let Ok(query) = Query::new(text) else {
                    continue;
                };
                let entry = (Arc::new(query), format!("{}/{}", kata.id, rule.id));
                if i == 0 {
                    rules.push(entry);
                } else {
                    relations.push(entry);
                }
            }
        }
    }
    let t = Instant::now();
    let tables: Vec<Nodes> = files
        .iter()
        .map(|f| Nodes::new(f.tree.root_node()))
        .collect();
    let read = t.elapsed().as_secs_f64();
    println!(
        "read into tables: {read:.3} s ({:.2}x the parse)",
        read / parse
    );
    let run = |queries: &[Arc<Query>]| {
        let set = QuerySet::new(queries);
        let t = Instant::now();
        let mut n = 0usize;
        for (file, nodes) in files.iter().zip(&tables) {
            set.each_match(nodes, &file.source, &[], |_, _| n += 1);
        }
        (t.elapsed().as_secs_f64(), n)
    };
    for (name, group) in [("detect queries", &rules), ("relation queries", &relations)] {
        let queries: Vec<Arc<Query>> = group.iter().map(|(q, _)| Arc::clone(q)).collect();
        let (secs, n) = run(&queries);
        println!(
            "{name}: {} merged, {n} matches, {secs:.3} s ({:.2}x the parse)",
            queries.len(),
            secs / parse
        );
    }
    let mut alone: Vec<(f64, usize, &str)> = rules
        .iter()
        .map(|(q, owner)| {
            let (secs, n) = run(std::slice::from_ref(q));
            (secs, n, owner.as_str())
        })
        .collect();
    alone.sort_by(|a, b| b.0.total_cmp(&a.0));
    for (secs, n, owner) in alone.iter().take(15) {
        println!("{secs:6.3} s {n:7} matches  {owner}");
    }
}
