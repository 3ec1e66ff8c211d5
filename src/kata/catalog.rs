//! Loading katas: the bundled pack embedded in the binary, then pack folders on top.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use super::Kata;
use super::model::{KataFile, Query, Relation, Rule, is_valid_id};
use super::tracks::{Track, parse_tracks};

include!(concat!(env!("OUT_DIR"), "/bundled.rs"));

/// The embedded themes, as `(path, text)` pairs.
pub fn bundled_themes() -> &'static [(&'static str, &'static str)] {
    BUNDLED_THEMES
}

/// Where a kata (or a problem) comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// Embedded in the binary; the path is relative to the repository, such as `katas/async/x.yaml`.
    Bundled(String),
    /// A file in a pack folder.
    File(PathBuf),
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Bundled(path) => write!(f, "{path}"),
            Origin::File(path) => write!(f, "{}", path.display()),
        }
    }
}

/// How serious a load problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// The kata (or folder) was not loaded.
    Error,
    /// Worth knowing, nothing was lost (a pack kata replacing a bundled one).
    Note,
}

/// A problem met while loading: the file, where in it, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadProblem {
    /// Error or note.
    pub severity: Severity,
    /// The file (or folder) the problem is in.
    pub file: String,
    /// 1-based line, where known.
    pub line: Option<usize>,
    /// 1-based column, where known.
    pub column: Option<usize>,
    /// What is wrong, in plain words.
    pub message: String,
}

impl LoadProblem {
    pub(crate) fn error(file: impl fmt::Display, message: impl Into<String>) -> Self {
        LoadProblem {
            severity: Severity::Error,
            file: file.to_string(),
            line: None,
            column: None,
            message: message.into(),
        }
    }

    fn at(mut self, line: usize, column: usize) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self
    }
}

impl fmt::Display for LoadProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Note => "note",
        };
        write!(f, ": {label}: {}", self.message)
    }
}

/// The loaded katas, in curriculum order (by topic, then difficulty, then id).
#[derive(Debug, Default)]
pub struct Catalog {
    katas: Vec<Kata>,
    index: HashMap<String, usize>,
    tracks: Vec<Track>,
}

/// A kata file to load: where it is from, and its text or why it could not be read.
type SourceFile = (Origin, Result<String, String>);

/// The curriculum order of the bundled topics; other topics follow alphabetically.
pub const TOPIC_ORDER: &[&str] = &[
    "basics",
    "patterns",
    "typing",
    "async",
    "exceptions",
    "data-model",
    "stdlib",
    "testing",
    "frameworks",
    "data-ml",
];

impl Catalog {
    /// The bundled pack only.
    pub fn bundled() -> (Catalog, Vec<LoadProblem>) {
        Catalog::load(&[])
    }

    /// One bundled kata, parsed alone (its file is `<topic>/<id>.yaml`); `None` if there is no
    /// such file or it does not load (the full load then says why).
    pub fn bundled_one(id: &str) -> Option<Kata> {
        let name = format!("/{id}.yaml");
        let (path, text) = BUNDLED_KATAS.iter().find(|(p, _)| p.ends_with(&name))?;
        let kata = Catalog::parse_one(text, Origin::Bundled((*path).to_string())).ok()?;
        (kata.id == id).then_some(kata)
    }

    /// The bundled pack, then each pack folder in turn on top of it. Problems do not stop the
    /// load: every kata that can be loaded is.
    pub fn load(pack_dirs: &[PathBuf]) -> (Catalog, Vec<LoadProblem>) {
        let mut problems = Vec::new();
        let mut tracks = Vec::new();
        for (path, text) in BUNDLED_KATAS.iter().filter(|(p, _)| is_tracks_file(p)) {
            let origin = Origin::Bundled((*path).to_string());
            add_tracks(
                &mut tracks,
                parse_tracks(text, &origin, &mut problems),
                &mut problems,
            );
        }
        let mut layers = vec![
            BUNDLED_KATAS
                .iter()
                .filter(|(p, _)| !is_tracks_file(p))
                .map(|(path, text)| {
                    (
                        Origin::Bundled((*path).to_string()),
                        Ok((*text).to_string()),
                    )
                })
                .collect::<Vec<_>>(),
        ];
        for dir in pack_dirs {
            match pack_files(dir) {
                Ok(files) => layers.push(files),
                Err(problem) => problems.push(problem),
            }
            let file = dir.join("tracks.yaml");
            if dir.is_dir() && file.exists() {
                let origin = Origin::File(file.clone());
                match std::fs::read_to_string(&file) {
                    Ok(text) => {
                        let found = parse_tracks(&text, &origin, &mut problems);
                        add_tracks(&mut tracks, found, &mut problems);
                    }
                    Err(e) => problems.push(LoadProblem::error(
                        &origin,
                        format!("cannot read: {}", io_reason(&e)),
                    )),
                }
            }
        }
        let mut catalog = Catalog::from_layers(layers, &mut problems);
        catalog.tracks = tracks;
        (catalog, problems)
    }

