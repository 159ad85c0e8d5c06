//! One file per action. Every action runs one *attempt* of a step: until it
//! succeeds, fails, reaches its deadline, or is cancelled. Retries, on-fail
//! and service watching live in the engine, not here.

pub mod command;
pub mod connect;
pub mod dns;
pub mod exec;
pub mod file;
pub mod file_watch;
pub mod grpc;
pub mod http;
pub mod log;
mod login_or_probe;
pub mod mysql;
pub mod owner;
pub mod poller;
pub mod postgres;
pub mod precise;
pub mod redis;
pub mod resources;
pub mod s3;
pub mod service;
pub mod service_log;
pub mod sleep;
pub mod tcp;
pub mod watch;

use super::fmt::duration;
use super::model::RunStep;
use resources::Resources;
use std::time::Duration;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

/// What one attempt came to.
#[derive(Debug, Clone, PartialEq)]
pub enum Attempt {
    Ok,
    Failed { reason: String, tail: Vec<String> },
    TimedOut { reason: String, tail: Vec<String> },
    Cancelled,
}

impl Attempt {
    pub fn failed(reason: impl Into<String>) -> Self {
        Attempt::Failed {
            reason: reason.into(),
            tail: Vec::new(),
        }
    }
}

/// Everything an attempt needs.
pub struct AttemptCtx<'a> {
    pub resources: &'a Resources,
    pub step: &'a RunStep,
    /// When the attempt times out (`None`: never).
    pub deadline: Option<Instant>,
    pub cancel: CancellationToken,
}

impl AttemptCtx<'_> {
    /// Time left before the deadline (a day when there is none).
    pub fn remaining(&self) -> Duration {
        self.deadline.map_or(Duration::from_secs(86_400), |d| {
            d.saturating_duration_since(Instant::now())
        })
    }

    pub fn timeout_text(&self) -> String {
        self.step
            .timeout
            .map_or_else(|| "the deadline".into(), duration)
    }

    /// The attempt's end at its deadline, naming the last thing seen, if any.
    pub fn timed_out(&self, last: Option<&str>) -> Attempt {
        let after = self.timeout_text();
        Attempt::TimedOut {
            reason: match last {
                Some(last) => format!("timed out after {after} (last: {last})"),
                None => format!("timed out after {after}"),
            },
            tail: Vec::new(),
        }
    }

    /// Resolves when the deadline passes; never without one.
    pub async fn deadline_reached(&self) {
        match self.deadline {
            Some(d) => tokio::time::sleep_until(d).await,
            None => std::future::pending().await,
        }
    }
}

/// The verdict of one check of a wait.
pub enum Probe {
    Ready,
    /// Not yet, because `why`; check again after at least `min_wait` (and
    /// the step's poll interval).
    NotYet {
        why: String,
        min_wait: Duration,
    },
}

impl Probe {
    pub fn not_yet(why: impl Into<String>) -> Self {
        Probe::NotYet {
            why: why.into(),
            min_wait: Duration::ZERO,
        }
    }

    /// A protocol server answered "not yet": asked again no sooner than
    /// [`ANSWERED_POLL_FLOOR`](crate::plan::model::ANSWERED_POLL_FLOOR).
    pub fn answered(why: impl Into<String>) -> Self {
        Probe::NotYet {
            why: why.into(),
            min_wait: crate::plan::model::ANSWERED_POLL_FLOOR,
        }
    }
}

/// One check of a server, given up after `limit` with "no answer".
pub async fn answered_within(
    address: &impl std::fmt::Display,
    limit: Duration,
    check: impl Future<Output = Probe>,
) -> Probe {
    match tokio::time::timeout(limit, check).await {
        Ok(probe) => probe,
        Err(_) => Probe::not_yet(format!("{address}: no answer within {}", duration(limit))),
    }
}

