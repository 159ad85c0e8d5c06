//! Lints that need the compiled plan; `zinit check` runs them after its own.
//! They read the plan's failure model ([`super::failing`]) and timing, the
//! same numbers `zinit plan` prints and the engine lives by.

use super::duration::human;
use super::model::{OnFail, Plan, PlanAction, PlanStep, PolicyKind, millis_of};
use super::timing::PlanTiming;
use crate::check::codes::POLICY_NEVER_APPLIES;
use crate::check::{CheckOptions, Checked, Diagnostic, check_source, sort};
use crate::syntax::Span;
use crate::syntax::ast::{Script, Statement};
use std::time::Duration;

/// At most this many `on-fail` clauses are pointed at; the rest is the same story.
const MAX_POINTERS: usize = 3;

/// What `zinit check` reports on a text: the checker's diagnostics and,
/// when no statement was left out for a syntax error, the plan's lints.
pub fn check_text(text: &str, options: &CheckOptions) -> Checked {
    let mut checked = check_source(text, options);
    if checked.complete {
        checked.diagnostics.extend(script_lints(&checked.script));
        sort(&mut checked.diagnostics);
    }
    checked
}

/// The lints of a whole script that need its plan (today W101).
pub fn script_lints(script: &Script) -> Option<Diagnostic> {
    let policy = script.statements.iter().find_map(|s| match s {
        Statement::Policy(p) => Some(p.span),
        _ => None,
    })?;
    let plan = super::compile(script);
    policy_never_applies(&plan, &super::plan_timing(&plan), policy)
}

/// W101: a script policy re-runs failed passes, so it applies only when
/// some step can fail a pass (see [`super::failing`]).
pub fn policy_never_applies(
    plan: &Plan,
    timing: &PlanTiming,
    policy_span: Span,
) -> Option<Diagnostic> {
    if plan.policy.kind == PolicyKind::None || timing.policy_can_apply {
        return None;
    }
    let help = if plan.steps.is_empty() {
        "the script has no steps"
    } else {
        "no step can fail the script: every step is `on-fail warn`/`continue` or cannot \
         fail; remove the policy, or let the steps that matter fail with `on-fail fail`"
    };
    let mut diagnostic = POLICY_NEVER_APPLIES
        .at(policy_span, "this retry policy can never apply")
        .with_label("never used")
        .with_help(help);
    let mut lenient = Vec::new();
    collect_lenient(&plan.steps, &mut lenient);
    for span in lenient {
        diagnostic =
            diagnostic.with_secondary(span, "this keeps failures from reaching the script");
    }
    Some(diagnostic)
}

/// The first `on-fail warn|continue` clauses keeping steps from failing a pass.
fn collect_lenient(steps: &[PlanStep], out: &mut Vec<Span>) {
    for step in steps {
        if out.len() >= MAX_POINTERS {
            return;
        }
        match (step.on_fail, step.on_fail_span, &step.action) {
            (OnFail::Warn | OnFail::Continue, Some(span), _) if !out.contains(&span) => {
                out.push(span);
            }
            (OnFail::Warn | OnFail::Continue, Some(_), _) => {}
            (_, _, PlanAction::Parallel { steps }) => collect_lenient(steps, out),
            _ => {}
        }
    }
}

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
    let passes = plan.policy.passes();
    let label = if timing.policy_can_apply && passes > 1 {
        format!("this script can take up to {worst} ({passes} passes under its retry policy)")
    } else {
        format!("this script can take up to {worst}")
    };
    let mut diagnostic = Diagnostic::warning(
        "W105",
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
