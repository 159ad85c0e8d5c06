//! Retries: the script policy (one per script, E103) and step retries —
//! counts (E110), backoff factor (E111), jitter (E112), initial vs max
//! (E113), repeated options (E101) — and `retry` on a wait (W102).

use super::Context;
use super::durations::{self, is_wait};
use crate::check::codes::{
    BACKOFF_FACTOR, INITIAL_ABOVE_MAX, JITTER_RANGE, RETRY_COUNT, RETRY_ON_WAIT, SECOND_POLICY,
};
use crate::check::limits::{
    DEFAULT_BACKOFF_INITIAL_MS, DEFAULT_BACKOFF_MAX_MS, MAX_FACTOR, MAX_RETRIES,
};
use crate::syntax::Spanned;
use crate::syntax::ast::{
    BackoffOption, BackoffOptionKind, Clause, DurationLit, PolicyKind, PolicyStmt, RetrySchedule,
    Step, StepRetry,
};

pub(super) fn policy(cx: &mut Context, policy: &PolicyStmt) {
    match &policy.kind {
        PolicyKind::None => {}
        PolicyKind::Restart { count } => self::count(cx, count.as_ref(), "restarts"),
        PolicyKind::Backoff { count, options } => {
            self::count(cx, count.as_ref(), "re-runs");
            backoff(cx, options);
        }
    }
}

/// E103: one policy per script; the first one is the one kept.
pub(super) fn one_policy(cx: &mut Context, policies: &[&PolicyStmt]) {
    let Some((first, rest)) = policies.split_first() else {
        return;
    };
    for extra in rest {
        let removal = cx.removal(extra.span);
        cx.push(
            SECOND_POLICY
                .at(extra.span, "the script already has a retry policy")
                .with_label("second policy")
                .with_secondary(first.span, "first policy here")
                .with_help(
                    "a script has one policy for failed passes; for retries of a single \
                     step, put `retry N` on that step",
                )
                .with_safe_fix("remove the second policy", removal, ""),
        );
    }
}

/// A step's `retry N [every D | backoff ...]`, on a step or in defaults.
pub(super) fn step_retry(cx: &mut Context, retry: &StepRetry) {
    count(cx, Some(&retry.count), "retries");
    match &retry.schedule {
        Some(RetrySchedule::Every(delay)) => durations::check(cx, delay, false),
        Some(RetrySchedule::Backoff { options, .. }) => backoff(cx, options),
        None => {}
    }
}

/// W102, for a wait's own `retry` (a default retry is meant for other steps).
pub(super) fn on_wait(cx: &mut Context, step: &Step, clause: &Clause) {
    if is_wait(&step.action) {
        cx.push(
            RETRY_ON_WAIT
                .at(clause.span, format!("`retry` on `{}`", step.action.name()))
                .with_label("retries a wait")
                .with_help(
                    "a wait already polls until its timeout, so a retry only adds a pause \
                     and another timeout; raise the `timeout` instead",
                ),
        );
    }
}

fn count(cx: &mut Context, count: Option<&Spanned<u64>>, what: &str) {
    let Some(count) = count else { return };
    if count.value > MAX_RETRIES {
        cx.push(
            RETRY_COUNT
                .at(count.span, format!("{} {what} is more than the limit of {MAX_RETRIES}", count.value))
                .with_label("too many")
                .with_help(format!(
                    "at most {MAX_RETRIES} retries; for a longer wait, raise the timeout or the backoff delays"
                ))
                .with_unsafe_fix("use the limit", count.span, MAX_RETRIES.to_string()),
        );
    }
}