    /// Builds a catalog from layers of `(origin, text or read error)`: the first layer is the
    /// bundled pack, each later one a pack folder.
    fn from_layers(layers: Vec<Vec<SourceFile>>, problems: &mut Vec<LoadProblem>) -> Catalog {
        let mut katas: Vec<Kata> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        for (layer_no, layer) in layers.into_iter().enumerate() {
            // Ids defined by this layer, to tell a clash within a pack from a replacement.
            let mut in_layer: HashMap<String, Origin> = HashMap::new();
            for (origin, kata, mut found) in parse_all(layer) {
                problems.append(&mut found);
                let Some(kata) = kata else {
                    continue;
                };
                if let Some(first) = in_layer.get(&kata.id) {
                    problems.push(LoadProblem::error(
                        &origin,
                        format!("duplicate id `{}`: already defined in {first}", kata.id),
                    ));
                    continue;
                }
                in_layer.insert(kata.id.clone(), origin.clone());
                match index.get(&kata.id) {
                    Some(&at) => {
                        let earlier = &katas[at].origin;
                        let replaced_bundled = matches!(earlier, Origin::Bundled(_));
                        if layer_no > 0 && replaced_bundled {
                            problems.push(LoadProblem {
                                severity: Severity::Note,
                                ..LoadProblem::error(
                                    &origin,
                                    format!(
                                        "kata `{}` replaces the bundled one ({earlier})",
                                        kata.id
                                    ),
                                )
                            });
                            katas[at] = kata;
                        } else {
                            problems.push(LoadProblem::error(
                                &origin,
                                format!(
                                    "kata `{}` is defined by two packs: {earlier} and {origin}; keeping the first",
                                    kata.id
                                ),
                            ));
                        }
                    }
                    None => {
                        index.insert(kata.id.clone(), katas.len());
                        katas.push(kata);
                    }
                }
            }
        }
        let mut catalog = Catalog {
            katas,
            index,
            tracks: Vec::new(),
        };
        catalog.sort();
        catalog
    }

    fn sort(&mut self) {
        self.katas.sort_by(|a, b| {
            topic_rank(&a.topic)
                .cmp(&topic_rank(&b.topic))
                .then_with(|| a.topic.cmp(&b.topic))
                .then_with(|| a.difficulty.cmp(&b.difficulty))
                .then_with(|| a.id.cmp(&b.id))
        });
        self.index = self
            .katas
            .iter()
            .enumerate()
            .map(|(i, k)| (k.id.clone(), i))
            .collect();
    }

    /// A catalog of exactly these katas, in curriculum order (for tests and tools).
    pub fn from_katas(katas: Vec<Kata>) -> Catalog {
        let mut catalog = Catalog {
            katas,
            index: HashMap::new(),
            tracks: Vec::new(),
        };
        catalog.sort();
        catalog
    }

    /// Parses one kata file's text; used by tests and by tools that hold a file in memory.
    pub fn parse_one(text: &str, origin: Origin) -> Result<Kata, Vec<LoadProblem>> {
        let mut problems = Vec::new();
        parse_kata(text, origin, &mut problems).ok_or(problems)
    }

    /// Every kata, in curriculum order.
    pub fn katas(&self) -> &[Kata] {
        &self.katas
    }

    /// The kata with this id.
    pub fn get(&self, id: &str) -> Option<&Kata> {
        self.index.get(id).map(|&i| &self.katas[i])
    }

    /// The position of a kata in [`Catalog::katas`].
    pub fn position(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }

    /// The tracks, in the order their files define them.
    pub fn tracks(&self) -> &[Track] {
        &self.tracks
    }

    /// The track with this name.
    pub fn track(&self, name: &str) -> Option<&Track> {
        self.tracks.iter().find(|t| t.name == name)
    }

    /// The catalog indexes of a track's katas, in its order (ids not in the catalog are left
    /// out; `verify` reports them).
    pub fn track_katas(&self, track: &Track) -> Vec<usize> {
        track
            .katas
            .iter()
            .filter_map(|(id, _)| self.position(id))
            .collect()
    }

    /// Replaces the tracks (for tests and tools).
    pub fn set_tracks(&mut self, tracks: Vec<Track>) {
        self.tracks = tracks;
    }

