//! The zinit text of imported values. Every string from the YAML reaches
//! the script through [`word`] or [`quoted`] (as a value) or through
//! [`escape_invisible`] (inside a `# note:`), so no value can end a
//! statement, start a comment or hide a character from a reviewer.

use super::error::YamlAt;
pub use super::invisible::escape_invisible;
use super::invisible::invisible;
use std::fmt::Write;
use std::ops::Range;

/// One step's line as it is built: the text, and which YAML value each
/// written value came from, so a diagnostic on the line can point back.
#[derive(Debug, Clone)]
pub struct Line {
    pub text: String,
    pub values: Vec<(Range<usize>, YamlAt)>,
    /// What changes in meaning, each with the YAML value it is about.
    pub notes: Vec<(YamlAt, String)>,
}

impl Line {
    pub fn new(keyword: &str) -> Self {
        Line {
            text: keyword.to_string(),
            values: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// Zinit's own text (keywords, numbers zinit wrote).
    pub fn push(&mut self, text: &str) {
        self.text.push_str(text);
    }

    /// Text standing for the YAML value at `at`.
    pub fn value(&mut self, written: &str, at: YamlAt) {
        let start = self.text.len();
        self.text.push_str(written);
        self.values.push((start..self.text.len(), at));
    }

    /// A `# note:` for the line, about the YAML value at `at`.
    pub fn note(&mut self, at: YamlAt, text: impl Into<String>) {
        self.notes.push((at, text.into()));
    }

    /// The YAML value behind byte `offset` of the line, if one is there.
    pub fn value_at(&self, offset: usize) -> Option<YamlAt> {
        self.values
            .iter()
            .find(|(range, _)| range.contains(&offset))
            .map(|(_, at)| *at)
    }
}

/// A `# note:` line naming the YAML line and column it is about, as
/// import errors do (`7:12: ...`).
pub fn note_line(at: YamlAt, text: &str) -> String {
    format!(
        "# note: {}:{}: {}\n",
        at.line,
        at.column,
        escape_invisible(text)
    )
}

/// `"text"` with `\`, `"` and invisible characters escaped: how a note
/// quotes a YAML string.
pub fn shown(text: &str) -> String {
    let escaped = escape_invisible(&text.replace('\\', "\\\\").replace('"', "\\\""));
    format!("\"{escaped}\"")
}

/// A bare word when it reads back as itself, else a quoted string.
pub fn word(text: &str) -> String {
    let bare = !text.is_empty()
        && !text.starts_with('#')
        && !text
            .chars()
            .any(|c| c.is_whitespace() || invisible(c) || ";{}\"'$\\".contains(c));
    if bare { text.to_string() } else { quoted(text) }
}

/// `'raw'` when possible (no interpolation, no escapes), else `"escaped"`.
pub fn quoted(text: &str) -> String {
    if !text.contains('\'') && !text.chars().any(invisible) {
        return format!("'{text}'");
    }
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '$' => out.push_str("\\$"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\0' => out.push_str("\\0"),
            c if invisible(c) => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_invisible_survives() {
        for text in [
            "a\nb",
            "a\u{202e}b",
            "a\u{2028}b",
            "x\u{85}",
            "\u{feff}",
            "\r",
        ] {
            for out in [
                escape_invisible(text),
                shown(text),
                word(text),
                quoted(text),
            ] {
                assert!(!out.chars().any(invisible), "{text:?} -> {out:?}");
            }
        }
        assert_eq!(escape_invisible("a\nb"), "a\\u{a}b");
        assert_eq!(shown("say \"hi\"\n"), "\"say \\\"hi\\\"\\u{a}\"");
        assert_eq!(word("db:5432"), "db:5432");
        assert_eq!(word("a b"), "'a b'");
        assert_eq!(quoted("it's $HOME\n"), "\"it's \\$HOME\\n\"");
    }
}
