//! Reading tree-sitter's query syntax into patterns: node patterns with fields, negated fields,
//! anchors, quantifiers, alternations, groups, captures and text predicates, resolved against
//! the Python grammar. The grammar is the same one tree-sitter's own query compiler reads.

use super::lazy_regex::LazyRegex;
use tree_sitter::Language;

/// Which nodes a node pattern accepts.
#[derive(Debug, Clone)]
pub(super) enum Kind {
    /// `_`: any node, named or anonymous.
    Any,
    /// `(_)`: any named node except an error.
    AnyNamed,
    /// These kind ids (one name; a supertype stands for its subtypes).
    Ids(Vec<u16>),
}

/// One node of a pattern.
#[derive(Debug, Clone)]
pub(super) struct NodePat {
    pub kind: Kind,
    /// `(MISSING ...)`: only a node the parser inserted.
    pub missing: bool,
    pub children: Vec<Item>,
    /// Fields the node must not have (`!name`).
    pub negated: Vec<u16>,
}

/// What an item of a sequence matches.
#[derive(Debug, Clone)]
pub(super) enum Pat {
    Node(NodePat),
    /// `[a b]`: any one of the branches.
    Alt(Vec<Item>),
    /// `((a) (b))`: siblings in order.
    Group(Vec<Item>),
}

/// How often an item repeats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Quant {
    One,
    Optional,
    ZeroOrMore,
    OneOrMore,
}

/// A pattern in a sequence, with what is said about its first node.
#[derive(Debug, Clone)]
pub(super) struct Item {
    pub pat: Pat,
    /// The field its first node must be reached by.
    pub field: Option<u16>,
    /// Captures of its first node.
    pub captures: Vec<u32>,
    pub quant: Quant,
    /// An anchor (`.`) before it: no named sibling between it and what precedes it.
    pub immediate: bool,
    /// An anchor after it, at the end of its parent: its first node is the last named child.
    pub last: bool,
    /// Whether no capture is made anywhere inside it (then one way to match is enough).
    pub capture_free: bool,
}

/// A text predicate on a pattern's captures.
#[derive(Debug, Clone)]
pub(super) enum Predicate {
    /// `#eq?` / `#not-eq?` / `#any-eq?` / `#any-not-eq?` between two captures.
    EqCapture {
        a: u32,
        b: u32,
        positive: bool,
        all: bool,
    },
    /// The same with a string.
    EqString {
        a: u32,
        text: String,
        positive: bool,
        all: bool,
    },
    /// `#match?` and its variants.
    Match {
        a: u32,
        regex: LazyRegex,
        positive: bool,
        all: bool,
    },
    /// `#any-of?` / `#not-any-of?`.
    AnyOf {
        a: u32,
        texts: Vec<String>,
        positive: bool,
    },
}

/// One top-level pattern of a query.
#[derive(Debug, Clone)]
pub(super) struct TopPattern {
    pub item: Item,
    pub predicates: Vec<Predicate>,
    /// The predicates that hold for a capture's nodes exactly when they hold for each node
    /// alone, by capture id: each node is tested as it is captured.
    pub early: std::sync::Arc<[(u32, Predicate)]>,
    /// Whether it has a quantifier (`*`, `+`, `?`).
    pub quantified: bool,
    /// The kinds it needs in the subtree of its first node.
    pub kinds: super::bloom::KindNeeds,
}

/// What kind of mistake a query has, as tree-sitter names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    Syntax,
    NodeType,
    Field,
    Capture,
    Predicate,
}

/// A query that cannot be read, at a byte offset of its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub offset: usize,
    pub kind: ErrorKind,
    pub message: String,
}

pub(super) struct Parsed {
    pub patterns: Vec<TopPattern>,
    pub capture_names: Vec<String>,
    /// Every predicate: the offset of its `(` and its name (`#eq?`).
    pub predicate_names: Vec<(usize, String)>,
    /// The offset of the first predicate written outside any pattern's parentheses.
    pub stray_predicate: Option<usize>,
}

struct Reader<'a> {
    text: &'a str,
    pos: usize,
    language: &'a Language,
    captures: Vec<String>,
    predicates: Vec<Predicate>,
    predicate_names: Vec<(usize, String)>,
}

type Result<T> = std::result::Result<T, ParseError>;

