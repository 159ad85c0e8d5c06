//! Lints that need the compiled plan; `zinit check` runs them after its own.
//! They read the plan's failure model ([`super::failing`]) and timing, the
//! same numbers `zinit plan` prints and the engine lives by.

use super::duration::human;
use super::model::{OnFail, Plan, PlanAction, PlanStep, PolicyKind, ScriptPolicy, millis_of};
use super::timing::PlanTiming;
use crate::check::codes::{ABOVE_MAX_DURATION, POLICY_NEVER_APPLIES, POLL_NOT_SHORTER};
use crate::check::{CheckOptions, Checked, Diagnostic, check_parsed};
use crate::syntax::Span;
use crate::syntax::ast::{Clause, ClauseKind, Script, Statement, Step};
use std::time::Duration;

/// At most this many `on-fail` clauses are pointed at; the rest is the same story.
const MAX_POINTERS: usize = 3;

/// What `zinit check` reports on a text: the checker's diagnostics and,
/// when no statement was left out for a syntax error, the plan's lints.
pub fn check_text(text: &str, options: &CheckOptions) -> Checked {
    let parsed = crate::syntax::parse(text);
    let complete = parsed.errors.is_empty();
    check_parsed(parsed, text, options, |script| {
        script_lints(script, text, complete)
    })
}

/// The lints that need the script's plan: W103 on each wait, with the
/// defaults resolved as the compiler resolves them, E130 on each service
/// reference, and, when no statement was left out (`complete`), W101 on
/// the whole script.
pub fn script_lints(script: &Script, text: &str, complete: bool) -> Vec<Diagnostic> {
    let policy = script.statements.iter().find_map(|s| match s {
        Statement::Policy(p) => Some(p.span),
        _ => None,
    });
    let mut out = Vec::new();
    let polls = script.statements.iter().any(|s| match s {
        Statement::Defaults(d) => has_every(&d.clauses),
        Statement::Step(step) => step_has_every(step),
        Statement::Policy(_) | Statement::ZLayer(_) => false,
    });
    // A walk of every statement: a large script's shares are walked at once.
    let services = crate::cores::in_shares(script.statements.len(), |share| {
        super::services::names_services(&script.statements[share])
    })
    .contains(&true);
    if !polls && !services && (policy.is_none() || !complete) {
        // Nothing to say: spare compiling the plan.
        return out;
    }
    let mut pass = PassFacts::default();
    if services {
        // E130 holds each reference against every step: the whole plan.
        let plan = super::compile(script);
        poll_not_shorter(&plan.steps, text, &mut out);
        out.extend(super::services::unknown_services(&plan.steps));
        plan.steps.iter().for_each(|step| pass.add(step));
    } else {
        // One top-level step at a time, each dropped after its lints: a
        // large script's plan, a second copy of its texts, is never whole.
        // A large script's shares are compiled at once, one per core.
        let shares = crate::cores::in_shares(script.statements.len(), |share| {
            let (mut out, mut pass) = (Vec::new(), PassFacts::default());
            super::compile_each_in(script, share, |step| {
                poll_not_shorter(std::slice::from_ref(&step), text, &mut out);
                pass.add(&step);
            });
            (out, pass)
        });
        for (lints, facts) in shares {
            out.extend(lints);
            pass.join(facts);
        }
    }
    if let (Some(policy), true) = (policy, complete) {
        out.extend(policy_never_applies(
            &super::script_policy(script),
            &pass,
            policy,
        ));
    }
    out
}

/// What W101 needs to know of a plan's top-level steps, gathered one step
/// at a time.
#[derive(Default)]
pub struct PassFacts {
    any_step: bool,
    /// Some step can fail a pass (see [`super::failing`]).
    can_fail: bool,
    /// The first `on-fail warn|continue` clauses keeping steps from failing it.
    lenient: Vec<Span>,
}

impl PassFacts {
    pub fn add(&mut self, step: &PlanStep) {
        self.any_step = true;
        self.can_fail |= super::failing::can_fail_pass(step);
        collect_lenient(std::slice::from_ref(step), &mut self.lenient);
    }

    /// Adds what a later share of the steps found, as if they had been
    /// added one by one: the lenient clauses it found first come next.
    pub fn join(&mut self, later: PassFacts) {
        self.any_step |= later.any_step;
        self.can_fail |= later.can_fail;
        for span in later.lenient {
            if self.lenient.len() < MAX_POINTERS && !self.lenient.contains(&span) {
                self.lenient.push(span);
            }
        }
    }
}

/// W103: a wait whose poll interval is not shorter than its timeout checks
/// at most once, which is rarely what `every` was written for.
fn poll_not_shorter(steps: &[PlanStep], text: &str, out: &mut Vec<Diagnostic>) {
    for step in steps {
        if let Some(steps) = step.action.members() {
            poll_not_shorter(steps, text, out);
        }
        let (Some(every), Some(timeout)) = (step.poll_span, step.timeout) else {
            continue;
        };
        if !step.action.polls() || step.poll.is_zero() || step.poll < timeout {
            continue;
        }
        let timeout_text = match step.timeout_span {
            Some(span) => format!("`{}`", clause_value(text, span)),
            None => format!("{} (the default for waits)", human(millis_of(timeout))),
        };
        let message = format!(
            "poll interval `{}` is not shorter than the timeout {timeout_text}",
            clause_value(text, every)
        );
        let own = step.span.start() <= every.start() && every.end() <= step.span.end();
        let mut diagnostic = if own {
            POLL_NOT_SHORTER
                .at(every, message)
                .with_label("poll interval")
        } else {
            POLL_NOT_SHORTER
                .at(step.head, message)
                .with_label("this wait")
                .with_secondary(every, "poll interval from these defaults")
        };
        if let Some(span) = step.timeout_span {
            diagnostic = diagnostic.with_secondary(span, "timeout");
        }
        out.push(diagnostic.with_help(
            "the wait checks once and then times out; poll more often than the timeout \
             (or drop `every`: the default polls every 5ms)",
        ));
    }
}

fn has_every(clauses: &[Clause]) -> bool {
    clauses
        .iter()
        .any(|c| matches!(c.kind, ClauseKind::Every(_)))
}

fn step_has_every(step: &Step) -> bool {
    has_every(&step.clauses)
        || step
            .action
            .members()
            .is_some_and(|steps| steps.iter().any(step_has_every))
}

/// `30s` of a clause `timeout 30s`, as written.
fn clause_value(text: &str, clause: Span) -> &str {
    let written = text.get(clause.start()..clause.end()).unwrap_or_default();
    written
        .split_once(char::is_whitespace)
        .map_or(written, |(_, value)| value.trim())
}

/// W101: a script policy re-runs failed passes, so it applies only when
/// some step can fail a pass (see [`super::failing`]).
pub fn policy_never_applies(
    policy: &ScriptPolicy,
    pass: &PassFacts,
    policy_span: Span,
) -> Option<Diagnostic> {
    if policy.kind == PolicyKind::None || pass.can_fail {
        return None;
    }
    let help = if !pass.any_step {
        "the script has no steps"
    } else {
        "no step can fail the script: every step is `on-fail warn`/`continue` or cannot \
         fail; remove the policy, or let the steps that matter fail with `on-fail fail`"
    };
    let mut diagnostic = POLICY_NEVER_APPLIES
        .at(policy_span, "this retry policy can never apply")
        .with_label("never used")
        .with_help(help);
    for &span in &pass.lenient {
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
            (_, _, PlanAction::Parallel { steps } | PlanAction::Any { steps }) => {
                collect_lenient(steps, out)
            }
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
