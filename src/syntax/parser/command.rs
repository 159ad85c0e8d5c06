//! The command of `run` and `start`: a quoted shell string, or an argv list
//! `["./migrate", "up"]` that may span lines.

use super::clause::CLAUSE_KEYWORDS;
use super::cursor::{PResult, Parser, Token, exact, line_len};
use super::typographic::{straight_quoted, typographic_at};
use crate::syntax::ast::{CommandSpec, Quote, Text, TextPart};
use crate::syntax::codes;
use crate::syntax::{Applicability, Span, SyntaxError};

impl Parser<'_> {
    pub fn expect_command(&mut self, after: &str) -> PResult<CommandSpec> {
        match self.peek() {
            Token::Quoted => {
                let text = self.parse_quoted()?;
                self.reject_glued_quote(text.span.start());
                Ok(CommandSpec::Shell(text))
            }
            Token::Word if self.src.as_bytes().get(self.blank_end()) == Some(&b'[') => {
                self.parse_argv()
            }
            Token::Word => {
                let what = format!("the command after `{after}`");
                match self.accept_typographic(&what) {
                    Some(text) => Ok(CommandSpec::Shell(text)),
                    None => Ok(CommandSpec::Shell(self.parse_bare_command(after))),
                }
            }
            _ => {
                let what = format!(
                    "a command after `{after}`: a quoted string such as `\"./migrate up\"` \
                     or a list such as `[\"./migrate\", \"up\"]`"
                );
                let error = self.expected(codes::UNEXPECTED_TOKEN, &what);
                self.fail(error)
            }
        }
    }

    /// `run ./migrate up`: report it with a fix that quotes the words up to
    /// the first clause keyword, and go on as if they had been quoted.
    fn parse_bare_command(&mut self, after: &str) -> Text {
        let start = self.blank_end();
        let mut end = start;
        loop {
            match self.peek() {
                Token::Word => {
                    let Some((span, word)) = self.peek_word() else {
                        break;
                    };
                    if CLAUSE_KEYWORDS.contains(&word) {
                        break;
                    }
                    self.pos = span.end();
                }
                Token::Quoted => self.pos = self.token_span().end(),
                _ => break,
            }
            end = self.pos;
        }
        let span = Span::new(start, end);
        let written = span.slice(self.src);
        let (quoted, applicability) = as_quoted(written);
        let mut error = SyntaxError::new(
            codes::BARE_COMMAND,
            span,
            format!("the command after `{after}` must be quoted"),
        )
        .with_label("bare command")
        .with_help(format!(
            "write `{after} {quoted}` to run it with `sh -c`, or an argv list such as \
             `{after} [\"./migrate\", \"up\"]` to run it without a shell"
        ));
        if !written.contains('\n') {
            error = error.with_fix(applicability, span, quoted);
        }
        self.soft(error);
        Text {
            parts: Box::new([TextPart::Literal(written.into())]),
            quote: Quote::Double,
            span,
        }
    }

    /// `[` at the cursor: quoted items, comma separated, trailing comma allowed.
    fn parse_argv(&mut self) -> PResult<CommandSpec> {
        let open = self.blank_end();
        self.pos = open + 1;
        let mut args = std::mem::take(&mut self.scratch.args);
        args.clear();
        loop {
            self.skip_blank_lines();
            match self.byte() {
                Some(b']') => break,
                Some(b'"' | b'\'') => {
                    args.push(self.parse_quoted()?);
                    self.skip_blank_lines();
                    match self.byte() {
                        Some(b',') => self.pos += 1,
                        Some(b']') => break,
                        _ => {
                            let after_item = args.last().map(|a: &Text| a.span.end());
                            return self.argv_error(open, "`,` or `]`", after_item);
                        }
                    }
                }
                _ => return self.argv_error(open, "a quoted argument or `]`", None),
            }
        }
        self.pos += 1;
        let span = Span::new(open, self.pos);
        let mut buffer = args;
        let args = exact(&mut buffer);
        self.scratch.args = buffer;
        if args.is_empty() {
            self.soft(
                SyntaxError::new(codes::EMPTY_ARGV, span, "the argv list is empty")
                    .with_label("no program to run")
                    .with_help("name the program and its arguments: `[\"./migrate\", \"up\"]`"),
            );
        }
        Ok(CommandSpec::Argv {
            args: args.into_boxed_slice(),
            span,
        })
    }

    /// `after_item`: the end of the item before the error, where a comma
    /// may be missing.
    fn argv_error(
        &mut self,
        open: usize,
        expected: &str,
        after_item: Option<usize>,
    ) -> PResult<CommandSpec> {
        let mut at = self.token_span();
        // In a list, a bare item ends at `,` or `]`.
        let unquoted = self.peek() == Token::Word;
        if unquoted {
            let written = at.slice(self.src);
            let item_len = written.find([',', ']']).unwrap_or(written.len()).max(1);
            at = Span::new(at.start(), at.start() + item_len);
        }
        let found = if unquoted {
            format!("`{}`", super::cursor::shorten(at.slice(self.src)))
        } else {
            self.describe_found()
        };
        let mut error = SyntaxError::new(
            codes::MALFORMED_ARGV,
            at,
            format!("expected {expected} in the argv list, found {found}"),
        )
        .with_label(format!("expected {expected}"))
        .with_secondary(Span::new(open, open + 1), "the list starts here");
        let item = at.slice(self.src);
        if unquoted && !item.starts_with([',', ']']) {
            let (quoted, applicability) = match typographic_at(item, 0) {
                Some((quote, inner, end)) if end == item.len() => {
                    (straight_quoted(quote, inner), Applicability::Safe)
                }
                _ => as_quoted(item),
            };
            error = error
                .with_help(
                    "every item of an argv list is a quoted string: `[\"./migrate\", \"up\"]`",
                )
                .with_fix(applicability, at, quoted);
        }
        if let (Some(end), Token::Quoted) = (after_item, self.peek()) {
            error = error
                .with_help("separate the items with commas")
                .with_safe_fix(Span::empty(end), ",");
        }
        // A forgotten `]`: the list ran into the next line's statement.
        let line_start = self.src[..at.start()].rfind('\n').map_or(0, |i| i + 1);
        let first_on_line = self.src[line_start..at.start()].trim().is_empty();
        if first_on_line && line_start > open {
            error = error.with_help("the list is not closed: add `]` after the last item");
            error.fix = None;
            self.pos = open + line_len(&self.src[open..]);
        } else {
            self.pos = at.start();
        }
        self.fail(error)
    }
}

/// Bare words as one double-quoted string. Certain when nothing in them
/// reads differently inside quotes (no `$`, `\\` or quote).
fn as_quoted(written: &str) -> (String, Applicability) {
    let quoted = format!("\"{}\"", written.replace('\\', "\\\\").replace('"', "\\\""));
    let plain = !written.contains(['$', '\\', '"', '\'', '“', '”', '‘', '’', '„']);
    let applicability = if plain {
        Applicability::Safe
    } else {
        Applicability::Unsafe
    };
    (quoted, applicability)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_bare_words_is_certain_only_when_nothing_changes_meaning() {
        assert_eq!(
            as_quoted("./migrate up"),
            ("\"./migrate up\"".to_string(), Applicability::Safe)
        );
        assert_eq!(as_quoted("echo $HOME").1, Applicability::Unsafe);
        assert_eq!(as_quoted("a\\b").1, Applicability::Unsafe);
    }
}
