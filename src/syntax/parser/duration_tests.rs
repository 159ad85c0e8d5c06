//! Unit tests of duration words: values, and why a word is not one.

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
    let fixed = |word: &str, applicability, added_unit| {
        Some(Fixed {
            word: word.into(),
            applicability,
            added_unit,
        })
    };
    use Applicability::{Safe, Unsafe};
    assert_eq!(
        duration_millis("30"),
        Err(DurationError::MissingUnit(fixed("30s", Safe, Some("s"))))
    );
    // The unit of a last number after others is a guess: the next smaller one.
    assert_eq!(
        duration_millis("1h30"),
        Err(DurationError::MissingUnit(fixed(
            "1h30m",
            Unsafe,
            Some("m")
        )))
    );
    assert_eq!(
        duration_millis("1m30"),
        Err(DurationError::MissingUnit(fixed(
            "1m30s",
            Unsafe,
            Some("s")
        )))
    );
    assert_eq!(
        duration_millis("1ms30"),
        Err(DurationError::MissingUnit(None))
    );
    assert_eq!(
        duration_millis("5min"),
        Err(DurationError::UnknownUnit(
            "min".into(),
            fixed("5m", Safe, None)
        ))
    );
    assert_eq!(
        duration_millis("1min30sec"),
        Err(DurationError::UnknownUnit(
            "min".into(),
            fixed("1m30s", Safe, None)
        ))
    );
    assert_eq!(
        duration_millis("1min30"),
        Err(DurationError::UnknownUnit(
            "min".into(),
            fixed("1m30s", Unsafe, Some("s"))
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
