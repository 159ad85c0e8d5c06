//! Typographic quotes (`“…”`, `‘…’`, `„…“`), as pasted from a document or a
//! chat: no quotes to zinit, so a value written in them would silently keep
//! them. Reported (E045) with the certain fix, the same text in straight
//! quotes, and read as that string.

use super::cursor::Parser;
use crate::syntax::ast::{Quote, Text, TextPart};
use crate::syntax::codes;
use crate::syntax::{Span, SyntaxError};

const DOUBLE: [char; 3] = ['“', '”', '„'];
const SINGLE: [char; 2] = ['‘', '’'];

impl Parser<'_> {
    /// A value in typographic quotes at the cursor, closed on its line and
    /// not glued to more text: reported, consumed, and read as its text.
    pub fn accept_typographic(&mut self, what: &str) -> Option<Text> {
        let start = self.blank_end();
        let (quote, inner, end) = typographic_at(self.src, start)?;
        let span = Span::new(start, end);
        let straight = straight_quoted(quote, inner);
        self.soft(
            SyntaxError::new(
                codes::TYPOGRAPHIC_QUOTES,
                span,
                format!("{what} is in typographic quotes"),
            )
            .with_label("typographic quotes")
            .with_help(format!(
                "zinit quotes with straight quotes `\"` and `'`: write `{straight}`"
            ))
            .with_safe_fix(span, straight),
        );
        self.pos = end;
        Some(Text {
            parts: Box::new([TextPart::Literal(inner.into())]),
            quote,
            span,
        })
    }
}

/// `(quote, text, end)` for a typographic string at `start`: the family of
/// its opening mark, closed by any mark of that family on the same line,
/// with a blank, `;`, `{`, `}` or the end after it.
pub(super) fn typographic_at(src: &str, start: usize) -> Option<(Quote, &str, usize)> {
    let open = src[start..].chars().next()?;
    let (quote, family): (Quote, &[char]) = if DOUBLE.contains(&open) {
        (Quote::Double, &DOUBLE)
    } else if SINGLE.contains(&open) {
        (Quote::Single, &SINGLE)
    } else {
        return None;
    };
    let body = start + open.len_utf8();
    let line = &src[body..body + src[body..].find('\n').unwrap_or(src.len() - body)];
    let close_at = line.find(family)?;
    let close = line[close_at..].chars().next()?;
    let end = body + close_at + close.len_utf8();
    let after = src[end..].chars().next();
    let ends_value = after.is_none_or(|c| c.is_whitespace() || matches!(c, ';' | '{' | '}'));
    let inner = &line[..close_at];
    (ends_value && !inner.is_empty()).then_some((quote, inner, end))
}

/// The text as a straight-quoted string meaning the same.
pub(super) fn straight_quoted(quote: Quote, inner: &str) -> String {
    if quote == Quote::Single && !inner.contains('\'') {
        return format!("'{inner}'");
    }
    let escaped = inner.replace('\\', "\\\\").replace('"', "\\\"");
    if quote == Quote::Single {
        // A raw string made double-quoted: `$` must stay literal.
        format!("\"{}\"", escaped.replace('$', "$$"))
    } else {
        format!("\"{escaped}\"")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typographic_strings_are_found_on_their_line() {
        fn at(src: &str) -> Option<(Quote, &str, &str)> {
            typographic_at(src, 0).map(|(q, inner, end)| (q, inner, &src[end..]))
        }
        assert_eq!(
            at("“./migrate up” timeout 5m"),
            Some((Quote::Double, "./migrate up", " timeout 5m"))
        );
        assert_eq!(at("„Hallo Welt“"), Some((Quote::Double, "Hallo Welt", "")));
        assert_eq!(at("‘/tmp/x’;"), Some((Quote::Single, "/tmp/x", ";")));
        assert_eq!(at("“open\n”"), None);
        assert_eq!(at("“glued”x"), None);
        assert_eq!(at("“”"), None);
        assert_eq!(at("plain"), None);
    }

    #[test]
    fn the_straight_form_means_the_same() {
        assert_eq!(
            straight_quoted(Quote::Double, r#"say "hi" \o/"#),
            r#""say \"hi\" \\o/""#
        );
        assert_eq!(straight_quoted(Quote::Single, "echo $HOME"), "'echo $HOME'");
        assert_eq!(straight_quoted(Quote::Single, "it's $5"), r#""it's $$5""#);
    }
}
