//! The config file, `config.toml` in the config folder (`PYKATA_HOME` if set):
//!
//! ```toml
//! theme = "pykata-light"          # a theme from `pykata themes`
//! packs = ["~/team-katas"]        # extra pack folders, loaded on every run
//! ```

use std::path::PathBuf;

use serde::Deserialize;

/// The settings a learner (or a team) keeps between runs.
#[derive(Debug, Default, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The colour theme.
    #[serde(default)]
    pub theme: Option<String>,
    /// Pack folders loaded on top of the bundled katas.
    #[serde(default)]
    pub packs: Vec<PathBuf>,
}

impl Config {
    /// The config file's path.
    pub fn path() -> Option<PathBuf> {
        crate::progress::config_dir().map(|d| d.join("config.toml"))
    }

    /// Reads the config file. A missing file is the default; a bad one is the default with a
    /// warning that names the file, line and column.
    pub fn load() -> (Config, Option<String>) {
        let Some(path) = Config::path() else {
            return (Config::default(), None);
        };
        match std::fs::read_to_string(&path) {
            Ok(text) => match Config::parse(&text) {
                Ok(config) => (config.expand_home(), None),
                Err(e) => (Config::default(), Some(format!("{}:{e}", path.display()))),
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => (Config::default(), None),
            Err(e) => (
                Config::default(),
                Some(format!(
                    "{}: cannot read: {}",
                    path.display(),
                    crate::kata::io_reason(&e)
                )),
            ),
        }
    }

    /// Parses config text; the error starts with `LINE:COLUMN: `.
    pub fn parse(text: &str) -> Result<Config, String> {
        toml::from_str(text).map_err(|e| {
            let (line, column) = e
                .span()
                .map(|s| {
                    let pos = crate::text::position_at_byte(text, s.start);
                    (pos.line, pos.column)
                })
                .unwrap_or((1, 1));
            format!(
                "{line}:{column}: {}",
                crate::text::one_line(e.message(), 200)
            )
        })
    }

    fn expand_home(mut self) -> Config {
        if let Some(home) = directories::BaseDirs::new().map(|b| b.home_dir().to_path_buf()) {
            for pack in &mut self.packs {
                if let Ok(rest) = pack.strip_prefix("~") {
                    *pack = home.join(rest);
                }
            }
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_locates_errors() {
        let c = Config::parse("theme = \"pykata-light\"\npacks = [\"/x\"]\n").unwrap();
        assert_eq!(c.theme.as_deref(), Some("pykata-light"));
        assert_eq!(c.packs, [PathBuf::from("/x")]);
        let e = Config::parse("theme = \"a\"\ncolour = 1\n").unwrap_err();
        assert!(e.starts_with("2:1: unknown field `colour`"), "{e}");
    }
}
