//! `wait http URL [method M] [header H]... [data STR] [status S] [body
//! contains STR] [body matches RE] [json P == V|exists]... [ca FILE] [cert
//! FILE key FILE] [follow N] [insecure]`: ask until the answer matches.
//! Redirects are followed only with `follow N`: otherwise the status checked
//! is the one the URL answers, so `status 3xx` can be waited for. Proxies
//! and trust: [`client`]; the body: [`answer`]; failures in words: [`reason`].

mod answer;
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
/// The body checks read at most this much of the body.
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
    let client = if wait.call.own_client() {
        // Built on the first attempt: its files may not exist yet.
        None
    } else {
        match ctx.resources.http_clients().get(kind, route) {
            Ok(c) => Some(c),
            Err(e) => return super::Attempt::failed(format!("cannot set up HTTP: {e}")),
        }
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
            kind,
            route,
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
    /// `None` until a client of the step's own could be built.
    client: Option<reqwest::Client>,
    kind: ClientKind,
    route: Route,
    /// While the port refuses connections, a bare connect says so far more
    /// cheaply than a request (no HTTP machinery, no event-loop registration).
    precheck: Option<TcpProbe>,
}

/// Not ready, asked again no sooner than an HTTP server that answered: what
/// it said, or a TLS refusal, will not change in 5 ms.
fn answered(why: String) -> Probe {
    Probe::NotYet {
        why,
        min_wait: HTTP_ANSWERED_POLL_FLOOR,
    }
}

impl HttpCheck<'_> {
    fn client(&mut self) -> Result<reqwest::Client, String> {
        if let Some(client) = &self.client {
            return Ok(client.clone());
        }
        let client = client::build_own(self.kind, self.route, &self.wait.call)?;
        Ok(self.client.insert(client).clone())
    }

    fn request(&self, client: &reqwest::Client, limit: Duration) -> reqwest::RequestBuilder {
        let call = &self.wait.call;
        let mut request = client
            .request(call.method.clone(), &self.wait.url)
            .timeout(limit);
        for (name, value) in &call.headers {
            request = request.header(name, value);
        }
        if let Some(data) = &call.data {
            request = request.body(data.clone());
        }
        request
    }
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
        let client = match self.client() {
            Ok(client) => client,
            Err(why) => return answered(why),
        };
        let limit = REQUEST_TIMEOUT.min(budget);
        let mut response = match self.request(&client, limit).send().await {
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
        if self.wait.body_contains.is_none() && !self.wait.call.reads_body() {
            return Probe::Ready;
        }
        // With `body contains` alone, reading stops as soon as the needle shows.
        let needle = self.wait.body_contains.as_deref().unwrap_or_default();
        let only_contains = !self.wait.call.reads_body();
        let enough = |body: &[u8]| only_contains && answer::contains(body, needle.as_bytes());
        match answer::read(&mut response, enough).await {
            Ok(body) => match answer::lacks(self.wait, &body) {
                None => Probe::Ready,
                Some(lack) => answered(format!("status {status}, {lack}")),
            },
            Err(e) => Probe::not_yet(reason::failure(&e, limit).why),
        }
    }

    fn pending(&self) -> &'static str {
        "request still unanswered"
    }
}
