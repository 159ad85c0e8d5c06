//! Text values: bare words, `"double"` strings with escapes, `'single'` raw
//! strings, and `${...}` interpolation inside bare words and double strings.

use super::cursor::{PResult, Parser, Scratch, Token, closing_quote, exact, interpolation_close};
use crate::syntax::ast::{Fallback, Quote, Text, TextPart, VarRef};
use crate::syntax::codes;
use crate::syntax::{Span, SyntaxError};
use memchr::{memchr, memchr2};
use nom::Parser as _;
use nom::bytes::complete::take_while;
use nom::character::complete::{char, hex_digit1, satisfy};
use nom::combinator::recognize;
use nom::sequence::{delimited, pair};

/// `[A-Za-z_][A-Za-z0-9_]*`, the name of an environment variable.
pub(crate) fn var_name(input: &str) -> nom::IResult<&str, &str> {
    recognize(pair(
        satisfy(|c| c.is_ascii_alphabetic() || c == '_'),
        take_while(|c: char| c.is_ascii_alphanumeric() || c == '_'),
    ))
    .parse(input)
}

/// Whether `name` is a whole variable name, as `${NAME}` accepts it.
pub fn is_var_name(name: &str) -> bool {
    nom::combinator::all_consuming(var_name).parse(name).is_ok()
}

/// `u{HEX}` after the backslash: the hex digits.
fn unicode_escape(input: &str) -> nom::IResult<&str, &str> {
    delimited((char('u'), char('{')), hex_digit1, char('}')).parse(input)
}

/// Collects literal text and variables, merging adjacent literal runs, in
/// buffers borrowed from the parser's scratch.
struct PartsBuilder {
    parts: Vec<TextPart>,
    literal: String,
}

impl PartsBuilder {
    fn borrow(scratch: &mut Scratch) -> Self {
        let mut builder = PartsBuilder {
            parts: std::mem::take(&mut scratch.parts),
            literal: std::mem::take(&mut scratch.literal),
        };
        builder.parts.clear();
        builder.literal.clear();
        builder
    }

    fn push_str(&mut self, s: &str) {
        self.literal.push_str(s);
    }

    fn push_var(&mut self, var: VarRef) {
        self.flush();
        self.parts.push(TextPart::Var(Box::new(var)));
    }

    fn flush(&mut self) {
        if !self.literal.is_empty() {
            // A copy at the exact size; the buffer is kept for the next run.
            self.parts
                .push(TextPart::Literal(self.literal.as_str().into()));
            self.literal.clear();
        }
    }

    /// The parts; the buffers go back to `scratch`.
    fn finish(mut self, scratch: &mut Scratch) -> Vec<TextPart> {
        self.flush();
        let parts = exact(&mut self.parts);
        scratch.parts = self.parts;
        scratch.literal = self.literal;
        parts
    }
}

