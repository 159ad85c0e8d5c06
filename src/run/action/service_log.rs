//! What a started service printed, as far as `wait log` asks: one counter
//! per `wait log` step that names the service, fed by the service's
//! watcher as each line arrives (no polling, no timer), from the service's
//! first line on. A line printed before its wait began is counted all the
//! same, so there is no race; memory stays bounded (a count per wait, and
//! the last lines for messages), whatever the service prints.

use crate::run::model::{LineMatcher, RunAction, RunStep};
use crate::run::process::output::Tail;
use std::sync::Arc;
use tokio::sync::watch;

/// A `wait log` step of the plan: which service, which lines, how many.
#[derive(Debug, Clone)]
pub struct LogWatch {
    pub service: String,
    /// The `wait log` step's id (unique in the plan).
    pub wait: String,
    pub matcher: Arc<LineMatcher>,
    pub times: u64,
}

/// Every `wait log` step of `steps`, group members included.
pub fn log_watches(steps: &[RunStep]) -> Vec<LogWatch> {
    let mut out = Vec::new();
    let mut pending: Vec<&RunStep> = steps.iter().collect();
    while let Some(step) = pending.pop() {
        match &step.action {
            RunAction::WaitLog(wait) => out.push(LogWatch {
                service: wait.service.clone(),
                wait: step.id.clone(),
                matcher: wait.matcher.clone(),
                times: wait.times,
            }),
            RunAction::Parallel(members) | RunAction::Any(members) => pending.extend(members),
            _ => {}
        }
    }
    out
}

/// The counted lines of one run of one service.
pub struct ServiceLog {
    watches: Vec<LogWatch>,
    state: watch::Sender<LogState>,
}

/// What a waiting step reads.
#[derive(Debug, Clone, Default)]
pub struct LogState {
    /// Lines counted for each watch (up to its `times`), in watch order.
    pub counts: Vec<u64>,
    /// The last lines of both streams, for messages.
    pub tail: Tail,
    /// How the service ended (`exited with status 1`), once it has.
    pub ended: Option<String>,
}

impl ServiceLog {
    pub fn new(watches: Vec<LogWatch>) -> Self {
        let counts = vec![0; watches.len()];
        ServiceLog {
            watches,
            state: watch::channel(LogState {
                counts,
                ..LogState::default()
            })
            .0,
        }
    }

    /// One line of the service's output. Waiters wake only when a count
    /// moved; a line no watch wants is only kept in the tail.
    pub fn line(&self, line: &str) {
        if self.watches.is_empty() {
            return;
        }
        self.state.send_if_modified(|state| {
            state.tail.push(line);
            let mut counted = false;
            for (watch, count) in self.watches.iter().zip(state.counts.iter_mut()) {
                if *count < watch.times && watch.matcher.matches(line) {
                    *count += 1;
                    counted = true;
                }
            }
            counted
        });
    }

    /// The service ended (its output is read to the end by then).
    pub fn end(&self, how: &str) {
        self.state
            .send_modify(|state| state.ended = Some(how.to_string()));
    }

    /// The position of `wait`'s counter.
    pub fn watch_of(&self, wait: &str) -> Option<usize> {
        self.watches.iter().position(|w| w.wait == wait)
    }

    pub fn subscribe(&self) -> watch::Receiver<LogState> {
        self.state.subscribe()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn watch(wait: &str, text: &str, times: u64) -> LogWatch {
        LogWatch {
            service: "api".into(),
            wait: wait.into(),
            matcher: Arc::new(LineMatcher::Contains(text.into())),
            times,
        }
    }

    #[test]
    fn counts_each_watch_up_to_its_times_and_wakes_only_on_a_count() {
        let log = ServiceLog::new(vec![watch("a", "ready", 2), watch("b", "boot", 1)]);
        let mut rx = log.subscribe();
        log.line("nothing");
        assert!(!rx.has_changed().unwrap(), "an uncounted line wakes nobody");
        for _ in 0..3 {
            log.line("ready");
        }
        log.line("booting");
        assert!(rx.has_changed().unwrap());
        let state = rx.borrow_and_update().clone();
        assert_eq!(state.counts, [2, 1]);
        assert_eq!(state.tail.lines().len(), 5);
        assert_eq!((log.watch_of("b"), log.watch_of("c")), (Some(1), None));
        log.end("exited with status 0");
        assert_eq!(rx.borrow().ended.as_deref(), Some("exited with status 0"));
    }
}
