//! `wait exec CMD`: run CMD until it exits 0, again every `every` (1s by
//! default). Each run is one `run` of the command (`command::run`), bounded
//! by the time left in the attempt and leaving nothing of its process group
//! behind; the last failure is what a timeout names.

use super::{Attempt, AttemptCtx, command};
use crate::run::model::CommandLine;

pub async fn wait(ctx: &AttemptCtx<'_>, line: &CommandLine) -> Attempt {
    let mut last: Option<String> = None;
    loop {
        match command::run(ctx, line).await {
            Attempt::Ok => return Attempt::Ok,
            Attempt::Cancelled => return Attempt::Cancelled,
            Attempt::TimedOut { reason, tail } => {
                let reason = match &last {
                    Some(last) => format!("{reason} (the run before: {last})"),
                    None => reason,
                };
                return Attempt::TimedOut { reason, tail };
            }
            Attempt::Failed { reason, tail } => {
                last = Some(match tail.last() {
                    Some(line) => format!("{reason}: {line}"),
                    None => reason,
                });
            }
        }
        tokio::select! {
            biased;
            _ = ctx.cancel.cancelled() => return Attempt::Cancelled,
            _ = ctx.deadline_reached() => return ctx.timed_out(last.as_deref()),
            _ = tokio::time::sleep(ctx.step.poll) => {}
        }
    }
}
