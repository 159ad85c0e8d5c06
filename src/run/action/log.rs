//! `wait log SERVICE contains STR|matches RE [times N]`: ready once the
//! service's counter for this step (see [`super::service_log`]) reaches N.
//! Woken by the service's watcher when a line is counted or the service
//! ends; nothing is polled. A service that ends first fails the attempt at
//! once, with its last lines.

use super::service_log::LogState;
use super::{Attempt, AttemptCtx};
use crate::run::model::LogWait;

pub async fn wait(ctx: &AttemptCtx<'_>, wait: &LogWait) -> Attempt {
    let services = ctx.resources.services();
    let deadline = ctx.deadline_reached();
    tokio::pin!(deadline);
    // A `start` in the same `parallel` group may not have run yet.
    let mut adoptions = services.adoptions();
    let log = loop {
        if let Some(log) = services.log(&wait.service) {
            break log;
        }
        tokio::select! {
            biased;
            _ = ctx.cancel.cancelled() => return Attempt::Cancelled,
            _ = &mut deadline => {
                let why = format!("service {} has not started", wait.service);
                return ctx.timed_out(Some(&why));
            }
            _ = adoptions.changed() => {}
        }
    };
    let Some(index) = log.watch_of(&ctx.step.id) else {
        return Attempt::failed(format!(
            "service {} was started without this wait's counter",
            wait.service
        ));
    };
    let mut state = log.subscribe();
    loop {
        if let Some(end) = verdict(&state.borrow_and_update(), index, wait) {
            return end;
        }
        tokio::select! {
            biased;
            _ = ctx.cancel.cancelled() => return Attempt::Cancelled,
            _ = &mut deadline => {
                let now = state.borrow();
                let mut attempt = ctx.timed_out(Some(&progress(&now, index, wait)));
                if let Attempt::TimedOut { tail, .. } = &mut attempt {
                    *tail = now.tail.lines();
                }
                return attempt;
            }
            // The record lives as long as `log`: its sender never goes first.
            _ = state.changed() => {}
        }
    }
}

/// Ready, failed because the service ended, or (`None`) not yet.
fn verdict(state: &LogState, index: usize, wait: &LogWait) -> Option<Attempt> {
    if state.counts[index] >= wait.times {
        return Some(Attempt::Ok);
    }
    let ended = state.ended.as_ref()?;
    Some(Attempt::Failed {
        reason: format!(
            "service {} {ended} before its output showed what this wait looks for ({})",
            wait.service,
            progress(state, index, wait)
        ),
        tail: state.tail.lines(),
    })
}

/// `0 of 3 lines containing "ready"`.
fn progress(state: &LogState, index: usize, wait: &LogWait) -> String {
    let (what, pattern) = match wait.matcher.as_ref() {
        crate::run::model::LineMatcher::Contains(text) => ("containing", format!("{text:?}")),
        crate::run::model::LineMatcher::Matches(re) => ("matching", format!("'{}'", re.as_str())),
    };
    let lines = if wait.times == 1 { "line" } else { "lines" };
    format!(
        "{} of {} {lines} {what} {pattern}",
        state.counts[index], wait.times
    )
}
