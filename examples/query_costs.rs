//! Prints what each distinct query of the bundled `detect` rules (and their relations) costs
//! tree-sitter's query cursor over every `.py` file under the given folders, slowest first.
//! The files are parsed once; each query then runs alone over every tree.
//!
//!     cargo run --release --example query_costs -- /usr/lib/python3.11/asyncio
use std::collections::BTreeMap;
use std::time::Instant;

use pykata::kata::{Relation, Rule};
use streaming_iterator::StreamingIterator;
use tree_sitter::{Query, QueryCursor};

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
    println!("{} files parsed in {parse:.2} s", trees.len());
    let (catalog, _) = pykata::kata::Catalog::bundled();
    let mut texts: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for kata in catalog.katas() {
        for rule in &kata.checks.detect {
            texts
                .entry(rule.query.text.clone())
                .or_default()
                .push(format!("{}/{}", kata.id, rule.id));
            for r in relations(rule) {
                walk(
                    r,
                    &format!("{}/{} (relation)", kata.id, rule.id),
                    &mut texts,
                );
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
        for (tree, source) in &trees {
            let mut it = cursor.matches(&query, tree.root_node(), source.as_bytes());
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

fn relations(rule: &Rule) -> impl Iterator<Item = &Relation> {
    rule.inside
        .iter()
        .chain(&rule.not_inside)
        .chain(&rule.has)
        .chain(&rule.not_has)
}

fn walk(r: &Relation, owner: &str, texts: &mut BTreeMap<String, Vec<String>>) {
    texts
        .entry(r.query.text.clone())
        .or_default()
        .push(owner.to_string());
    for nested in r
        .inside
        .iter()
        .chain(&r.not_inside)
        .chain(&r.has)
        .chain(&r.not_has)
    {
        walk(nested, owner, texts);
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
