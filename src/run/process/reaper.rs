//! Orphans. zinit is often PID 1 of a container, and is made a child
//! subreaper otherwise (Linux), so processes whose parent died (a daemon
//! forked by a step, a grandchild of the hand-over command) become its
//! children. Their zombies are reaped here, on every SIGCHLD; the processes
//! zinit spawned itself are left to tokio, which waits for them by pid.

use super::procfs;
use nix::sys::wait::{WaitPidFlag, waitpid};
use nix::unistd::Pid;
use std::collections::HashSet;
use std::sync::{Mutex, OnceLock};
use tokio::signal::unix::{SignalKind, signal};

/// Pids of the children zinit spawned (tokio reaps them).
fn own() -> &'static Mutex<HashSet<i32>> {
    static OWN: OnceLock<Mutex<HashSet<i32>>> = OnceLock::new();
    OWN.get_or_init(Default::default)
}

/// A child zinit spawned: not an orphan, leave it to tokio.
pub fn adopt(pid: u32) {
    own().lock().expect("reaper lock").insert(pid as i32);
}

/// Its status was collected: the pid may be reused by an orphan.
pub fn release(pid: u32) {
    own().lock().expect("reaper lock").remove(&(pid as i32));
}

/// Becomes a subreaper (Linux) and reaps adopted orphans from now on.
/// Must run inside the runtime, and only when zinit is the whole program
/// ([`crate::run::Options::whole_process`]): it reaps every zombie child
/// that zinit did not spawn, which inside a host program (a test binary)
/// would include the host's own children.
pub fn start() {
    #[cfg(target_os = "linux")]
    let _ = nix::sys::prctl::set_child_subreaper(true);
    let Ok(mut children) = signal(SignalKind::child()) else {
        return;
    };
    tokio::spawn(async move {
        while children.recv().await.is_some() {
            reap_orphans();
        }
    });
}

/// Collects every zombie child of zinit that zinit did not spawn.
pub fn reap_orphans() {
    let me = std::process::id() as i32;
    let Some(processes) = procfs::processes() else {
        return;
    };
    let orphans: Vec<i32> = {
        let own = own().lock().expect("reaper lock");
        processes
            .filter(|p| p.ppid == me && p.is_zombie() && !own.contains(&p.pid))
            .map(|p| p.pid)
            .collect()
    };
    for pid in orphans {
        let _ = waitpid(Pid::from_raw(pid), Some(WaitPidFlag::WNOHANG));
    }
}
