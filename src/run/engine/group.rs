//! Groups: members run at once on the engine's one thread, and the group's
//! timeout, when given, bounds the whole group (the members still running
//! are cancelled, which stops their commands).
//!
//! `parallel`: a member that fails for good cancels its siblings and fails
//! the group (its own on-fail then decides). `any`: the first member to
//! succeed cancels its siblings and the group succeeds; it fails when all
//! members have failed, naming each one's reason.

use super::Engine;
use super::step::StepResult;
use crate::run::action::{Attempt, AttemptCtx};
use crate::run::model::RunStep;
use futures_util::future::join_all;
use std::sync::Mutex;
use tokio_util::sync::CancellationToken;

/// A member that failed for good: its id, reason and output tail.
type Failure = (String, String, Vec<String>);

impl Engine {
    pub async fn run_group(&self, ctx: &AttemptCtx<'_>, steps: &[RunStep]) -> Attempt {
        let first_failure: Mutex<Option<Failure>> = Mutex::new(None);
        let timed_out = self
            .run_members(ctx, steps, |_, member, result, members_cancel| {
                if let StepResult::Failed { reason, tail } = result {
                    let mut first = first_failure.lock().expect("group lock");
                    if first.is_none() {
                        *first = Some((member.id.clone(), reason, tail));
                        members_cancel.cancel();
                    }
                }
            })
            .await;
        if ctx.cancel.is_cancelled() {
            return Attempt::Cancelled;
        }
        let first = first_failure.lock().expect("group lock").take();
        if let Some((member, reason, tail)) = first {
            return Attempt::Failed {
                reason: format!("{member} failed: {reason}"),
                tail,
            };
        }
        if timed_out {
            return Attempt::TimedOut {
                reason: format!(
                    "timed out after {}; the members still running were stopped",
                    ctx.timeout_text()
                ),
                tail: Vec::new(),
            };
        }
        Attempt::Ok
    }

    pub async fn run_any(&self, ctx: &AttemptCtx<'_>, steps: &[RunStep]) -> Attempt {
        let won = Mutex::new(false);
        // In member order, whatever order they failed in.
        let failures: Mutex<Vec<Option<Failure>>> = Mutex::new(vec![None; steps.len()]);
        let timed_out = self
            .run_members(
                ctx,
                steps,
                |i, member, result, members_cancel| match result {
                    StepResult::Ok => {
                        *won.lock().expect("group lock") = true;
                        members_cancel.cancel();
                    }
                    StepResult::Failed { reason, tail } => {
                        failures.lock().expect("group lock")[i] =
                            Some((member.id.clone(), reason, tail));
                    }
                    StepResult::Cancelled => {}
                },
            )
            .await;
        if ctx.cancel.is_cancelled() {
            return Attempt::Cancelled;
        }
        if *won.lock().expect("group lock") {
            return Attempt::Ok;
        }
        let failures: Vec<Failure> = failures
            .into_inner()
            .expect("group lock")
            .into_iter()
            .flatten()
            .collect();
        let reasons = failures
            .iter()
            .map(|(member, reason, _)| format!("{member}: {reason}"))
            .collect::<Vec<_>>()
            .join("; ");
        let tail = failures.into_iter().flat_map(|(_, _, tail)| tail).collect();
        if timed_out {
            let failed = match reasons.is_empty() {
                true => String::new(),
                false => format!(" (failed: {reasons})"),
            };
            return Attempt::TimedOut {
                reason: format!(
                    "timed out after {} before any member succeeded; the members still running were stopped{failed}",
                    ctx.timeout_text()
                ),
                tail,
            };
        }
        Attempt::Failed {
            reason: format!("all {} members failed: {reasons}", steps.len()),
            tail,
        }
    }

    /// Runs the members at once, handing each one's result to `ended` (with
    /// the token that cancels the members still running), until all have
    /// ended or the group's deadline passes; then cancels the rest and
    /// waits for them, so nothing they started is left running. Returns
    /// whether the deadline passed.
    async fn run_members(
        &self,
        ctx: &AttemptCtx<'_>,
        steps: &[RunStep],
        ended: impl Fn(usize, &RunStep, StepResult, &CancellationToken),
    ) -> bool {
        let members_cancel = ctx.cancel.child_token();
        let members = join_all(steps.iter().enumerate().map(|(i, member)| {
            let members_cancel = &members_cancel;
            let ended = &ended;
            async move {
                let result = self.run_step(member, Some(ctx.step), members_cancel).await;
                ended(i, member, result, members_cancel);
            }
        }));
        tokio::pin!(members);
        tokio::select! {
            biased;
            _ = &mut members => false,
            _ = ctx.deadline_reached() => {
                members_cancel.cancel();
                members.await;
                true
            }
        }
    }
}