    /// The topics, in curriculum order.
    pub fn topics(&self) -> Vec<&str> {
        let mut topics: Vec<&str> = Vec::new();
        for kata in &self.katas {
            if topics.last() != Some(&kata.topic.as_str()) {
                topics.push(&kata.topic);
            }
        }
        topics
    }

    /// Ids close to `id` (same prefix or contained), to suggest after a typo.
    pub fn suggest(&self, id: &str) -> Vec<&str> {
        let needle = id.to_lowercase();
        let head: String = needle.chars().take(4).collect();
        self.katas
            .iter()
            .map(|k| k.id.as_str())
            .filter(|k| {
                k.contains(&needle)
                    || needle.contains(k)
                    || (!head.is_empty() && k.starts_with(&head))
            })
            .take(5)
            .collect()
    }
}

/// Whether a bundled path is the pack's `tracks.yaml` (not a kata).
fn is_tracks_file(path: &str) -> bool {
    path == "katas/tracks.yaml" || path == "katas/tracks.yml"
}

/// Adds tracks; one with the name of an earlier one replaces it, with a note.
/// Parses a layer's files on every core (YAML parsing is most of a start-up), keeping order.
fn parse_all(layer: Vec<SourceFile>) -> Vec<(Origin, Option<Kata>, Vec<LoadProblem>)> {
    let parse = |(origin, text): SourceFile| match text {
        Ok(text) => {
            let mut found = Vec::new();
            let kata = parse_kata(&text, origin.clone(), &mut found);
            (origin, kata, found)
        }
        Err(message) => {
            let problem = LoadProblem::error(&origin, message);
            (origin, None, vec![problem])
        }
    };
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    if threads < 2 || layer.len() < 8 {
        return layer.into_iter().map(parse).collect();
    }
    let chunk = layer.len().div_ceil(threads);
    let mut chunks: Vec<Vec<SourceFile>> = Vec::new();
    let mut rest = layer.into_iter().peekable();
    while rest.peek().is_some() {
        chunks.push(rest.by_ref().take(chunk).collect());
    }
    std::thread::scope(|s| {
        let workers: Vec<_> = chunks
            .into_iter()
            .map(|files| s.spawn(move || files.into_iter().map(parse).collect::<Vec<_>>()))
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    })
}

fn add_tracks(into: &mut Vec<Track>, found: Vec<Track>, problems: &mut Vec<LoadProblem>) {
    for track in found {
        if let Some(at) = into.iter().position(|t| t.name == track.name) {
            problems.push(LoadProblem {
                severity: Severity::Note,
                line: Some(track.line),
                ..LoadProblem::error(
                    &track.origin,
                    format!(
                        "track `{}` replaces the one in {}",
                        track.name, into[at].origin
                    ),
                )
            });
            into[at] = track;
        } else {
            into.push(track);
        }
    }
}

fn topic_rank(topic: &str) -> usize {
    TOPIC_ORDER
        .iter()
        .position(|t| *t == topic)
        .unwrap_or(TOPIC_ORDER.len())
}

/// Lists the kata files of a pack folder (recursively; hidden entries and `tracks.yaml` at the
/// root are skipped), or the one kata file given, each with its text or why it is unreadable.
fn pack_files(dir: &Path) -> Result<Vec<SourceFile>, LoadProblem> {
    let meta = std::fs::metadata(dir).map_err(|e| {
        LoadProblem::error(
            dir.display(),
            format!("cannot open pack folder: {}", io_reason(&e)),
        )
    })?;
    let mut paths = Vec::new();
    if meta.is_dir() {
        walk(dir, dir, &mut paths);
    } else {
        // A single kata file, handy while writing one.
        paths.push(dir.to_path_buf());
    }
    paths.sort();
    Ok(paths
        .into_iter()
        .map(|path| {
            let text = std::fs::read(&path)
                .map_err(|e| format!("cannot read: {}", io_reason(&e)))
                .and_then(|bytes| {
                    String::from_utf8(bytes).map_err(|e| {
                        format!(
                            "not UTF-8 (invalid byte at offset {})",
                            e.utf8_error().valid_up_to()
                        )
                    })
                });
            (Origin::File(path), text)
        })
        .collect())
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('.') {
            continue;
        }
        if path.is_dir() {
            walk(root, &path, out);
        } else if (name.ends_with(".yaml") || name.ends_with(".yml"))
            && !(dir == root && (name == "tracks.yaml" || name == "tracks.yml"))
        {
            out.push(path);
        }
    }
}

/// A short reason for an I/O error, without Rust's `(os error N)` noise.
pub fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or folder".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => {
            let text = e.to_string();
            match text.find(" (os error") {
                Some(i) => text[..i].to_string(),
                None => text,
            }
        }
    }
}

