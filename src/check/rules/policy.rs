//! W101: a script policy re-runs failed passes, so it can only apply when
//! some step can fail a pass — a step whose effective `on-fail` is `fail`
//! and that can fail at all.

use super::{Context, Defaults};
use crate::check::codes::POLICY_NEVER_APPLIES;
use crate::syntax::Span;
use crate::syntax::ast::{Action, ClauseKind, OnFail, PolicyKind, PolicyStmt, Step};

/// At most this many `on-fail` clauses are pointed at; the rest is the same story.
const MAX_POINTERS: usize = 3;

pub(super) fn never_applies(cx: &mut Context, policy: &PolicyStmt, steps: &[(&Step, Defaults)]) {
    if matches!(policy.kind, PolicyKind::None) {
        return;
    }
    if steps
        .iter()
        .any(|(step, defaults)| can_fail(step, defaults))
    {
        return;
    }
    let mut lenient: Vec<Span> = Vec::new();
    for (step, defaults) in steps {
        collect_lenient(step, defaults, &mut lenient);
    }
    lenient.dedup();
    let help = if steps.is_empty() {
        "the script has no steps"
    } else {
        "no step can fail the script: every step is `on-fail warn`/`continue` or cannot fail; \
         remove the policy, or let the steps that matter fail with `on-fail fail`"
    };
    let mut diagnostic = POLICY_NEVER_APPLIES
        .at(policy.span, "this retry policy can never apply")
        .with_label("never used")
        .with_help(help);
    for span in lenient.into_iter().take(MAX_POINTERS) {
        diagnostic =
            diagnostic.with_secondary(span, "this keeps failures from reaching the script");
    }
    cx.push(diagnostic);
}

/// Whether the step can end a pass: its `on-fail` is `fail` and it can fail.
fn can_fail(step: &Step, defaults: &Defaults) -> bool {
    if on_fail(step, defaults).0 != OnFail::Fail {
        return false;
    }
    match &step.action {
        // A pause always ends well.
        Action::Sleep { .. } => false,
        // A group fails when a member fails it, or when it times out.
        Action::Parallel { steps, .. } => {
            defaults.effective(step, "timeout").is_some()
                || steps.iter().any(|member| can_fail(member, defaults))
        }
        _ => true,
    }
}

/// The effective `on-fail` and where it was written.
fn on_fail(step: &Step, defaults: &Defaults) -> (OnFail, Option<Span>) {
    match defaults.effective(step, "on-fail") {
        Some(clause) => match &clause.kind {
            ClauseKind::OnFail(value) => (value.value, Some(clause.span)),
            _ => (OnFail::Fail, None),
        },
        None => (OnFail::Fail, None),
    }
}

/// The `on-fail warn|continue` clauses that keep steps from failing the script.
fn collect_lenient(step: &Step, defaults: &Defaults, out: &mut Vec<Span>) {
    match on_fail(step, defaults) {
        (OnFail::Warn | OnFail::Continue, Some(span)) => {
            if !out.contains(&span) {
                out.push(span);
            }
        }
        _ => {
            if let Action::Parallel { steps, .. } = &step.action {
                for member in steps {
                    collect_lenient(member, defaults, out);
                }
            }
        }
    }
}
