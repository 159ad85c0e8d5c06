//! The simulation behind `--fail STEP`.

mod group;

use super::{Entry, Event, FailError, Outcome, Timeline};
use crate::plan::model::OnFail;
use crate::plan::model::{Delay, Plan, PlanAction, PlanStep, millis_of};
use crate::plan::timing::step_timing;

/// Attempts (and passes) listed before the rest is summarised; the last
/// one is always listed.
const HEAD: u64 = 3;

pub fn simulate_failure(plan: &Plan, step_id: &str) -> Result<Timeline, FailError> {
    let Some(step) = find(&plan.steps, step_id) else {
        return Err(unknown_step(plan, step_id));
    };
    if matches!(step.action, PlanAction::Sleep { .. }) {
        return Err(FailError::CannotFail {
            step: step_id.to_string(),
        });
    }
    let mut sim = Sim {
        target: step_id,
        groups: Vec::new(),
        entries: Vec::new(),
        pass: 1,
    };
    let outcome = sim.run_passes(plan);
    Ok(Timeline {
        step: step_id.to_string(),
        entries: sim.entries,
        outcome,
    })
}

/// How a step (or a sequence of steps) ended, as far as its parent cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Effect {
    Ok,
    /// Went on after a logged failure.
    Warned,
    /// Went on after an ignored failure.
    Continued,
    /// Ends the enclosing pass (or fails the enclosing group).
    Failed,
    /// A service exited: the pass fails whatever any `on-fail` says.
    Exited,
}

impl Effect {
    fn ends_pass(self) -> bool {
        matches!(self, Effect::Failed | Effect::Exited)
    }

    /// The more notable of two effects of steps that both ran.
    fn and(self, other: Effect) -> Effect {
        use Effect::*;
        match (self, other) {
            (Exited, _) | (_, Exited) => Exited,
            (Failed, _) | (_, Failed) => Failed,
            (Warned, _) | (_, Warned) => Warned,
            (Continued, _) | (_, Continued) => Continued,
            _ => Ok,
        }
    }
}

/// One attempt: `(sim, attempt, of, start) → (end, effect)`.
type Attempt<'s, 'a> = dyn FnMut(&mut Sim<'a>, u64, u64, u64) -> (u64, Effect) + 's;

struct Group {
    id: String,
    /// An `any` group: a member that fails only loses.
    any: bool,
}

struct Sim<'a> {
    target: &'a str,
    /// The groups around the step being simulated, innermost last.
    groups: Vec<Group>,
    entries: Vec<Entry>,
    pass: u64,
}

impl<'a> Sim<'a> {
    fn push(&mut self, at_ms: u64, event: Event) {
        self.entries.push(Entry {
            at_ms,
            pass: self.pass,
            event,
        });
    }

    fn run_passes(&mut self, plan: &Plan) -> Outcome {
        let passes = plan.policy.passes();
        let mut t: u64 = 0;
        let mut pass_ms: u64 = 0;
        let mut k = 1;
        while k <= passes {
            self.pass = k;
            if k == HEAD + 1 && passes > HEAD + 2 {
                // Passes HEAD+1 ..= passes-1, each followed by its policy delay.
                let elided = passes - 1 - HEAD;
                let delays = delay_range_ms(&plan.policy.delay, HEAD, passes - 1);
                self.push(
                    t,
                    Event::PassesElided {
                        from: k,
                        to: passes - 1,
                    },
                );
                t = t
                    .saturating_add(pass_ms.saturating_mul(elided))
                    .saturating_add(delays);
                k = passes;
                continue;
            }
            let start = t;
            if passes > 1 {
                self.push(t, Event::PassStarted { of: passes });
            }
            let (end, effect) = self.run_steps(&plan.steps, t);
            t = end;
            pass_ms = end.saturating_sub(start);
            match effect {
                Effect::Failed | Effect::Exited => self.push(t, Event::PassFailed),
                Effect::Warned => return Outcome::SucceedsWithWarning { after_ms: t },
                Effect::Continued => return Outcome::Succeeds { after_ms: t },
                // The failing step always has an effect, unless an `any` absorbed it.
                Effect::Ok => return Outcome::SucceedsByAnotherMember { after_ms: t },
            }
            if k < passes {
                let delay = millis_of(plan.policy.delay.nth(index(k - 1), 1.0));
                self.push(
                    t,
                    Event::PolicyDelay {
                        delay_ms: delay,
                        next_pass: k + 1,
                    },
                );
                t = t.saturating_add(delay);
            }
            k += 1;
        }
        Outcome::Fails { after_ms: t }
    }

    fn run_steps(&mut self, steps: &[PlanStep], mut t: u64) -> (u64, Effect) {
        let mut effect = Effect::Ok;
        for step in steps {
            let (end, e) = self.run_step(step, t);
            t = end;
            effect = effect.and(e);
            if e.ends_pass() {
                break;
            }
        }
        (t, effect)
    }

