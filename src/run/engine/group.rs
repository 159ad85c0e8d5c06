//! `parallel { ... }`: members run at once on the engine's one thread. A
//! member that fails for good cancels its siblings and fails the group (its
//! own on-fail then decides); the group's timeout, when given, bounds the
//! whole group.

use super::Engine;
use super::step::StepResult;
use crate::run::action::{Attempt, AttemptCtx};
use crate::run::model::RunStep;
use futures_util::future::join_all;
use std::sync::Mutex;

impl Engine {
    pub async fn run_group(&self, ctx: &AttemptCtx<'_>, steps: &[RunStep]) -> Attempt {
        let members_cancel = ctx.cancel.child_token();
        let first_failure: Mutex<Option<(String, String, Vec<String>)>> = Mutex::new(None);
        let members = join_all(steps.iter().map(|member| {
            let members_cancel = &members_cancel;
            let first_failure = &first_failure;
            async move {
                let result = self
                    .run_step(member, Some(&ctx.step.id), members_cancel)
                    .await;
                if let StepResult::Failed { reason, tail } = result {
                    let mut first = first_failure.lock().expect("group lock");
                    if first.is_none() {
                        *first = Some((member.id.clone(), reason, tail));
                        members_cancel.cancel();
                    }
                }
            }
        }));
        tokio::pin!(members);
        let timed_out = tokio::select! {
            biased;
            _ = &mut members => false,
            _ = ctx.deadline_reached() => {
                members_cancel.cancel();
                members.await;
                true
            }
        };
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
}
