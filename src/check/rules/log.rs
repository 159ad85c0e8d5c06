//! `wait log` and `by`: exactly one pattern (E133), a count above zero
//! (E131), a regular expression that compiles (E135), `by` without
//! `closed` (E134). Which `start` step a service names is the plan's lint
//! (E130, `plan::lint`): derived step ids are the compiler's.

use super::{Context, own};
use crate::check::codes::{BY_CLOSED, LOG_PATTERN, ZERO_TIMES};
use crate::check::values::Value;
use crate::syntax::Spanned;
use crate::syntax::ast::{Action, Literal, Step, Text};
use crate::syntax::clauses::Name;

pub(super) fn step(cx: &mut Context, step: &Step) {
    match &step.action {
        Action::WaitLog { service } => pattern(cx, step, service),
        Action::WaitTcp { .. } => {
            if let (Some(by), Some(closed)) = (own(step, Name::By), own(step, Name::Closed)) {
                cx.push(
                    BY_CLOSED
                        .at(by.span, "`by` cannot be checked on a `closed` wait")
                        .with_label("needs a listener")
                        .with_secondary(closed.span, "waits until nothing listens")
                        .with_help(
                            "`by SERVICE` checks who owns the listening socket; a `closed` \
                             port has none. Remove one of the two",
                        ),
                );
            }
        }
        _ => {}
    }
}

fn pattern(cx: &mut Context, step: &Step, service: &Spanned<Literal>) {
    let contains = own(step, Name::Contains);
    let matches = own(step, Name::Matches);
    match (contains, matches) {
        (Some(_), None) | (None, Some(_)) => {}
        (None, None) => cx.push(
            LOG_PATTERN
                .at(
                    step.head.to(service.span),
                    format!("`wait log {}` says nothing to look for", service.value),
                )
                .with_label("no `contains` or `matches`")
                .with_help(format!(
                    "add what a line must show, e.g. `wait log {} contains \"ready\"` or \
                     `matches 'listening on \\d+'`",
                    service.value
                )),
        ),
        (Some(first), Some(second)) => {
            let (first, second) = if first.span.start() <= second.span.start() {
                (first, second)
            } else {
                (second, first)
            };
            cx.push(
                LOG_PATTERN
                    .at(
                        second.span,
                        "`wait log` takes one of `contains` and `matches`",
                    )
                    .with_label("second pattern")
                    .with_secondary(first.span, "first pattern")
                    .with_help(
                        "a line is counted when it shows one pattern; for a line with both, \
                         write one regular expression (`matches 'a.*b|b.*a'`), or use two \
                         `wait log` steps",
                    ),
            );
        }
    }
}

/// `times N`: a count of lines, at least one.
pub(super) fn times(cx: &mut Context, times: &Spanned<u64>) {
    if times.value == 0 {
        cx.push(
            ZERO_TIMES
                .at(
                    times.span,
                    "`times 0` would be ready before the service says anything",
                )
                .with_label("zero lines")
                .with_help("count at least one line: `times 1` (the default) or more")
                .with_unsafe_fix("use `times 1`", times.span, "1"),
        );
    }
}

/// `matches RE`, when written without variables: the validator `zinit run`
/// applies once they are resolved.
pub(super) fn regex(cx: &mut Context, pattern: &Text) {
    if let Some(v) = super::targets::literal(pattern)
        .map(|value| Value::new("the `matches` pattern", pattern, value, Some(cx.text)))
    {
        let result = v.regex().map(drop);
        cx.report(result);
    }
}
