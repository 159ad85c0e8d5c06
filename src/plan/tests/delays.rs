//! The delay schedule: `Delay::runs`/`total` must agree with `Delay::nth`,
//! which the engine sleeps by, so the plan previews what a run does.

use crate::plan::model::{Delay, DelayRun, ScriptPolicy, StepRetry, millis_of};
use crate::plan::testing::{backoff, secs};
use std::time::Duration;

fn expand(runs: &[DelayRun]) -> Vec<Duration> {
    runs.iter()
        .flat_map(|r| std::iter::repeat_n(r.delay, r.count as usize))
        .collect()
}

#[test]
fn runs_enumerate_exactly_what_nth_gives() {
    let delays = [
        Delay::Fixed(Duration::from_millis(250)),
        Delay::Backoff(backoff(secs(1), secs(60), 2.0, 0.0)),
        Delay::Backoff(backoff(secs(1), secs(60), 2.0, 25.0)),
        Delay::Backoff(backoff(Duration::from_millis(300), secs(10), 1.5, 0.0)),
        Delay::Backoff(backoff(secs(10), secs(60), 0.5, 0.0)),
        Delay::Backoff(backoff(secs(100), secs(5), 0.9, 10.0)),
        Delay::Backoff(backoff(secs(1), secs(60), 1.0, 0.0)),
        Delay::Backoff(backoff(secs(1), secs(60), 0.0, 0.0)),
        Delay::Backoff(backoff(Duration::ZERO, secs(60), 2.0, 0.0)),
    ];
    for delay in &delays {
        for n in [0, 1, 2, 7, 40, 80] {
            let from_nth: Vec<Duration> = (0..n).map(|i| delay.nth(i, 1.0)).collect();
            assert_eq!(expand(&delay.runs(n)), from_nth, "{delay:?} n={n}");
            let sum: u64 = from_nth.iter().map(|d| millis_of(*d)).sum();
            assert_eq!(millis_of(delay.total(n)), sum, "{delay:?} n={n}");
        }
    }
}

#[test]
fn backoff_defaults_give_the_documented_schedule() {
    let policy = ScriptPolicy {
        kind: crate::plan::model::PolicyKind::Backoff,
        retries: 8,
        delay: Delay::Backoff(backoff(secs(1), secs(60), 2.0, 0.0)),
    };
    let ms: Vec<u64> = policy.delays().iter().map(|d| millis_of(*d)).collect();
    assert_eq!(ms, [1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000]);
}

#[test]
fn jitter_stretches_each_delay_by_up_to_its_percentage() {
    let delay = Delay::Backoff(backoff(secs(1), secs(60), 2.0, 25.0));
    assert_eq!(delay.nth(0, 1.0), Duration::from_millis(1250));
    assert_eq!(delay.nth(0, 0.0), secs(1));
    assert_eq!(delay.nth(10, 1.0), secs(75));
}

#[test]
fn huge_counts_cost_a_few_runs() {
    let fixed = Delay::Fixed(secs(1));
    assert_eq!(
        fixed.runs(u32::MAX),
        [DelayRun {
            delay: secs(1),
            count: u32::MAX
        }]
    );
    let capped = Delay::Backoff(backoff(secs(1), secs(60), 2.0, 0.0));
    let runs = capped.runs(u32::MAX);
    assert_eq!(runs.len(), 7);
    assert_eq!(
        runs[6],
        DelayRun {
            delay: secs(60),
            count: u32::MAX - 6
        }
    );
    assert_eq!(
        millis_of(capped.total(u32::MAX)),
        63_000 + 60_000 * u64::from(u32::MAX - 6)
    );
}

#[test]
fn a_factor_barely_above_one_is_bounded_not_enumerated() {
    // 4 billion retries whose delay grows by 1e-7 each: not settled after
    // the enumerated terms, so the rest is bounded by the cap.
    let slow = Delay::Backoff(backoff(secs(1), secs(60), 1.000_000_1, 0.0));
    let runs = slow.runs(u32::MAX);
    let last = runs.last().expect("runs");
    assert_eq!(last.delay, secs(60));
    let listed: u64 = runs.iter().map(|r| u64::from(r.count)).sum();
    assert_eq!(listed, u64::from(u32::MAX));
}

#[test]
fn absurd_delays_saturate() {
    let absurd = Delay::Backoff(backoff(secs(1), Duration::from_secs(u64::MAX), 100.0, 50.0));
    assert_eq!(millis_of(absurd.nth(1000, 1.0)), u64::MAX);
    assert_eq!(millis_of(absurd.total(1000)), u64::MAX);
    let retry = StepRetry {
        retries: 3,
        delay: Delay::Fixed(Duration::from_millis(u64::MAX)),
    };
    assert_eq!(millis_of(retry.delay.total(retry.retries)), u64::MAX);
}
