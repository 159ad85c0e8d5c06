//! Duration literals: one or more NUMBER UNIT groups (`250ms`, `1m30s`,
//! `1.5s`), kept in milliseconds rounded to the nearest one.

use super::cursor::{PResult, Parser, shorten};
use super::value::{Want, decimal};
use crate::syntax::ast::DurationLit;
use crate::syntax::codes;
use crate::syntax::{Applicability, Span, SyntaxError};
use nom::Parser as _;
use nom::character::complete::alpha0;

pub(crate) const UNITS: &[(&str, u128)] = &[
    ("ms", 1),
    ("s", 1_000),
    ("m", 60_000),
    ("h", 3_600_000),
    ("d", 86_400_000),
];

/// Spellings people write for the units, and the unit they mean.
const UNIT_ALIASES: &[(&[&str], &str)] = &[
    (
        &["msec", "msecs", "millis", "millisecond", "milliseconds"],
        "ms",
    ),
    (&["sec", "secs", "second", "seconds"], "s"),
    (&["min", "mins", "minute", "minutes"], "m"),
    (&["hr", "hrs", "hour", "hours"], "h"),
    (&["day", "days"], "d"),
];

/// One group: a number and the unit as written (maybe empty).
fn group(input: &str) -> nom::IResult<&str, (&str, &str)> {
    (decimal, alpha0).parse(input)
}

/// The groups of a duration, one at a time: most steps hold a duration, so
/// reading one allocates nothing. Stops at the first text that is no group.
fn groups(word: &str) -> impl Iterator<Item = (&str, &str)> {
    let mut rest = word;
    std::iter::from_fn(move || {
        let (after, found) = group(rest).ok()?;
        rest = after;
        Some(found)
    })
}

fn unit_millis(unit: &str) -> Option<u128> {
    UNITS.iter().find(|(u, _)| *u == unit).map(|(_, ms)| *ms)
}

fn unit_suggestion(unit: &str) -> Option<&'static str> {
    let lower = unit.to_ascii_lowercase();
    if let Some((known, _)) = UNITS.iter().find(|(u, _)| *u == lower) {
        return Some(known);
    }
    UNIT_ALIASES
        .iter()
        .find(|(spellings, _)| spellings.contains(&lower.as_str()))
        .map(|(_, unit)| *unit)
}

/// Why a word is not a duration.
#[derive(Debug, PartialEq)]
pub(crate) enum DurationError {
    /// Not shaped like a duration at all.
    Malformed,
    /// A number without unit, and the word with a unit added, if one is likely.
    MissingUnit(Option<Fixed>),
    /// A unit that is not known; the unit, and the fixed word if every unknown unit has a likely meaning.
    UnknownUnit(String, Option<Fixed>),
    Overflow,
}

/// A duration word with its units corrected, and how sure that is.
#[derive(Debug, PartialEq)]
pub(crate) struct Fixed {
    pub word: String,
    pub applicability: Applicability,
    /// The unit given to a last number without one (`s` for `30`, `m` for `1h30`).
    pub added_unit: Option<&'static str>,
}

/// The milliseconds a duration word stands for. One pass over the groups;
/// errors are told apart afterwards, in the order: not shaped like a
/// duration, then a wrong unit, then too large.
pub(crate) fn duration_millis(word: &str) -> Result<u64, DurationError> {
    let mut rest = word;
    let mut wrong_unit = false;
    let mut overflow = false;
    // Sum in nanoseconds so decimals round once, at the end.
    let mut total_nanos: u128 = 0;
    while let Ok((after, (number, unit))) = group(rest) {
        rest = after;
        match unit_millis(unit) {
            Some(unit_millis) => {
                match group_nanos(number, unit_millis * 1_000_000)
                    .and_then(|nanos| total_nanos.checked_add(nanos))
                {
                    Some(total) => total_nanos = total,
                    None => overflow = true,
                }
            }
            None => wrong_unit = true,
        }
    }
    if !rest.is_empty() || word.is_empty() {
        return Err(DurationError::Malformed);
    }
    if wrong_unit {
        return Err(unit_error(word));
    }
    let millis = (total_nanos + 500_000) / 1_000_000;
    match u64::try_from(millis) {
        Ok(millis) if !overflow => Ok(millis),
        _ => Err(DurationError::Overflow),
    }
}

/// `number` (`12` or `1.5`) times a unit, in nanoseconds; `None` on overflow.
fn group_nanos(number: &str, unit_nanos: u128) -> Option<u128> {
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    let whole = whole.trim_start_matches('0');
    if whole.len() > 30 {
        return None;
    }
    // At most 30 digits: the value fits, and `digits` cannot overflow.
    let whole_nanos = digits(whole).checked_mul(unit_nanos)?;
    if fraction.is_empty() {
        return Some(whole_nanos);
    }
    // Nine fractional digits are far below a millisecond of any unit.
    let fraction = &fraction[..fraction.len().min(9)];
    let scale = 10u128.pow(fraction.len() as u32);
    whole_nanos.checked_add(digits(fraction) * unit_nanos / scale)
}

/// The value of ASCII digits (at most 38 of them).
fn digits(text: &str) -> u128 {
    text.bytes()
        .fold(0, |value, digit| value * 10 + u128::from(digit - b'0'))
}

