//! Compares pykata's query runner with tree-sitter's query cursor: every distinct query of the
//! bundled katas over every kata program and every Python file under the given paths.
//!
//!     cargo run --release --example matcher_agrees -- /usr/lib/python3.11
mod common;

fn main() {
    let (catalog, _) = pykata::kata::Catalog::bundled();
    let mut texts: Vec<String> = Vec::new();
    let mut programs: Vec<(String, String)> = Vec::new();
    for kata in catalog.katas() {
        for (_, rule) in kata.rules() {
            texts.extend(rule.query_texts().into_iter().map(str::to_string));
        }
        programs.push((format!("{} starter", kata.id), kata.starter.clone()));
        programs.push((format!("{} solution", kata.id), kata.solution.clone()));
        for e in kata.examples.accept.iter().chain(&kata.examples.reject) {
            programs.push((format!("{} line {}", kata.id, e.line), e.code.clone()));
        }
    }
    texts.sort();
    texts.dedup();
    let mut trees: Vec<(String, String, tree_sitter::Tree)> = programs
        .into_iter()
        .filter_map(|(name, code)| {
            let tree = pykata::check::parse_python(&code)?;
            Some((name, code, tree))
        })
        .collect();
    if std::env::args().len() > 1 {
        for f in common::parsed_files() {
            trees.push((f.path.display().to_string(), f.source, f.tree));
        }
    }
    let refs: Vec<(&tree_sitter::Tree, &str)> =
        trees.iter().map(|(_, s, t)| (t, s.as_str())).collect();
    let (mut agreed, mut differ) = (0usize, 0usize);
    for text in &texts {
        match pykata::check::matcher::agrees_with_tree_sitter(text, &refs) {
            Ok(n) => agreed += n,
            Err(errors) => {
                differ += errors.len();
                println!(
                    "{} programs differ, first {}: {}\n{text}\n",
                    errors.len(),
                    trees[errors[0].0].0,
                    errors[0].1
                );
            }
        }
    }
    println!(
        "{} queries over {} programs: {agreed} matches agree, {differ} (query, program) pairs differ",
        texts.len(),
        trees.len()
    );
}
