//! Embeds the bundled katas (and themes) in the binary: writes a list of
//! `(path, include_str!(path))` pairs for every YAML file under `katas/` and every `.tmTheme`
//! under `themes/`, so that one installed binary works offline from any folder.
//!
//! Also compiles `src/check/matcher/read_tree.c`, which reads a syntax tree into the matcher's
//! table through tree-sitter's internal headers (the `src` folder beside the `include` folder
//! that the tree-sitter crate's build script reports).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn collect(dir: &Path, ext: &[&str], out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let hidden = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'));
        if hidden {
            continue;
        }
        if path.is_dir() {
            collect(&path, ext, out);
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| ext.contains(&e))
        {
            out.push(path);
        }
    }
}

fn table(name: &str, root: &Path, dir: &str, ext: &[&str]) -> String {
    let mut files = Vec::new();
    collect(&root.join(dir), ext, &mut files);
    files.sort();
    let mut code = format!("pub(crate) static {name}: &[(&str, &str)] = &[\n");
    for file in files {
        let rel = file.strip_prefix(root).unwrap_or(&file);
        let rel = rel.to_string_lossy().replace('\\', "/");
        let abs = file.to_string_lossy().replace('\\', "/");
        let _ = writeln!(code, "    ({rel:?}, include_str!({abs:?})),");
    }
    code.push_str("];\n");
    code
}

/// Compiles the tree reader against the tree-sitter crate's own headers.
fn compile_tree_reader() {
    const FILE: &str = "src/check/matcher/read_tree.c";
    println!("cargo:rerun-if-changed={FILE}");
    println!("cargo:rerun-if-env-changed=DEP_TREE_SITTER_INCLUDE");
    let Some(include) = std::env::var_os("DEP_TREE_SITTER_INCLUDE").map(PathBuf::from) else {
        panic!("DEP_TREE_SITTER_INCLUDE is not set: the tree-sitter crate reports its headers");
    };
    let internal = include.join("..").join("src");
    cc::Build::new()
        .std("c11")
        .include(&include)
        .include(&internal)
        .flag_if_supported("-fvisibility=hidden")
        // Optimised in every profile, as the dependencies are: the tests read many trees.
        .opt_level(2)
        .file(FILE)
        .compile("pykata_read_tree");
}

fn main() {
    compile_tree_reader();
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into()));
    println!("cargo:rerun-if-changed=katas");
    println!("cargo:rerun-if-changed=themes");
    let mut code = table("BUNDLED_KATAS", &root, "katas", &["yaml", "yml"]);
    code.push_str(&table("BUNDLED_THEMES", &root, "themes", &["tmTheme"]));
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into()));
    if let Err(e) = std::fs::write(out.join("bundled.rs"), code) {
        panic!("cannot write bundled.rs: {e}");
    }
}
