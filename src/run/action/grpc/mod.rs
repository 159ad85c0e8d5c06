//! `wait grpc HOST:PORT [service NAME] [tls] [insecure]`: the standard
//! `grpc.health.v1.Health/Check` answers `SERVING` for NAME (the empty
//! name, the server as a whole, by default). Each check opens its own
//! connection — TCP, then TLS with `tls`, then HTTP/2 — so a refused port,
//! a certificate that does not verify and a server that answers
//! `NOT_SERVING` are each reported in their own words.

#[cfg(feature = "grpc")]
mod probe;
#[cfg(feature = "grpc")]
mod tls;

use super::{Attempt, AttemptCtx};
use crate::run::model::GrpcWait;

#[cfg(feature = "grpc")]
pub async fn wait(ctx: &AttemptCtx<'_>, wait: &GrpcWait) -> Attempt {
    probe::wait(ctx, wait).await
}

#[cfg(not(feature = "grpc"))]
pub async fn wait(_ctx: &AttemptCtx<'_>, _wait: &GrpcWait) -> Attempt {
    Attempt::failed(
        "this zinit was built without the `grpc` feature, so it cannot ask a gRPC server",
    )
}
