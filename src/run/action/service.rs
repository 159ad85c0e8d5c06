//! `start CMD`: a background service. The step succeeds once the process is
//! spawned; a watcher task then streams its output and, if it exits while
//! the init still runs, tells the engine, which fails the running steps at
//! once (see [`Services::exited`]). Services are stopped at the end of a
//! failed pass, and after the hand-over command or a successful init.

use super::service_log::{LogWatch, ServiceLog};
use super::{Attempt, AttemptCtx};
use crate::run::event::{Event, Reporter};
use crate::run::process::output::{ChildOutput, Tail};
use crate::run::process::{GroupOwner, ProcessGroup, Stopped, describe_status, stop_draining};
use futures_util::future::join_all;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

pub async fn start(ctx: &AttemptCtx<'_>, line: &crate::run::model::CommandLine) -> Attempt {
    match super::command::spawn(ctx.resources.containment(), line) {
        Ok(group) => {
            ctx.resources.services().adopt(ctx.step.id.clone(), group);
            Attempt::Ok
        }
        Err(reason) => Attempt::failed(reason),
    }
}

/// Why a service whose process exited 0 but left processes running failed
/// (they are stopped: zinit cannot watch a daemon it did not start).
pub const DAEMONISED: &str = "daemonised (its process exited 0 and left others running, now stopped); run it in the foreground";

/// A service that ended on its own.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceExit {
    pub step: String,
    /// `exited with status 1`, `killed by signal SIGSEGV`...
    pub status: String,
    pub tail: Vec<String>,
}

/// The services of the current pass.
pub struct Services {
    reporter: Arc<dyn Reporter>,
    grace: Duration,
    hurry: CancellationToken,
    running: Mutex<Vec<Watched>>,
    /// The first service that exited during the init.
    exit: watch::Sender<Option<ServiceExit>>,
    /// Set once the hand-over command runs: an exit is then only reported.
    handed_over: Arc<AtomicBool>,
    /// The plan's `wait log` steps, given before the first pass.
    log_watches: Mutex<Vec<LogWatch>>,
    /// The services of this pass by step id, for `wait log` and `by`.
    started: Mutex<HashMap<String, Started>>,
    /// Counts adoptions, so a wait for a service not started yet wakes.
    adopted: watch::Sender<u64>,
}

/// What waits need of a started service.
#[derive(Clone)]
struct Started {
    log: Arc<ServiceLog>,
    owner: GroupOwner,
}

struct Watched {
    stop: CancellationToken,
    task: JoinHandle<()>,
}

impl Services {
    pub fn new(reporter: Arc<dyn Reporter>, grace: Duration, hurry: CancellationToken) -> Self {
        Services {
            reporter,
            grace,
            hurry,
            running: Mutex::new(Vec::new()),
            exit: watch::channel(None).0,
            handed_over: Arc::new(AtomicBool::new(false)),
            log_watches: Mutex::new(Vec::new()),
            started: Mutex::new(HashMap::new()),
            adopted: watch::channel(0).0,
        }
    }

    /// The `wait log` steps of the plan: each service counts the lines of
    /// the waits that name it from its first line on.
    pub fn watch_logs(&self, watches: Vec<LogWatch>) {
        *self.log_watches.lock().expect("services lock") = watches;
    }

    /// The output record of the service started by step `id` in this pass.
    pub fn log(&self, id: &str) -> Option<Arc<ServiceLog>> {
        let started = self.started.lock().expect("services lock");
        started.get(id).map(|s| s.log.clone())
    }

    /// Who the processes of the service started by step `id` are.
    pub fn owner(&self, id: &str) -> Option<GroupOwner> {
        let started = self.started.lock().expect("services lock");
        started.get(id).map(|s| s.owner.clone())
    }

    /// Changes whenever a service is started.
    pub fn adoptions(&self) -> watch::Receiver<u64> {
        self.adopted.subscribe()
    }

    /// Resolves when a service has exited during the init (at once if one already has).
    pub async fn exited(&self) -> ServiceExit {
        let mut rx = self.exit.subscribe();
        match rx.wait_for(Option::is_some).await {
            Ok(exit) => exit.clone().expect("waited for Some"),
            // The sender lives as long as `self`.
            Err(_) => std::future::pending().await,
        }
    }

