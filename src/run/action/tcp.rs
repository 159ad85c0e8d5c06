//! `wait tcp HOST:PORT [closed]`: connect, close, repeat until it works (or,
//! with `closed`, until nothing accepts).

use super::{AttemptCtx, Check, Probe, poll_until};
use crate::run::model::TcpTarget;
use futures_util::future::{join_all, select_ok};
use std::net::SocketAddr;
use std::time::Duration;
use tokio::net::TcpStream;
use tokio::time::Instant;

/// One connection attempt gives up after this, so a dropped SYN (a firewall,
/// a host not up yet) delays the next check instead of stalling the step.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);
/// A host name is looked up again after this, so a container that comes up
/// under a new address is found.
pub const DNS_REFRESH: Duration = Duration::from_secs(1);
/// After a failed lookup, ask again no sooner than this (be kind to the DNS server).
pub const DNS_RETRY_FLOOR: Duration = Duration::from_millis(100);

pub async fn wait(ctx: &AttemptCtx<'_>, target: &TcpTarget) -> super::Attempt {
    let mut check = TcpCheck {
        target,
        resolved: None,
    };
    poll_until(ctx, &mut check).await
}

struct TcpCheck<'a> {
    target: &'a TcpTarget,
    /// Addresses of a host name, and when they were looked up.
    resolved: Option<(Vec<SocketAddr>, Instant)>,
}

impl TcpCheck<'_> {
    async fn addresses(&mut self) -> Result<Vec<SocketAddr>, String> {
        if let Some(addr) = self.target.addr {
            return Ok(vec![addr]);
        }
        if let Some((addrs, at)) = &self.resolved {
            if at.elapsed() < DNS_REFRESH {
                return Ok(addrs.clone());
            }
        }
        let host = (self.target.host.as_str(), self.target.port);
        match tokio::net::lookup_host(host).await {
            Ok(found) => {
                let addrs: Vec<SocketAddr> = found.collect();
                if addrs.is_empty() {
                    return Err(format!("{} has no address", self.target.host));
                }
                self.resolved = Some((addrs.clone(), Instant::now()));
                Ok(addrs)
            }
            Err(e) => Err(format!("cannot resolve {}: {e}", self.target.host)),
        }
    }
}

impl Check for TcpCheck<'_> {
    async fn check(&mut self, _ctx: &AttemptCtx<'_>, budget: Duration) -> Probe {
        let addrs = match self.addresses().await {
            Ok(addrs) => addrs,
            // Nothing can accept on a name that does not resolve.
            Err(_) if self.target.closed => return Probe::Ready,
            Err(why) => {
                return Probe::NotYet {
                    why,
                    min_wait: DNS_RETRY_FLOOR,
                };
            }
        };
        let limit = CONNECT_TIMEOUT.min(budget);
        if self.target.closed {
            // Closed only when no address accepts.
            let results = join_all(addrs.iter().map(|&a| connect(a, limit))).await;
            match addrs.iter().zip(&results).find(|(_, r)| r.is_ok()) {
                Some((addr, _)) => Probe::not_yet(format!("{addr} accepts connections")),
                None => Probe::Ready,
            }
        } else if let [addr] = addrs[..] {
            match connect(addr, limit).await {
                Ok(()) => Probe::Ready,
                Err(why) => Probe::not_yet(why),
            }
        } else {
            // Every address at once, the first to connect wins (happy eyeballs).
            match select_ok(addrs.iter().map(|&a| Box::pin(connect(a, limit)))).await {
                Ok(_) => Probe::Ready,
                Err(why) => Probe::not_yet(why),
            }
        }
    }

    fn pending(&self) -> &'static str {
        "connection attempt still pending"
    }
}

async fn connect(addr: SocketAddr, limit: Duration) -> Result<(), String> {
    match tokio::time::timeout(limit, TcpStream::connect(addr)).await {
        Ok(Ok(_stream)) => Ok(()),
        Ok(Err(e)) => Err(format!("{addr}: {}", io_reason(&e))),
        Err(_) => Err(format!(
            "{addr}: no answer within {}",
            crate::run::fmt::duration(limit)
        )),
    }
}

/// `connection refused` rather than `Connection refused (os error 111)`.
pub fn io_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    match e.kind() {
        ConnectionRefused => "connection refused".into(),
        ConnectionReset => "connection reset".into(),
        TimedOut => "timed out".into(),
        HostUnreachable => "host unreachable".into(),
        NetworkUnreachable => "network unreachable".into(),
        _ => e.to_string(),
    }
}
