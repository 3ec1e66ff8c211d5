//! Reports on progress: a learner's report ([`learner`]) in JSON, Markdown or CSV, the class
//! view merged from many learners' JSON reports ([`class`]), and the terminal summary of
//! `pykata stats` ([`stats`]).

pub mod class;
pub mod learner;
pub mod stats;

/// The output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// JSON (the format `--merge` reads).
    Json,
    /// A Markdown table.
    Markdown,
    /// Comma-separated values.
    Csv,
}

/// A CSV field, quoted when it needs to be.
pub(crate) fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// Text for a Markdown table cell: one line, pipes escaped.
pub(crate) fn md_cell(text: &str) -> String {
    crate::text::one_line(text, 80).replace('|', "\\|")
}

/// The median of some numbers (`None` for none).
pub(crate) fn median(values: &mut [f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    Some(if values.len().is_multiple_of(2) {
        (values[mid - 1] + values[mid]) / 2.0
    } else {
        values[mid]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helpers() {
        assert_eq!(csv_field("a"), "a");
        assert_eq!(csv_field("a,\"b\""), "\"a,\"\"b\"\"\"");
        assert_eq!(md_cell("a|b"), "a\\|b");
        assert_eq!(median(&mut []), None);
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&mut [4.0, 1.0, 2.0, 3.0]), Some(2.5));
    }
}