fn backoff(cx: &mut Context, options: &[BackoffOption]) {
    let mut initial = None;
    let mut max = None;
    for (i, option) in options.iter().enumerate() {
        if let Some(first) = options[..i].iter().find(|o| same_kind(o, option)) {
            repeated_option(cx, option, first);
            continue;
        }
        match &option.kind {
            BackoffOptionKind::Initial(d) => {
                durations::check(cx, d, false);
                initial = Some(d);
            }
            BackoffOptionKind::Max(d) => {
                durations::check(cx, d, false);
                max = Some(d);
            }
            BackoffOptionKind::Factor(f) => factor(cx, f),
            BackoffOptionKind::Jitter(j) => jitter(cx, j),
        }
    }
    initial_vs_max(cx, initial, max);
}

fn same_kind(a: &BackoffOption, b: &BackoffOption) -> bool {
    std::mem::discriminant(&a.kind) == std::mem::discriminant(&b.kind)
}

fn repeated_option(cx: &mut Context, option: &BackoffOption, first: &BackoffOption) {
    let keyword = option.keyword.slice(cx.text).to_string();
    super::clauses::report_repeat(
        cx,
        &keyword,
        option.span,
        first.span,
        "each backoff option may appear once; keep the one you mean",
    );
}

fn factor(cx: &mut Context, factor: &Spanned<f64>) {
    let f = factor.value;
    if f.is_finite() && (1.0..=MAX_FACTOR).contains(&f) {
        return;
    }
    let help = if f < 1.0 {
        "a factor below 1 would shrink the delays; use 1 for equal delays, or `retry N every D`"
    } else {
        "delays grow by this factor each retry; 2 doubles them"
    };
    cx.push(
        BACKOFF_FACTOR
            .at(
                factor.span,
                format!("backoff factor must be between 1 and {MAX_FACTOR}"),
            )
            .with_label("out of range")
            .with_help(help),
    );
}

fn jitter(cx: &mut Context, jitter: &Spanned<f64>) {
    let p = jitter.value;
    if p.is_finite() && (0.0..=100.0).contains(&p) {
        return;
    }
    cx.push(
        JITTER_RANGE
            .at(jitter.span, "jitter must be between 0% and 100%")
            .with_label("out of range")
            .with_help("jitter stretches each delay by up to this share of it; `25%` is typical"),
    );
}

/// E113, with the defaults standing in for an option not given.
fn initial_vs_max(cx: &mut Context, initial: Option<&DurationLit>, max: Option<&DurationLit>) {
    let initial_ms = initial.map_or(Some(DEFAULT_BACKOFF_INITIAL_MS), |d| d.millis);
    let max_ms = max.map_or(Some(DEFAULT_BACKOFF_MAX_MS), |d| d.millis);
    let (Some(initial_ms), Some(max_ms)) = (initial_ms, max_ms) else {
        return;
    };
    if initial_ms <= max_ms {
        return;
    }
    let shown = |d: Option<&DurationLit>, default: &str| {
        d.map_or(format!("{default} (the default)"), |d| {
            format!("`{}`", d.span.slice(cx.text))
        })
    };
    let message = format!(
        "backoff initial delay {} is longer than its max {}",
        shown(initial, "1s"),
        shown(max, "60s")
    );
    let (span, label, help) = match (initial, max) {
        (Some(i), _) if max.is_some() => (
            i.span,
            "initial",
            "delays start at `initial` and grow up to `max`; make initial the shorter".to_string(),
        ),
        (Some(i), _) => (
            i.span,
            "initial",
            format!(
                "the default max is 60s; add `max {}` or more",
                i.span.slice(cx.text)
            ),
        ),
        (None, Some(m)) => (
            m.span,
            "max",
            format!(
                "the default initial delay is 1s; add `initial {}` or less",
                m.span.slice(cx.text)
            ),
        ),
        // The defaults themselves are consistent.
        (None, None) => return,
    };
    let mut diagnostic = INITIAL_ABOVE_MAX
        .at(span, message)
        .with_label(label)
        .with_help(help);
    if let (Some(_), Some(m)) = (initial, max) {
        diagnostic = diagnostic.with_secondary(m.span, "max");
    }
    cx.push(diagnostic);
}