    fn run_step(&mut self, step: &PlanStep, t: u64) -> (u64, Effect) {
        if step.id == self.target && matches!(step.action, PlanAction::Start(_)) {
            // The service is spawned and exits at once; nothing retries it.
            let step = step.id.clone();
            let of = 1;
            self.push(
                t,
                Event::AttemptStarted {
                    step: step.clone(),
                    attempt: 1,
                    of,
                },
            );
            self.push(t, Event::ServiceExited { step });
            return (t, Effect::Exited);
        }
        if step.id == self.target {
            let (end, effect) = self.repeat_attempts(step, t, &mut |sim, k, of, t| {
                sim.push(
                    t,
                    Event::AttemptStarted {
                        step: step.id.clone(),
                        attempt: k,
                        of,
                    },
                );
                match step.timeout {
                    Some(timeout) => {
                        let timeout_ms = millis_of(timeout);
                        let end = t.saturating_add(timeout_ms);
                        let step = step.id.clone();
                        sim.push(
                            end,
                            Event::AttemptTimedOut {
                                step,
                                attempt: k,
                                of,
                                timeout_ms,
                            },
                        );
                        (end, Effect::Failed)
                    }
                    None => {
                        let step = step.id.clone();
                        sim.push(
                            t,
                            Event::AttemptFailed {
                                step,
                                attempt: k,
                                of,
                            },
                        );
                        (t, Effect::Failed)
                    }
                }
            });
            return self.decide(step, end, effect);
        }
        if let Some(steps) = step.action.members()
            && find(steps, self.target).is_some()
        {
            let (end, effect) = self.repeat_attempts(step, t, &mut |sim, k, of, t| {
                sim.group_attempt(step, steps, k, of, t)
            });
            return self.decide(step, end, effect);
        }
        let end = t.saturating_add(millis_of(step_timing(step).best));
        self.push(
            end,
            Event::StepDone {
                step: step.id.clone(),
            },
        );
        (end, Effect::Ok)
    }

    /// After the last failed attempt, `on-fail` decides.
    fn decide(&mut self, step: &PlanStep, t: u64, effect: Effect) -> (u64, Effect) {
        if effect != Effect::Failed {
            return (t, effect);
        }
        self.push(
            t,
            Event::GaveUp {
                step: step.id.clone(),
                on_fail: step.on_fail,
                group: self.groups.last().map(|g| g.id.clone()),
                any: self.groups.last().is_some_and(|g| g.any),
            },
        );
        let effect = match step.on_fail {
            OnFail::Fail => Effect::Failed,
            OnFail::Warn => Effect::Warned,
            OnFail::Continue => Effect::Continued,
        };
        (t, effect)
    }

    /// The step's attempts until one does not fail or none are left. All
    /// attempts behave alike, so the middle ones are summarised.
    fn repeat_attempts(
        &mut self,
        step: &PlanStep,
        mut t: u64,
        attempt: &mut Attempt<'_, 'a>,
    ) -> (u64, Effect) {
        let of = step.retry.attempts();
        let mut attempt_ms: u64 = 0;
        let mut k = 1;
        while k <= of {
            if k == HEAD + 1 && of > HEAD + 2 {
                // Attempts HEAD+1 ..= of-1, each followed by its retry delay.
                let elided = of - 1 - HEAD;
                let delays = delay_range_ms(&step.retry.delay, HEAD, of - 1);
                self.push(
                    t,
                    Event::AttemptsElided {
                        step: step.id.clone(),
                        from: k,
                        to: of - 1,
                    },
                );
                t = t
                    .saturating_add(attempt_ms.saturating_mul(elided))
                    .saturating_add(delays);
                k = of;
                continue;
            }
            let (end, effect) = attempt(self, k, of, t);
            attempt_ms = end.saturating_sub(t);
            t = end;
            if effect != Effect::Failed {
                return (t, effect);
            }
            if k < of {
                let delay = millis_of(step.retry.delay.nth(index(k - 1), 1.0));
                self.push(
                    t,
                    Event::RetryDelay {
                        step: step.id.clone(),
                        delay_ms: delay,
                    },
                );
                t = t.saturating_add(delay);
            }
            k += 1;
        }
        (t, Effect::Failed)
    }
}

/// The sum of the delays with 0-based index in `from..to`, saturating.
fn delay_range_ms(delay: &Delay, from: u64, to: u64) -> u64 {
    millis_of(delay.total(index(to))).saturating_sub(millis_of(delay.total(index(from))))
}

/// A retry index as the `u32` the delay schedule takes (counts are `u32`).
fn index(i: u64) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

fn find<'a>(steps: &'a [PlanStep], id: &str) -> Option<&'a PlanStep> {
    steps.iter().find_map(|s| match s.action.members() {
        _ if s.id == id => Some(s),
        Some(steps) => find(steps, id),
        None => None,
    })
}

fn all_ids(steps: &[PlanStep], out: &mut Vec<String>) {
    for step in steps {
        out.push(step.id.clone());
        if let Some(steps) = step.action.members() {
            all_ids(steps, out);
        }
    }
}

fn unknown_step(plan: &Plan, given: &str) -> FailError {
    let mut known = Vec::new();
    all_ids(&plan.steps, &mut known);
    let suggestion = crate::plan::compile::closest_id(given, known.iter().map(String::as_str))
        .map(str::to_string);
    FailError::UnknownStep {
        given: given.to_string(),
        suggestion,
        known,
    }
}
