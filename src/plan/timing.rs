//! Best and worst case per step, per pass and overall (LANGUAGE.md,
//! "Timing"). All arithmetic is in milliseconds and saturates: an absurd
//! script gets an absurd but correct-looking number, never an overflow.
//!
//! The worst case is a bound on the run: a step that runs a command may,
//! when its timeout fires, wait out the [`STOP_GRACE`] before the command
//! is killed, and a failed pass stops its services, which may take the
//! grace too. Which steps can fail a pass comes from [`super::failing`].

use super::failing::{can_fail_pass, runs_commands, starts_a_service};
use super::model::{
    DelayRun, Plan, PlanAction, PlanStep, PolicyKind, STOP_GRACE, millis_of, runs_total_ms,
};
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
    // A failed pass stops its services (all at once) before it ends.
    let stopping_services = if plan.steps.iter().any(starts_a_service) {
        millis_of(STOP_GRACE)
    } else {
        0
    };
    let pass_worst = steps
        .iter()
        .fold(stopping_services, |sum, s| sum_ms(sum, s.worst));
    let pass_can_fail = steps.iter().any(|s| s.can_fail_pass);
    let policy = &plan.policy;
    let policy_delays = policy.delay.runs(policy.retries);
    let worst = if pass_can_fail {
        pass_worst
            .saturating_mul(policy.passes())
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
    let members: Vec<StepTiming> = step
        .action
        .members()
        .unwrap_or_default()
        .iter()
        .map(step_timing)
        .collect();
    let retry_delays = step.retry.delay.runs(step.retry.retries);
    let attempts = step.retry.attempts();
    let timeout = step.timeout.map(millis_of);
    // After a timeout, the commands still running are stopped.
    let grace = if runs_commands(step) {
        millis_of(STOP_GRACE)
    } else {
        0
    };
    let capped = |ms: u64| timeout.map_or(ms, |t| ms.min(t.saturating_add(grace)));
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
                timeout.map_or(best, |t| best.min(t)),
                attempts_worst(attempts, capped(worst), &retry_delays),
            )
        }
        PlanAction::Any { steps } => {
            let (best, worst) = any_case(steps, &members);
            (
                timeout.map_or(best, |t| best.min(t)),
                attempts_worst(attempts, capped(worst), &retry_delays),
            )
        }
        // A start attempt ends as soon as the service is spawned.
        PlanAction::Start(_) => (0, attempts_worst(attempts, 0, &retry_delays)),
        _ => (
            0,
            attempts_worst(
                attempts,
                timeout.unwrap_or(0).saturating_add(grace),
                &retry_delays,
            ),
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

/// One attempt of an `any` group without its timeout: at best the fastest
/// member's best case; at worst the slowest member's worst case (the group
/// waits for every member to fail), unless a member that cannot fail
/// bounds it: it wins by its own worst case at the latest, and the others
/// are then stopped, which may take the stop grace. (Stopping the losers
/// after any win fits within their own worst cases, which count the grace.)
fn any_case(steps: &[PlanStep], members: &[StepTiming]) -> (u64, u64) {
    let ms = |m: &StepTiming| (millis_of(m.best), millis_of(m.worst));
    let best = members.iter().map(|m| ms(m).0).min().unwrap_or(0);
    let slowest = members.iter().map(|m| ms(m).1).max().unwrap_or(0);
    let sure_win = steps
        .iter()
        .zip(members)
        .filter(|(step, _)| !can_fail_pass(step))
        .map(|(_, m)| ms(m).1)
        .min();
    let stopping = if steps.iter().any(runs_commands) {
        millis_of(STOP_GRACE)
    } else {
        0
    };
    let worst = sure_win.map_or(slowest, |win| slowest.min(win.saturating_add(stopping)));
    (best, worst)
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
