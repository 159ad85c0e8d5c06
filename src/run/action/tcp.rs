//! `wait tcp HOST:PORT [closed]`: connect, close, repeat until it works (or,
//! with `closed`, until nothing accepts).

use super::connect::{CONNECT_TIMEOUT, connect};
use super::poller::Goal;
use super::watch::{self, Addresses, Watch};
pub use super::watch::{DNS_REFRESH, DNS_RETRY_FLOOR};
use super::{Attempt, AttemptCtx, Check, Probe, poll_until};
use crate::run::model::TcpTarget;
use futures_util::future::{join_all, select_ok};
use std::net::SocketAddr;
use std::time::Duration;
use tokio::time::Instant;

/// The first check runs here on the event loop (an open port starts
/// nothing more); then the run's poller checks on the step's cadence
/// while this task keeps the timeout and looks host names up again.
pub async fn wait(ctx: &AttemptCtx<'_>, target: &TcpTarget) -> Attempt {
    let mut check = TcpCheck(TcpProbe::new(target.clone()));
    let first = tokio::select! {
        biased;
        _ = ctx.cancel.cancelled() => return Attempt::Cancelled,
        _ = ctx.deadline_reached() => return ctx.timed_out(Some(check.pending())),
        first = check.check(ctx, ctx.remaining()) => first,
    };
    let last = match first {
        Probe::Ready => return Attempt::Ok,
        Probe::NotYet { why, .. } => why,
    };
    let goal = if target.closed {
        Goal::Refusing
    } else {
        Goal::Accepting
    };
    let known = check.0.known();
    match watch::until(ctx, goal, &mut check.0, known, last).await {
        Watch::Reached => Attempt::Ok,
        Watch::Ended(attempt) => attempt,
        Watch::Unavailable => poll_until(ctx, &mut check).await,
    }
}

struct TcpCheck(TcpProbe);

impl Check for TcpCheck {
    async fn check(&mut self, _ctx: &AttemptCtx<'_>, budget: Duration) -> Probe {
        let limit = CONNECT_TIMEOUT.min(budget);
        let probe = &mut self.0;
        if !probe.target.closed {
            return match probe.open(limit).await {
                Ok(()) => Probe::Ready,
                Err(ProbeError::Lookup(why)) => Probe::NotYet {
                    why,
                    min_wait: DNS_RETRY_FLOOR,
                },
                Err(ProbeError::Connect(why)) => Probe::not_yet(why),
            };
        }
        // Closed only when every address refuses: a name that does not
        // resolve or a connect without an answer says nothing about the port.
        let addrs = match probe.addresses().await {
            Ok(addrs) => addrs,
            Err(why) => {
                return Probe::NotYet {
                    why: format!("{why}; not known to be closed"),
                    min_wait: DNS_RETRY_FLOOR,
                };
            }
        };
        let results = join_all(addrs.iter().map(|&a| connect(a, limit))).await;
        let open = addrs
            .iter()
            .zip(&results)
            .find_map(|(addr, result)| match result {
                Ok(()) => Some(format!("{addr} accepts connections")),
                Err(e) if e.refused => None,
                Err(e) => Some(format!("{e}; not known to be closed")),
            });
        match open {
            Some(why) => Probe::not_yet(why),
            None => Probe::Ready,
        }
    }

    fn pending(&self) -> &'static str {
        "connection attempt still pending"
    }
}

/// Whether a host and port accept connections; remembers looked-up
/// addresses for [`DNS_REFRESH`]. Also used by `wait http` to skip the HTTP
/// machinery while nothing listens.
pub struct TcpProbe {
    target: TcpTarget,
    /// Addresses of a host name, and when they were looked up.
    resolved: Option<(Vec<SocketAddr>, Instant)>,
}

pub enum ProbeError {
    /// The name did not resolve (checks slow down to [`DNS_RETRY_FLOOR`]).
    Lookup(String),
    Connect(String),
}

impl TcpProbe {
    pub fn new(target: TcpTarget) -> Self {
        TcpProbe {
            target,
            resolved: None,
        }
    }

    /// Connects to every address at once; the first to connect wins (happy eyeballs).
    pub async fn open(&mut self, limit: Duration) -> Result<(), ProbeError> {
        let addrs = self.addresses().await.map_err(ProbeError::Lookup)?;
        if let [addr] = addrs[..] {
            return connect(addr, limit)
                .await
                .map_err(|e| ProbeError::Connect(e.text));
        }
        select_ok(addrs.iter().map(|&a| Box::pin(connect(a, limit))))
            .await
            .map(|_| ())
            .map_err(|e| ProbeError::Connect(e.text))
    }

    /// The addresses found by the last lookup (none yet: empty).
    fn known(&self) -> Vec<SocketAddr> {
        match (self.target.addr, &self.resolved) {
            (Some(addr), _) => vec![addr],
            (None, Some((addrs, _))) => addrs.clone(),
            (None, None) => Vec::new(),
        }
    }

    async fn addresses(&mut self) -> Result<Vec<SocketAddr>, String> {
        if let Some(addr) = self.target.addr {
            return Ok(vec![addr]);
        }
        if let Some((addrs, at)) = &self.resolved {
            if at.elapsed() < DNS_REFRESH {
                return Ok(addrs.clone());
            }
        }
        if is_invalid_name(&self.target.host) {
            return Err(format!(
                "cannot resolve {}: `.invalid` names never resolve (RFC 6761)",
                self.target.host
            ));
        }
        let addrs = crate::run::lookup::lookup(&self.target.host, self.target.port).await?;
        self.resolved = Some((addrs.clone(), Instant::now()));
        Ok(addrs)
    }
}
impl Addresses for TcpProbe {
    fn literal(&self) -> bool {
        self.target.addr.is_some()
    }

    async fn lookup(&mut self) -> Result<Vec<SocketAddr>, String> {
        self.resolved = None;
        self.addresses().await
    }
}

/// RFC 6761 §6.4: resolvers answer names under `.invalid` negatively
/// themselves, without asking a DNS server. So does zinit.
fn is_invalid_name(host: &str) -> bool {
    let host = host.strip_suffix('.').unwrap_or(host).to_ascii_lowercase();
    host == "invalid" || host.ends_with(".invalid")
}
