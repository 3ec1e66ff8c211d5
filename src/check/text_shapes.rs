//! The first bytes and lengths of a set of texts, to rule most other texts out before hashing
//! them: a scan asks of nearly every name in a file whether a rule is about it.

/// For each first byte, the lengths of the texts that start with it: bit `n` for length `n`,
/// bit 63 for any length from 63 on. An empty text counts as starting with byte 0.
#[derive(Debug, Clone)]
pub(super) struct Shapes(Box<[u64; 256]>);

impl Default for Shapes {
    fn default() -> Shapes {
        Shapes(Box::new([0; 256]))
    }
}

impl Shapes {
    fn slot(text: &str) -> (usize, u64) {
        let first = text.as_bytes().first().copied().unwrap_or(0);
        (first as usize, 1 << text.len().min(63))
    }

    /// Adds a text to the set.
    pub(super) fn add(&mut self, text: &str) {
        let (first, length) = Self::slot(text);
        self.0[first] |= length;
    }

    /// Whether `text` may be one of the set's texts: one of them has its first byte and its
    /// length.
    pub(super) fn may_hold(&self, text: &str) -> bool {
        let (first, length) = Self::slot(text);
        self.0[first] & length != 0
    }
}

#[cfg(test)]
mod tests {
    use super::Shapes;

    #[test]
    fn a_text_of_the_set_always_passes_and_most_others_do_not() {
        let mut shapes = Shapes::default();
        for text in ["open", "TypeVar", "", &"x".repeat(80)] {
            shapes.add(text);
        }
        for text in [
            "open",
            "TypeVar",
            "",
            &"x".repeat(80),
            "oxxx",
            &"x".repeat(70),
        ] {
            assert!(shapes.may_hold(text), "{text}");
        }
        for text in ["opened", "typevar", "pen", "T"] {
            assert!(!shapes.may_hold(text), "{text}");
        }
    }
}
