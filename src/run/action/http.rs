//! `wait http URL [status S] [body contains STR] [insecure]`: GET until the
//! answer matches. Redirects are not followed: the status checked is the one
//! the URL answers, so `status 3xx` can be waited for.

use super::tcp::{DNS_RETRY_FLOOR, ProbeError, TcpProbe};
use super::watch::{self, Watch};
use super::{AttemptCtx, Check, Probe, poll_until};
use crate::plan::model::HTTP_ANSWERED_POLL_FLOOR;
use crate::run::fmt::duration;
use crate::run::model::{HttpWait, TcpTarget};
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

/// One request (connect, answer and body) gives up after this, so a server
/// that accepts and never answers does not stall the step.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
/// Connecting gives up sooner (a dropped SYN).
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);
/// `body contains` reads at most this much of the body.
pub const MAX_BODY_BYTES: usize = 1 << 20;

pub async fn wait(ctx: &AttemptCtx<'_>, wait: &HttpWait) -> super::Attempt {
    let https = reqwest::Url::parse(&wait.url).is_ok_and(|u| u.scheme() == "https");
    let kind = match (https, wait.insecure) {
        (false, _) => ClientKind::Plain,
        (true, false) => ClientKind::Verified,
        (true, true) => ClientKind::Insecure,
    };
    let client = match ctx.resources.http_client(kind) {
        Ok(c) => c,
        Err(e) => return super::Attempt::failed(format!("cannot set up HTTP: {e}")),
    };
    let target = direct_target(&wait.url);
    if let Some(addr) = target.as_ref().and_then(|t| t.addr) {
        // Until something listens there is no HTTP to speak.
        if let Watch::Ended(attempt) = watch::until_accepting(ctx, addr).await {
            return attempt;
        }
    }
    let precheck = target.map(TcpProbe::new);
    poll_until(
        ctx,
        &mut HttpCheck {
            wait,
            client,
            precheck,
        },
    )
    .await
}

/// The host and port an HTTP request would connect to, unless a proxy is
/// configured (the request then goes elsewhere first).
fn direct_target(url: &str) -> Option<TcpTarget> {
    let proxied = PROXY_VARIABLES
        .iter()
        .any(|name| std::env::var_os(name).is_some_and(|v| !v.is_empty()));
    if proxied {
        return None;
    }
    let url = reqwest::Url::parse(url).ok()?;
    let port = url.port_or_known_default()?;
    let host = url.host_str()?;
    let host = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    let addr = host
        .parse::<IpAddr>()
        .ok()
        .map(|ip| SocketAddr::new(ip, port));
    Some(TcpTarget {
        host: host.to_string(),
        port,
        addr,
        closed: false,
    })
}

/// The variables reqwest takes a proxy from.
const PROXY_VARIABLES: [&str; 6] = [
    "HTTP_PROXY",
    "http_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "ALL_PROXY",
    "all_proxy",
];

/// The HTTP clients a run may need.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientKind {
    /// `http://` only: no TLS roots to load (the system's take milliseconds).
    Plain,
    /// `https://`, certificates checked against the bundled and system roots.
    Verified,
    /// `https://` with `insecure`.
    Insecure,
}

/// Builds a client, once per kind per run.
pub fn build_client(kind: ClientKind) -> reqwest::Result<reqwest::Client> {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(CONNECT_TIMEOUT)
        .user_agent(concat!("zinit/", env!("CARGO_PKG_VERSION")))
        .tls_built_in_root_certs(kind == ClientKind::Verified)
        .danger_accept_invalid_certs(kind == ClientKind::Insecure)
        .build()
}

struct HttpCheck<'a> {
    wait: &'a HttpWait,
    client: reqwest::Client,
    /// While the port refuses connections, a bare connect says so far more
    /// cheaply than a request (no HTTP machinery, no event-loop registration).
    precheck: Option<TcpProbe>,
}

impl Check for HttpCheck<'_> {
    async fn check(&mut self, _ctx: &AttemptCtx<'_>, budget: Duration) -> Probe {
        if let Some(probe) = &mut self.precheck {
            match probe.open(CONNECT_TIMEOUT.min(budget)).await {
                Ok(()) => {}
                Err(ProbeError::Lookup(why)) => {
                    return Probe::NotYet {
                        why,
                        min_wait: DNS_RETRY_FLOOR,
                    };
                }
                Err(ProbeError::Connect(why)) => return Probe::not_yet(why),
            }
        }
        let limit = REQUEST_TIMEOUT.min(budget);
        let request = self.client.get(&self.wait.url).timeout(limit);
        let mut response = match request.send().await {
            Ok(r) => r,
            Err(e) => return Probe::not_yet(error_reason(&e, limit)),
        };
        let status = response.status().as_u16();
        let answered = |why: String| Probe::NotYet {
            why,
            min_wait: HTTP_ANSWERED_POLL_FLOOR,
        };
        if !self.wait.status.contains(status) {
            return answered(format!("status {status}"));
        }
        let Some(needle) = &self.wait.body_contains else {
            return Probe::Ready;
        };
        match body_contains(&mut response, needle.as_bytes()).await {
            Ok(true) => Probe::Ready,
            Ok(false) => answered(format!("status {status}, body without `{needle}`")),
            Err(e) => Probe::not_yet(error_reason(&e, limit)),
        }
    }

    fn pending(&self) -> &'static str {
        "request still unanswered"
    }
}

/// Reads the body chunk by chunk, at most [`MAX_BODY_BYTES`], stopping as soon as the needle shows.
async fn body_contains(response: &mut reqwest::Response, needle: &[u8]) -> reqwest::Result<bool> {
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await? {
        let room = MAX_BODY_BYTES - body.len();
        // Only the new bytes (and a needle's length before them) can hold a new match.
        let from = body.len().saturating_sub(needle.len());
        body.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if contains(&body[from..], needle) {
            return Ok(true);
        }
        if body.len() >= MAX_BODY_BYTES {
            break;
        }
    }
    Ok(false)
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    needle.is_empty() || haystack.windows(needle.len()).any(|w| w == needle)
}

/// The innermost useful cause: `connection refused`, `connection reset`,
/// `no response within 1s`, a TLS error...
fn error_reason(e: &reqwest::Error, limit: Duration) -> String {
    if e.is_timeout() {
        return format!("no response within {}", duration(limit));
    }
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    let mut innermost = e.to_string();
    while let Some(err) = source {
        if let Some(io) = err.downcast_ref::<std::io::Error>() {
            return super::connect::io_reason(io);
        }
        innermost = err.to_string();
        source = err.source();
    }
    innermost
}

#[cfg(test)]
mod tests {
    use super::contains;

    #[test]
    fn finds_needles() {
        assert!(contains(b"status: ready", b"ready"));
        assert!(!contains(b"status: starting", b"ready"));
        assert!(contains(b"x", b""));
    }
}
