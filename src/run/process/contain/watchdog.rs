//! The watchdog: a second zinit process (the same binary, started with
//! [`ARG`]) that waits for the end of its standard input, a pipe whose only
//! writer is zinit. The pipe closes when zinit ends, however it ends —
//! `kill -9` and the OOM killer included — and the watchdog then stops
//! whatever is left of the run (SIGTERM, grace, SIGKILL) and exits. It
//! lives in its own process group and ignores the signals a terminal or
//! `docker stop` send, so the signal that kills zinit does not kill it.
//! Its write end is never closed by zinit itself (it is leaked on purpose):
//! a watchdog woken while zinit is still exiting would stop zinit too.

use super::Run;
use super::cgroup::Cgroup;
use std::io::Read;
use std::os::unix::process::CommandExt;
use std::process::{ChildStdin, Command, ExitCode, Stdio};
use std::time::Duration;
use tokio_util::sync::CancellationToken;

/// The first argument that makes `zinit` a watchdog.
pub const ARG: &str = "__zinit-watchdog";

/// Starts the watchdog of `run`; `None` when it cannot be started (zinit
/// then still stops everything itself, unless it is killed).
pub(super) fn spawn(run: &Run, grace: Duration) -> Option<ChildStdin> {
    let exe = std::env::current_exe().ok()?;
    let (kind, target) = match run {
        Run::Cgroup { cgroup, .. } => ("cgroup", cgroup.dir().to_string_lossy().into_owned()),
        Run::Tree { id } => ("tree", id.clone()),
    };
    let mut child = Command::new(exe)
        .args([ARG, kind, &target, &grace.as_millis().to_string()])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .ok()?;
    // Not waited for: it must outlive zinit. zinit's reaper (or init) collects it.
    child.stdin.take()
}

/// When the program was started as a watchdog: its exit code.
pub fn main_if_asked() -> Option<ExitCode> {
    let mut args = std::env::args().skip(1);
    if args.next().as_deref() != Some(ARG) {
        return None;
    }
    let run = match (args.next().as_deref(), args.next()) {
        (Some("cgroup"), Some(dir)) => Run::Cgroup {
            cgroup: Cgroup::at(dir.into()),
            id: String::new(),
        },
        (Some("tree"), Some(id)) => Run::Tree { id },
        _ => return Some(ExitCode::from(2)),
    };
    let grace = args
        .next()
        .and_then(|ms| ms.parse().ok())
        .map_or(crate::run::process::KILL_GRACE, Duration::from_millis);
    ignore_stop_signals();
    // Blocks until zinit is gone (end of file, or an error: the same).
    let _ = std::io::stdin().lock().read_to_end(&mut Vec::new());
    let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
    else {
        return Some(ExitCode::from(1));
    };
    runtime.block_on(run.sweep(grace, &CancellationToken::new()));
    if let Run::Cgroup { cgroup, .. } = &run {
        cgroup.remove();
    }
    Some(ExitCode::SUCCESS)
}

fn ignore_stop_signals() {
    use nix::sys::signal::{SigHandler, Signal, signal};
    for sig in [
        Signal::SIGINT,
        Signal::SIGTERM,
        Signal::SIGHUP,
        Signal::SIGQUIT,
        Signal::SIGPIPE,
        Signal::SIGTSTP,
        Signal::SIGTTIN,
        Signal::SIGTTOU,
    ] {
        // SAFETY: ignoring a signal installs no handler code.
        let _ = unsafe { signal(sig, SigHandler::SigIgn) };
    }
}
