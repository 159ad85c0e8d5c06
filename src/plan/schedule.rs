//! Delay schedules: fixed delays and exponential backoff, as the largest
//! possible delay before each retry (or re-run). The only place delays are
//! computed: `zinit plan` prints these numbers and the engine sleeps them.

use std::time::Duration;

#[derive(Debug, Clone, PartialEq)]
pub enum Delay {
    Fixed(Duration),
    Backoff(Backoff),
}

impl Delay {
    /// The largest possible delays before retries 1..=n. Allocates one entry
    /// per retry: for counts that may be huge, use [`Delay::runs`].
    pub fn schedule(&self, n: u32) -> Vec<Duration> {
        (0..n).map(|i| self.nth(i, 1.0)).collect()
    }

    /// The largest possible delays before retries 1..=n as runs of equal
    /// delays, so that `retry 4000000000` costs a few entries, not gigabytes.
    /// Every delay comes from [`Delay::nth`]; only past
    /// [`EXACT_SCHEDULE_TERMS`] delays that have not settled yet (a factor
    /// barely above 1) are bounded from above instead of enumerated.
    pub fn runs(&self, n: u32) -> Vec<DelayRun> {
        let mut runs = Vec::new();
        match self {
            Delay::Fixed(d) => push_run(&mut runs, *d, n),
            Delay::Backoff(b) => {
                let mut i = 0;
                while i < n {
                    if i >= EXACT_SCHEDULE_TERMS {
                        push_run(&mut runs, b.upper_bound_from(i), n - i);
                        break;
                    }
                    let delay = b.nth(i, 1.0);
                    if b.is_settled_at(i) {
                        push_run(&mut runs, delay, n - i);
                        break;
                    }
                    push_run(&mut runs, delay, 1);
                    i += 1;
                }
            }
        }
        runs
    }

    /// The sum of the largest possible delays before retries 1..=n, saturating.
    pub fn total(&self, n: u32) -> Duration {
        Duration::from_millis(runs_total_ms(&self.runs(n)))
    }

    /// The delay before retry `i` (0-based). `jitter_draw` in `[0, 1]` picks
    /// where inside the jitter band the delay falls; 1.0 is the largest.
    pub fn nth(&self, i: u32, jitter_draw: f64) -> Duration {
        match self {
            Delay::Fixed(d) => *d,
            Delay::Backoff(b) => b.nth(i, jitter_draw),
        }
    }
}

/// Delays enumerated one by one before [`Delay::runs`] bounds the rest.
pub const EXACT_SCHEDULE_TERMS: u32 = 100_000;

/// `count` consecutive retries that each wait `delay`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DelayRun {
    pub delay: Duration,
    pub count: u32,
}

fn push_run(runs: &mut Vec<DelayRun>, delay: Duration, count: u32) {
    if count == 0 {
        return;
    }
    match runs.last_mut() {
        Some(last) if last.delay == delay => last.count = last.count.saturating_add(count),
        _ => runs.push(DelayRun { delay, count }),
    }
}

/// The sum of the runs in milliseconds, saturating.
pub fn runs_total_ms(runs: &[DelayRun]) -> u64 {
    runs.iter().fold(0u64, |sum, run| {
        sum.saturating_add(millis_of(run.delay).saturating_mul(u64::from(run.count)))
    })
}

/// Whole milliseconds of a duration, saturating at `u64::MAX`.
pub fn millis_of(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

/// Exponential backoff: `initial × factor^i`, capped at `max`, then
/// stretched by up to `jitter_pct` percent.
#[derive(Debug, Clone, PartialEq)]
pub struct Backoff {
    pub initial: Duration,
    pub max: Duration,
    pub factor: f64,
    pub jitter_pct: f64,
}

impl Backoff {
    pub fn nth(&self, i: u32, jitter_draw: f64) -> Duration {
        let max_ms = self.max.as_millis() as f64;
        let grown = self.grown_ms(i);
        let base = if grown.is_finite() {
            grown.min(max_ms)
        } else {
            max_ms
        };
        let jittered = base * (1.0 + self.jitter_pct / 100.0 * jitter_draw.clamp(0.0, 1.0));
        millis_saturating(jittered)
    }

    /// `initial × factor^i` before the cap.
    fn grown_ms(&self, i: u32) -> f64 {
        let initial_ms = self.initial.as_millis() as f64;
        initial_ms * self.factor.powi(i.min(i32::MAX as u32) as i32)
    }

    /// True when every delay from retry `i` on equals the delay before retry `i`.
    fn is_settled_at(&self, i: u32) -> bool {
        let grown = self.grown_ms(i);
        if !grown.is_finite() || grown == 0.0 || self.factor == 1.0 {
            return true;
        }
        if self.factor > 1.0 {
            return grown >= self.max.as_millis() as f64;
        }
        // Shrinking towards zero: settled once it rounds to nothing.
        (0.0..1.0).contains(&self.factor) && self.nth(i, 1.0).is_zero()
    }

    /// A delay no smaller than any delay from retry `i` on.
    fn upper_bound_from(&self, i: u32) -> Duration {
        if (0.0..=1.0).contains(&self.factor) {
            self.nth(i, 1.0)
        } else {
            let cap = self.max.as_millis() as f64 * (1.0 + self.jitter_pct.max(0.0) / 100.0);
            millis_saturating(cap)
        }
    }
}

/// Milliseconds as a `Duration`, saturating instead of overflowing.
pub fn millis_saturating(ms: f64) -> Duration {
    if !ms.is_finite() || ms >= u64::MAX as f64 {
        Duration::from_millis(u64::MAX)
    } else if ms <= 0.0 {
        Duration::ZERO
    } else {
        Duration::from_millis(ms.round() as u64)
    }
}
