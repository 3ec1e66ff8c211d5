//! A kata's content hash: FNV-1a (64 bits) over a canonical text of what a learner works
//! against (starter, solution and every check), so progress can tell when a pack changed a
//! kata after it was passed. Titles, prose and hints do not count.

use std::fmt::Write as _;

use super::Kata;
use super::model::Relation;

const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const PRIME: u64 = 0x0100_0000_01b3;

/// FNV-1a of `bytes`.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    bytes
        .iter()
        .fold(OFFSET, |h, b| (h ^ u64::from(*b)).wrapping_mul(PRIME))
}

fn relations(out: &mut String, tag: &str, list: &[Relation]) {
    for rel in list {
        let _ = write!(
            out,
            "\u{1}{tag}\u{1}{}\u{1}{}\u{1}{}",
            rel.query.text,
            rel.capture.as_deref().unwrap_or(""),
            rel.on.as_deref().unwrap_or("")
        );
        relations(out, "inside", &rel.inside);
        relations(out, "not-inside", &rel.not_inside);
        relations(out, "has", &rel.has);
        relations(out, "not-has", &rel.not_has);
        out.push('\u{2}');
    }
}

impl Kata {
    /// The content hash as 16 hex digits; stable across builds and machines.
    pub fn content_hash(&self) -> String {
        let mut text = format!("{}\u{0}{}\u{0}", self.starter, self.solution);
        for (kind, rule) in self.rules() {
            let _ = write!(
                text,
                "{}\u{1}{}\u{1}{}\u{1}{}",
                kind.name(),
                rule.id,
                rule.query.text,
                rule.capture.as_deref().unwrap_or("")
            );
            relations(&mut text, "inside", &rule.inside);
            relations(&mut text, "not-inside", &rule.not_inside);
            relations(&mut text, "has", &rule.has);
            relations(&mut text, "not-has", &rule.not_has);
            text.push('\u{0}');
        }
        format!("{:016x}", fnv1a(text.as_bytes()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kata::{Catalog, Origin};

    const KATA: &str = "id: demo\ntitle: Demo\ntopic: basics\ndifficulty: 1\nskill: s\npython: \"3.8\"\nsummary: s\nexplain: e\nstarter: |\n  x == None\nsolution: |\n  x is None\nhints: [a]\nchecks:\n  detect:\n    - id: eq-none\n      message: use is\n      query: '(comparison_operator (none)) @c'\n";

    fn hash(text: &str) -> String {
        Catalog::parse_one(text, Origin::File("d.yaml".into()))
            .unwrap()
            .content_hash()
    }

    #[test]
    fn fnv_matches_the_published_vectors() {
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a(b"foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn prose_does_not_count_but_code_and_checks_do() {
        let base = hash(KATA);
        assert_eq!(base.len(), 16);
        assert_eq!(hash(&KATA.replace("title: Demo", "title: Other")), base);
        assert_eq!(hash(&KATA.replace("hints: [a]", "hints: [b, c]")), base);
        assert_ne!(hash(&KATA.replace("  x == None", "  y == None")), base);
        assert_ne!(hash(&KATA.replace("  x is None", "  y is None")), base);
        assert_ne!(hash(&KATA.replace("(none)) @c", "(none) @n) @c")), base);
    }
}
