//! Duration literals: one or more NUMBER UNIT groups (`250ms`, `1m30s`,
//! `1.5s`), kept in milliseconds rounded to the nearest one.

use super::cursor::{PResult, Parser, shorten};
use crate::syntax::ast::DurationLit;
use crate::syntax::codes;
use crate::syntax::{Span, SyntaxError};
use nom::Parser as _;
use nom::character::complete::{alpha0, char, digit1};
use nom::combinator::{opt, recognize};
use nom::multi::many1;

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

/// `12` or `1.5`.
pub(crate) fn decimal(input: &str) -> nom::IResult<&str, &str> {
    recognize((digit1, opt((char('.'), digit1)))).parse(input)
}

/// The groups of a duration: `(number, unit as written)`.
fn groups(input: &str) -> nom::IResult<&str, Vec<(&str, &str)>> {
    many1((decimal, alpha0)).parse(input)
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
    /// A number without unit; the word with the unit `s` added.
    MissingUnit(String),
    /// A unit that is not known; the unit, and the fixed word if every unknown unit has a likely meaning.
    UnknownUnit(String, Option<String>),
    Overflow,
}

/// The milliseconds a duration word stands for.
pub(crate) fn duration_millis(word: &str) -> Result<u64, DurationError> {
    let Ok(("", groups)) = groups(word) else {
        return Err(DurationError::Malformed);
    };
    // The word with every unit corrected: a missing last unit becomes `s`,
    // a known misspelling its unit.
    let mut fixed = String::new();
    let mut unknown = None;
    let mut all_fixable = true;
    let mut missing_unit = false;
    for (number, unit) in &groups {
        fixed.push_str(number);
        if unit.is_empty() {
            missing_unit = true;
            fixed.push('s');
        } else if unit_millis(unit).is_some() {
            fixed.push_str(unit);
        } else {
            unknown.get_or_insert_with(|| unit.to_string());
            match unit_suggestion(unit) {
                Some(known) => fixed.push_str(known),
                None => all_fixable = false,
            }
        }
    }
    if let Some(unit) = unknown {
        return Err(DurationError::UnknownUnit(
            unit,
            all_fixable.then_some(fixed),
        ));
    }
    if missing_unit {
        return Err(DurationError::MissingUnit(fixed));
    }
    // Sum in nanoseconds so decimals round once, at the end.
    let mut total_nanos: u128 = 0;
    for (number, unit) in &groups {
        let unit_nanos = unit_millis(unit).unwrap_or(0) * 1_000_000;
        let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
        let whole = whole.trim_start_matches('0');
        if whole.len() > 30 {
            return Err(DurationError::Overflow);
        }
        let whole: u128 = if whole.is_empty() {
            0
        } else {
            whole.parse().map_err(|_| DurationError::Overflow)?
        };
        // Nine fractional digits are far below a millisecond of any unit.
        let fraction = &fraction[..fraction.len().min(9)];
        let scale = 10u128.pow(fraction.len() as u32);
        let fraction: u128 = if fraction.is_empty() {
            0
        } else {
            fraction.parse().unwrap_or(0)
        };
        let nanos = whole
            .checked_mul(unit_nanos)
            .and_then(|n| n.checked_add(fraction * unit_nanos / scale))
            .ok_or(DurationError::Overflow)?;
        total_nanos = total_nanos
            .checked_add(nanos)
            .ok_or(DurationError::Overflow)?;
    }
    let millis = (total_nanos + 500_000) / 1_000_000;
    u64::try_from(millis).map_err(|_| DurationError::Overflow)
}

impl Parser<'_> {
    /// A duration after `after` (a keyword, for the message).
    pub fn expect_duration(&mut self, after: &str) -> PResult<DurationLit> {
        let what = format!("a duration such as `30s` after `{after}`");
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
        self.pos = unit_span.end;
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
            .with_fix(span, fixed),
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
        DurationError::MissingUnit(fixed) => SyntaxError::new(
            codes::DURATION_WITHOUT_UNIT,
            span,
            format!("expected a duration such as `30s`, found `{word}`"),
        )
        .with_label("no unit")
        .with_help(format!(
            "durations always carry a unit: write `{fixed}` for seconds ({UNIT_HELP})"
        ))
        .with_fix(span, fixed),
        DurationError::UnknownUnit(unit, fixed) => {
            let error = SyntaxError::new(
                codes::UNKNOWN_DURATION_UNIT,
                span,
                format!("unknown duration unit `{}` in `{word}`", shorten(&unit)),
            )
            .with_label("unknown unit");
            match fixed {
                Some(fixed) => error
                    .with_help(format!("did you mean `{fixed}`? {UNIT_HELP}"))
                    .with_fix(span, fixed),
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
mod tests {
    use super::*;

    #[test]
    fn units_and_compounds() {
        assert_eq!(duration_millis("250ms"), Ok(250));
        assert_eq!(duration_millis("30s"), Ok(30_000));
        assert_eq!(duration_millis("5m"), Ok(300_000));
        assert_eq!(duration_millis("2h"), Ok(7_200_000));
        assert_eq!(duration_millis("1d"), Ok(86_400_000));
        assert_eq!(duration_millis("1m30s"), Ok(90_000));
        assert_eq!(duration_millis("1h2m3s500ms"), Ok(3_723_500));
        assert_eq!(duration_millis("1.5s"), Ok(1_500));
        assert_eq!(duration_millis("0.0005s"), Ok(1));
        assert_eq!(duration_millis("0.0004s"), Ok(0));
    }

    #[test]
    fn errors() {
        assert_eq!(
            duration_millis("30"),
            Err(DurationError::MissingUnit("30s".into()))
        );
        assert_eq!(
            duration_millis("1m30"),
            Err(DurationError::MissingUnit("1m30s".into()))
        );
        assert_eq!(
            duration_millis("5min"),
            Err(DurationError::UnknownUnit("min".into(), Some("5m".into())))
        );
        assert_eq!(
            duration_millis("1min30sec"),
            Err(DurationError::UnknownUnit(
                "min".into(),
                Some("1m30s".into())
            ))
        );
        assert_eq!(
            duration_millis("3us"),
            Err(DurationError::UnknownUnit("us".into(), None))
        );
        assert_eq!(duration_millis("s30"), Err(DurationError::Malformed));
        assert_eq!(duration_millis("1.s"), Err(DurationError::Malformed));
        assert_eq!(duration_millis("-1s"), Err(DurationError::Malformed));
        assert_eq!(duration_millis("18446744073709551615ms"), Ok(u64::MAX));
        assert_eq!(
            duration_millis("18446744073709551616ms"),
            Err(DurationError::Overflow)
        );
        assert_eq!(
            duration_millis("99999999999999999999999999999999999999999d"),
            Err(DurationError::Overflow)
        );
    }
}
