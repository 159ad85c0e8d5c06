//! Retry clauses and the script policy → delays. Only the shape of the
//! schedule is decided here; the delays themselves come from
//! [`Delay::nth`](crate::plan::model::Delay::nth).

use crate::plan::model::{
    Backoff, DEFAULT_BACKOFF_FACTOR, DEFAULT_BACKOFF_INITIAL, DEFAULT_BACKOFF_MAX,
    DEFAULT_POLICY_RETRIES, DEFAULT_STEP_RETRY_DELAY, Delay, PolicyKind, RESTART_DELAY,
    ScriptPolicy, StepRetry,
};
use crate::syntax::Spanned;
use crate::syntax::ast::{self, BackoffOption, BackoffOptionKind, RetrySchedule};
use std::time::Duration;

/// A count as `u32`, saturating (no one retries four billion times; a
/// larger count must still not wrap around to a small one).
fn count(n: u64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// `retry N [every D | backoff ...]` on a step.
pub fn step_retry(retry: &ast::StepRetry) -> StepRetry {
    let delay = match &retry.schedule {
        None => Delay::Fixed(DEFAULT_STEP_RETRY_DELAY),
        Some(RetrySchedule::Every(d)) => Delay::Fixed(
            d.millis
                .map_or(DEFAULT_STEP_RETRY_DELAY, Duration::from_millis),
        ),
        Some(RetrySchedule::Backoff { options, .. }) => Delay::Backoff(backoff(options)),
    };
    StepRetry {
        retries: count(retry.count.value),
        delay,
    }
}

/// The first `retry` statement at the top level; none without one.
pub fn policy(stmt: Option<&ast::PolicyStmt>) -> ScriptPolicy {
    let Some(stmt) = stmt else {
        return ScriptPolicy::none();
    };
    let retries = |n: &Option<Spanned<u64>>| {
        n.as_ref()
            .map_or(DEFAULT_POLICY_RETRIES, |n| count(n.value))
    };
    match &stmt.kind {
        ast::PolicyKind::None => ScriptPolicy::none(),
        ast::PolicyKind::Restart { count } => ScriptPolicy {
            kind: PolicyKind::Restart,
            retries: retries(count),
            delay: Delay::Fixed(RESTART_DELAY),
        },
        ast::PolicyKind::Backoff { count, options } => ScriptPolicy {
            kind: PolicyKind::Backoff,
            retries: retries(count),
            delay: Delay::Backoff(backoff(options)),
        },
    }
}

/// Backoff options over the defaults; the first usable value of each wins.
pub fn backoff(options: &[BackoffOption]) -> Backoff {
    let duration = |pick: fn(&BackoffOptionKind) -> Option<u64>| {
        options
            .iter()
            .find_map(|o| pick(&o.kind))
            .map(Duration::from_millis)
    };
    let number = |pick: fn(&BackoffOptionKind) -> Option<f64>| {
        options
            .iter()
            .find_map(|o| pick(&o.kind).filter(|v| v.is_finite() && *v >= 0.0))
    };
    Backoff {
        initial: duration(|k| match k {
            BackoffOptionKind::Initial(d) => d.millis,
            _ => None,
        })
        .unwrap_or(DEFAULT_BACKOFF_INITIAL),
        max: duration(|k| match k {
            BackoffOptionKind::Max(d) => d.millis,
            _ => None,
        })
        .unwrap_or(DEFAULT_BACKOFF_MAX),
        factor: number(|k| match k {
            BackoffOptionKind::Factor(f) => Some(f.value),
            _ => None,
        })
        .unwrap_or(DEFAULT_BACKOFF_FACTOR),
        jitter_pct: number(|k| match k {
            BackoffOptionKind::Jitter(p) => Some(p.value),
            _ => None,
        })
        .unwrap_or(0.0),
    }
}