/// Reads `text` (one or more patterns) against `language`.
pub(super) fn parse(language: &Language, text: &str) -> Result<Parsed> {
    let mut r = Reader {
        text,
        pos: 0,
        language,
        captures: Vec::new(),
        predicates: Vec::new(),
        predicate_names: Vec::new(),
    };
    let mut patterns = Vec::new();
    let mut stray_predicate = None;
    loop {
        r.skip_space();
        if r.peek().is_none() {
            break;
        }
        let start = r.pos;
        let Some(mut item) = r.item(false)? else {
            return Err(r.error(start, ErrorKind::Syntax, "unexpected `)` or `]`"));
        };
        if is_predicate_only(&item) {
            stray_predicate.get_or_insert(start);
        }
        // A group of one pattern (the usual `((node) @x (#eq? @x "a"))`) is that pattern.
        if let Pat::Group(items) = &item.pat
            && items.len() == 1
        {
            let mut inner = items[0].clone();
            let mut captures = std::mem::take(&mut item.captures);
            captures.extend(std::mem::take(&mut inner.captures));
            inner.captures = captures;
            inner.capture_free = inner.capture_free && item.capture_free;
            item = inner;
        }
        let predicates = std::mem::take(&mut r.predicates);
        let early = predicates
            .iter()
            .filter_map(|p| match p {
                Predicate::EqString { a, all: true, .. }
                | Predicate::Match { a, all: true, .. }
                | Predicate::AnyOf { a, .. } => Some((*a, p.clone())),
                _ => None,
            })
            .collect();
        patterns.push(TopPattern {
            quantified: quantified(&item),
            kinds: super::bloom::KindNeeds::of(&item),
            item,
            predicates,
            early,
        });
    }
    Ok(Parsed {
        patterns,
        capture_names: r.captures,
        predicate_names: r.predicate_names,
        stray_predicate,
    })
}

fn is_ident_start(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '-'
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '-' || c == '.'
}

impl<'a> Reader<'a> {
    fn peek(&self) -> Option<char> {
        self.text[self.pos..].chars().next()
    }

    fn bump(&mut self) {
        if let Some(c) = self.peek() {
            self.pos += c.len_utf8();
        }
    }

    fn error(&self, offset: usize, kind: ErrorKind, message: &str) -> ParseError {
        ParseError {
            offset,
            kind,
            message: message.to_string(),
        }
    }

    fn skip_space(&mut self) {
        while let Some(c) = self.peek() {
            if c.is_whitespace() {
                self.bump();
            } else if c == ';' {
                while let Some(c) = self.peek() {
                    if c == '\n' {
                        break;
                    }
                    self.bump();
                }
            } else {
                break;
            }
        }
    }

