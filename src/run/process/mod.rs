//! Child processes: each in its own process group and containment scope
//! ([`contain`]), so that stopping one stops everything it started
//! (grandchildren, daemons and `setsid` included), and tied to zinit's life
//! on Linux so that not even `kill -9 zinit` leaves a direct child behind.

pub mod contain;
pub mod files;
pub mod output;
pub mod procfs;
pub mod reaper;
pub mod sockets;

use super::event::Stream;
use super::model::CommandLine;
use contain::Scope;
use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;
use output::ChildOutput;
use std::process::{ExitStatus, Stdio};
use std::time::Duration;
use tokio::process::{Child, Command};
use tokio_util::sync::CancellationToken;

/// Between SIGTERM and SIGKILL when stopping a process group.
/// The plan's [`STOP_GRACE`](crate::plan::model::STOP_GRACE), so its worst
/// cases count what the engine waits.
pub const KILL_GRACE: Duration = crate::plan::model::STOP_GRACE;
/// Overrides [`KILL_GRACE`] (milliseconds); meant for tests and impatient CI.
pub const KILL_GRACE_ENV: &str = "ZINIT_KILL_GRACE_MS";

/// The grace period in force: [`KILL_GRACE_ENV`] if set and valid, else
/// [`KILL_GRACE`]. Never longer, so the plan's worst cases stay bounds.
pub fn kill_grace() -> Duration {
    std::env::var(KILL_GRACE_ENV)
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
        .map_or(KILL_GRACE, |ms| Duration::from_millis(ms).min(KILL_GRACE))
}

/// A command prepared to run in a new process group, with piped output and
/// no standard input (an init step must not wait for a keyboard).
pub fn command(line: &CommandLine) -> Command {
    let mut cmd = Command::new(&line.argv[0]);
    cmd.args(&line.argv[1..])
        .envs(line.env.iter().map(|(k, v)| (k, v)))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0)
        .kill_on_drop(true);
    if let Some(cwd) = &line.cwd {
        cmd.current_dir(cwd);
    }
    prepare_child(&mut cmd);
    cmd
}

/// What every child gets before exec. Linux: SIGKILL when zinit dies, even
/// by SIGKILL (safe because zinit spawns from its one runtime thread, which
/// lives as long as the process; the signal follows the thread that forked).
/// Everywhere: the open-files limit zinit started with.
pub fn prepare_child(cmd: &mut Command) {
    let parent = std::process::id();
    let files_limit = files::original_limit();
    // SAFETY: prctl, getppid and setrlimit are async-signal-safe; nothing allocates.
    unsafe {
        cmd.pre_exec(move || {
            #[cfg(target_os = "linux")]
            {
                nix::sys::prctl::set_pdeathsig(Signal::SIGKILL)?;
                // zinit may have died between fork and prctl.
                if std::os::unix::process::parent_id() != parent {
                    return Err(std::io::Error::other("zinit exited"));
                }
            }
            let _ = parent;
            if files_limit != 0 {
                use nix::sys::resource::{Resource, getrlimit, setrlimit};
                let (_, hard) = getrlimit(Resource::RLIMIT_NOFILE)?;
                setrlimit(Resource::RLIMIT_NOFILE, files_limit, hard)?;
            }
            Ok(())
        });
    }
}

/// A spawned process group; on drop, whatever is left of it gets SIGKILL
/// (the last resort: normal paths stop it with [`ProcessGroup::stop`]).
pub struct ProcessGroup {
    pub child: Child,
    pgid: Pid,
    /// Holds the group and every descendant, whatever process group they move to.
    scope: Scope,
    armed: bool,
    /// The leader's status was collected.
    reaped: bool,
}

/// The processes of a started group: its process group, and what its
/// scope marks (children that called `setsid` or daemonised).
#[derive(Debug, Clone)]
pub struct GroupOwner {
    pub pgid: i32,
    scope: Scope,
}

impl GroupOwner {
    /// The live processes of the process group itself (cheap: no environ reads).
    pub fn group_members(&self) -> Vec<i32> {
        procfs::processes().map_or_else(Vec::new, |all| {
            all.filter(|p| p.pgrp == self.pgid && !p.is_zombie())
                .map(|p| p.pid)
                .collect()
        })
    }

    /// Whether `pid` is one of the group's or its scope's.
    pub fn owns(&self, pid: i32) -> bool {
        let in_group = std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .ok()
            .and_then(|stat| procfs::ProcStat::parse(&stat))
            .is_some_and(|p| p.pgrp == self.pgid);
        in_group || self.scope.marks(pid)
    }
}

/// How a stop ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stopped {
    /// Nothing was left to stop.
    AlreadyGone,
    /// Everything ended within the grace period.
    Terminated,
    /// Something outlived the grace period (or a hurry was asked) and got SIGKILL.
    Killed,
}

impl ProcessGroup {
    pub fn spawn(mut cmd: Command, scope: Scope) -> std::io::Result<Self> {
        scope.apply(&mut cmd);
        let child = cmd.spawn()?;
        let pid = child.id().ok_or_else(|| std::io::Error::other("no pid"))?;
        reaper::adopt(pid);
        Ok(ProcessGroup {
            child,
            pgid: Pid::from_raw(pid as i32),
            scope,
            armed: true,
            reaped: false,
        })
    }

