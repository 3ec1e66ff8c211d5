//! The table `read_tree.c` builds against the one tree-sitter's tree cursor gives, entry by
//! entry: every kata program, broken code (and a program broken at every character),
//! comments in odd places, aliased nodes, deep nesting, empty files, and reads that start
//! below the root; and the reads that delete the tree, of a tree of their own and of a copy
//! that shares its nodes with another. An ignored test does the same over a folder of Python
//! files.
//!
//! The test binary leaves tree-sitter on the system allocator, so valgrind sees every node the
//! deleting reads free: `valgrind --leak-check=full target/release/deps/pykata-HASH read_tests`
//! (after `cargo test --release --lib`) reports no error and no leak.

use tree_sitter::Tree;

use super::{AnonymousKinds, Nodes, Query};
use crate::check::parse_python;

/// What the compared tables held, so that a test can tell it covered what it meant to.
#[derive(Default)]
struct Seen {
    tables: usize,
    entries: usize,
    errors: usize,
    missing: usize,
    aliased: usize,
    extras: usize,
    depth: usize,
    /// Entries of the tables read from the root: in full, and without most anonymous leaves.
    root_entries: usize,
    partial_entries: usize,
}

impl Seen {
    /// Reads `tree` (parsed from `source`) from its root, and from every entry that `below`
    /// picks (by index), with both readers, and panics where they differ. From the root it
    /// reads it also without the anonymous leaves that queries naming only `==` and `lambda`
    /// do not need, and with the reads that delete the tree: a copy of `tree` (which shares
    /// every node with it, so deleting the copy must leave `tree` whole) and a tree parsed
    /// again, whose nodes are its own.
    fn compare(&mut self, tree: &Tree, source: &str, label: &str, below: impl Fn(usize) -> bool) {
        let root = tree.root_node();
        let some = Query::new("(comparison_operator \"==\") @c (lambda \"lambda\") @l")
            .expect("a query")
            .anonymous_kinds()
            .clone();
        let copy = Nodes::read_and_delete(tree.clone(), &AnonymousKinds::every());
        let own = parse_python(source).expect("the parser yields a tree");
        let own_partial = Nodes::read_and_delete(own, &some);
        let partial = Nodes::read_with_cursor(root, &some);
        self.check(
            &partial,
            &own_partial,
            label,
            "its own tree, deleted, in part",
        );
        self.check(
            &partial,
            &Nodes::read(root, &some),
            label,
            "the root, in part",
        );
        self.partial_entries += partial.all().count();
        let reference = Nodes::read_with_cursor(root, &AnonymousKinds::every());
        self.check(&reference, &Nodes::new(root), label, "the root");
        self.check(&reference, &copy, label, "a copy of the tree, deleted");
        self.root_entries += reference.all().count();
        let mut depth = Vec::new();
        for (i, node) in reference.all().enumerate() {
            let points = (node.start_position(), node.end_position());
            assert_eq!(copy.points(i as u32, source), points, "{label}: entry {i}");
            let d = reference
                .parent(i as u32)
                .map_or(0, |p| depth[p as usize] + 1);
            depth.push(d);
            self.depth = self.depth.max(d);
            self.errors += usize::from(node.is_error());
            self.missing += usize::from(node.is_missing());
            self.aliased += usize::from(node.into_raw().context[3] != 0);
            self.extras += usize::from(node.is_extra());
            if i > 0 && below(i) {
                let what = format!("{} at {}", node.kind(), node.start_position());
                let from_cursor = Nodes::read_with_cursor(node, &AnonymousKinds::every());
                self.check(&from_cursor, &Nodes::new(node), label, &what);
            }
        }
    }

    fn check(&mut self, reference: &Nodes<'_>, read: &Nodes<'_>, label: &str, from: &str) {
        if let Some(difference) = reference.difference(read) {
            panic!("{label}, read from {from}: {difference}");
        }
        self.tables += 1;
        self.entries += reference.all().count();
    }
}

fn compare_sources(sources: &[&str], below: impl Fn(usize) -> bool + Copy) -> Seen {
    let mut seen = Seen::default();
    for (n, source) in sources.iter().enumerate() {
        let tree = parse_python(source).expect("the parser yields a tree");
        seen.compare(&tree, source, &format!("source {n}"), below);
    }
    seen
}

