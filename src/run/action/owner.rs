//! `wait tcp HOST:PORT by SERVICE`: the port accepts, and the listening
//! socket belongs to the service — a process of its process group (or of
//! its containment scope: a child that called `setsid`). The socket is
//! found by its inode in `/proc/net/tcp{,6}` and its holder among the
//! processes' descriptors, so a leftover process that holds the port is
//! named rather than mistaken for the service. Only addresses of this
//! machine can be checked; any other host fails the step.
//!
//! The tcp wait's own poller is not involved: this check runs after a
//! connect succeeds, with the step's `every`.

use super::connect::{CONNECT_TIMEOUT, connect};
use super::{Attempt, AttemptCtx, Check, Probe, poll_until};
use crate::run::model::TcpTarget;
use crate::run::process::GroupOwner;
use crate::run::process::sockets::{self, Listener};
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

/// A port held by another process is looked at again no sooner than this:
/// naming the holder reads every process's descriptors.
pub const FOREIGN_RECHECK: Duration = Duration::from_millis(100);
/// A host name is looked up once per attempt, within this.
const LOOKUP_LIMIT: Duration = Duration::from_secs(5);

pub async fn wait(ctx: &AttemptCtx<'_>, target: &TcpTarget, service: &str) -> Attempt {
    let addrs = match local_addresses(ctx, target, service).await {
        Ok(addrs) => addrs,
        Err(reason) => return Attempt::failed(reason),
    };
    let mut check = OwnerCheck {
        target,
        service,
        addrs,
    };
    poll_until(ctx, &mut check).await
}

/// The target's addresses, every one of them on this machine.
async fn local_addresses(
    ctx: &AttemptCtx<'_>,
    target: &TcpTarget,
    service: &str,
) -> Result<Vec<SocketAddr>, String> {
    let addrs: Vec<SocketAddr> = match target.addr {
        Some(addr) => vec![addr],
        None => {
            let limit = LOOKUP_LIMIT.min(ctx.remaining());
            let lookup = crate::run::lookup::lookup(&target.host, target.port);
            match tokio::time::timeout(limit, lookup).await {
                Ok(Ok(found)) => found,
                Ok(Err(reason)) => return Err(reason),
                Err(_) => return Err(format!("cannot resolve {}: no answer", target.host)),
            }
        }
    };
    if addrs.is_empty() {
        return Err(format!("{} has no address", target.host));
    }
    if let Some(remote) = addrs.iter().find(|a| !is_local(a.ip())) {
        return Err(format!(
            "`by {service}` can only check a listener on this machine, and {} is {}, \
             not an address of this machine",
            target.host,
            remote.ip()
        ));
    }
    Ok(addrs)
}

/// Loopback, the wildcard, or an address of one of this machine's
/// interfaces (which is what binding to it proves).
fn is_local(ip: IpAddr) -> bool {
    ip.is_loopback() || ip.is_unspecified() || std::net::UdpSocket::bind((ip, 0)).is_ok()
}

struct OwnerCheck<'a> {
    target: &'a TcpTarget,
    service: &'a str,
    addrs: Vec<SocketAddr>,
}

impl Check for OwnerCheck<'_> {
    async fn check(&mut self, ctx: &AttemptCtx<'_>, budget: Duration) -> Probe {
        let Some(owner) = ctx.resources.services().owner(self.service) else {
            return Probe::not_yet(format!("service {} has not started", self.service));
        };
        let limit = CONNECT_TIMEOUT.min(budget);
        let mut last = String::new();
        let mut accepted = None;
        for &addr in &self.addrs {
            match connect(addr, limit).await {
                Ok(()) => {
                    accepted = Some(addr);
                    break;
                }
                Err(e) => last = e.text,
            }
        }
        let Some(addr) = accepted else {
            return Probe::not_yet(last);
        };
        let shown = self.target.to_string();
        let service = self.service.to_string();
        // Reading /proc is quick but not free: off the engine's thread.
        let verdict =
            tokio::task::spawn_blocking(move || ownership(&owner, addr, &shown, &service)).await;
        match verdict {
            Ok(probe) => probe,
            Err(e) => Probe::not_yet(format!("cannot read /proc: {e}")),
        }
    }

    fn pending(&self) -> &'static str {
        "connection attempt still pending"
    }
}

/// Ready when every listener that `addr` reaches is held by the service.
pub fn ownership(owner: &GroupOwner, addr: SocketAddr, shown: &str, service: &str) -> Probe {
    let listeners: Vec<Listener> = sockets::listeners(addr.port())
        .into_iter()
        .filter(|l| l.serves(addr.ip()))
        .collect();
    if listeners.is_empty() {
        return Probe::not_yet(format!(
            "{shown} accepts, but no listening socket on port {} is in /proc/net/tcp \
             (a listener in another network namespace cannot be checked)",
            addr.port()
        ));
    }
    let members = owner.group_members();
    for listener in listeners {
        if members
            .iter()
            .any(|&pid| sockets::holds(pid, listener.inode))
        {
            continue;
        }
        let why = match sockets::holder(listener.inode) {
            Some(pid) if owner.owns(pid) => continue,
            Some(pid) => format!(
                "{shown} is held by {}, not by service {service}",
                sockets::describe(pid)
            ),
            None => {
                format!("{shown} is held by a process zinit cannot see, not by service {service}")
            }
        };
        return Probe::NotYet {
            why,
            min_wait: FOREIGN_RECHECK,
        };
    }
    Probe::Ready
}