/// A wait: something checked again and again until it holds.
pub trait Check {
    /// One check, given the time left in the attempt.
    async fn check(&mut self, ctx: &AttemptCtx<'_>, budget: Duration) -> Probe;

    /// What to say when the deadline passes during a check, before any
    /// verdict (e.g. a server that accepted but never answered).
    fn pending(&self) -> &'static str;
}

/// Checks until ready, timed out or cancelled. Dropping a check is always
/// safe (sockets and requests close on drop), so the deadline simply wins.
pub async fn poll_until(ctx: &AttemptCtx<'_>, check: &mut impl Check) -> Attempt {
    let mut last: Option<String> = None;
    // One timer for the whole attempt, not one per check.
    let deadline = ctx.deadline_reached();
    tokio::pin!(deadline);
    loop {
        let budget = ctx.remaining();
        let probe = tokio::select! {
            biased;
            _ = ctx.cancel.cancelled() => return Attempt::Cancelled,
            _ = &mut deadline => return ctx.timed_out(Some(last.as_deref().unwrap_or(check.pending()))),
            probe = check.check(ctx, budget) => probe,
        };
        let pause = match probe {
            Probe::Ready => return Attempt::Ok,
            Probe::NotYet { why, min_wait } => {
                last = Some(why);
                ctx.step.poll.max(min_wait)
            }
        };
        tokio::select! {
            biased;
            _ = ctx.cancel.cancelled() => return Attempt::Cancelled,
            _ = &mut deadline => return ctx.timed_out(Some(last.as_deref().unwrap_or(check.pending()))),
            _ = tokio::time::sleep(pause) => {}
        }
    }
}

/// Runs a step's action for one attempt; a `parallel` group is the
/// engine's (its members are steps), and never comes here.
pub async fn attempt(ctx: &AttemptCtx<'_>) -> Attempt {
    use super::model::RunAction;
    // Each action's future is boxed: unboxed, every step of a run would carry
    // (and move) a state machine as large as the largest action's (an HTTP
    // or gRPC client's), which 1,000 parallel `wait tcp` steps pay for in
    // page faults and copies. One allocation of the right size is cheaper.
    match &ctx.step.action {
        RunAction::WaitTcp(target) => Box::pin(tcp::wait(ctx, target)).await,
        RunAction::WaitTcpBy { target, service } => {
            Box::pin(owner::wait(ctx, target, service)).await
        }
        RunAction::WaitLog(wait) => Box::pin(log::wait(ctx, wait)).await,
        RunAction::WaitHttp(wait) => Box::pin(http::wait(ctx, wait)).await,
        RunAction::WaitFile { path, gone } => Box::pin(file::wait(ctx, path, *gone)).await,
        RunAction::WaitService(wait) => match wait.service {
            crate::values::Service::Postgres => Box::pin(postgres::wait(ctx, &wait.target)).await,
            crate::values::Service::Redis => Box::pin(redis::wait(ctx, &wait.target)).await,
            crate::values::Service::Mysql => Box::pin(mysql::wait(ctx, &wait.target)).await,
        },
        RunAction::WaitDns(wait) => Box::pin(dns::wait(ctx, wait)).await,
        RunAction::WaitGrpc(wait) => Box::pin(grpc::wait(ctx, wait)).await,
        RunAction::WaitExec(line) => Box::pin(exec::wait(ctx, line)).await,
        RunAction::Run(line) => Box::pin(command::run(ctx, line)).await,
        RunAction::Start(line) => Box::pin(service::start(ctx, line)).await,
        RunAction::Sleep(d) => Box::pin(sleep::sleep(ctx, *d)).await,
        RunAction::S3Pull(t) => Box::pin(s3::pull(ctx, t)).await,
        RunAction::S3Push(t) => Box::pin(s3::push(ctx, t)).await,
        RunAction::Parallel(_) | RunAction::Any(_) => {
            Attempt::failed("a group is run by the engine")
        }
    }
}
