//! Passes of the script under its policy: a failed pass stops its services
//! and, while the policy allows, the script runs again from the first step
//! after exactly the plan's delay.

use super::step::StepResult;
use super::{Engine, Paused};
use crate::run::event::{Event, PassOutcome};
use crate::run::fmt::millis;
use crate::run::model::{RunPlan, RunStep};
use tokio_util::sync::CancellationToken;

/// How the init (all passes) ended.
#[derive(Debug, Clone, PartialEq)]
pub enum InitOutcome {
    /// A pass succeeded; its services are still running.
    Ok,
    /// The last pass failed at `step`.
    Failed {
        step: String,
        reason: String,
        tail: Vec<String>,
    },
    Interrupted,
}

impl Engine {
    /// Runs passes until one succeeds, the policy is used up, or `cancel` fires.
    pub async fn run_init(&self, plan: &RunPlan, cancel: &CancellationToken) -> InitOutcome {
        // As the plan counts them (bounded by the checker far below `u32::MAX`).
        let passes = u32::try_from(plan.policy.passes()).unwrap_or(u32::MAX);
        self.emit(Event::RunStarted {
            steps: plan.steps.len(),
            policy: plan.policy.kind.as_str(),
            passes,
        });
        self.services
            .watch_logs(crate::run::action::service_log::log_watches(&plan.steps));
        let mut outcome = InitOutcome::Interrupted;
        for pass in 1..=passes {
            if pass > 1 {
                let delay = self.delay(&plan.policy.delay, pass - 2);
                self.emit(Event::PolicyDelay {
                    pass,
                    passes,
                    delay_ms: millis(delay),
                });
                // No service runs between passes, so only a cancel can cut this short.
                if !matches!(self.pause(delay, cancel).await, Paused::Done) {
                    return InitOutcome::Interrupted;
                }
            }
            self.emit(Event::PassStarted { pass, passes });
            outcome = self.run_pass(&plan.steps, cancel).await;
            if outcome != InitOutcome::Ok {
                self.services.stop_all().await;
            }
            let (result, failed_step, reason, tail) = match &outcome {
                InitOutcome::Ok => (PassOutcome::Ok, None, None, Vec::new()),
                InitOutcome::Failed { step, reason, tail } => (
                    PassOutcome::Failed,
                    Some(step.clone()),
                    Some(reason.clone()),
                    tail.clone(),
                ),
                InitOutcome::Interrupted => (PassOutcome::Interrupted, None, None, Vec::new()),
            };
            self.emit(Event::PassEnded {
                pass,
                outcome: result,
                failed_step,
                reason,
                tail,
            });
            if !matches!(outcome, InitOutcome::Failed { .. }) {
                break;
            }
        }
        outcome
    }

    async fn run_pass(&self, steps: &[RunStep], cancel: &CancellationToken) -> InitOutcome {
        for step in steps {
            if let Some(stop) = self.stop_reason(cancel) {
                return stop;
            }
            match self.run_step(step, None, cancel).await {
                StepResult::Ok => {}
                StepResult::Failed { reason, tail } => {
                    return InitOutcome::Failed {
                        step: step.id.clone(),
                        reason,
                        tail,
                    };
                }
                StepResult::Cancelled => return InitOutcome::Interrupted,
            }
        }
        // A service that died during the last step (say one with `on-fail warn`) still fails the pass.
        self.stop_reason(cancel).unwrap_or(InitOutcome::Ok)
    }

    /// Why the pass cannot go on: a cancel, or a service that exited.
    fn stop_reason(&self, cancel: &CancellationToken) -> Option<InitOutcome> {
        if cancel.is_cancelled() {
            return Some(InitOutcome::Interrupted);
        }
        let exit = self.services.exit_seen()?;
        Some(InitOutcome::Failed {
            reason: format!("service {} {}", exit.step, exit.status),
            step: exit.step,
            tail: exit.tail,
        })
    }

    /// Stops the services of the last pass (after the hand-over command, or at once without one).
    pub async fn stop_services(&self) {
        self.services.stop_all().await;
    }
}
