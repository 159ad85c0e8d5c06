//! The human wording of events, shared by the plain and terminal reporters.

use crate::run::event::{Event, FailureKind, PassOutcome, RunOutcome, StepOutcome};
use crate::run::fmt::{duration, elapsed};
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Info,
    Good,
    Warn,
    Bad,
}

impl Tone {
    /// What `--quiet` still shows: warnings and failures.
    pub fn is_notable(self) -> bool {
        matches!(self, Tone::Warn | Tone::Bad)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub tone: Tone,
    pub text: String,
    /// A live display shows this state on the step's own line instead.
    pub live: bool,
    /// Output lines to show under it (a failure's tail).
    pub tail: Vec<String>,
}

fn line(tone: Tone, text: String) -> Option<Line> {
    Some(Line {
        tone,
        text,
        live: false,
        tail: Vec::new(),
    })
}

fn live(text: String) -> Option<Line> {
    Some(Line {
        tone: Tone::Info,
        text,
        live: true,
        tail: Vec::new(),
    })
}

fn ms(ms: u64) -> String {
    duration(Duration::from_millis(ms))
}

/// What to print for an event; `None` for events that say nothing to a
/// person (and for output lines, which reporters print themselves).
pub fn describe(event: &Event) -> Option<Line> {
    match event {
        Event::RunStarted { passes, policy, .. } if *passes > 1 => live(format!(
            "init: script policy `{policy}`, up to {passes} passes"
        )),
        Event::RunStarted { .. } | Event::Output { .. } | Event::AttemptStarted { .. } => None,
        Event::PassStarted { pass, passes } if *pass > 1 => line(
            Tone::Info,
            format!("pass {pass} of {passes}: from the first step"),
        ),
        Event::PassStarted { .. } => None,
        Event::StepStarted {
            step,
            detail,
            action,
            timeout_ms,
            ..
        } => live(format!(
            "{step}: {} {detail}{}",
            action.replace('_', " "),
            timeout_ms.map_or(String::new(), |t| format!(" (timeout {})", ms(t)))
        )),
        Event::AttemptFailed {
            step,
            attempt,
            attempts,
            kind,
            reason,
            ..
        } if *attempt < *attempts => line(
            Tone::Warn,
            format!(
                "{step}: attempt {attempt} of {attempts} {}: {reason}",
                match kind {
                    FailureKind::Failed => "failed",
                    FailureKind::Timeout => "timed out",
                }
            ),
        ),
        // The last attempt's reason is told by `step_ended`.
        Event::AttemptFailed { .. } => None,
        Event::RetryScheduled {
            step,
            attempt,
            attempts,
            delay_ms,
        } => live(format!(
            "{step}: attempt {attempt} of {attempts} in {}",
            ms(*delay_ms)
        )),
        Event::StepEnded {
            step,
            outcome,
            attempts,
            elapsed_ms,
            reason,
        } => {
            let took = elapsed(Duration::from_millis(*elapsed_ms));
            let after = if *attempts > 1 {
                format!(" after {attempts} attempts")
            } else {
                String::new()
            };
            let reason = reason.as_deref().unwrap_or("");
            match outcome {
                StepOutcome::Ok => line(Tone::Good, format!("{step}: ok in {took}{after}")),
                StepOutcome::Failed => line(Tone::Bad, format!("{step}: failed{after}: {reason}")),
                StepOutcome::Warned => line(
                    Tone::Warn,
                    format!("{step}: failed{after}, going on (on-fail warn): {reason}"),
                ),
                StepOutcome::Continued => line(
                    Tone::Info,
                    format!("{step}: failed{after}, going on (on-fail continue)"),
                ),
                StepOutcome::Cancelled => {
                    line(Tone::Info, format!("{step}: cancelled after {took}"))
                }
                // The group tells whether that mattered.
                StepOutcome::Lost => line(
                    Tone::Info,
                    format!("{step}: failed{after}, the `any` group goes on: {reason}"),
                ),
            }
        }
        Event::ServiceExited {
            step,
            status,
            phase,
            tail,
        } => Some(Line {
            tone: if *phase == "init" {
                Tone::Bad
            } else {
                Tone::Warn
            },
            text: format!("service {step} {status}"),
            live: false,
            tail: tail.clone(),
        }),
        Event::ServiceStopped { step, how } => line(Tone::Info, format!("service {step} {how}")),
        Event::PassEnded {
            pass,
            outcome: PassOutcome::Failed,
            failed_step,
            reason,
            tail,
        } => Some(Line {
            tone: Tone::Bad,
            text: format!(
                "pass {pass} failed at {}: {}",
                failed_step.as_deref().unwrap_or("?"),
                reason.as_deref().unwrap_or("")
            ),
            live: false,
            tail: tail.clone(),
        }),
        Event::PassEnded { .. } => None,
        Event::PolicyDelay {
            pass,
            passes,
            delay_ms,
        } => line(
            Tone::Info,
            format!(
                "script policy: pass {pass} of {passes} in {}",
                ms(*delay_ms)
            ),
        ),
        Event::CommandStarted { argv, pid } => line(
            Tone::Info,
            format!(
                "init done; running `{}` (pid {pid})",
                crate::run::fmt::argv(argv)
            ),
        ),
        Event::CommandEnded { exit_code, .. } => {
            line(Tone::Info, format!("command exited with code {exit_code}"))
        }
        Event::RunEnded {
            outcome,
            exit_code,
            elapsed_ms,
        } => {
            let took = elapsed(Duration::from_millis(*elapsed_ms));
            match outcome {
                // The init worked; a failing hand-over command is its own business, but say so.
                RunOutcome::Ok => line(
                    if *exit_code == 0 {
                        Tone::Good
                    } else {
                        Tone::Warn
                    },
                    format!("done in {took} (exit {exit_code})"),
                ),
                RunOutcome::Failed => line(
                    Tone::Bad,
                    format!("init failed after {took} (exit {exit_code})"),
                ),
                RunOutcome::Interrupted => line(
                    Tone::Bad,
                    format!("interrupted after {took} (exit {exit_code})"),
                ),
            }
        }
    }
}
