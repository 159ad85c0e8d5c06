//! Literal values: counts, decimals, jitter percentages, HTTP status lists and
//! step ids. None of them may hold `${...}`: the plan is checked statically.

use super::cursor::{PResult, Parser, Token, shorten};
use crate::syntax::ast::StatusSpec;
use crate::syntax::ast::{Literal, StatusItem};
use crate::syntax::codes;
use crate::syntax::{Span, Spanned, SyntaxError};
use nom::Parser as _;
use nom::branch::alt;
use nom::bytes::complete::{tag, take_while};
use nom::character::complete::{char, digit1, satisfy};
use nom::combinator::{all_consuming, map, map_opt, opt, recognize};
use nom::multi::separated_list1;
use nom::sequence::{pair, separated_pair, terminated};

/// Longest step id, so ids stay usable as names elsewhere (e.g. DNS labels).
pub(crate) const MAX_STEP_ID_LEN: usize = 63;

/// `[A-Za-z0-9][A-Za-z0-9_.-]*`
pub(crate) fn step_id(input: &str) -> nom::IResult<&str, &str> {
    recognize(pair(
        satisfy(|c| c.is_ascii_alphanumeric()),
        take_while(|c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-')),
    ))
    .parse(input)
}

/// `12` or `1.5`.
pub(crate) fn decimal(input: &str) -> nom::IResult<&str, &str> {
    recognize((digit1, opt((char('.'), digit1)))).parse(input)
}

/// Whether `word` is a step id that `as` accepts: the grammar and the length limit.
pub fn is_step_id(word: &str) -> bool {
    word.len() <= MAX_STEP_ID_LEN && all_consuming(step_id).parse(word).is_ok()
}

fn status_code(input: &str) -> nom::IResult<&str, u16> {
    map_opt(digit1, |d: &str| d.parse().ok()).parse(input)
}

fn status_item(input: &str) -> nom::IResult<&str, StatusItem> {
    alt((
        map(
            terminated(satisfy(|c| c.is_ascii_digit()), tag("xx")),
            |d| StatusItem::Class(d as u16 - '0' as u16),
        ),
        map(
            separated_pair(status_code, tag(".."), status_code),
            |(lo, hi)| StatusItem::Range(lo, hi),
        ),
        map(status_code, StatusItem::Code),
    ))
    .parse(input)
}

/// `200,204`, `200..299`, `2xx`, with the byte range of each item.
fn status_list(input: &str) -> nom::IResult<&str, Vec<(usize, usize, StatusItem)>> {
    let offset = |rest: &str| input.len() - rest.len();
    let item_at = |i| -> nom::IResult<&str, (usize, usize, StatusItem)> {
        let (rest, item) = status_item(i)?;
        Ok((rest, (offset(i), offset(rest), item)))
    };
    all_consuming(separated_list1(char(','), item_at)).parse(input)
}

/// What a literal value should be, e.g. "a duration such as `30s` after
/// `timeout`". Kept unformatted: values are read far more often than they
/// are wrong, and the message is only needed for an error.
pub(crate) struct Want<'a> {
    what: &'static str,
    after: &'a str,
}

impl<'a> Want<'a> {
    pub fn new(what: &'static str, after: &'a str) -> Self {
        Want { what, after }
    }
}

impl std::fmt::Display for Want<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} after `{}`", self.what, self.after)
    }
}

impl<'s> Parser<'s> {
    /// A bare word that must be a literal. `Ok(Err(span))` when an error was
    /// recorded and the token skipped; `Err` when no value is there at all.
    pub fn expect_literal_word(
        &mut self,
        code: &'static str,
        what: &Want,
    ) -> PResult<Result<(Span, &'s str), Span>> {
        match self.peek() {
            Token::Word => {
                let (span, word) = self.peek_word().unwrap_or_default();
                self.pos = span.end();
                self.reject_glued_quote(span.start());
                if word.as_bytes().windows(2).any(|pair| pair == b"${") {
                    self.soft(
                        SyntaxError::new(
                            codes::INTERPOLATION_NOT_ALLOWED,
                            span,
                            format!(
                                "expected {what}, found the interpolation `{}`",
                                shorten(word)
                            ),
                        )
                        .with_label("`${...}` is not allowed here")
                        .with_help(
                            "durations, numbers, status codes and step ids must be written \
                             literally so the plan can be checked before it runs",
                        ),
                    );
                    return Ok(Err(span));
                }
                Ok(Ok((span, word)))
            }
            Token::Quoted => {
                let span = self.token_span();
                let found = shorten(span.slice(self.src));
                self.pos = span.end();
                self.soft(
                    SyntaxError::new(code, span, format!("expected {what}, found `{found}`"))
                        .with_label("a quoted string is not allowed here")
                        .with_help("write the value without quotes"),
                );
                Ok(Err(span))
            }
            _ => {
                let error = self.expected(code, &what.to_string());
                self.fail(error)
            }
        }
    }

