//! Durations: the upper bound every duration shares (E114), zero where only a
//! positive value makes sense (E115), and a poll interval that cannot poll
//! (W103).

use super::{Context, Defaults, own};
use crate::check::codes::{DURATION_OVERFLOW, POLL_NOT_SHORTER, ZERO_DURATION};
use crate::check::limits::{DEFAULT_WAIT_TIMEOUT_MS, MAX_DURATION_MS};
use crate::syntax::ast::{Action, ClauseKind, DurationLit, Step};
use crate::syntax::clauses::Name;

/// `positive`: a timeout or poll interval, where zero never works.
pub(super) fn check(cx: &mut Context, lit: &DurationLit, positive: bool) {
    // `None` means the parser already reported the overflow.
    let Some(ms) = lit.millis else { return };
    if ms > MAX_DURATION_MS {
        cx.push(
            DURATION_OVERFLOW
                .at(
                    lit.span,
                    format!("`{}` is longer than the limit of 365d", text(cx, lit)),
                )
                .with_label("too long")
                .with_help(
                    "durations are limited to 365 days; use `365d` for \"practically forever\"",
                )
                .with_unsafe_fix("use the limit", lit.span, "365d"),
        );
    } else if positive && ms == 0 {
        cx.push(
            ZERO_DURATION
                .at(lit.span, "a timeout or poll interval of zero never works")
                .with_label("zero")
                .with_help(
                    "a zero timeout fails every attempt at once, and a zero poll interval \
                     spins without pause; give at least `1ms`",
                ),
        );
    }
}

/// W103: a wait whose poll interval is not shorter than its timeout checks
/// at most once, which is rarely what `every` was written for.
pub(super) fn poll_vs_timeout(cx: &mut Context, step: &Step, defaults: &Defaults) {
    if !is_wait(&step.action) {
        return;
    }
    let Some(every_clause) = defaults.effective(step, Name::Every) else {
        return;
    };
    let ClauseKind::Every(every) = &every_clause.kind else {
        return;
    };
    let timeout_clause = defaults.effective(step, Name::Timeout);
    let timeout = match timeout_clause.map(|c| &c.kind) {
        Some(ClauseKind::Timeout(t)) => Some(t),
        _ => None,
    };
    let timeout_ms = timeout.map_or(Some(DEFAULT_WAIT_TIMEOUT_MS), |t| t.millis);
    let (Some(every_ms), Some(timeout_ms)) = (every.millis, timeout_ms) else {
        return;
    };
    if every_ms == 0 || every_ms < timeout_ms {
        return;
    }
    // Only now, with a diagnostic to write, is the text worth building.
    let timeout_text = match timeout {
        Some(t) => format!("`{}`", text(cx, t)),
        None => "30s (the default for waits)".to_string(),
    };
    let message = format!(
        "poll interval `{}` is not shorter than the timeout {timeout_text}",
        text(cx, every)
    );
    let help = "the wait checks once and then times out; poll more often than the timeout \
                (or drop `every`: the default polls every 5ms)";
    let mut diagnostic = if own(step, Name::Every).is_some() {
        POLL_NOT_SHORTER
            .at(every_clause.span, message)
            .with_label("poll interval")
    } else {
        POLL_NOT_SHORTER
            .at(step.head, message)
            .with_label("this wait")
            .with_secondary(every_clause.span, "poll interval from these defaults")
    };
    if let Some(timeout) = timeout_clause {
        diagnostic = diagnostic.with_secondary(timeout.span, "timeout");
    }
    cx.push(diagnostic.with_help(help));
}

fn text<'t>(cx: &Context<'t>, lit: &DurationLit) -> &'t str {
    lit.span.slice(cx.text)
}

pub(super) fn is_wait(action: &Action) -> bool {
    matches!(
        action,
        Action::WaitTcp { .. } | Action::WaitHttp { .. } | Action::WaitFile { .. }
    )
}
