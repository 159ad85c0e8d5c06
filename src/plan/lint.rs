//! Lints that need the compiled plan; `zinit check` runs them after its own.

use super::duration::human;
use super::model::{Plan, millis_of};
use super::timing::PlanTiming;
use crate::check::Diagnostic;
use crate::check::codes::ABOVE_MAX_DURATION;
use crate::syntax::Span;
use std::time::Duration;

/// W105 (`zinit check --max-duration D`): the script's worst case is longer
/// than D. Points at the script, with the step that costs most.
pub fn max_duration_lint(
    plan: &Plan,
    timing: &PlanTiming,
    limit: Duration,
    script_span: Span,
) -> Option<Diagnostic> {
    if timing.worst <= limit {
        return None;
    }
    let worst = human(millis_of(timing.worst));
    let passes = u64::from(plan.policy.retries) + 1;
    let label = if timing.policy_can_apply && passes > 1 {
        format!("this script can take up to {worst} ({passes} passes under its retry policy)")
    } else {
        format!("this script can take up to {worst}")
    };
    let mut diagnostic = ABOVE_MAX_DURATION.at(
        script_span,
        format!(
            "worst case {worst} exceeds --max-duration {}",
            human(millis_of(limit))
        ),
    )
    .with_label(label)
    .with_help(
        "the worst case counts every timeout, retry and delay, and the script policy's re-runs; \
         `zinit plan` shows how it adds up. Shorten timeouts or retries, or raise --max-duration",
    );
    let costliest = plan
        .steps
        .iter()
        .zip(&timing.steps)
        .max_by_key(|(_, t)| t.worst)
        .filter(|(_, t)| !t.worst.is_zero());
    if let Some((step, t)) = costliest {
        diagnostic = diagnostic.with_secondary(
            step.span,
            format!(
                "the longest step, `{}`: up to {}",
                step.id,
                human(millis_of(t.worst))
            ),
        );
    }
    Some(diagnostic)
}
