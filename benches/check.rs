//! Parse + every rule of a kata on a 40-line program (the target: median <= 0.5 ms),
//! reading and merging a kata's rules (the first check of a kata), and tree-sitter compiling
//! them (what `verify` does).

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use pykata::kata::Catalog;

mod common;
use common::forty_lines;

fn bench(c: &mut Criterion) {
    // SAFETY: no tree-sitter object exists yet; the binary does the same first thing.
    unsafe { pykata::allocator::route_tree_sitter() };
    let (catalog, _) = Catalog::bundled();
    let Some(kata) = catalog.get("late-binding-closure") else {
        return;
    };
    let program = forty_lines(&kata.starter);
    assert_eq!(program.lines().count(), 40);
    let fixed = forty_lines(&kata.solution);
    let _ = kata.check(&program);
    c.bench_function("parse 40 lines (tree-sitter only)", |b| {
        b.iter(|| pykata::check::parse_python(black_box(&program)))
    });
    c.bench_function("check late-binding-closure, 40 lines, failing", |b| {
        b.iter(|| kata.check(black_box(&program)))
    });
    c.bench_function("check late-binding-closure, 40 lines, passing", |b| {
        b.iter(|| kata.check(black_box(&fixed)))
    });
    c.bench_function(
        "read and merge the rules (the first check of a kata; pykata check)",
        |b| {
            b.iter(|| {
                let prepared = pykata::check::CompiledChecks::prepare(black_box(&kata.checks));
                prepared.map(|p| pykata::check::DetectSet::for_kata(std::sync::Arc::new(p)))
            })
        },
    );
    c.bench_function(
        "tree-sitter compiles every query, on all cores (verify)",
        |b| b.iter(|| pykata::check::CompiledChecks::compile(black_box(&kata.checks))),
    );
    c.bench_function("load the bundled pack", |b| b.iter(Catalog::bundled));
}

criterion_group!(benches, bench);
criterion_main!(benches);
