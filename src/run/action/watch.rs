//! Waiting for a TCP goal through the run's one poller thread
//! ([`super::poller`]): the checks run there on the wait's cadence, while
//! the timeout, cancellation and host name lookups stay here on the event
//! loop. A name is looked up again every [`DNS_REFRESH`] and the poller is
//! given the new addresses, so a container that comes up under a new
//! address is found.

use super::poller::{Goal, Watching};
use super::{Attempt, AttemptCtx};
use std::net::SocketAddr;
use std::time::Duration;
use tokio::time::Instant;

/// A host name is looked up again after this.
pub const DNS_REFRESH: Duration = Duration::from_secs(1);
/// After a failed lookup, ask again no sooner than this (be kind to the DNS server).
pub const DNS_RETRY_FLOOR: Duration = Duration::from_millis(100);

/// Where a wait connects: resolve → addresses (the poller connects).
pub trait Addresses {
    /// A literal address: never looked up again.
    fn literal(&self) -> bool;
    /// Looks the name up now.
    async fn lookup(&mut self) -> Result<Vec<SocketAddr>, String>;
}

/// How watching ended.
pub enum Watch {
    /// The goal was reached.
    Reached,
    /// The attempt ended first (timed out, cancelled).
    Ended(Attempt),
    /// No poller thread could be started: poll on the event loop instead.
    Unavailable,
}

/// Waits until `addr` accepts a connection. The first check runs inline, so
/// an already-satisfied wait (or a thousand of them in a parallel group)
/// never registers with the poller.
pub async fn until_accepting(ctx: &AttemptCtx<'_>, addr: SocketAddr) -> Watch {
    let limit = super::connect::CONNECT_TIMEOUT.min(ctx.remaining());
    let first = tokio::select! {
        biased;
        _ = ctx.cancel.cancelled() => return Watch::Ended(Attempt::Cancelled),
        first = super::connect::connect(addr, limit) => first,
    };
    match first {
        Ok(()) => Watch::Reached,
        Err(e) => until(ctx, Goal::Accepting, &mut Literal(addr), vec![addr], e.text).await,
    }
}

struct Literal(SocketAddr);

impl Addresses for Literal {
    fn literal(&self) -> bool {
        true
    }

    async fn lookup(&mut self) -> Result<Vec<SocketAddr>, String> {
        Ok(vec![self.0])
    }
}

/// Watches until `goal` holds, after a first check that saw `last`;
/// `known` are the addresses found so far (empty when a lookup failed).
pub async fn until(
    ctx: &AttemptCtx<'_>,
    goal: Goal,
    target: &mut impl Addresses,
    known: Vec<SocketAddr>,
    last: String,
) -> Watch {
    let looked_up = !known.is_empty();
    let Some(watching) = ctx.resources.tcp_poller().watch(goal, ctx.step.poll, known) else {
        return Watch::Unavailable;
    };
    let relookup = !target.literal();
    let mut lookup_failed = (!looked_up).then_some(last.clone());
    let mut next_lookup = Instant::now() + lookup_pause(ctx, lookup_failed.is_some());
    let deadline = ctx.deadline_reached();
    tokio::pin!(deadline);
    let last_seen = |watching: &Watching, lookup_failed: &Option<String>| {
        lookup_failed
            .clone()
            .or_else(|| watching.last())
            .unwrap_or_else(|| last.clone())
    };
    loop {
        tokio::select! {
            biased;
            _ = ctx.cancel.cancelled() => return Watch::Ended(Attempt::Cancelled),
            _ = &mut deadline => {
                return Watch::Ended(ctx.timed_out(Some(&last_seen(&watching, &lookup_failed))));
            }
            _ = watching.reached() => return Watch::Reached,
            _ = tokio::time::sleep_until(next_lookup), if relookup => {}
        }
        let found = tokio::select! {
            biased;
            _ = ctx.cancel.cancelled() => return Watch::Ended(Attempt::Cancelled),
            _ = &mut deadline => {
                return Watch::Ended(ctx.timed_out(Some(&last_seen(&watching, &lookup_failed))));
            }
            found = target.lookup() => found,
        };
        match found {
            Ok(addrs) => {
                watching.set_addresses(addrs);
                lookup_failed = None;
            }
            Err(why) => {
                // Nothing is known about the port while the name does not resolve.
                watching.set_addresses(Vec::new());
                lookup_failed = Some(match goal {
                    Goal::Accepting => why,
                    Goal::Refusing => format!("{why}; not known to be closed"),
                });
            }
        }
        next_lookup = Instant::now() + lookup_pause(ctx, lookup_failed.is_some());
    }
}

fn lookup_pause(ctx: &AttemptCtx<'_>, failed: bool) -> Duration {
    if failed {
        ctx.step.poll.max(DNS_RETRY_FLOOR)
    } else {
        DNS_REFRESH
    }
}
