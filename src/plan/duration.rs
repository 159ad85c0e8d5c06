//! Durations as text. One formatter, three shapes:
//! - [`exact`]: every unit, no spaces (`1m30s`, `1h2m3s500ms`), in units the
//!   language reads back, for ids and for text a script could contain;
//! - [`humantime`]: the same with spaces (`1m 30s`), the form ZLayer parses;
//! - [`human`]: for people, at most three units, `~` when rounded, with years
//!   so that an absurd `u64::MAX` ms reads `~584942417y129d14h`.

const MS: u64 = 1;
const SECOND: u64 = 1000 * MS;
const MINUTE: u64 = 60 * SECOND;
const HOUR: u64 = 60 * MINUTE;
const DAY: u64 = 24 * HOUR;
const YEAR: u64 = 365 * DAY;

const LANGUAGE_UNITS: [(u64, &str); 5] = [
    (DAY, "d"),
    (HOUR, "h"),
    (MINUTE, "m"),
    (SECOND, "s"),
    (MS, "ms"),
];
const HUMAN_UNITS: [(u64, &str); 6] = [
    (YEAR, "y"),
    (DAY, "d"),
    (HOUR, "h"),
    (MINUTE, "m"),
    (SECOND, "s"),
    (MS, "ms"),
];
/// Units shown by [`human`] before it rounds.
const HUMAN_PARTS: usize = 3;

/// The non-zero `(amount, unit)` parts of `ms`, largest unit first.
fn parts(ms: u64, units: &[(u64, &'static str)]) -> Vec<(u64, &'static str)> {
    let mut rest = ms;
    let mut out = Vec::new();
    for &(size, unit) in units {
        let amount = rest / size;
        rest %= size;
        if amount > 0 {
            out.push((amount, unit));
        }
    }
    out
}

fn join(parts: &[(u64, &str)], separator: &str) -> String {
    parts
        .iter()
        .map(|(amount, unit)| format!("{amount}{unit}"))
        .collect::<Vec<_>>()
        .join(separator)
}

/// Exact, compact, re-readable by zinit: `0ms`, `250ms`, `1m30s`, `2d3h`.
pub fn exact(ms: u64) -> String {
    if ms == 0 {
        return "0ms".into();
    }
    join(&parts(ms, &LANGUAGE_UNITS), "")
}

/// Exact, in the format of the `humantime` crate that ZLayer parses: `1m 30s`.
pub fn humantime(ms: u64) -> String {
    if ms == 0 {
        return "0s".into();
    }
    join(&parts(ms, &LANGUAGE_UNITS), " ")
}

/// For people: `250ms`, `1m30s`, `2h`, `~1h2m3s` (rounded down, marked).
pub fn human(ms: u64) -> String {
    if ms == 0 {
        return "0ms".into();
    }
    let all = parts(ms, &HUMAN_UNITS);
    if all.len() <= HUMAN_PARTS {
        join(&all, "")
    } else {
        format!("~{}", join(&all[..HUMAN_PARTS], ""))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_uses_every_unit_and_reads_back() {
        assert_eq!(exact(0), "0ms");
        assert_eq!(exact(250), "250ms");
        assert_eq!(exact(30_000), "30s");
        assert_eq!(exact(90_000), "1m30s");
        assert_eq!(exact(3_723_500), "1h2m3s500ms");
        assert_eq!(exact(2 * DAY + 3 * HOUR), "2d3h");
    }

    #[test]
    fn humantime_separates_units_with_spaces() {
        assert_eq!(humantime(30_000), "30s");
        assert_eq!(humantime(90_500), "1m 30s 500ms");
        assert_eq!(humantime(0), "0s");
    }

    #[test]
    fn human_keeps_three_units_and_marks_rounding() {
        assert_eq!(human(1500), "1s500ms");
        assert_eq!(human(2 * HOUR), "2h");
        assert_eq!(human(3_723_500), "~1h2m3s");
        assert_eq!(human(u64::MAX), "~584942417y129d14h");
    }
}