    /// A count: a non-negative whole number.
    pub fn expect_count(&mut self, after: &str) -> PResult<Spanned<u64>> {
        let what = Want::new("a count (a whole number such as `3`)", after);
        let (span, word) = match self.expect_literal_word(codes::INVALID_NUMBER, &what)? {
            Ok(word) => word,
            Err(span) => return Ok(Spanned::new(0, span)),
        };
        if all_consuming(digit1::<&str, nom::error::Error<&str>>)
            .parse(word)
            .is_err()
        {
            self.soft(
                SyntaxError::new(
                    codes::INVALID_NUMBER,
                    span,
                    format!("expected {what}, found `{}`", shorten(word)),
                )
                .with_label("not a whole number")
                .with_help("write the count in digits, without sign or decimals"),
            );
            return Ok(Spanned::new(0, span));
        }
        match word.parse::<u64>() {
            Ok(n) => Ok(Spanned::new(n, span)),
            Err(_) => {
                self.soft(number_overflow(span, word));
                Ok(Spanned::new(0, span))
            }
        }
    }

    /// A count, if the next word looks like one (a digit or a sign first).
    pub fn accept_count(&mut self, after: &str) -> PResult<Option<Spanned<u64>>> {
        match self.peek_word() {
            Some((_, word))
                if word.starts_with(|c: char| c.is_ascii_digit() || c == '-' || c == '+') =>
            {
                self.expect_count(after).map(Some)
            }
            _ => Ok(None),
        }
    }

    /// A decimal such as `2` or `1.5`.
    pub fn expect_decimal(&mut self, after: &str) -> PResult<Spanned<f64>> {
        let what = Want::new("a number such as `2` or `1.5`", after);
        let (span, word) = match self.expect_literal_word(codes::INVALID_NUMBER, &what)? {
            Ok(word) => word,
            Err(span) => return Ok(Spanned::new(0.0, span)),
        };
        Ok(Spanned::new(self.decimal_value(span, word, &what), span))
    }

    fn decimal_value(&mut self, span: Span, word: &str, what: &Want) -> f64 {
        if all_consuming(decimal).parse(word).is_err() {
            self.soft(
                SyntaxError::new(
                    codes::INVALID_NUMBER,
                    span,
                    format!("expected {what}, found `{}`", shorten(word)),
                )
                .with_label("not a number"),
            );
            return 0.0;
        }
        match word.parse::<f64>() {
            Ok(value) if value.is_finite() => value,
            _ => {
                self.soft(number_overflow(span, word));
                0.0
            }
        }
    }

    /// A percentage such as `25%`.
    pub fn expect_percent(&mut self, after: &str) -> PResult<Spanned<f64>> {
        let what = Want::new("a percentage such as `25%`", after);
        let (span, word) = match self.expect_literal_word(codes::INVALID_NUMBER, &what)? {
            Ok(word) => word,
            Err(span) => return Ok(Spanned::new(0.0, span)),
        };
        match word.strip_suffix('%') {
            Some(number) => Ok(Spanned::new(self.decimal_value(span, number, &what), span)),
            None if all_consuming(decimal).parse(word).is_ok() => {
                self.soft(
                    SyntaxError::new(
                        codes::JITTER_WITHOUT_PERCENT,
                        span,
                        format!("expected a percentage such as `25%`, found `{word}`"),
                    )
                    .with_label("missing `%`")
                    .with_help(format!(
                        "jitter is a percentage of each delay: write `{word}%`"
                    ))
                    .with_safe_fix(span, format!("{word}%")),
                );
                Ok(Spanned::new(0.0, span))
            }
            None => Ok(Spanned::new(self.decimal_value(span, word, &what), span)),
        }
    }

