//! What the engine tells the outside world. Every reporter (terminal, plain
//! lines, JSON) reads these events and nothing else; the JSON reporter prints
//! them as they are, so this type is the schema documented in the book
//! (`book/src/run-events.md`). Fields are only ever added.

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    RunStarted {
        /// Top-level steps of one pass.
        steps: usize,
        /// `none`, `restart` or `backoff`.
        policy: &'static str,
        /// Passes at most: 1 + the policy's re-runs.
        passes: u32,
    },
    PassStarted {
        pass: u32,
        passes: u32,
    },
    StepStarted {
        step: String,
        action: &'static str,
        detail: String,
        /// Attempts at most: 1 + the step's retries.
        attempts: u32,
        timeout_ms: Option<u64>,
        /// The enclosing `parallel` group, if any.
        parent: Option<String>,
    },
    AttemptStarted {
        step: String,
        attempt: u32,
        attempts: u32,
    },
    AttemptFailed {
        step: String,
        attempt: u32,
        attempts: u32,
        /// `failed` or `timeout`.
        kind: FailureKind,
        reason: String,
        /// The last lines the command printed (commands and services only).
        #[serde(skip_serializing_if = "Vec::is_empty")]
        tail: Vec<String>,
    },
    RetryScheduled {
        step: String,
        /// The attempt that runs after the delay.
        attempt: u32,
        attempts: u32,
        /// Exactly what the engine sleeps before that attempt.
        delay_ms: u64,
    },
    Output {
        step: String,
        stream: Stream,
        line: String,
    },
    StepEnded {
        step: String,
        outcome: StepOutcome,
        /// Attempts made.
        attempts: u32,
        elapsed_ms: u64,
        #[serde(skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    ServiceExited {
        step: String,
        status: String,
        /// `init` while steps still run (the running steps fail), `command`
        /// while the hand-over command runs.
        phase: &'static str,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        tail: Vec<String>,
    },
    ServiceStopped {
        step: String,
        /// `terminated` (ended after SIGTERM) or `killed` (needed SIGKILL
        /// after the grace period). A service that had already exited was
        /// reported by `service_exited` instead.
        how: &'static str,
    },
    PassEnded {
        pass: u32,
        outcome: PassOutcome,
        #[serde(skip_serializing_if = "Option::is_none")]
        failed_step: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
        /// The failed step's last output lines, when it printed any.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        tail: Vec<String>,
    },
    PolicyDelay {
        /// The pass that runs after the delay.
        pass: u32,
        passes: u32,
        /// Exactly what the engine sleeps before that pass.
        delay_ms: u64,
    },
    CommandStarted {
        argv: Vec<String>,
        pid: u32,
    },
    CommandEnded {
        exit_code: i32,
        /// Set when the command was killed by a signal (exit code 128 + N).
        #[serde(skip_serializing_if = "Option::is_none")]
        signal: Option<i32>,
    },
    RunEnded {
        outcome: RunOutcome,
        exit_code: i32,
        elapsed_ms: u64,
    },
}

impl Event {
    /// The event as every output shows it: URL passwords masked
    /// ([`crate::secret`]) in every text it carries.
    pub fn redacted(&self) -> Event {
        let mut event = self.clone();
        let mask = |text: &mut String| {
            if let std::borrow::Cow::Owned(masked) = crate::secret::redact_urls(text) {
                *text = masked;
            }
        };
        match &mut event {
            Event::StepStarted { detail, .. } => mask(detail),
            Event::AttemptFailed { reason, tail, .. } => {
                mask(reason);
                tail.iter_mut().for_each(mask);
            }
            Event::Output { line, .. } => mask(line),
            Event::StepEnded { reason, .. } => reason.iter_mut().for_each(mask),
            Event::ServiceExited { status, tail, .. } => {
                mask(status);
                tail.iter_mut().for_each(mask);
            }
            Event::PassEnded { reason, tail, .. } => {
                reason.iter_mut().for_each(mask);
                tail.iter_mut().for_each(mask);
            }
            Event::CommandStarted { argv, .. } => argv.iter_mut().for_each(mask),
            Event::RunStarted { .. }
            | Event::PassStarted { .. }
            | Event::AttemptStarted { .. }
            | Event::RetryScheduled { .. }
            | Event::ServiceStopped { .. }
            | Event::PolicyDelay { .. }
            | Event::CommandEnded { .. }
            | Event::RunEnded { .. } => {}
        }
        event
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FailureKind {
    Failed,
    Timeout,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stream {
    Stdout,
    Stderr,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StepOutcome {
    Ok,
    /// Failed for good with `on-fail fail`: the pass fails.
    Failed,
    /// Failed for good with `on-fail warn`: logged, the pass goes on.
    Warned,
    /// Failed for good with `on-fail continue`: the pass goes on silently.
    Continued,
    /// Stopped because of Ctrl-C / SIGTERM, a failed sibling, a sibling
    /// that won an `any` group, or the group's timeout.
    Cancelled,
    /// A member of an `any` group failed for good: it lost, and the group
    /// goes on with its other members.
    Lost,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PassOutcome {
    Ok,
    Failed,
    Interrupted,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RunOutcome {
    /// The init succeeded (and the command, if any, ran; see `exit_code`).
    Ok,
    Failed,
    Interrupted,
}

/// Receives the engine's events. Called from the engine's single thread, in
/// order; implementations must not block for long.
pub trait Reporter: Send + Sync {
    fn event(&self, event: &Event);

    /// Called about every 100ms while steps run, for live displays.
    fn tick(&self) {}

    /// Whether [`Reporter::tick`] does anything (saves the timer otherwise).
    fn wants_ticks(&self) -> bool {
        false
    }

    /// Stop any live display before the hand-over command takes the terminal.
    fn pause(&self) {}

    /// The run is over: write what is still queued, within a bound (a
    /// stalled reader loses the rest rather than holding zinit's exit).
    fn finish(&self) {}
}
