//! `sleep D`: pause; a timeout shorter than the pause (if one is given) ends it as a timeout.

use super::{Attempt, AttemptCtx};
use std::time::Duration;

pub async fn sleep(ctx: &AttemptCtx<'_>, pause: Duration) -> Attempt {
    tokio::select! {
        biased;
        _ = ctx.cancel.cancelled() => Attempt::Cancelled,
        _ = ctx.deadline_reached() => ctx.timed_out(None),
        _ = super::precise::sleep(pause) => Attempt::Ok,
    }
}
