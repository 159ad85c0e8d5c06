//! Small text helpers shared by the engine and the reporters.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A duration the way scripts write it: `250ms`, `30s`, `1m30s`, `1.5s`.
pub fn duration(d: Duration) -> String {
    let ms = d.as_millis();
    if ms < 1000 {
        return format!("{ms}ms");
    }
    if ms % 1000 != 0 && ms < 60_000 {
        return format!("{:.1}s", ms as f64 / 1000.0);
    }
    let secs = ms / 1000;
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    let mut out = String::new();
    if h > 0 {
        out.push_str(&format!("{h}h"));
    }
    if m > 0 {
        out.push_str(&format!("{m}m"));
    }
    if s > 0 || out.is_empty() {
        out.push_str(&format!("{s}s"));
    }
    out
}

/// An elapsed time for progress lines: `12ms`, `3.4s`, `2m05s`.
pub fn elapsed(d: Duration) -> String {
    let ms = d.as_millis();
    if ms < 1000 {
        format!("{ms}ms")
    } else if ms < 60_000 {
        format!("{:.1}s", ms as f64 / 1000.0)
    } else {
        format!("{}m{:02}s", ms / 60_000, ms / 1000 % 60)
    }
}

/// An argument list as a shell would read it back: `./migrate up ''`,
/// `echo 'two words'` — an empty or spaced argument stays visible.
pub fn argv(args: &[String]) -> String {
    shlex::try_join(args.iter().map(String::as_str)).unwrap_or_else(|_| args.join(" "))
}

/// Milliseconds, saturating.
pub fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

/// The current UTC time as RFC 3339 with milliseconds: `2025-01-31T12:34:56.789Z`.
pub fn timestamp() -> String {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    rfc3339(now)
}

fn rfc3339(since_epoch: Duration) -> String {
    let secs = since_epoch.as_secs();
    let (days, rem) = (secs / 86_400, secs % 86_400);
    let (y, mo, d) = civil_from_days(days as i64);
    format!(
        "{y:04}-{mo:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3600,
        rem / 60 % 60,
        rem % 60,
        since_epoch.subsec_millis()
    )
}

/// Days since 1970-01-01 → (year, month, day), proleptic Gregorian
/// (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_like_scripts() {
        let ms = Duration::from_millis;
        assert_eq!(duration(ms(250)), "250ms");
        assert_eq!(duration(ms(30_000)), "30s");
        assert_eq!(duration(ms(1500)), "1.5s");
        assert_eq!(duration(ms(90_000)), "1m30s");
        assert_eq!(duration(ms(3_600_000)), "1h");
        assert_eq!(duration(ms(0)), "0ms");
    }

    #[test]
    fn argv_is_quoted_like_a_shell() {
        let args = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(argv(&args(&["echo", ""])), "echo ''");
        assert_eq!(
            argv(&args(&["echo", "two words", "it's"])),
            r#"echo 'two words' "it's""#
        );
        assert_eq!(argv(&args(&["./migrate", "up"])), "./migrate up");
    }

    #[test]
    fn timestamps_are_rfc3339_utc() {
        assert_eq!(rfc3339(Duration::ZERO), "1970-01-01T00:00:00.000Z");
        // 2024-02-29T23:59:59.5Z, a leap day.
        assert_eq!(
            rfc3339(Duration::from_millis(1_709_251_199_500)),
            "2024-02-29T23:59:59.500Z"
        );
    }
}
