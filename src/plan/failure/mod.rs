//! `zinit plan --fail STEP`: the timeline when one step fails on every
//! attempt and every other step succeeds as early as it can (its best case).
//!
//! Every pass and every attempt of the failing step behave the same, so long
//! runs of them are summarised by one entry whose duration is computed, not
//! enumerated: `retry 4000000000` gives a short timeline, not a hang.

mod render;
mod simulate;

pub use render::{render_json, render_text};

use crate::plan::model::OnFail;
use serde::Serialize;
use std::fmt;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Timeline {
    /// The id of the step that fails.
    pub step: String,
    pub entries: Vec<Entry>,
    pub outcome: Outcome,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entry {
    /// Offset from the start of the script, saturating.
    pub at_ms: u64,
    /// 1-based pass of the script.
    pub pass: u64,
    #[serde(flatten)]
    pub event: Event,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    PassStarted {
        of: u64,
    },
    /// Another step, succeeding as early as it can.
    StepDone {
        step: String,
    },
    AttemptStarted {
        step: String,
        attempt: u64,
        of: u64,
    },
    AttemptTimedOut {
        step: String,
        attempt: u64,
        of: u64,
        timeout_ms: u64,
    },
    /// An attempt with no timeout fails at once.
    AttemptFailed {
        step: String,
        attempt: u64,
        of: u64,
    },
    RetryDelay {
        step: String,
        delay_ms: u64,
    },
    /// Attempts `from..=to` fail the same way and are not listed one by one.
    AttemptsElided {
        step: String,
        from: u64,
        to: u64,
    },
    /// Its retries are used up; `on_fail` decides what happens next.
    GaveUp {
        step: String,
        on_fail: OnFail,
        /// The group the step is a member of: `fail` fails the group
        /// rather than ending the pass.
        #[serde(skip_serializing_if = "Option::is_none")]
        group: Option<String>,
        /// The group is an `any`: the member only loses, and the group goes
        /// on with the others.
        #[serde(skip_serializing_if = "std::ops::Not::not")]
        any: bool,
    },
    /// A `start` step's service exits: the pass fails whatever its
    /// `on-fail` (see `plan::failing`), at once, without retries.
    ServiceExited {
        step: String,
    },
    /// A member failed for good (in an `any`: one succeeded): the group
    /// cancels the members still running.
    SiblingsCancelled {
        group: String,
    },
    /// In an `any` group: the first member to succeed; the group succeeds.
    MemberWon {
        group: String,
        step: String,
    },
    /// In an `any` group: every member failed, so the group fails.
    AllMembersFailed {
        group: String,
    },
    PassFailed,
    PolicyDelay {
        delay_ms: u64,
        next_pass: u64,
    },
    /// Passes `from..=to` fail the same way and are not listed one by one.
    PassesElided {
        from: u64,
        to: u64,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum Outcome {
    /// The script fails for good.
    Fails { after_ms: u64 },
    /// The failure was logged (`on-fail warn`) and the script went on.
    SucceedsWithWarning { after_ms: u64 },
    /// The failure was ignored (`on-fail continue`).
    Succeeds { after_ms: u64 },
    /// Another member of the `any` group holding the step succeeded.
    SucceedsByAnotherMember { after_ms: u64 },
}

#[derive(Debug, Clone, PartialEq)]
pub enum FailError {
    UnknownStep {
        given: String,
        suggestion: Option<String>,
        known: Vec<String>,
    },
    /// A sleep cannot fail.
    CannotFail { step: String },
}

impl fmt::Display for FailError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FailError::UnknownStep {
                given,
                suggestion,
                known,
            } => {
                write!(f, "--fail: no step `{given}` in this script")?;
                if let Some(s) = suggestion {
                    write!(f, "; did you mean `{s}`?")?;
                }
                if known.is_empty() {
                    write!(f, " (the script has no steps)")
                } else {
                    write!(f, "\n  the steps are: {}", known.join(", "))
                }
            }
            FailError::CannotFail { step } => {
                write!(f, "--fail: `{step}` is a sleep, which cannot fail")
            }
        }
    }
}

impl std::error::Error for FailError {}

pub use simulate::simulate_failure;
