//! Containment: nothing zinit starts outlives it.
//!
//! - Each process group zinit starts (a `run`, a `start`, the hand-over
//!   command) is a *scope*: its process group plus every process that
//!   carries its mark in the environment ([`tree`]), which pipelines, `&`,
//!   subshells, `setsid` and double-forking daemons inherit. A scope's
//!   leftovers are stopped when its step ends.
//! - The whole run is held by a cgroup v2 where zinit can create one and
//!   is the whole program ([`cgroup`]): zinit moves itself in, so every
//!   descendant is born inside and cannot leave, mark or not. Otherwise
//!   the run is the set of marked processes.
//! - When zinit is the whole program a [`watchdog`] process outlives a
//!   killed zinit (`kill -9`, the OOM killer) and stops what is left.
//!
//! All of it is set up on the first spawn, so a script that starts no
//! process pays nothing.

pub mod cgroup;
pub mod tree;
pub mod watchdog;

use cgroup::Cgroup;
use nix::sys::signal::Signal;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;
use tokio::process::Command;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

/// `process-tree` forces the fallback (tests, or a host whose cgroups
/// must not be touched); anything else lets zinit choose.
pub const MECHANISM_ENV: &str = "ZINIT_CONTAINMENT";

/// How often a stopping scope is checked: first, and at most.
const POLL: Duration = Duration::from_millis(2);
const POLL_MAX: Duration = Duration::from_millis(50);

/// The containment of one run.
pub struct Containment {
    inner: Arc<Inner>,
}

struct Inner {
    run: OnceLock<Run>,
    /// The watchdog's pipe, never closed by zinit (see [`watchdog`]).
    watchdog: OnceLock<&'static std::process::ChildStdin>,
    whole_process: bool,
    grace: Duration,
    next_scope: AtomicU64,
}

/// What holds every process of a run.
#[derive(Debug, Clone)]
enum Run {
    /// zinit and everything it started (the watchdog is outside).
    Cgroup { cgroup: Cgroup, id: String },
    /// The marked processes.
    Tree { id: String },
}

impl Run {
    fn id(&self) -> &str {
        match self {
            Run::Cgroup { id, .. } | Run::Tree { id } => id,
        }
    }

    /// Live processes of the run (never the caller).
    fn members(&self) -> Vec<i32> {
        match self {
            Run::Cgroup { cgroup, .. } => cgroup.pids(),
            Run::Tree { id } => tree::members(tree::Mark::Run(id), None),
        }
    }

    fn kill(&self) {
        match self {
            Run::Cgroup { cgroup, .. } => cgroup.kill(),
            Run::Tree { .. } => kill_all(|| self.members()),
        }
    }

    /// SIGTERM, up to `grace` (or until `hurry`), SIGKILL.
    async fn sweep(&self, grace: Duration, hurry: &CancellationToken) {
        let members = self.members();
        if members.is_empty() {
            return;
        }
        signal_all(&members, Signal::SIGTERM);
        if !until(grace, hurry, || self.members().is_empty()).await {
            self.kill();
        }
    }
}

impl Containment {
    /// `whole_process`: zinit is the program (not a library in a test
    /// binary), so it may move itself into a cgroup and leave a watchdog.
    pub fn new(whole_process: bool, grace: Duration) -> Self {
        Containment {
            inner: Arc::new(Inner {
                run: OnceLock::new(),
                watchdog: OnceLock::new(),
                whole_process,
                grace,
                next_scope: AtomicU64::new(0),
            }),
        }
    }

    /// Sets up on another thread now, so that the first spawn finds it
    /// ready (moving zinit into a cgroup waits for the kernel, 10–20 ms).
    pub fn prepare_in_background(&self) {
        let inner = self.inner.clone();
        std::thread::spawn(move || {
            inner.run();
        });
    }

    /// A new scope for one process group.
    pub fn scope(&self) -> Scope {
        let n = self.inner.next_scope.fetch_add(1, Ordering::Relaxed);
        Scope {
            mark: format!("{}/{n}", self.inner.run().id()),
        }
    }

