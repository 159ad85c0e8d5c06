//! `s3 pull` / `s3 push`: one transfer per attempt through [`crate::run::s3`].
//! Dropping a transfer is safe at any point (no partial file, multipart
//! uploads aborted), so the deadline and cancellation simply win.

use super::{Attempt, AttemptCtx};
use crate::run::model::S3Transfer;

pub async fn pull(ctx: &AttemptCtx<'_>, t: &S3Transfer) -> Attempt {
    let transfer = crate::run::s3::pull(
        &t.object,
        &t.path,
        t.endpoint.as_deref(),
        t.region.as_deref(),
    );
    bounded(ctx, transfer).await
}

pub async fn push(ctx: &AttemptCtx<'_>, t: &S3Transfer) -> Attempt {
    let transfer = crate::run::s3::push(
        &t.path,
        &t.object,
        t.endpoint.as_deref(),
        t.region.as_deref(),
    );
    bounded(ctx, transfer).await
}

async fn bounded(
    ctx: &AttemptCtx<'_>,
    transfer: impl Future<Output = Result<u64, crate::run::s3::S3Error>>,
) -> Attempt {
    tokio::select! {
        biased;
        _ = ctx.cancel.cancelled() => Attempt::Cancelled,
        _ = ctx.deadline_reached() => ctx.timed_out(None),
        result = transfer => match result {
            Ok(_) => Attempt::Ok,
            Err(e) => Attempt::failed(e.to_string()),
        },
    }
}