/// Parses and validates one kata file. Problems are pushed; `None` when the kata cannot load.
fn parse_kata(text: &str, origin: Origin, problems: &mut Vec<LoadProblem>) -> Option<Kata> {
    let mut file: KataFile = match serde_saphyr::from_str(text) {
        Ok(file) => file,
        Err(e) => {
            let mut problem = LoadProblem::error(&origin, yaml_message(&e));
            if let Some(loc) = e.location() {
                let line = usize::try_from(loc.line()).unwrap_or(0);
                let column = usize::try_from(loc.column()).unwrap_or(0);
                if line > 0 {
                    problem = problem.at(line, column.max(1));
                }
            }
            problems.push(problem);
            return None;
        }
    };
    let before = problems.len();
    let at = |line: usize, column: usize, message: String| {
        LoadProblem::error(&origin, message).at(line.max(1), column.max(1))
    };
    let (id_line, _) = key_position(text, "id").unwrap_or((1, 1));
    if !is_valid_id(&file.id) {
        problems.push(at(
            id_line,
            1,
            format!(
                "invalid id `{}`: use lowercase letters, digits and single `-` (at most 64 characters)",
                crate::text::one_line(&file.id, 40)
            ),
        ));
    }
    if !is_valid_id(&file.topic) {
        let (line, _) = key_position(text, "topic").unwrap_or((1, 1));
        problems.push(at(
            line,
            1,
            format!(
                "invalid topic `{}`: use lowercase letters, digits and single `-`",
                crate::text::one_line(&file.topic, 40)
            ),
        ));
    }
    if !(1..=3).contains(&file.difficulty) {
        let (line, _) = key_position(text, "difficulty").unwrap_or((1, 1));
        problems.push(at(
            line,
            1,
            format!("difficulty must be 1, 2 or 3, not {}", file.difficulty),
        ));
    }
    if problems.len() > before {
        return None;
    }
    let lines: Vec<&str> = text.split('\n').collect();
    for rule in file
        .checks
        .detect
        .iter_mut()
        .chain(file.checks.require.iter_mut())
        .chain(file.checks.keep.iter_mut())
    {
        locate_rule(rule, &lines);
    }
    Some(Kata::from_file(file, origin))
}

/// serde-saphyr's message without its rendered snippet (we print our own location).
fn yaml_message(e: &serde_saphyr::Error) -> String {
    let full = e.to_string();
    let first = full.lines().next().unwrap_or("invalid YAML").trim();
    // Drop the "error: line N column M: " that repeats the location we print.
    let mut cleaned = first.strip_prefix("error: ").unwrap_or(first);
    if cleaned.starts_with("line ")
        && let Some(i) = cleaned.find(": ")
    {
        cleaned = &cleaned[i + 2..];
    }
    format!("invalid kata file: {cleaned}")
}

/// The 1-based (line, column) of a top-level `key:` in a YAML text.
fn key_position(text: &str, key: &str) -> Option<(usize, usize)> {
    text.split('\n')
        .position(|l| {
            l.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with(':'))
        })
        .map(|i| (i + 1, 1))
}

fn locate_rule(rule: &mut Rule, lines: &[&str]) {
    locate_query(&mut rule.query, lines);
    for rel in rule
        .inside
        .iter_mut()
        .chain(rule.not_inside.iter_mut())
        .chain(rule.has.iter_mut())
        .chain(rule.not_has.iter_mut())
    {
        locate_relation(rel, lines);
    }
}

fn locate_relation(rel: &mut Relation, lines: &[&str]) {
    locate_query(&mut rel.query, lines);
    for nested in rel
        .inside
        .iter_mut()
        .chain(rel.not_inside.iter_mut())
        .chain(rel.has.iter_mut())
        .chain(rel.not_has.iter_mut())
    {
        locate_relation(nested, lines);
    }
}