    /// The end of the run: whatever is still running is stopped (SIGTERM,
    /// grace, SIGKILL). The watchdog removes the cgroup once zinit is gone.
    pub async fn finish(&self, hurry: &CancellationToken) {
        if let Some(run) = self.inner.run.get() {
            run.sweep(self.inner.grace, hurry).await;
        }
        // Whatever is still there has had its grace (or a hurry was asked).
        if let Some(pipe) = self.inner.watchdog.get() {
            watchdog::no_more_grace(pipe);
        }
    }
}

impl Inner {
    fn run(&self) -> &Run {
        self.run.get_or_init(|| {
            static RUNS: AtomicU64 = AtomicU64::new(0);
            let id = format!(
                "zinit-{}-{}",
                std::process::id(),
                RUNS.fetch_add(1, Ordering::Relaxed)
            );
            if !self.whole_process {
                return Run::Tree { id };
            }
            let forced_tree = std::env::var(MECHANISM_ENV).is_ok_and(|v| v == "process-tree");
            let cgroup = (!forced_tree)
                .then(Cgroup::own)
                .flatten()
                .and_then(|own| Cgroup::create(&own, &id).ok());
            let run = match cgroup {
                Some(cgroup) => Run::Cgroup { cgroup, id },
                None => Run::Tree { id },
            };
            // The watchdog first, from outside the cgroup: it must not be in what it kills.
            let watchdog = watchdog::spawn(&run, self.grace);
            let run = match run {
                // Without a watchdog nobody would remove the cgroup after zinit.
                Run::Cgroup { cgroup, id } if watchdog.is_none() || cgroup.enter().is_err() => {
                    cgroup.remove();
                    Run::Tree { id }
                }
                run => run,
            };
            // Its pipe must close only when zinit ends (however it ends), not
            // when this run's state is dropped while zinit is still exiting.
            if let Some(pipe) = watchdog {
                let _ = self.watchdog.set(Box::leak(Box::new(pipe)));
            }
            run
        })
    }
}

/// One process group and everything it started.
#[derive(Debug, Clone)]
pub struct Scope {
    mark: String,
}

impl Scope {
    /// Marks the command (and so what it starts) as the scope's, keeping
    /// the marks of a zinit that runs this one.
    pub fn apply(&self, cmd: &mut Command) {
        match std::env::var(tree::SCOPE_VAR) {
            Ok(outer) if !outer.is_empty() => {
                cmd.env(tree::SCOPE_VAR, format!("{outer}:{}", self.mark))
            }
            _ => cmd.env(tree::SCOPE_VAR, &self.mark),
        };
    }

    /// Live processes of the scope or of process group `pgid`.
    pub fn members(&self, pgid: i32) -> Vec<i32> {
        tree::members(tree::Mark::Scope(&self.mark), Some(pgid))
    }

    /// Whether `pid` carries the scope's mark.
    pub fn marks(&self, pid: i32) -> bool {
        tree::marked(pid, tree::Mark::Scope(&self.mark))
    }

    pub fn terminate(&self, pgid: i32) {
        signal_all(&self.members(pgid), Signal::SIGTERM);
    }

    pub fn kill(&self, pgid: i32) {
        kill_all(|| self.members(pgid));
    }
}

/// SIGKILL until nothing is left (bounded: a process being killed cannot
/// fork, so each round finds fewer).
fn kill_all(members: impl Fn() -> Vec<i32>) {
    for _ in 0..100 {
        let left = members();
        if left.is_empty() {
            break;
        }
        signal_all(&left, Signal::SIGKILL);
    }
}

fn signal_all(pids: &[i32], sig: Signal) {
    for &pid in pids {
        let _ = nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid), sig);
    }
}

/// Polls `done` (quickly at first, then less often) until it holds (true)
/// or `limit` passes or `hurry` is cancelled (false).
pub async fn until(
    limit: Duration,
    hurry: &CancellationToken,
    mut done: impl FnMut() -> bool,
) -> bool {
    let deadline = Instant::now() + limit;
    let mut poll = POLL;
    loop {
        if done() {
            return true;
        }
        if Instant::now() >= deadline || hurry.is_cancelled() {
            return false;
        }
        tokio::select! {
            _ = tokio::time::sleep(poll) => {}
            _ = hurry.cancelled() => {}
        }
        poll = (poll * 2).min(POLL_MAX);
    }
}
