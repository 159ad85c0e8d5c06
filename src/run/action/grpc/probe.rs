//! One health check per poll, over a connection zinit opened itself and
//! handed to tonic, which speaks HTTP/2 and the health protocol over it.

use super::tls::Tls;
use crate::plan::model::HTTP_ANSWERED_POLL_FLOOR;
use crate::run::action::connect::io_reason;
use crate::run::action::{AttemptCtx, Check, Probe, answered_within, poll_until};
use crate::run::model::GrpcWait;
use hyper_util::rt::TokioIo;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite};
use tonic::Code;
use tonic::transport::Endpoint;
use tonic_health::pb::HealthCheckRequest;
use tonic_health::pb::health_check_response::ServingStatus;
use tonic_health::pb::health_client::HealthClient;

/// One check (connect, handshakes, the call) gives up after this.
pub const CHECK_LIMIT: Duration = Duration::from_secs(5);

pub async fn wait(ctx: &AttemptCtx<'_>, wait: &GrpcWait) -> crate::run::action::Attempt {
    let tls = match wait.tls.then(|| Tls::new(wait.insecure)).transpose() {
        Ok(tls) => tls,
        Err(why) => return crate::run::action::Attempt::failed(why),
    };
    poll_until(ctx, &mut GrpcCheck { wait, tls }).await
}

struct GrpcCheck<'a> {
    wait: &'a GrpcWait,
    tls: Option<Tls>,
}

impl Check for GrpcCheck<'_> {
    async fn check(&mut self, _ctx: &AttemptCtx<'_>, budget: Duration) -> Probe {
        let limit = CHECK_LIMIT.min(budget);
        answered_within(&self.wait.address, limit, self.ask()).await
    }

    fn pending(&self) -> &'static str {
        "the server has not answered yet"
    }
}

impl GrpcCheck<'_> {
    async fn ask(&self) -> Probe {
        let address = &self.wait.address;
        let stream = match crate::run::action::connect::stream(&address.host, address.port).await {
            Ok(stream) => stream,
            Err(reason) => return Probe::not_yet(format!("{address}: {reason}")),
        };
        let _ = stream.set_nodelay(true);
        match &self.tls {
            None => self.health_check(stream).await,
            Some(tls) => match tls.connect(&address.host, stream).await {
                Ok(stream) => self.health_check(stream).await,
                // The certificate will not change in 5ms: ask again no faster than HTTP does.
                Err(why) => Probe::NotYet {
                    why: format!("{address}: {why}"),
                    min_wait: HTTP_ANSWERED_POLL_FLOOR,
                },
            },
        }
    }

    /// HTTP/2 over `io`, then `Health/Check`.
    async fn health_check<IO>(&self, io: IO) -> Probe
    where
        IO: AsyncRead + AsyncWrite + Send + Unpin + 'static,
    {
        let address = &self.wait.address;
        let scheme = if self.tls.is_some() { "https" } else { "http" };
        // Parsed from a checked HOST:PORT, so it is a valid URI.
        let Ok(endpoint) = Endpoint::from_shared(format!("{scheme}://{address}")) else {
            return Probe::not_yet(format!("{address}: not a valid gRPC address"));
        };
        // tonic asks its connector for a connection; this one hands over ours, once.
        let slot = Arc::new(Mutex::new(Some(TokioIo::new(io))));
        let connector = tower::service_fn(move |_| {
            let io = slot.lock().ok().and_then(|mut s| s.take());
            async move { io.ok_or_else(|| std::io::Error::other("the connection was used already")) }
        });
        let channel = match endpoint.connect_with_connector(connector).await {
            Ok(channel) => channel,
            Err(e) => return Probe::not_yet(format!("{address}: {}", self.h2_reason(&e))),
        };
        let request = HealthCheckRequest {
            service: self.wait.service.clone(),
        };
        match HealthClient::new(channel).check(request).await {
            Ok(response) => match response.into_inner().status() {
                ServingStatus::Serving => Probe::Ready,
                status => Probe::answered(status.as_str_name()),
            },
            // The connection failed under the call (tonic connects lazily):
            // not an answer of the server's.
            Err(status) if std::error::Error::source(&status).is_some() => {
                Probe::not_yet(format!("{address}: {}", self.h2_reason(&status)))
            }
            Err(status) => match status.code() {
                Code::NotFound => Probe::answered(format!(
                    "SERVICE_UNKNOWN: the server knows no service {:?} (NOT_FOUND)",
                    self.wait.service
                )),
                Code::Unimplemented => Probe::answered(
                    "the server has no grpc.health.v1.Health service (UNIMPLEMENTED)",
                ),
                Code::Unavailable => {
                    Probe::not_yet(format!("{address}: UNAVAILABLE: {}", status.message()))
                }
                code => Probe::answered(format!("{}: {}", code_name(code), status.message())),
            },
        }
    }

    /// Why the HTTP/2 connection failed: the innermost error, in words.
    fn h2_reason(&self, e: &(dyn std::error::Error + 'static)) -> String {
        let mut source = Some(e);
        let mut innermost = e.to_string();
        while let Some(err) = source {
            if let Some(io) = err.downcast_ref::<std::io::Error>() {
                innermost = io_reason(io);
            } else {
                innermost = err.to_string();
            }
            source = err.source();
        }
        let hint = if self.tls.is_none() {
            " (a TLS server? add `tls`)"
        } else {
            ""
        };
        format!("no HTTP/2 (gRPC) answer: {innermost}{hint}")
    }
}

/// `NOT_FOUND`, as gRPC writes the codes.
fn code_name(code: Code) -> String {
    let mut out = String::new();
    for (i, c) in format!("{code:?}").chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(c.to_ascii_uppercase());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_named_as_grpc_writes_them() {
        assert_eq!(code_name(Code::NotFound), "NOT_FOUND");
        assert_eq!(code_name(Code::PermissionDenied), "PERMISSION_DENIED");
        assert_eq!(code_name(Code::Internal), "INTERNAL");
    }
}
