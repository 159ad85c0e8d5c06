//! Durations: the upper bound every duration shares (E114) and zero where
//! only a positive value makes sense (E115). A poll interval that cannot
//! poll (W103) is the plan's lint: it needs the defaults resolved.

use super::Context;
use crate::check::codes::{DURATION_OVERFLOW, ZERO_DURATION};
use crate::check::limits::MAX_DURATION_MS;
use crate::syntax::ast::{Action, DurationLit};

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

fn text<'t>(cx: &Context<'t>, lit: &DurationLit) -> &'t str {
    lit.span.slice(cx.text)
}

pub(super) fn is_wait(action: &Action) -> bool {
    matches!(
        action,
        Action::WaitTcp { .. } | Action::WaitHttp { .. } | Action::WaitFile { .. }
    )
}