    /// `status S`: a comma-separated list of codes, ranges and classes.
    pub fn expect_status(&mut self) -> PResult<StatusSpec> {
        let what = Want::new("a status such as `200`, `200..299` or `2xx`", "status");
        let (span, word) = match self.expect_literal_word(codes::INVALID_STATUS, &what)? {
            Ok(word) => word,
            Err(span) => {
                return Ok(StatusSpec {
                    items: Vec::new(),
                    span,
                });
            }
        };
        match status_list(word) {
            Ok((_, items)) => Ok(StatusSpec {
                items: items
                    .into_iter()
                    .map(|(s, e, item)| {
                        Spanned::new(item, Span::new(span.start() + s, span.start() + e))
                    })
                    .collect(),
                span,
            }),
            Err(_) => {
                self.soft(
                    SyntaxError::new(
                        codes::INVALID_STATUS,
                        span,
                        format!("expected {what}, found `{}`", shorten(word)),
                    )
                    .with_label("not a status list")
                    .with_help(
                        "write codes (`200`), inclusive ranges (`200..299`) or classes (`2xx`), \
                         separated by commas without spaces: `200,204,3xx`",
                    ),
                );
                Ok(StatusSpec {
                    items: Vec::new(),
                    span,
                })
            }
        }
    }

    /// A step id: `as NAME`, and the service of `wait log NAME` / `by NAME`.
    pub fn expect_step_id(
        &mut self,
        after: &str,
        expected: &'static str,
    ) -> PResult<Spanned<Literal>> {
        let what = Want::new(expected, after);
        let (span, word) = match self.expect_literal_word(codes::INVALID_STEP_ID, &what)? {
            Ok(word) => word,
            Err(span) => return Ok(Spanned::new(Literal::default(), span)),
        };
        let valid = all_consuming(step_id).parse(word).is_ok();
        if !valid || word.len() > MAX_STEP_ID_LEN {
            let problem = if valid {
                format!(
                    "the step id is {} characters long; the limit is {MAX_STEP_ID_LEN}",
                    word.len()
                )
            } else {
                format!("invalid step id `{}`", shorten(word))
            };
            let mut error = SyntaxError::new(codes::INVALID_STEP_ID, span, problem)
                .with_label("invalid step id")
                .with_help(format!(
                    "a step id starts with a letter or digit and holds only letters, digits, \
                     `_`, `.` and `-`, at most {MAX_STEP_ID_LEN} characters"
                ));
            if let Some(fixed) = sanitized_step_id(word) {
                error = error
                    .with_help(format!("use only the allowed characters, e.g. `{fixed}`"))
                    .with_unsafe_fix(span, fixed);
            }
            self.soft(error);
        }
        Ok(Spanned::new(word.into(), span))
    }
}

/// `word` with every run of disallowed characters turned into `-`, trimmed
/// and cut to the length limit, if that leaves a valid id.
fn sanitized_step_id(word: &str) -> Option<String> {
    let mut out = String::new();
    for c in word.chars() {
        if c.is_ascii_alphanumeric() || matches!(c, '_' | '.') {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let out: String = out
        .trim_matches(|c| c == '-' || c == '_' || c == '.')
        .chars()
        .take(MAX_STEP_ID_LEN)
        .collect();
    let valid = all_consuming(step_id).parse(out.as_str()).is_ok();
    valid.then_some(out)
}

fn number_overflow(span: Span, word: &str) -> SyntaxError {
    SyntaxError::new(
        codes::NUMBER_OVERFLOW,
        span,
        format!("the number `{}` is too large", shorten(word)),
    )
    .with_label("too large")
    .with_help("counts must fit in 64 bits (at most 18446744073709551615)")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_lists() {
        let (_, items) = status_list("200,200..299,2xx").expect("valid");
        assert_eq!(
            items,
            vec![
                (0, 3, StatusItem::Code(200)),
                (4, 12, StatusItem::Range(200, 299)),
                (13, 16, StatusItem::Class(2)),
            ]
        );
        for bad in ["", "2xx,", "200..", "abc", "99999", "200 ", "2x"] {
            assert!(status_list(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn invalid_ids_are_sanitized() {
        assert_eq!(
            sanitized_step_id("db:primary").as_deref(),
            Some("db-primary")
        );
        assert_eq!(sanitized_step_id("--x//y").as_deref(), Some("x-y"));
        assert_eq!(sanitized_step_id("é").as_deref(), None);
        assert_eq!(
            sanitized_step_id(&"a".repeat(70)).map(|s| s.len()),
            Some(MAX_STEP_ID_LEN)
        );
    }

    #[test]
    fn step_ids() {
        for good in ["db", "db-ready", "0step", "a.b_c-d"] {
            assert!(all_consuming(step_id).parse(good).is_ok(), "{good}");
        }
        for bad in ["-db", "_x", "a/b", "é"] {
            assert!(all_consuming(step_id).parse(bad).is_err(), "{bad}");
        }
    }
}