#[test]
fn every_kata_program_reads_as_the_cursor_reads_it() {
    let (catalog, _) = crate::kata::Catalog::bundled();
    let mut seen = Seen::default();
    for kata in catalog.katas() {
        for (n, program) in kata.programs().enumerate() {
            let Some(tree) = parse_python(program) else {
                continue;
            };
            // Every seventh node as a root too: all of them would be quadratic.
            seen.compare(&tree, program, &format!("{} program {n}", kata.id), |i| {
                i % 7 == 0
            });
        }
    }
    assert!(seen.entries > 100_000, "{}", seen.entries);
    assert!(seen.tables > 10_000, "{}", seen.tables);
    // Without the punctuation and most keywords, a table is about a third smaller.
    assert!(
        seen.partial_entries * 4 < seen.root_entries * 3,
        "{} of {}",
        seen.partial_entries,
        seen.root_entries
    );
    assert!(seen.aliased > 0 && seen.extras > 0);
}

#[test]
fn broken_code_with_error_and_missing_nodes_reads_alike() {
    let sources = [
        "def f(:\n    pass\n",
        "x = (1 + 2\ny = 3\n",
        "print 'hello'\n",
        "if x\n    y = 1\n",
        "foo(a b c)\n",
        "class :\n    pass\n",
        "return = 3\n",
        "}}} {{{ ))) def def if if\n",
        "def f():\nreturn 1\n",
        "x = [1, 2,\n\ndef g(a, b:\n    return a +\n",
        "for in range(3):\n    pass\nelse\n",
        "try:\n    pass\nexcept\n",
        "lambda x: (x,\n# comment\n",
        "@decorator\n",
        "x = f\"{a!r:>{width}\"\n",
        "match x:\n    case [a, b as:\n        pass\n",
        "\tif x:\n  y\n\t z\n",
        "a = 1 if else 2\n",
        "import\nfrom . import\n",
        "with open(f) as:\n    pass\n",
    ];
    let seen = compare_sources(&sources, |_| true);
    assert!(seen.errors > 0, "no ERROR node");
    assert!(seen.missing > 0, "no MISSING node");
}

/// A program broken at every place: each character left out in turn, then the program cut
/// short there, and each bracket or colon doubled.
#[test]
fn a_program_broken_everywhere_reads_alike() {
    let program = super::tests::PROGRAM;
    let mut broken = Vec::new();
    for (at, c) in program.char_indices() {
        let next = at + c.len_utf8();
        broken.push(format!("{}{}", &program[..at], &program[next..]));
        broken.push(program[..at].to_string());
        if "([{:)]}".contains(c) {
            broken.push(format!("{}{c}{}", &program[..next], &program[next..]));
        }
    }
    let sources: Vec<&str> = broken.iter().map(String::as_str).collect();
    let seen = compare_sources(&sources, |i| i % 11 == 0);
    assert!(seen.errors > 100, "{}", seen.errors);
    assert!(seen.missing > 10, "{}", seen.missing);
}

#[test]
fn comments_and_line_continuations_in_odd_places_read_alike() {
    let source = r#"# first
def f(  # after the parenthesis
    a,  # after a parameter
    # between parameters
    b: int  # before a comma
    ,
) -> (  # in the return type
    int
):  # after the colon
    # first in the body
    return (  # after return
        a  # inside an operator
        +  # after the operator
        b
    )  # after the parenthesis
    # last in the body


x = [  # after a bracket
    1,
    # before the bracket
]
call(a,  # between arguments
     b=1  # before the keyword's end
     )
class A(  # in the bases
        B):
    # the only statement is a comment
    pass
if x:  # after if
    pass
# between if and elif
elif y:  # after elif
    pass
# before else
else:  # after else
    pass
d = {  # in a dictionary
    'a':  # after a key
        1,  # after a value
}
total = 1 + \
    2 + \
    3
assert x, \
    "message"  # trailing
values = [v  # in a comprehension
          for v in range(3)  # after for
          if v]  # after if
lambda: (  # in a lambda
    1)
@decorator  # after a decorator
# before the function
def g(): pass  # one line
# last
"#;
    let seen = compare_sources(&[source], |_| true);
    assert!(seen.extras > 30, "{}", seen.extras);
}

#[test]
fn aliased_nodes_read_alike() {
    let sources = [
        "if a is not b and c not in d:\n    pass\n",
        "if x: pass\nwhile y: break\nfor i in z: continue\n",
        "s = f\"{value:{width}.{precision}}\"\n",
        "match point:\n    case [x, y] as pair:\n        pass\n    case (x, y, *rest):\n        pass\n    case {\"k\": v} as m:\n        pass\n",
        "print = 1\nexec = print\nasync_ = 2\ntype = 3\nmatch = 4\n",
        "type Alias = list[int]\nx: type[int] = int\n",
        "result = [f for f in lambda: y]\n",
        "with (open(a) as b, open(c) as d):\n    pass\n",
        "f(*(a, b))\ncall(*args, **kwargs)\n[*a, *b] = c\n",
        "def f():\n    pass\nclass C: x = 1\n",
        "def g(): ...\n",
    ];
    let seen = compare_sources(&sources, |_| true);
    assert!(seen.aliased >= 10, "{}", seen.aliased);
}