/// Why the units of a well-formed duration word are wrong, with the word
/// corrected: a known misspelling becomes its unit, a lone number gets `s`
/// (certain: SPEC's `30` → `30s`), and a last number after other groups
/// the next smaller unit (`1h30` → `1h30m`), which is only a guess.
fn unit_error(word: &str) -> DurationError {
    let mut fixed = String::new();
    let mut unknown = None;
    let mut all_fixable = true;
    let mut added_unit = None;
    let mut guessed = false;
    let mut previous: Option<&'static str> = None;
    for (number, unit) in groups(word) {
        fixed.push_str(number);
        let written = if unit.is_empty() {
            let added = match previous {
                None => Some("s"),
                Some(previous) => {
                    guessed = true;
                    next_smaller_unit(previous)
                }
            };
            added_unit = added;
            added
        } else if let Some(known) = UNITS.iter().find(|(u, _)| *u == unit) {
            Some(known.0)
        } else {
            unknown.get_or_insert_with(|| unit.to_string());
            unit_suggestion(unit)
        };
        match written {
            Some(unit) => fixed.push_str(unit),
            None => all_fixable = false,
        }
        previous = written.or(previous);
    }
    let fixed = all_fixable.then_some(Fixed {
        word: fixed,
        applicability: if guessed {
            Applicability::Unsafe
        } else {
            Applicability::Safe
        },
        added_unit,
    });
    match unknown {
        Some(unit) => DurationError::UnknownUnit(unit, fixed),
        None if added_unit.is_some() || guessed => DurationError::MissingUnit(fixed),
        None => DurationError::Malformed,
    }
}

/// The unit after `unit` in `1h30m`-style compounds; none after `ms`.
fn next_smaller_unit(unit: &str) -> Option<&'static str> {
    let at = UNITS.iter().position(|(u, _)| *u == unit)?;
    at.checked_sub(1).map(|smaller| UNITS[smaller].0)
}

fn unit_name(unit: &str) -> &'static str {
    match unit {
        "ms" => "milliseconds",
        "s" => "seconds",
        "m" => "minutes",
        "h" => "hours",
        _ => "days",
    }
}

impl Parser<'_> {
    /// A duration after `after` (a keyword, for the message).
    pub fn expect_duration(&mut self, after: &str) -> PResult<DurationLit> {
        let what = Want::new("a duration such as `30s`", after);
        let (span, word) = match self.expect_literal_word(codes::INVALID_DURATION, &what)? {
            Ok(word) => word,
            Err(span) => return Ok(DurationLit { millis: None, span }),
        };
        let millis = match duration_millis(word) {
            Ok(millis) => Some(millis),
            Err(DurationError::MissingUnit(_)) if self.split_unit(span, word) => None,
            Err(error) => {
                self.soft(duration_error(error, span, word));
                None
            }
        };
        Ok(DurationLit { millis, span })
    }

    /// `30 s`: a number, a blank, then a unit. Report it once, with the fix
    /// that joins them, and consume the unit. Returns whether it was so.
    fn split_unit(&mut self, number: Span, word: &str) -> bool {
        let Some((unit_span, unit)) = self.peek_word() else {
            return false;
        };
        let Some(known) = unit_suggestion(unit) else {
            return false;
        };
        self.pos = unit_span.end();
        let span = number.to(unit_span);
        let fixed = format!("{word}{known}");
        self.soft(
            SyntaxError::new(
                codes::DURATION_WITHOUT_UNIT,
                span,
                format!(
                    "expected a duration such as `30s`, found `{word}` followed by `{}`",
                    shorten(unit)
                ),
            )
            .with_label("number and unit are apart")
            .with_help(format!("write the unit right after the number: `{fixed}`"))
            .with_safe_fix(span, fixed),
        );
        true
    }
}

fn duration_error(error: DurationError, span: Span, word: &str) -> SyntaxError {
    const UNIT_HELP: &str = "units: `ms`, `s`, `m`, `h`, `d`; combine them as in `1m30s`";
    match error {
        DurationError::Malformed => SyntaxError::new(
            codes::INVALID_DURATION,
            span,
            format!(
                "expected a duration such as `30s`, found `{}`",
                shorten(word)
            ),
        )
        .with_label("not a duration")
        .with_help(format!(
            "write a number with a unit, e.g. `250ms`, `30s`, `1.5m`; {UNIT_HELP}"
        )),
        DurationError::MissingUnit(fixed) => {
            let error = SyntaxError::new(
                codes::DURATION_WITHOUT_UNIT,
                span,
                format!("expected a duration such as `30s`, found `{word}`"),
            )
            .with_label("no unit");
            match fixed {
                Some(fixed) => {
                    let unit = unit_name(fixed.added_unit.unwrap_or("s"));
                    let help = if fixed.applicability == Applicability::Safe {
                        format!(
                            "durations always carry a unit: write `{}` for {unit} ({UNIT_HELP})",
                            fixed.word
                        )
                    } else {
                        format!(
                            "durations always carry a unit, also the last number: `{}` if you \
                             mean {unit} ({UNIT_HELP})",
                            fixed.word
                        )
                    };
                    error
                        .with_help(help)
                        .with_fix(fixed.applicability, span, fixed.word)
                }
                None => error.with_help(format!(
                    "durations always carry a unit, also the last number ({UNIT_HELP})"
                )),
            }
        }
        DurationError::UnknownUnit(unit, fixed) => {
            let error = SyntaxError::new(
                codes::UNKNOWN_DURATION_UNIT,
                span,
                format!("unknown duration unit `{}` in `{word}`", shorten(&unit)),
            )
            .with_label("unknown unit");
            match fixed {
                Some(fixed) => error
                    .with_help(format!("did you mean `{}`? {UNIT_HELP}", fixed.word))
                    .with_fix(fixed.applicability, span, fixed.word),
                None => error.with_help(UNIT_HELP),
            }
        }
        DurationError::Overflow => SyntaxError::new(
            codes::DURATION_OVERFLOW,
            span,
            format!("the duration `{}` is too large", shorten(word)),
        )
        .with_label("too large")
        .with_help("a duration must fit in 2^64 - 1 milliseconds (about 584 million years)"),
    }
}

#[cfg(test)]
#[path = "duration_tests.rs"]
mod tests;
