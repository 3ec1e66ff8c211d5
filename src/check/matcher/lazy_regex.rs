//! A `#match?` regex read when its query is read (so a bad one is an error at once) but
//! compiled into an automaton only when a node is first tested against it: most of a scan's
//! regexes belong to rules that no file of a codebase makes possible, and building (and later
//! dropping) every one of them cost a scan's start a third of its time.

use std::sync::OnceLock;

use regex::Regex;

/// A regex checked for syntax now and compiled on first use.
#[derive(Debug, Clone)]
pub struct LazyRegex {
    pattern: String,
    compiled: OnceLock<Option<Regex>>,
}

impl LazyRegex {
    /// Reads `pattern` with the syntax `regex` uses; the error says what is wrong with it.
    pub fn new(pattern: &str) -> Result<LazyRegex, String> {
        regex_syntax::Parser::new()
            .parse(pattern)
            .map_err(|e| e.to_string())?;
        Ok(LazyRegex {
            pattern: pattern.to_string(),
            compiled: OnceLock::new(),
        })
    }

    /// The regex's text.
    pub fn as_str(&self) -> &str {
        &self.pattern
    }

    /// Whether the regex matches somewhere in `text`. A regex that parses but is too large for
    /// the regex crate's limits matches nothing.
    pub fn is_match(&self, text: &str) -> bool {
        self.compiled
            .get_or_init(|| Regex::new(&self.pattern).ok())
            .as_ref()
            .is_some_and(|r| r.is_match(text))
    }
}

#[cfg(test)]
mod tests {
    use super::LazyRegex;

    #[test]
    fn syntax_errors_come_at_once_and_matching_compiles_on_first_use() {
        let error = LazyRegex::new("^torch(").unwrap_err();
        assert!(error.contains("unclosed group"), "{error}");
        let regex = LazyRegex::new(r"^torch(\.|$)").unwrap();
        assert!(regex.compiled.get().is_none());
        assert!(regex.is_match("torch.nn"));
        assert!(regex.is_match("torch"));
        assert!(!regex.is_match("torchvision"));
        assert!(regex.compiled.get().is_some());
        assert_eq!(regex.as_str(), r"^torch(\.|$)");
    }
}
