//! Best and worst case per step, per pass and overall (LANGUAGE.md,
//! "Timing"). All arithmetic is in milliseconds and saturates: an absurd
//! script gets an absurd but correct-looking number, never an overflow.

use super::model::{DelayRun, Plan, PlanAction, PlanStep, PolicyKind, millis_of, runs_total_ms};
use crate::plan::model::OnFail;
use std::time::Duration;

#[derive(Debug, Clone, PartialEq)]
pub struct StepTiming {
    pub id: String,
    pub best: Duration,
    pub worst: Duration,
    /// The largest delay before each retry, as runs of equal delays.
    pub retry_delays: Vec<DelayRun>,
    /// Whether this step can end the pass (see [`can_fail_pass`]).
    pub can_fail_pass: bool,
    /// Members of a parallel group, in order.
    pub members: Vec<StepTiming>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PlanTiming {
    pub steps: Vec<StepTiming>,
    pub pass_best: Duration,
    pub pass_worst: Duration,
    pub best: Duration,
    pub worst: Duration,
    /// The largest delay before each re-run of the script.
    pub policy_delays: Vec<DelayRun>,
    /// False when the script has a policy but no step can fail a pass, so
    /// the policy never applies.
    pub policy_can_apply: bool,
    /// Whether any step can fail a pass (with or without a policy).
    pub pass_can_fail: bool,
}

pub fn plan_timing(plan: &Plan) -> PlanTiming {
    let steps: Vec<StepTiming> = plan.steps.iter().map(step_timing).collect();
    let pass_best = steps.iter().fold(0, |sum, s| sum_ms(sum, s.best));
    let pass_worst = steps.iter().fold(0, |sum, s| sum_ms(sum, s.worst));
    let pass_can_fail = steps.iter().any(|s| s.can_fail_pass);
    let policy = &plan.policy;
    let policy_delays = policy.delay.runs(policy.retries);
    let worst = if pass_can_fail {
        pass_worst
            .saturating_mul(u64::from(policy.retries) + 1)
            .saturating_add(runs_total_ms(&policy_delays))
    } else {
        pass_worst
    };
    PlanTiming {
        steps,
        pass_best: Duration::from_millis(pass_best),
        pass_worst: Duration::from_millis(pass_worst),
        best: Duration::from_millis(pass_best),
        worst: Duration::from_millis(worst),
        policy_delays,
        policy_can_apply: policy.kind != PolicyKind::None && pass_can_fail,
        pass_can_fail,
    }
}

pub fn step_timing(step: &PlanStep) -> StepTiming {
    let members: Vec<StepTiming> = match &step.action {
        PlanAction::Parallel { steps } => steps.iter().map(step_timing).collect(),
        _ => Vec::new(),
    };
    let retry_delays = step.retry.delay.runs(step.retry.retries);
    let attempts = u64::from(step.retry.retries) + 1;
    let timeout = step.timeout.map(millis_of);
    let capped = |ms: u64| timeout.map_or(ms, |t| ms.min(t));
    let (best, worst) = match &step.action {
        // A sleep cannot fail, so it is never retried.
        PlanAction::Sleep { duration } => (millis_of(*duration), millis_of(*duration)),
        PlanAction::Parallel { .. } => {
            let best = members.iter().map(|m| millis_of(m.best)).max().unwrap_or(0);
            let worst = members
                .iter()
                .map(|m| millis_of(m.worst))
                .max()
                .unwrap_or(0);
            (
                capped(best),
                attempts_worst(attempts, capped(worst), &retry_delays),
            )
        }
        // A start attempt ends as soon as the service is spawned.
        PlanAction::Start(_) => (0, attempts_worst(attempts, 0, &retry_delays)),
        _ => (
            0,
            attempts_worst(attempts, timeout.unwrap_or(0), &retry_delays),
        ),
    };
    StepTiming {
        id: step.id.clone(),
        best: Duration::from_millis(best),
        worst: Duration::from_millis(worst),
        can_fail_pass: can_fail_pass(step),
        retry_delays,
        members,
    }
}

/// `attempts × per_attempt + Σ delays`, saturating.
fn attempts_worst(attempts: u64, per_attempt_ms: u64, delays: &[DelayRun]) -> u64 {
    per_attempt_ms
        .saturating_mul(attempts)
        .saturating_add(runs_total_ms(delays))
}

fn sum_ms(sum: u64, d: Duration) -> u64 {
    sum.saturating_add(millis_of(d))
}

/// Whether this step, failing for good, ends the pass: its `on-fail` is
/// `fail` and it can fail at all. A sleep never fails; a parallel group
/// fails only when its timeout runs out or a member that can fail the pass
/// fails (members with `on-fail warn|continue` never fail their group).
pub fn can_fail_pass(step: &PlanStep) -> bool {
    if step.on_fail != OnFail::Fail {
        return false;
    }
    match &step.action {
        PlanAction::Sleep { .. } => false,
        PlanAction::Parallel { steps } => step.timeout.is_some() || steps.iter().any(can_fail_pass),
        _ => true,
    }
}

/// The timing of a step by id, members included.
pub fn find_step<'a>(steps: &'a [StepTiming], id: &str) -> Option<&'a StepTiming> {
    steps.iter().find_map(|s| {
        if s.id == id {
            Some(s)
        } else {
            find_step(&s.members, id)
        }
    })
}
