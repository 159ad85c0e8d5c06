//! One step: its attempts, the delays between them, then `on-fail`.
//!
//! A service that exits while a step runs fails that step at once, whatever
//! its retries and `on-fail` say: the pass cannot succeed without the
//! service, so it fails (and the script policy decides whether to re-run it).

use super::{Engine, Paused};
use crate::plan::model::OnFail;
use crate::run::action::service::ServiceExit;
use crate::run::action::{self, Attempt, AttemptCtx};
use crate::run::event::{Event, FailureKind, StepOutcome};
use crate::run::fmt::millis;
use crate::run::model::{RunAction, RunStep};
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

/// How a step ended, as far as its pass is concerned.
#[derive(Debug, Clone, PartialEq)]
pub enum StepResult {
    /// Succeeded, or failed with `on-fail warn|continue`.
    Ok,
    /// Failed for good: the pass (or the enclosing group) fails.
    Failed {
        reason: String,
        tail: Vec<String>,
    },
    Cancelled,
}

enum Watched {
    Done(Attempt),
    ServiceExited(ServiceExit),
}

impl Engine {
    /// `parent`: the group the step is a member of, if any.
    pub(super) async fn run_step(
        &self,
        step: &RunStep,
        parent: Option<&RunStep>,
        cancel: &CancellationToken,
    ) -> StepResult {
        let attempts = step.attempts();
        self.emit(Event::StepStarted {
            step: step.id.clone(),
            action: step.action.kind(),
            detail: step.action.detail(),
            attempts,
            timeout_ms: step.timeout.map(millis),
            parent: parent.map(|p| p.id.clone()),
        });
        let started = Instant::now();
        let ended = |outcome, attempts, reason: Option<String>| {
            self.emit(Event::StepEnded {
                step: step.id.clone(),
                outcome,
                attempts,
                elapsed_ms: millis(started.elapsed()),
                reason,
            });
        };
        let mut last = (String::new(), Vec::new());
        for attempt in 1..=attempts {
            self.emit(Event::AttemptStarted {
                step: step.id.clone(),
                attempt,
                attempts,
            });
            let (kind, reason, tail) = match self.attempt_watched(step, cancel).await {
                Watched::Done(Attempt::Ok) => {
                    ended(StepOutcome::Ok, attempt, None);
                    return StepResult::Ok;
                }
                Watched::Done(Attempt::Cancelled) => {
                    ended(StepOutcome::Cancelled, attempt, None);
                    return StepResult::Cancelled;
                }
                Watched::Done(Attempt::Failed { reason, tail }) => {
                    (FailureKind::Failed, reason, tail)
                }
                Watched::Done(Attempt::TimedOut { reason, tail }) => {
                    (FailureKind::Timeout, reason, tail)
                }
                Watched::ServiceExited(exit) => {
                    return self.failed_by_service(step, attempt, exit, &ended);
                }
            };
            self.emit(Event::AttemptFailed {
                step: step.id.clone(),
                attempt,
                attempts,
                kind,
                reason: reason.clone(),
                tail: tail.clone(),
            });
            last = (reason, tail);
            if attempt == attempts {
                break;
            }
            let delay = self.delay(&step.retry.delay, attempt - 1);
            self.emit(Event::RetryScheduled {
                step: step.id.clone(),
                attempt: attempt + 1,
                attempts,
                delay_ms: millis(delay),
            });
            match self.pause(delay, cancel).await {
                Paused::Done => {}
                Paused::Cancelled => {
                    ended(StepOutcome::Cancelled, attempt, None);
                    return StepResult::Cancelled;
                }
                Paused::ServiceExited(exit) => {
                    return self.failed_by_service(step, attempt, exit, &ended);
                }
            }
        }
        let (reason, tail) = last;
        let in_any = parent.is_some_and(|p| matches!(p.action, RunAction::Any(_)));
        let outcome = match step.on_fail {
            OnFail::Fail if in_any => StepOutcome::Lost,
            OnFail::Fail => StepOutcome::Failed,
            OnFail::Warn => StepOutcome::Warned,
            OnFail::Continue => StepOutcome::Continued,
        };
        ended(outcome, attempts, Some(reason.clone()));
        match step.on_fail {
            OnFail::Fail => StepResult::Failed { reason, tail },
            OnFail::Warn | OnFail::Continue => StepResult::Ok,
        }
    }

    fn failed_by_service(
        &self,
        step: &RunStep,
        attempt: u32,
        exit: ServiceExit,
        ended: &impl Fn(StepOutcome, u32, Option<String>),
    ) -> StepResult {
        let reason = format!("service {} {}", exit.step, exit.status);
        self.emit(Event::AttemptFailed {
            step: step.id.clone(),
            attempt,
            attempts: step.attempts(),
            kind: FailureKind::Failed,
            reason: reason.clone(),
            tail: exit.tail.clone(),
        });
        ended(StepOutcome::Failed, attempt, Some(reason.clone()));
        StepResult::Failed {
            reason,
            tail: exit.tail,
        }
    }

    /// One attempt of the step's action; a group's members are the engine's.
    async fn attempt(&self, ctx: &AttemptCtx<'_>) -> Attempt {
        match &ctx.step.action {
            RunAction::Parallel(steps) => Box::pin(self.run_group(ctx, steps)).await,
            RunAction::Any(steps) => Box::pin(self.run_any(ctx, steps)).await,
            _ => action::attempt(ctx).await,
        }
    }

    /// One attempt, cut short if a service exits meanwhile. The attempt is
    /// always awaited to its end (after cancelling it), so a command it ran
    /// is stopped properly, never just dropped.
    async fn attempt_watched(&self, step: &RunStep, cancel: &CancellationToken) -> Watched {
        let ctx = AttemptCtx {
            resources: &self.resources,
            step,
            // A timeout too large to represent is no timeout.
            deadline: step.timeout.and_then(|t| Instant::now().checked_add(t)),
            cancel: cancel.child_token(),
        };
        let attempt = self.attempt(&ctx);
        tokio::pin!(attempt);
        tokio::select! {
            biased;
            result = &mut attempt => Watched::Done(result),
            exit = self.services.exited() => {
                ctx.cancel.cancel();
                attempt.await;
                Watched::ServiceExited(exit)
            }
        }
    }
}