    /// The service exit seen so far, if any.
    pub fn exit_seen(&self) -> Option<ServiceExit> {
        self.exit.borrow().clone()
    }

    pub fn hand_over(&self) {
        self.handed_over.store(true, Ordering::SeqCst);
    }

    fn adopt(&self, step: String, mut group: ProcessGroup) {
        let stop = CancellationToken::new();
        let output = ChildOutput::new(group.child.stdout.take(), group.child.stderr.take());
        let watches = self.log_watches.lock().expect("services lock");
        let log = Arc::new(ServiceLog::new(
            watches
                .iter()
                .filter(|w| w.service == step)
                .cloned()
                .collect(),
        ));
        drop(watches);
        let started = Started {
            log: log.clone(),
            owner: group.owner(),
        };
        self.started
            .lock()
            .expect("services lock")
            .insert(step.clone(), started);
        self.adopted.send_modify(|n| *n += 1);
        let watcher = Watcher {
            log,
            step,
            reporter: self.reporter.clone(),
            grace: self.grace,
            hurry: self.hurry.clone(),
            stop: stop.clone(),
            exit: self.exit.clone(),
            handed_over: self.handed_over.clone(),
        };
        let task = tokio::spawn(watcher.watch(group, output));
        self.running
            .lock()
            .expect("services lock")
            .push(Watched { stop, task });
    }

    /// Stops every service (all at once) and forgets them; the exit flag is cleared for the next pass.
    pub async fn stop_all(&self) {
        let running = std::mem::take(&mut *self.running.lock().expect("services lock"));
        for service in &running {
            service.stop.cancel();
        }
        join_all(running.into_iter().map(|s| s.task)).await;
        self.started.lock().expect("services lock").clear();
        self.exit.send_replace(None);
    }
}

struct Watcher {
    log: Arc<ServiceLog>,
    step: String,
    reporter: Arc<dyn Reporter>,
    grace: Duration,
    hurry: CancellationToken,
    stop: CancellationToken,
    exit: watch::Sender<Option<ServiceExit>>,
    handed_over: Arc<AtomicBool>,
}

impl Watcher {
    async fn watch(self, mut group: ProcessGroup, mut output: ChildOutput) {
        let mut tail = Tail::default();
        let status = loop {
            tokio::select! {
                biased;
                _ = self.stop.cancelled() => break None,
                Some((stream, line)) = output.next(), if !output.is_done() => {
                    tail.push(&line);
                    self.log.line(&line);
                    self.reporter.event(&Event::Output { step: self.step.clone(), stream, line });
                }
                status = group.wait() => break Some(status),
            }
        };
        // Whether it exited or is being stopped, nothing of its group may remain.
        let stopped = stop_draining(
            &mut group,
            &mut output,
            self.grace,
            &self.hurry,
            |stream, line| {
                tail.push(&line);
                self.log.line(&line);
                self.reporter.event(&Event::Output {
                    step: self.step.clone(),
                    stream,
                    line,
                });
            },
        )
        .await;
        match status {
            None => {
                self.log.end("was stopped");
                let how = match stopped {
                    Stopped::AlreadyGone => return,
                    Stopped::Terminated => "terminated",
                    Stopped::Killed => "killed",
                };
                self.reporter.event(&Event::ServiceStopped {
                    step: self.step.clone(),
                    how,
                });
            }
            Some(status) => {
                let status = match status {
                    // Its first process went, the rest of it stayed: a daemon.
                    Ok(s) if s.success() && stopped != Stopped::AlreadyGone => {
                        DAEMONISED.to_string()
                    }
                    Ok(s) => describe_status(&s),
                    Err(e) => format!("lost: {e}"),
                };
                // Before the engine hears of the exit: a `wait log` says it first, with its count.
                self.log.end(&status);
                let handed_over = self.handed_over.load(Ordering::SeqCst);
                self.reporter.event(&Event::ServiceExited {
                    step: self.step.clone(),
                    status: status.clone(),
                    phase: if handed_over { "command" } else { "init" },
                    tail: tail.lines(),
                });
                if !handed_over {
                    self.exit.send_if_modified(|seen| {
                        let first = seen.is_none();
                        if first {
                            *seen = Some(ServiceExit {
                                step: self.step.clone(),
                                status,
                                tail: tail.lines(),
                            });
                        }
                        first
                    });
                }
            }
        }
    }
}