/// Marks a query that is a block scalar (`|` or `>` on the line before its text): each of its
/// lines then starts at the same column. serde-saphyr locates a block's text itself, and a
/// quoted scalar at its quote.
fn locate_query(query: &mut Query, lines: &[&str]) {
    let Some(previous) = query.line.checked_sub(2).and_then(|i| lines.get(i)) else {
        return;
    };
    let indicator = previous
        .trim_end()
        .trim_end_matches(['-', '+', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    query.block = indicator.ends_with('|') || indicator.ends_with('>');
    // A quoted scalar is located at its opening quote; its text starts one column later.
    let quoted = lines
        .get(query.line.wrapping_sub(1))
        .and_then(|line| line.chars().nth(query.column.wrapping_sub(1)))
        .is_some_and(|c| c == '\'' || c == '"');
    if !query.block && quoted {
        query.column += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) const MINIMAL: &str = "id: demo\ntitle: Demo\ntopic: basics\ndifficulty: 1\nskill: s\npython: \"3.8\"\nsummary: s\nexplain: e\nstarter: |\n  x == None\nsolution: |\n  x is None\nhints: [a]\nchecks:\n  detect:\n    - id: eq-none\n      message: use is\n      query: |\n        (comparison_operator\n          (none)) @cmp\n";

    fn layer(files: &[(&str, &str)]) -> Vec<SourceFile> {
        files
            .iter()
            .map(|(p, t)| (Origin::File(PathBuf::from(p)), Ok((*t).to_string())))
            .collect()
    }

    #[test]
    fn block_query_position_is_its_first_line() {
        let kata = Catalog::parse_one(MINIMAL, Origin::File("d.yaml".into())).unwrap();
        let q = &kata.checks.detect[0].query;
        assert!(q.block);
        assert_eq!((q.line, q.column), (19, 9));
    }

    #[test]
    fn unknown_field_is_an_error_with_its_line() {
        let text = MINIMAL.replace("hints: [a]", "hints: [a]\nhint: oops");
        let problems = Catalog::parse_one(&text, Origin::File("k.yaml".into())).unwrap_err();
        assert_eq!(problems.len(), 1);
        let shown = problems[0].to_string();
        assert!(shown.starts_with("k.yaml:14:"), "{shown}");
        assert!(shown.contains("hint"), "{shown}");
    }

    #[test]
    fn wrong_type_names_the_line() {
        let text = MINIMAL.replace("difficulty: 1", "difficulty: easy");
        let problems = Catalog::parse_one(&text, Origin::File("k.yaml".into())).unwrap_err();
        assert!(
            problems[0].to_string().starts_with("k.yaml:4:"),
            "{}",
            problems[0]
        );
    }

    #[test]
    fn invalid_id_and_difficulty() {
        let text = MINIMAL
            .replace("id: demo", "id: ../evil")
            .replace("difficulty: 1", "difficulty: 7");
        let problems = Catalog::parse_one(&text, Origin::File("k.yaml".into())).unwrap_err();
        let all: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert!(
            all[0].starts_with("k.yaml:1:1: error: invalid id `../evil`"),
            "{all:?}"
        );
        assert!(
            all[1].starts_with("k.yaml:4:1: error: difficulty"),
            "{all:?}"
        );
    }

    #[test]
    fn malformed_yaml_keeps_the_others() {
        let mut problems = Vec::new();
        let other = MINIMAL.replace("id: demo", "id: other");
        let catalog = Catalog::from_layers(
            vec![layer(&[("a.yaml", "id: [unclosed\n"), ("b.yaml", &other)])],
            &mut problems,
        );
        assert_eq!(catalog.katas().len(), 1);
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0].to_string().starts_with("a.yaml:"),
            "{}",
            problems[0]
        );
    }

    #[test]
    fn duplicates_and_replacements() {
        let mut problems = Vec::new();
        let bundled = vec![(
            Origin::Bundled("katas/basics/demo.yaml".into()),
            Ok(MINIMAL.to_string()),
        )];
        let replacing = MINIMAL.replace("title: Demo", "title: Team demo");
        let catalog = Catalog::from_layers(
            vec![
                bundled,
                layer(&[("p1/demo.yaml", &replacing), ("p1/again.yaml", &replacing)]),
                layer(&[("p2/demo.yaml", MINIMAL)]),
            ],
            &mut problems,
        );
        assert_eq!(catalog.katas().len(), 1);
        assert_eq!(catalog.get("demo").unwrap().title, "Team demo");
        let all: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert_eq!(all.len(), 3, "{all:?}");
        assert!(
            all[0].contains("note: kata `demo` replaces the bundled one (katas/basics/demo.yaml)")
        );
        assert!(all[1].contains("duplicate id `demo`: already defined in p1/demo.yaml"));
        assert!(all[2].contains("defined by two packs: p1/demo.yaml and p2/demo.yaml"));
    }

    #[test]
    fn missing_pack_folder_is_named() {
        let (catalog, problems) = Catalog::load(&[PathBuf::from("/no/such/pack")]);
        assert_eq!(problems.len(), 1);
        assert_eq!(
            problems[0].to_string(),
            "/no/such/pack: error: cannot open pack folder: no such file or folder"
        );
        assert_eq!(catalog.katas().len(), Catalog::bundled().0.katas().len());
    }
}
