//! `wait http URL [status S] [body contains STR] [insecure]`: GET until the
//! answer matches. Redirects are not followed: the status checked is the one
//! the URL answers, so `status 3xx` can be waited for. Proxies and trust:
//! [`client`]; failures in words: [`reason`].

pub mod client;
pub(crate) mod reason;

use super::tcp::{DNS_RETRY_FLOOR, ProbeError, TcpProbe};
use super::watch::{self, Watch};
use super::{AttemptCtx, Check, Probe, poll_until};
use crate::plan::model::HTTP_ANSWERED_POLL_FLOOR;
use crate::run::model::{HttpWait, TcpTarget};
use client::{ClientKind, Route};
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
    let url = reqwest::Url::parse(&wait.url).ok();
    let https = url.as_ref().is_some_and(|u| u.scheme() == "https");
    let kind = match (https, wait.insecure) {
        (false, _) => ClientKind::Plain,
        (true, false) => ClientKind::Verified,
        (true, true) => ClientKind::Insecure,
    };
    let route = Route::for_host(url.as_ref().and_then(|u| u.host_str()).unwrap_or(""));
    let client = match ctx.resources.http_clients().get(kind, route) {
        Ok(c) => c,
        Err(e) => return super::Attempt::failed(format!("cannot set up HTTP: {e}")),
    };
    let target = direct_target(&wait.url, route);
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

/// The host and port a request connects to, unless it goes through a
/// proxy (it then connects elsewhere first).
fn direct_target(url: &str, route: Route) -> Option<TcpTarget> {
    let url = reqwest::Url::parse(url).ok()?;
    let host = url.host_str()?;
    if route == Route::Proxied && client::proxy_configured() && !client::no_proxy_lists(host) {
        return None;
    }
    let port = url.port_or_known_default()?;
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
        let answered = |why: String| Probe::NotYet {
            why,
            min_wait: HTTP_ANSWERED_POLL_FLOOR,
        };
        let mut response = match request.send().await {
            Ok(r) => r,
            Err(e) => {
                let failure = reason::failure(&e, limit);
                return match failure.tls {
                    true => answered(failure.why),
                    false => Probe::not_yet(failure.why),
                };
            }
        };
        let status = response.status().as_u16();
        if !self.wait.status.contains(status) {
            return answered(format!("status {status}"));
        }
        let Some(needle) = &self.wait.body_contains else {
            return Probe::Ready;
        };
        match body_contains(&mut response, needle.as_bytes()).await {
            Ok(true) => Probe::Ready,
            Ok(false) => answered(format!("status {status}, body without `{needle}`")),
            Err(e) => Probe::not_yet(reason::failure(&e, limit).why),
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
