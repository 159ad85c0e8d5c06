//! What the text around the cursor says is expected there, read from the
//! words of the statement the cursor is in. Completion and go to definition
//! read it; it needs no tree, so it works on a line being typed that does
//! not parse yet.

use crate::syntax::Span;

/// Where a service (a `start` step's id) is expected: after these words at
/// the start of a statement, or right after a clause keyword.
pub const SERVICE_AFTER_HEAD: &[&[&str]] = &[&["wait", "log"]];
pub const SERVICE_AFTER_CLAUSE: &[&str] = &["by"];

#[derive(Debug, PartialEq, Eq)]
pub struct Cursor<'t> {
    /// The whole words of the statement before the word at the cursor.
    pub before: Vec<&'t str>,
    /// The word the cursor is in (possibly empty) and where it is.
    pub word: &'t str,
    pub word_span: Span,
    /// The part of `word` before the cursor: what completion narrows by.
    pub prefix: &'t str,
}

impl Cursor<'_> {
    /// A service id is expected at the cursor.
    pub fn expects_service(&self) -> bool {
        let after_clause = self
            .before
            .last()
            .is_some_and(|w| SERVICE_AFTER_CLAUSE.contains(w));
        after_clause || SERVICE_AFTER_HEAD.iter().any(|head| self.before == *head)
    }
}

/// The statement words around byte `offset`.
pub fn cursor(text: &str, offset: usize) -> Cursor<'_> {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let start = statement_start(text, offset);
    let word_start = text[..offset]
        .rfind(is_blank)
        .map_or(0, |i| i + 1)
        .max(start);
    let word_end = text[offset..]
        .find(|c: char| is_blank(c) || c == ';' || c == '}')
        .map_or(text.len(), |i| offset + i);
    let before = text[start..word_start]
        .split(|c: char| is_blank(c) || c == '\\')
        .filter(|w| !w.is_empty())
        .collect();
    Cursor {
        before,
        word: &text[word_start..word_end],
        word_span: Span::new(word_start, word_end),
        prefix: &text[word_start..offset],
    }
}

fn is_blank(c: char) -> bool {
    c.is_whitespace()
}

/// The byte where the statement holding `offset` starts: after the last
/// `;`, `{`, `}` or newline that a `\` does not continue.
fn statement_start(text: &str, offset: usize) -> usize {
    let bytes = text.as_bytes();
    let mut i = offset;
    while i > 0 {
        let b = bytes[i - 1];
        let continued = b == b'\n' && text[..i - 1].trim_end_matches('\r').ends_with('\\');
        if matches!(b, b';' | b'{' | b'}') || (b == b'\n' && !continued) {
            return i;
        }
        i -= 1;
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_of_the_statement_before_the_cursor() {
        let text = "sleep 1s\nwait tcp db:1 \\\n    timeout 3s on-f";
        let c = cursor(text, text.len());
        assert_eq!(c.before, ["wait", "tcp", "db:1", "timeout", "3s"]);
        assert_eq!((c.word, c.prefix), ("on-f", "on-f"));
        let c = cursor("run \"x\"", 1);
        assert_eq!((c.word, c.prefix), ("run", "r"));
        let text = "parallel { run \"x\"; wait log ap }";
        let c = cursor(text, text.find("ap").unwrap() + 1);
        assert_eq!(
            (c.before.as_slice(), c.word),
            (["wait", "log"].as_slice(), "ap")
        );
        assert!(c.expects_service());
        assert!(cursor("wait tcp :1 by ", 15).expects_service());
        assert!(!cursor("wait tcp :1 ", 12).expects_service());
    }
}