#[test]
fn deeply_nested_code_reads_alike() {
    let parens = format!("x = {}1{}\n", "(".repeat(300), ")".repeat(300));
    let lists = format!("y = {}{}\n", "[".repeat(400), "]".repeat(400));
    let calls = format!("z = {}0{}\n", "f(".repeat(300), ")".repeat(300));
    let sum = format!("s = {}1\n", "1 + ".repeat(3000));
    let attributes = format!("a = b{}\n", ".c".repeat(2000));
    let mut blocks = String::new();
    for depth in 0..100 {
        blocks.push_str(&format!(
            "{}if x{depth}:  # level {depth}\n",
            "    ".repeat(depth)
        ));
    }
    blocks.push_str(&format!("{}pass\n", "    ".repeat(100)));
    let sources = [parens.as_str(), &lists, &calls, &sum, &attributes, &blocks];
    // Every node as a root would be quadratic in the depth.
    let seen = compare_sources(&sources, |i| i % 97 == 0);
    assert!(seen.depth > 2000, "{}", seen.depth);
}

#[test]
fn a_table_with_no_room_grows_as_the_read_goes() {
    let (catalog, _) = crate::kata::Catalog::bundled();
    let mut grown = 0;
    for kata in catalog.katas().iter().take(8) {
        for program in kata.programs() {
            let tree = parse_python(program).expect("the parser yields a tree");
            let reference = Nodes::read_with_cursor(tree.root_node(), &AnonymousKinds::every());
            for delete in [false, true] {
                let again = parse_python(program).expect("the parser yields a tree");
                let (room, read) = Nodes::read_growing(again, delete);
                if let Some(difference) = reference.difference(&read) {
                    panic!("{} (deleting: {delete}): {difference}", kata.id);
                }
                grown = grown.max(room);
            }
        }
    }
    // Grown from nothing, by doubling from 64 entries, more than once.
    assert!(grown >= 256, "{grown}");
}

#[test]
fn empty_and_blank_files_read_alike() {
    let sources = ["", "\n\n", "   \n\t\n", "# only a comment\n", "\\\n"];
    let seen = compare_sources(&sources, |_| true);
    assert!(seen.tables >= sources.len(), "{}", seen.tables);
}

#[test]
fn reads_that_start_below_the_root_read_alike() {
    let source = super::tests::PROGRAM;
    let seen = compare_sources(&[source], |_| true);
    assert!(seen.tables > 250, "{}", seen.tables);
}

/// Every `.py` file under `dir`, however deep (symbolic links are not followed).
fn python_files_under(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        let path = entry.path();
        if kind.is_dir() {
            python_files_under(&path, out);
        } else if kind.is_file() && path.extension().is_some_and(|e| e == "py") {
            out.push(path);
        }
    }
}

/// Every `.py` file under `PYKATA_CORPUS` (a folder, e.g. a Python installation's standard
/// library, tests and all), read from its root and from some nodes below it. By hand:
/// `PYKATA_CORPUS=/usr/lib/python3.11 cargo test --release --lib read_tests -- --ignored`
#[test]
#[ignore = "needs a corpus of Python files: set PYKATA_CORPUS"]
fn a_corpus_reads_as_the_cursor_reads_it() {
    let Some(corpus) = std::env::var_os("PYKATA_CORPUS") else {
        panic!("set PYKATA_CORPUS to a folder of Python files");
    };
    let mut files = Vec::new();
    python_files_under(std::path::Path::new(&corpus), &mut files);
    files.sort();
    let mut seen = Seen::default();
    let mut read = 0;
    for path in &files {
        let Ok(bytes) = std::fs::read(path) else {
            continue;
        };
        let source = String::from_utf8_lossy(&bytes);
        let Some(tree) = parse_python(&source) else {
            continue;
        };
        seen.compare(&tree, &source, &path.display().to_string(), |i| {
            i % 1009 == 0
        });
        read += 1;
    }
    eprintln!(
        "{read} of {} files: {} tables, {} entries, {} ERROR nodes, {} MISSING nodes, \
         {} aliased, {} extras, depth {}",
        files.len(),
        seen.tables,
        seen.entries,
        seen.errors,
        seen.missing,
        seen.aliased,
        seen.extras,
        seen.depth
    );
    assert!(read > 0, "no Python file under {}", corpus.display());
}