impl Parser<'_> {
    /// A bare word or a quoted string; `what` names it in the error.
    pub fn expect_text(&mut self, what: &str) -> PResult<Text> {
        match self.peek() {
            Token::Word => {
                if let Some(text) = self.accept_typographic("the value") {
                    return Ok(text);
                }
                let text = self.parse_bare_text();
                self.reject_glued_quote(text.span.start());
                Ok(text)
            }
            Token::Quoted => {
                let text = self.parse_quoted()?;
                self.reject_glued_quote(text.span.start());
                Ok(text)
            }
            _ => {
                let error = self.expected(codes::UNEXPECTED_TOKEN, what);
                self.fail(error)
            }
        }
    }

    /// The bare word at the cursor, decoded.
    pub fn parse_bare_text(&mut self) -> Text {
        let start = self.blank_end();
        let end = self.word_end(start);
        self.pos = end;
        self.decode(Span::new(start, end), Quote::Bare)
    }

    /// The quoted string at the cursor (which is at `"` or `'`).
    pub fn parse_quoted(&mut self) -> PResult<Text> {
        self.skip_blank();
        let start = self.pos;
        let quote = if self.byte() == Some(b'\'') {
            Quote::Single
        } else {
            Quote::Double
        };
        let Some(close) = closing_quote(self.src, start) else {
            let line_end = start + super::cursor::line_len(&self.src[start..]);
            let error = SyntaxError::new(
                codes::UNTERMINATED_STRING,
                Span::new(start, line_end),
                "this string is not closed before the end of the line",
            )
            .with_label("string starts here")
            .with_help("close it with the same quote; strings cannot span lines (write `\\n` for a newline)");
            self.pos = line_end;
            return self.fail(error);
        };
        self.pos = close + 1;
        Ok(self.decode(Span::new(start, close + 1), quote))
    }

    /// Decode the text in `span` (quotes included when quoted).
    fn decode(&mut self, span: Span, quote: Quote) -> Text {
        let (body_start, body_end) = match quote {
            Quote::Bare => (span.start(), span.end()),
            Quote::Double | Quote::Single => (span.start() + 1, span.end() - 1),
        };
        let body = &self.src[body_start..body_end];
        // Most text holds no `$` and no escape: one literal part, copied
        // once, with no builder.
        let plain = match quote {
            Quote::Single => true,
            Quote::Bare => memchr(b'$', body.as_bytes()).is_none(),
            Quote::Double => memchr2(b'$', b'\\', body.as_bytes()).is_none(),
        };
        if plain {
            let parts: Box<[TextPart]> = match body {
                "" => Box::default(),
                _ => Box::new([TextPart::Literal(body.into())]),
            };
            return Text { parts, quote, span };
        }
        let mut parts = PartsBuilder::borrow(&mut self.scratch);
        let mut i = body_start;
        while i < body_end {
            let rest = &self.src[i..body_end];
            if rest.starts_with("$$") {
                parts.push_str("$");
                i += 2;
            } else if rest.starts_with("${") {
                let (var, next) = self.parse_var(i, body_end);
                if let Some(var) = var {
                    parts.push_var(var);
                }
                i = next;
            } else if quote == Quote::Double && rest.starts_with('\\') {
                i = self.decode_escape(i, body_end, &mut parts);
            } else {
                // Up to the next `$` or `\`; when `rest` starts with one of
                // them (a lone `$`, or `\` in a bare word) take that ASCII char.
                let run = memchr2(b'$', b'\\', rest.as_bytes())
                    .unwrap_or(rest.len())
                    .max(1);
                parts.push_str(&rest[..run]);
                i += run;
            }
        }
        Text {
            parts: parts.finish(&mut self.scratch).into_boxed_slice(),
            quote,
            span,
        }
    }

    /// `\x` at `at`: push the decoded char; returns the offset after it.
    fn decode_escape(&mut self, at: usize, end: usize, parts: &mut PartsBuilder) -> usize {
        let rest = &self.src[at + 1..end];
        let Some(c) = rest.chars().next() else {
            return end;
        };
        let simple = match c {
            '"' => Some('"'),
            '\\' => Some('\\'),
            'n' => Some('\n'),
            't' => Some('\t'),
            'r' => Some('\r'),
            '0' => Some('\0'),
            '$' => Some('$'),
            _ => None,
        };
        if let Some(decoded) = simple {
            parts.push_str(decoded.encode_utf8(&mut [0; 4]));
            return at + 2;
        }
        if c == 'u' {
            return self.decode_unicode_escape(at, rest, parts);
        }
        let span = Span::new(at, at + 1 + c.len_utf8());
        self.soft(
            SyntaxError::new(
                codes::INVALID_ESCAPE,
                span,
                format!("unknown escape `\\{c}`"),
            )
            .with_label("not a known escape")
            .with_help(
                "known escapes: `\\\"` `\\\\` `\\n` `\\t` `\\r` `\\0` `\\$` `\\u{HEX}`; \
                 write `\\\\` for a backslash, or use a 'single-quoted' raw string",
            )
            .with_unsafe_fix(Span::new(at, at + 1), "\\\\"),
        );
        at + 1 + c.len_utf8()
    }

    fn decode_unicode_escape(&mut self, at: usize, rest: &str, parts: &mut PartsBuilder) -> usize {
        let decoded = unicode_escape(rest).ok().and_then(|(after, hex)| {
            let scalar = (hex.len() <= 6)
                .then(|| u32::from_str_radix(hex, 16).ok())
                .flatten()
                .and_then(char::from_u32)?;
            Some((rest.len() - after.len(), scalar))
        });
        match decoded {
            Some((len, scalar)) => {
                parts.push_str(scalar.encode_utf8(&mut [0; 4]));
                at + 1 + len
            }
            None => {
                // Point at `\u{...}` up to its `}` if there is one.
                let len = rest.find('}').map_or(1, |i| i + 1);
                let span = Span::new(at, at + 1 + len);
                self.soft(
                    SyntaxError::new(
                        codes::INVALID_UNICODE_ESCAPE,
                        span,
                        format!("invalid unicode escape `{}`", span.slice(self.src)),
                    )
                    .with_label("not a Unicode scalar value")
                    .with_help("write `\\u{HEX}` with 1 to 6 hex digits naming a Unicode scalar value, e.g. `\\u{e9}`"),
                );
                at + 1 + len
            }
        }
    }

    /// `${...}` at `at` (body ends at `end`): the variable, or `None` after
    /// reporting it; and the offset after it.
    fn parse_var(&mut self, at: usize, end: usize) -> (Option<VarRef>, usize) {
        let inner_start = at + 2;
        let Some(close) = interpolation_close(&self.src[inner_start..end]) else {
            let span = Span::new(at, end);
            self.soft(
                SyntaxError::new(codes::MALFORMED_INTERPOLATION, span, "`${` is not closed")
                    .with_label("missing `}`")
                    .with_help("write `${NAME}`, `${NAME:-default}` or `${NAME:?message}`; `$$` is a literal `$`"),
            );
            return (None, end);
        };
        let span = Span::new(at, inner_start + close + 1);
        let inner = &self.src[inner_start..inner_start + close];
        let parsed = var_name(inner).ok().and_then(|(after, name)| {
            let fallback = if after.is_empty() {
                Fallback::None
            } else if let Some(default) = after.strip_prefix(":-") {
                Fallback::Default(default.to_string())
            } else if let Some(message) = after.strip_prefix(":?") {
                Fallback::Error(message.to_string())
            } else {
                return None;
            };
            Some(VarRef {
                name: name.to_string(),
                fallback,
                span,
            })
        });
        if parsed.is_none() {
            // `${NAME:default}` is a `${NAME:-default}` missing its `-`.
            let missing_dash = match var_name(inner) {
                Ok((after, name))
                    if after.starts_with(':') && !after[1..].starts_with(['-', '?']) =>
                {
                    Some(Span::empty(inner_start + name.len() + 1))
                }
                _ => None,
            };
            let what = match var_name(inner) {
                _ if inner.is_empty() => "an empty variable name".to_string(),
                Ok((after, _)) => format!("unknown operator `{}`", super::cursor::shorten(after)),
                Err(_) => format!("invalid variable name `{}`", super::cursor::shorten(inner)),
            };
            let mut error = SyntaxError::new(
                codes::MALFORMED_INTERPOLATION,
                span,
                format!("malformed interpolation: {what}"),
            )
            .with_label("malformed `${...}`")
            .with_help(
                "write `${NAME}`, `${NAME:-default}` or `${NAME:?message}` with NAME = \
                 [A-Za-z_][A-Za-z0-9_]*; `$$` is a literal `$`",
            );
            if let Some(at) = missing_dash {
                error = error
                    .with_help("a default value is written `${NAME:-default}`")
                    .with_safe_fix(at, "-");
            }
            self.soft(error);
        }
        (parsed, span.end())
    }
}