    /// Waits for the leader to exit.
    pub async fn wait(&mut self) -> std::io::Result<ExitStatus> {
        let status = self.child.wait().await;
        self.reaped = status.is_ok();
        status
    }

    fn try_wait(&mut self) -> Option<ExitStatus> {
        let status = self.child.try_wait().ok().flatten();
        self.reaped |= status.is_some();
        status
    }

    pub fn pid(&self) -> u32 {
        self.pgid.as_raw() as u32
    }

    /// Who belongs to this group, for asking later whose a socket is.
    pub fn owner(&self) -> GroupOwner {
        GroupOwner {
            pgid: self.pgid.as_raw(),
            scope: self.scope.clone(),
        }
    }

    /// Whether any process of the group or its scope still runs. A zombie
    /// does not count: it is dead, only waiting for its parent (which may
    /// be a PID 1 that never reaps) to collect it.
    fn group_alive(&self) -> bool {
        !self.scope.members(self.pgid.as_raw()).is_empty()
    }

    fn signal_all(&self, sig: Signal) {
        let _ = killpg(self.pgid, sig);
        if sig == Signal::SIGKILL {
            self.scope.kill(self.pgid.as_raw());
        } else {
            self.scope.terminate(self.pgid.as_raw());
        }
    }

    /// SIGTERM to the whole group, then SIGKILL to what is left after
    /// `grace`, or at once when `hurry` is cancelled (a second Ctrl-C).
    /// Returns the leader's exit status when it was collected here.
    pub async fn stop(
        &mut self,
        grace: Duration,
        hurry: &CancellationToken,
    ) -> (Stopped, Option<ExitStatus>) {
        let mut status = self.try_wait();
        if status.is_some() && !self.group_alive() {
            self.armed = false;
            return (Stopped::AlreadyGone, status);
        }
        self.signal_all(Signal::SIGTERM);
        let ended = contain::until(grace, hurry, || {
            if status.is_none() {
                status = self.try_wait();
            }
            status.is_some() && !self.group_alive()
        })
        .await;
        let stopped = if ended {
            Stopped::Terminated
        } else {
            self.signal_all(Signal::SIGKILL);
            if status.is_none() {
                status = self.wait().await.ok();
            }
            Stopped::Killed
        };
        self.armed = false;
        (stopped, status)
    }
}

impl Drop for ProcessGroup {
    fn drop(&mut self) {
        if self.armed {
            self.signal_all(Signal::SIGKILL);
        }
        if self.reaped {
            reaper::release(self.pid());
        }
    }
}

/// A stop still running after this is announced ([`stopping_notice`]).
const STOP_NOTICE_AFTER: Duration = Duration::from_millis(250);

/// What zinit prints while it waits out the grace of a stop.
pub fn stopping_notice(grace: Duration) -> String {
    format!(
        "(zinit: stopping (grace {}): still running after SIGTERM, SIGKILL when the grace is over)",
        super::fmt::duration(grace)
    )
}

/// After a group is gone its output is read for at most this long: a
/// process that escaped the group (`setsid`) may hold the pipes open.
const DRAIN_LIMIT: Duration = Duration::from_millis(200);

/// Stops what is left of the group (SIGTERM, grace, SIGKILL) while still
/// reading its output, then reads what remains in the pipes. Every line goes
/// to `on_line`.
pub async fn stop_draining(
    group: &mut ProcessGroup,
    output: &mut ChildOutput,
    grace: Duration,
    hurry: &CancellationToken,
    mut on_line: impl FnMut(Stream, String),
) -> Stopped {
    let stop = group.stop(grace, hurry);
    tokio::pin!(stop);
    // A stop that is not over at once is waiting out the grace: say so.
    let notice = tokio::time::sleep(STOP_NOTICE_AFTER.min(grace));
    tokio::pin!(notice);
    let mut noticed = false;
    let stopped = loop {
        // Biased: a stop that lasted past the notice's time is announced
        // even when a starved runtime finds both ready in one wake-up.
        tokio::select! {
            biased;
            _ = &mut notice, if !noticed => {
                noticed = true;
                on_line(Stream::Stderr, stopping_notice(grace));
            }
            Some((stream, text)) = output.next(), if !output.is_done() => on_line(stream, text),
            (stopped, _) = &mut stop => break stopped,
        }
    };
    let drain = async {
        while let Some((stream, text)) = output.next().await {
            on_line(stream, text);
        }
    };
    if tokio::time::timeout(DRAIN_LIMIT, drain).await.is_err() {
        on_line(
            Stream::Stderr,
            "(zinit: output still open after the process group ended; a process outside the group holds it)".into(),
        );
    }
    stopped
}

/// `exited with status N` / `killed by signal SIGTERM`.
pub fn describe_status(status: &ExitStatus) -> String {
    use std::os::unix::process::ExitStatusExt;
    match (status.code(), status.signal()) {
        (Some(code), _) => format!("exited with status {code}"),
        (None, Some(sig)) => match Signal::try_from(sig) {
            Ok(s) => format!("killed by signal {}", s.as_str()),
            Err(_) => format!("killed by signal {sig}"),
        },
        _ => "ended".to_string(),
    }
}

/// The shell convention: the exit code, or 128 + N when killed by signal N.
pub fn exit_code(status: &ExitStatus) -> i32 {
    use std::os::unix::process::ExitStatusExt;
    status
        .code()
        .or_else(|| status.signal().map(|s| 128 + s))
        .unwrap_or(1)
}