    fn identifier(&mut self) -> &'a str {
        let start = self.pos;
        self.bump();
        while self.peek().is_some_and(is_ident) {
            self.bump();
        }
        &self.text[start..self.pos]
    }

    fn string(&mut self) -> Result<String> {
        let start = self.pos;
        self.bump();
        let mut out = String::new();
        loop {
            match self.peek() {
                None => return Err(self.error(start, ErrorKind::Syntax, "unterminated string")),
                Some('"') => {
                    self.bump();
                    return Ok(out);
                }
                Some('\\') => {
                    self.bump();
                    match self.peek() {
                        Some('n') => out.push('\n'),
                        Some('r') => out.push('\r'),
                        Some('t') => out.push('\t'),
                        Some('0') => out.push('\0'),
                        Some(c) => out.push(c),
                        None => continue,
                    }
                    self.bump();
                }
                Some(c) => {
                    out.push(c);
                    self.bump();
                }
            }
        }
    }

    fn capture_id(&mut self, name: &str) -> u32 {
        match self.captures.iter().position(|n| n == name) {
            Some(i) => i as u32,
            None => {
                self.captures.push(name.to_string());
                (self.captures.len() - 1) as u32
            }
        }
    }

    fn kind_ids(&self, name: &str, named: bool) -> Vec<u16> {
        let id = self.language.id_for_node_kind(name, named);
        if id == 0 {
            return Vec::new();
        }
        let mut out = Vec::new();
        self.expand(id, &mut out);
        out
    }

    /// `id`, or for a supertype every kind below it (a subtype may be a supertype itself), as
    /// the ids nodes report.
    fn expand(&self, id: u16, out: &mut Vec<u16>) {
        if !self.language.node_kind_is_supertype(id) {
            if !out.contains(&id) {
                out.push(id);
            }
            return;
        }
        for &sub in self.language.subtypes_for_supertype(id) {
            let public = self
                .language
                .node_kind_for_id(sub)
                .map(|name| {
                    self.language
                        .id_for_node_kind(name, self.language.node_kind_is_named(sub))
                })
                .filter(|&p| p != 0)
                .unwrap_or(sub);
            self.expand(public, out);
        }
    }

    /// One pattern with its suffixes; `None` at a closing `)` or `]`. Predicates are collected
    /// and give an item that matches nothing of its own (an empty group).
    fn item(&mut self, immediate: bool) -> Result<Option<Item>> {
        self.skip_space();
        let start = self.pos;
        let (pat, field) = match self.peek() {
            None => return Err(self.error(start, ErrorKind::Syntax, "the query ends early")),
            Some(')') | Some(']') => return Ok(None),
            Some('[') => {
                self.bump();
                let mut branches = Vec::new();
                while let Some(branch) = self.item(immediate)? {
                    branches.push(branch);
                }
                if self.peek() != Some(']') || branches.is_empty() {
                    return Err(self.error(start, ErrorKind::Syntax, "an empty or unclosed `[`"));
                }
                self.bump();
                (Pat::Alt(branches), None)
            }
            Some('(') => {
                self.bump();
                self.skip_space();
                match self.peek() {
                    Some('(') | Some('"') | Some('[') => {
                        let mut items = Vec::new();
                        let mut next_immediate = immediate;
                        loop {
                            self.skip_space();
                            if self.peek() == Some('.') {
                                next_immediate = true;
                                self.bump();
                                self.skip_space();
                                if self.peek() == Some(')') {
                                    return Err(self.error(
                                        self.pos,
                                        ErrorKind::Syntax,
                                        "an anchor at the end of a group",
                                    ));
                                }
                            }
                            match self.item(next_immediate)? {
                                Some(item) => {
                                    if !is_predicate_only(&item) {
                                        items.push(item);
                                    }
                                }
                                None => break,
                            }
                            next_immediate = false;
                        }
                        if self.peek() != Some(')') {
                            return Err(self.error(start, ErrorKind::Syntax, "unclosed `(`"));
                        }
                        self.bump();
                        (Pat::Group(items), None)
                    }
                    Some('.') | Some('#') => {
                        self.bump();
                        self.predicate(start)?;
                        return Ok(Some(predicate_only()));
                    }
                    _ => (Pat::Node(self.node(start)?), None),
                }
            }
            Some('_') => {
                self.bump();
                (
                    Pat::Node(NodePat {
                        kind: Kind::Any,
                        missing: false,
                        children: Vec::new(),
                        negated: Vec::new(),
                    }),
                    None,
                )
            }
            Some('"') => {
                let name = self.string()?;
                let ids = self.kind_ids(&name, false);
                if ids.is_empty() {
                    return Err(self.error(start + 1, ErrorKind::NodeType, &name));
                }
                (
                    Pat::Node(NodePat {
                        kind: Kind::Ids(ids),
                        missing: false,
                        children: Vec::new(),
                        negated: Vec::new(),
                    }),
                    None,
                )
            }
            Some(c) if is_ident_start(c) => {
                let name = self.identifier();
                self.skip_space();
                if self.peek() != Some(':') {
                    return Err(self.error(
                        start,
                        ErrorKind::Syntax,
                        "expected `:` after a field name",
                    ));
                }
                self.bump();
                let Some(field) = self.language.field_id_for_name(name) else {
                    return Err(self.error(start, ErrorKind::Field, name));
                };
                let Some(inner) = self.item(immediate)? else {
                    return Err(self.error(
                        self.pos,
                        ErrorKind::Syntax,
                        "a field without a pattern",
                    ));
                };
                let mut inner = inner;
                inner.field = Some(field.get());
                return Ok(Some(self.suffixes(inner)?));
            }
            Some(_) => return Err(self.error(start, ErrorKind::Syntax, "unexpected character")),
        };
        let item = Item {
            capture_free: capture_free(&pat),
            pat,
            field,
            captures: Vec::new(),
            quant: Quant::One,
            immediate,
            last: false,
        };
        Ok(Some(self.suffixes(item)?))
    }

    fn suffixes(&mut self, mut item: Item) -> Result<Item> {
        loop {
            self.skip_space();
            match self.peek() {
                Some('+') => item.quant = join(item.quant, Quant::OneOrMore),
                Some('*') => item.quant = join(item.quant, Quant::ZeroOrMore),
                Some('?') => item.quant = join(item.quant, Quant::Optional),
                Some('@') => {
                    self.bump();
                    if !self.peek().is_some_and(is_ident_start) {
                        return Err(self.error(
                            self.pos,
                            ErrorKind::Syntax,
                            "a capture without a name",
                        ));
                    }
                    let name = self.identifier();
                    let id = self.capture_id(name);
                    item.captures.push(id);
                    item.capture_free = false;
                    continue;
                }
                _ => return Ok(item),
            }
            self.bump();
        }
    }

    /// `(name children...)`, after the `(`.
    fn node(&mut self, start: usize) -> Result<NodePat> {
        if !self.peek().is_some_and(is_ident_start) {
            return Err(self.error(self.pos, ErrorKind::Syntax, "expected a node name"));
        }
        let name_at = self.pos;
        let name = self.identifier();
        let mut missing = false;
        let kind = if name == "_" {
            Kind::AnyNamed
        } else if name == "MISSING" {
            missing = true;
            self.skip_space();
            match self.peek() {
                Some('"') => {
                    let at = self.pos;
                    let inner = self.string()?;
                    let ids = self.kind_ids(&inner, false);
                    if ids.is_empty() {
                        return Err(self.error(at + 1, ErrorKind::NodeType, &inner));
                    }
                    Kind::Ids(ids)
                }
                Some(c) if is_ident_start(c) => {
                    let at = self.pos;
                    let inner = self.identifier();
                    let ids = self.kind_ids(inner, true);
                    if ids.is_empty() {
                        return Err(self.error(at, ErrorKind::NodeType, inner));
                    }
                    Kind::Ids(ids)
                }
                _ => Kind::AnyNamed,
            }
        } else if name == "ERROR" {
            Kind::Ids(vec![u16::MAX])
        } else {
            let ids = self.kind_ids(name, true);
            if ids.is_empty() {
                return Err(self.error(name_at, ErrorKind::NodeType, name));
            }
            Kind::Ids(ids)
        };
        let kind = if self.peek() == Some('/') {
            self.bump();
            let at = self.pos;
            let ids = match self.peek() {
                Some('"') => {
                    let sub = self.string()?;
                    self.kind_ids(&sub, false)
                }
                Some(c) if is_ident_start(c) => {
                    let sub = self.identifier();
                    self.kind_ids(sub, true)
                }
                _ => return Err(self.error(at, ErrorKind::Syntax, "expected a subtype")),
            };
            if ids.is_empty() {
                return Err(self.error(at, ErrorKind::NodeType, &self.text[at..self.pos]));
            }
            Kind::Ids(ids)
        } else {
            kind
        };
        let mut children = Vec::new();
        let mut negated = Vec::new();
        let mut immediate = false;
        loop {
            self.skip_space();
            match self.peek() {
                Some('!') => {
                    self.bump();
                    self.skip_space();
                    let at = self.pos;
                    if !self.peek().is_some_and(is_ident_start) {
                        return Err(self.error(at, ErrorKind::Syntax, "expected a field name"));
                    }
                    let name = self.identifier();
                    let Some(field) = self.language.field_id_for_name(name) else {
                        return Err(self.error(at, ErrorKind::Field, name));
                    };
                    negated.push(field.get());
                    continue;
                }
                Some('.') => {
                    immediate = true;
                    self.bump();
                    continue;
                }
                _ => {}
            }
            match self.item(immediate)? {
                Some(item) => {
                    if !is_predicate_only(&item) {
                        children.push(item);
                        immediate = false;
                    }
                }
                None => {
                    if self.peek() != Some(')') {
                        return Err(self.error(start, ErrorKind::Syntax, "unclosed `(`"));
                    }
                    self.bump();
                    if immediate {
                        match children.last_mut() {
                            Some(last) => last.last = true,
                            None => {
                                return Err(self.error(
                                    self.pos - 1,
                                    ErrorKind::Syntax,
                                    "an anchor with nothing to anchor",
                                ));
                            }
                        }
                    }
                    break;
                }
            }
        }
        Ok(NodePat {
            kind,
            missing,
            children,
            negated,
        })
    }

    /// `#name? args...)`, after the `#`.
    fn predicate(&mut self, start: usize) -> Result<()> {
        if !self.peek().is_some_and(is_ident_start) {
            return Err(self.error(self.pos, ErrorKind::Syntax, "expected a predicate name"));
        }
        let name = self.identifier().to_string();
        match self.peek() {
            Some(c @ ('?' | '!')) => {
                self.predicate_names.push((start, format!("#{name}{c}")));
                self.bump();
            }
            _ => {
                return Err(self.error(
                    start,
                    ErrorKind::Syntax,
                    "a predicate name ends in ? or !",
                ));
            }
        }
        enum Arg {
            Capture(u32),
            Text(String),
        }
        let mut args = Vec::new();
        loop {
            self.skip_space();
            match self.peek() {
                Some(')') => {
                    self.bump();
                    break;
                }
                Some('@') => {
                    self.bump();
                    let at = self.pos;
                    if !self.peek().is_some_and(is_ident_start) {
                        return Err(self.error(at, ErrorKind::Syntax, "a capture without a name"));
                    }
                    let capture = self.identifier();
                    let Some(id) = self.captures.iter().position(|n| n == capture) else {
                        return Err(self.error(at, ErrorKind::Capture, capture));
                    };
                    args.push(Arg::Capture(id as u32));
                }
                Some('"') => args.push(Arg::Text(self.string()?)),
                Some(c) if is_ident_start(c) => args.push(Arg::Text(self.identifier().to_string())),
                _ => {
                    return Err(self.error(
                        self.pos,
                        ErrorKind::Syntax,
                        "unexpected character in a predicate",
                    ));
                }
            }
        }
        let bad = |message: String| ParseError {
            offset: start,
            kind: ErrorKind::Predicate,
            message,
        };
        let predicate = match name.as_str() {
            "eq" | "not-eq" | "any-eq" | "any-not-eq" => {
                let positive = name == "eq" || name == "any-eq";
                let all = !name.starts_with("any-");
                match args.as_slice() {
                    [Arg::Capture(a), Arg::Capture(b)] => Predicate::EqCapture {
                        a: *a,
                        b: *b,
                        positive,
                        all,
                    },
                    [Arg::Capture(a), Arg::Text(text)] => Predicate::EqString {
                        a: *a,
                        text: text.clone(),
                        positive,
                        all,
                    },
                    _ => {
                        return Err(bad(format!(
                            "#{name}? takes a capture, then a capture or a string"
                        )));
                    }
                }
            }
            "match" | "not-match" | "any-match" | "any-not-match" => {
                let positive = name == "match" || name == "any-match";
                let all = !name.starts_with("any-");
                match args.as_slice() {
                    [Arg::Capture(a), Arg::Text(pattern)] => Predicate::Match {
                        a: *a,
                        regex: LazyRegex::new(pattern)
                            .map_err(|e| bad(format!("invalid regex {pattern:?}: {e}")))?,
                        positive,
                        all,
                    },
                    _ => return Err(bad(format!("#{name}? takes a capture and a regex"))),
                }
            }
            "any-of" | "not-any-of" => match args.as_slice() {
                [Arg::Capture(a), rest @ ..] if !rest.is_empty() => Predicate::AnyOf {
                    a: *a,
                    texts: rest
                        .iter()
                        .map(|arg| match arg {
                            Arg::Text(t) => Ok(t.clone()),
                            Arg::Capture(_) => {
                                Err(bad(format!("#{name}? takes strings after its capture")))
                            }
                        })
                        .collect::<Result<_>>()?,
                    positive: name == "any-of",
                },
                _ => return Err(bad(format!("#{name}? takes a capture and strings"))),
            },
            // Other predicates are not evaluated; the rule compiler reports them.
            _ => return Ok(()),
        };
        self.predicates.push(predicate);
        Ok(())
    }
}

fn predicate_only() -> Item {
    Item {
        pat: Pat::Group(Vec::new()),
        field: None,
        captures: Vec::new(),
        quant: Quant::One,
        immediate: false,
        last: false,
        capture_free: true,
    }
}

fn is_predicate_only(item: &Item) -> bool {
    matches!(&item.pat, Pat::Group(items) if items.is_empty()) && item.captures.is_empty()
}

fn quantified(item: &Item) -> bool {
    item.quant != Quant::One
        || match &item.pat {
            Pat::Node(node) => node.children.iter().any(quantified),
            Pat::Alt(items) | Pat::Group(items) => items.iter().any(quantified),
        }
}

fn capture_free(pat: &Pat) -> bool {
    let items = match pat {
        Pat::Node(node) => &node.children,
        Pat::Alt(items) | Pat::Group(items) => items,
    };
    items.iter().all(|i| i.capture_free)
}

/// Two quantifiers on one pattern, as tree-sitter combines them.
fn join(a: Quant, b: Quant) -> Quant {
    use Quant::*;
    match (a, b) {
        (One, q) | (q, One) => q,
        (OneOrMore, OneOrMore) => OneOrMore,
        _ => ZeroOrMore,
    }
}
