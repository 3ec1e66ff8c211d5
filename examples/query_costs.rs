//! Prints what each distinct query of the bundled `detect` rules (and their relations) costs
//! tree-sitter's query cursor over the Python files a scan of the given paths reads, slowest
//! first.
//! The files are parsed once; each query then runs alone over every tree.
//!
//!     cargo run --release --example query_costs -- /usr/lib/python3.11/asyncio
use std::collections::BTreeMap;
use std::time::Instant;

use streaming_iterator::StreamingIterator;
use tree_sitter::{Query, QueryCursor};

mod common;

fn main() {
    let files = common::parsed_files();
    let parse = common::parse_time(&files);
    println!("{} files parsed in {parse:.2} s", files.len());
    let (catalog, _) = pykata::kata::Catalog::bundled();
    let mut texts: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for kata in catalog.katas() {
        for rule in &kata.checks.detect {
            let owner = format!("{}/{}", kata.id, rule.id);
            for (i, text) in rule.query_texts().into_iter().enumerate() {
                let owner = if i == 0 {
                    owner.clone()
                } else {
                    format!("{owner} (relation)")
                };
                texts.entry(text.to_string()).or_default().push(owner);
            }
        }
    }
    let language: tree_sitter::Language = tree_sitter_python::LANGUAGE.into();
    let mut cursor = QueryCursor::new();
    let mut costs = Vec::new();
    for (text, owners) in &texts {
        let Ok(query) = Query::new(&language, text) else {
            continue;
        };
        let t = Instant::now();
        let mut n = 0usize;
        for file in &files {
            let mut it = cursor.matches(&query, file.tree.root_node(), file.source.as_bytes());
            while it.next().is_some() {
                n += 1;
            }
        }
        costs.push((
            t.elapsed().as_secs_f64(),
            owners.join(", "),
            n,
            text.clone(),
        ));
    }
    costs.sort_by(|a, b| b.0.total_cmp(&a.0));
    let total: f64 = costs.iter().map(|c| c.0).sum();
    println!(
        "{} queries alone: {total:.2} s ({:.1}x the parse)",
        costs.len(),
        total / parse
    );
    let show = std::env::var("SHOW")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(25);
    for (secs, owners, n, text) in costs.iter().take(show) {
        println!("{secs:6.3} s {:5.2}x {n:8} matches  {owners}", secs / parse);
        if std::env::var("TEXT").is_ok() {
            println!("{}", text.trim_end());
        }
    }
}
