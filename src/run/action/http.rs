//! `wait http URL [status S] [body contains STR] [insecure]`: GET until the
//! answer matches. Redirects are not followed: the status checked is the one
//! the URL answers, so `status 3xx` can be waited for.

use super::{AttemptCtx, Check, Probe, poll_until};
use crate::plan::model::HTTP_ANSWERED_POLL_FLOOR;
use crate::run::fmt::duration;
use crate::run::model::HttpWait;
use std::time::Duration;

/// One request (connect, answer and body) gives up after this, so a server
/// that accepts and never answers does not stall the step.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
/// Connecting gives up sooner (a dropped SYN).
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);
/// `body contains` reads at most this much of the body.
pub const MAX_BODY_BYTES: usize = 1 << 20;

pub async fn wait(ctx: &AttemptCtx<'_>, wait: &HttpWait) -> super::Attempt {
    let client = match ctx.engine.http_client(wait.insecure) {
        Ok(c) => c,
        Err(e) => return super::Attempt::failed(format!("cannot set up HTTP: {e}")),
    };
    poll_until(ctx, &mut HttpCheck { wait, client }).await
}

/// Builds a client (costly: TLS roots), once per `insecure` setting per run.
pub fn build_client(insecure: bool) -> reqwest::Result<reqwest::Client> {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(CONNECT_TIMEOUT)
        .user_agent(concat!("zinit/", env!("CARGO_PKG_VERSION")))
        .danger_accept_invalid_certs(insecure)
        .build()
}

struct HttpCheck<'a> {
    wait: &'a HttpWait,
    client: reqwest::Client,
}

impl Check for HttpCheck<'_> {
    async fn check(&mut self, _ctx: &AttemptCtx<'_>, budget: Duration) -> Probe {
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
            return super::tcp::io_reason(io);
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
