//! W101: a script policy re-runs failed passes, so it can only apply when
//! some step can fail a pass — a step whose effective `on-fail` is `fail`
//! and that can fail at all.

use super::{Context, Defaults};
use crate::check::codes::POLICY_NEVER_APPLIES;
use crate::syntax::Span;
use crate::syntax::ast::{Action, ClauseKind, OnFail, PolicyKind, PolicyStmt, Step};
use crate::syntax::clauses::Name;

/// At most this many `on-fail` clauses are pointed at; the rest is the same story.
const MAX_POINTERS: usize = 3;

/// What the top-level steps, scanned in order with their defaults, tell
/// about failing a pass.
#[derive(Debug, Default)]
pub(super) struct Failing {
    steps: usize,
    any_can_fail: bool,
    /// The first `on-fail warn|continue` clauses keeping steps from failing.
    lenient: Vec<Span>,
}

impl Failing {
    pub fn scan(&mut self, step: &Step, defaults: &Defaults) {
        self.steps += 1;
        if !self.any_can_fail {
            self.any_can_fail = can_fail(step, defaults);
            self.collect_lenient(step, defaults);
        }
    }

    pub fn never_applies(&self, cx: &mut Context, policy: &PolicyStmt) {
        if matches!(policy.kind, PolicyKind::None) || self.any_can_fail {
            return;
        }
        let help = if self.steps == 0 {
            "the script has no steps"
        } else {
            "no step can fail the script: every step is `on-fail warn`/`continue` or cannot \
             fail; remove the policy, or let the steps that matter fail with `on-fail fail`"
        };
        let mut diagnostic = POLICY_NEVER_APPLIES
            .at(policy.span, "this retry policy can never apply")
            .with_label("never used")
            .with_help(help);
        for span in &self.lenient {
            diagnostic =
                diagnostic.with_secondary(*span, "this keeps failures from reaching the script");
        }
        cx.push(diagnostic);
    }

    fn collect_lenient(&mut self, step: &Step, defaults: &Defaults) {
        if self.lenient.len() >= MAX_POINTERS {
            return;
        }
        match on_fail(step, defaults) {
            (OnFail::Warn | OnFail::Continue, Some(span)) => {
                if !self.lenient.contains(&span) {
                    self.lenient.push(span);
                }
            }
            _ => {
                if let Action::Parallel { steps, .. } = &step.action {
                    for member in steps {
                        self.collect_lenient(member, defaults);
                    }
                }
            }
        }
    }
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
            defaults.effective(step, Name::Timeout).is_some()
                || steps.iter().any(|member| can_fail(member, defaults))
        }
        _ => true,
    }
}

/// The effective `on-fail` and where it was written.
fn on_fail(step: &Step, defaults: &Defaults) -> (OnFail, Option<Span>) {
    match defaults
        .effective(step, Name::OnFail)
        .map(|c| (&c.kind, c.span))
    {
        Some((ClauseKind::OnFail(value), span)) => (value.value, Some(span)),
        _ => (OnFail::Fail, None),
    }
}
