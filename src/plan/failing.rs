//! The one model of failure: which steps can end a pass of the script.
//! Timing (worst cases), the W101 lint, `plan --fail` and the plan JSON's
//! `can_fail_pass`/`can_apply` all read it; the engine implements it (see
//! `run::engine::step`), and `tests/it/run_bounds.rs` holds them together.
//!
//! A step ends the pass when it fails for good with `on-fail fail`, and a
//! `start` service whenever it exits during the init, whatever its
//! `on-fail`: the pass cannot succeed without its service.

use super::model::{OnFail, PlanAction, PlanStep};

/// Whether this step can end the pass (or fail the group it is a member of).
pub fn can_fail_pass(step: &PlanStep) -> bool {
    starts_a_service(step) || (step.on_fail == OnFail::Fail && can_fail(step))
}

/// Whether the step can fail at all, before `on-fail` decides. A sleep never
/// fails; a group fails when its timeout runs out; besides, a parallel group
/// fails when a member that can fail the group fails, and an `any` group
/// when all its members can (it fails only once all have; members of `any`
/// always have `on-fail fail`, and an empty one fails at once).
pub fn can_fail(step: &PlanStep) -> bool {
    match &step.action {
        PlanAction::Sleep { .. } => false,
        PlanAction::Parallel { steps } => step.timeout.is_some() || steps.iter().any(can_fail_pass),
        PlanAction::Any { steps } => step.timeout.is_some() || steps.iter().all(can_fail_pass),
        _ => true,
    }
}

/// A `start`, or a group holding one: a service whose exit fails the pass.
pub fn starts_a_service(step: &PlanStep) -> bool {
    match &step.action {
        PlanAction::Start(_) => true,
        _ => members(step).any(starts_a_service),
    }
}

/// A `run`, `start` or `wait exec`, or a group holding one: stopping it
/// may take the [`STOP_GRACE`](super::model::STOP_GRACE).
pub fn runs_commands(step: &PlanStep) -> bool {
    match &step.action {
        PlanAction::Run(_) | PlanAction::Start(_) | PlanAction::WaitExec(_) => true,
        _ => members(step).any(runs_commands),
    }
}

fn members(step: &PlanStep) -> impl Iterator<Item = &PlanStep> {
    step.action.members().unwrap_or_default().iter()
}
