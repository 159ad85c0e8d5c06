//! A value written as several glued pieces (`/data/"my file"`): one error,
//! with a fix that writes it as one double-quoted string.

use super::cursor::{Parser, closing_quote, quoted_end, word_end};
use crate::syntax::codes;
use crate::syntax::{Span, SyntaxError};

impl Parser<'_> {
    /// Consume quoted strings and words glued to the value that started at
    /// `start` and ends at the cursor, reporting them once.
    pub fn reject_glued_quote(&mut self, start: usize) {
        let end = glued_end(self.src, self.pos);
        if end == self.pos {
            return;
        }
        let span = Span::new(start, end);
        let mut error = SyntaxError::new(
            codes::GLUED_QUOTE,
            span,
            "a quoted string is glued to a bare word",
        )
        .with_label("one value written as several pieces")
        .with_help("put the whole value inside one pair of quotes");
        if let Some(joined) = as_one_string(span.slice(self.src)) {
            error = error
                .with_help(format!(
                    "put the whole value inside one pair of quotes: {joined}"
                ))
                .with_safe_fix(span, joined);
        }
        self.soft(error);
        self.pos = end;
    }
}

/// Where a run of glued words and strings starting at `at` ends.
fn glued_end(src: &str, mut at: usize) -> usize {
    loop {
        match src.as_bytes().get(at) {
            Some(b'"' | b'\'') => at = quoted_end(src, at),
            Some(b' ' | b'\t' | b'\r' | b'\n' | b';' | b'{' | b'}') | None => return at,
            Some(_) => {
                let next = word_end(src, at);
                if next == at {
                    return at;
                }
                at = next;
            }
        }
    }
}

/// The pieces as one double-quoted string meaning the same, if every
/// quoted piece is closed.
fn as_one_string(pieces: &str) -> Option<String> {
    let mut out = String::from("\"");
    let mut at = 0;
    while at < pieces.len() {
        match pieces.as_bytes()[at] {
            quote @ (b'"' | b'\'') => {
                let close = closing_quote(pieces, at)?;
                let inner = &pieces[at + 1..close];
                if quote == b'"' {
                    out.push_str(inner);
                } else {
                    out.push_str(
                        &inner
                            .replace('\\', "\\\\")
                            .replace('"', "\\\"")
                            .replace('$', "$$"),
                    );
                }
                at = close + 1;
            }
            _ => {
                let end = word_end(pieces, at).max(at + 1);
                let end = (at + 1..=end).rev().find(|i| pieces.is_char_boundary(*i))?;
                out.push_str(&pieces[at..end].replace('\\', "\\\\"));
                at = end;
            }
        }
    }
    out.push('"');
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_join_into_one_string() {
        assert_eq!(
            as_one_string(r#"/data/"my file".csv"#).as_deref(),
            Some(r#""/data/my file.csv""#)
        );
        assert_eq!(
            as_one_string(r#"a'$x "y'"#).as_deref(),
            Some(r#""a$$x \"y""#)
        );
        assert_eq!(as_one_string(r#"a"open"#), None);
    }
}
