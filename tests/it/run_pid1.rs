//! zinit as PID 1 of a PID namespace (`unshare --pid --fork --mount-proc`,
//! as in a container): the kernel gives PID 1 no default signal actions and
//! makes it the parent of every orphan, so zinit must reap them and pass
//! HUP/USR1 (`docker kill -s HUP`) on to the hand-over command itself.

use crate::support;

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use support::cli::*;
use support::procfs_children;

/// Waits (bounded) until `file` contains `text`.
fn shows(file: &Path, text: &str, limit: Duration) -> bool {
    let end = Instant::now() + limit;
    loop {
        if std::fs::read_to_string(file).is_ok_and(|s| s.contains(text)) {
            return true;
        }
        if Instant::now() >= end {
            return false;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn unshare_works() -> bool {
    Command::new("unshare")
        .args(["--pid", "--fork", "--mount-proc", "true"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

#[test]
fn as_pid_1_zinit_reaps_orphans_and_forwards_hup_and_usr1() {
    if !unshare_works() {
        eprintln!("no PID namespaces here (unshare --pid failed)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let cmd = dir.path().join("cmd.sh");
    std::fs::write(
        &cmd,
        format!(
            "trap 'echo hup >> {o}' HUP\n\
             trap 'echo usr1 >> {o}' USR1\n\
             trap 'echo term >> {o}; exit 0' TERM\n\
             (sleep 0.1 &); (sleep 0.1 &)\n\
             echo ready >> {o}\n\
             i=0; while [ $i -lt 600 ]; do sleep 0.05; i=$((i+1)); done\n",
            o = out.display()
        ),
    )
    .unwrap();
    let mut unshare = Command::new("unshare")
        .args([
            "--pid",
            "--fork",
            "--mount-proc",
            env!("CARGO_BIN_EXE_zinit"),
        ])
        .args(["run", "--format", "plain", "-e"])
        .arg("start '(sleep 0.1 &); exec sleep 100'")
        .args(["--", "sh"])
        .arg(&cmd)
        .env("ZINIT_KILL_GRACE_MS", "300")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    assert!(
        shows(&out, "ready", Duration::from_secs(10)),
        "CMD never started"
    );
    let zinit = procfs_children(unshare.id() as i32);
    assert_eq!(zinit.len(), 1, "unshare's child: {zinit:?}");
    let zinit = zinit[0];
    let status = std::fs::read_to_string(format!("/proc/{zinit}/status")).unwrap();
    let nspid = status.lines().find(|l| l.starts_with("NSpid:")).unwrap();
    assert!(nspid.ends_with("\t1"), "zinit is not PID 1: {nspid}");

    // The orphans (of the service and of CMD) exit after 0.1 s; PID 1 must collect them.
    let end = Instant::now() + Duration::from_secs(5);
    let zombies = |pid: i32| {
        procfs_children(pid)
            .into_iter()
            .filter(|c| {
                std::fs::read_to_string(format!("/proc/{c}/stat")).is_ok_and(|s| {
                    s.rsplit_once(')')
                        .is_some_and(|(_, r)| r.trim_start().starts_with('Z'))
                })
            })
            .count()
    };
    std::thread::sleep(Duration::from_millis(300));
    while zombies(zinit) > 0 && Instant::now() < end {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(zombies(zinit), 0, "PID 1 left zombies");

    kill(Pid::from_raw(zinit), Signal::SIGHUP).unwrap();
    assert!(
        shows(&out, "hup", Duration::from_secs(5)),
        "HUP not forwarded"
    );
    kill(Pid::from_raw(zinit), Signal::SIGUSR1).unwrap();
    assert!(
        shows(&out, "usr1", Duration::from_secs(5)),
        "USR1 not forwarded"
    );
    kill(Pid::from_raw(zinit), Signal::SIGTERM).unwrap();
    assert_eq!(wait_exit(&mut unshare, Duration::from_secs(10)), Some(0));
    assert!(shows(&out, "term", Duration::from_secs(1)));
}
