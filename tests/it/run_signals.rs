//! Signals and process lifetimes through the real binary: Ctrl-C, SIGTERM,
//! forwarding to the hand-over command, `kill -9 zinit`, adopted orphans.

use crate::support;

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};
use support::cli::*;
use support::*;

#[test]
fn ctrl_c_stops_everything_and_exits_130() {
    let dir = tempfile::tempdir().unwrap();
    let pids = dir.path().join("pids");
    let script = format!(
        "start 'echo $$ >> {p}; exec sleep 30'\nrun 'sleep 30 & echo $! >> {p}; echo $$ >> {p}; wait'",
        p = pids.display()
    );
    let mut child = zinit()
        .args(["run", "--format", "plain", "-e", &script])
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = wait_for_pids(&pids, 3, Duration::from_secs(5));
    assert_eq!(started.len(), 3, "the steps did not start");
    kill(Pid::from_raw(child.id() as i32), Signal::SIGINT).unwrap();
    assert_eq!(wait_exit(&mut child, Duration::from_secs(5)), Some(130));
    for pid in started {
        assert!(
            gone_within(pid, Duration::from_secs(1)),
            "pid {pid} survived Ctrl-C"
        );
    }
}

#[test]
fn a_second_ctrl_c_skips_the_grace_period() {
    let dir = tempfile::tempdir().unwrap();
    let pids = dir.path().join("pids");
    let script = format!(
        "run 'trap \"\" INT TERM; echo $$ > {}; while :; do sleep 0.05; done'",
        pids.display()
    );
    let mut child = zinit()
        .env("ZINIT_KILL_GRACE_MS", "60000")
        .args(["run", "--format", "plain", "-e", &script])
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = wait_for_pids(&pids, 1, Duration::from_secs(5));
    assert_eq!(started.len(), 1, "the step did not start");
    let zinit_pid = Pid::from_raw(child.id() as i32);
    kill(zinit_pid, Signal::SIGINT).unwrap();
    // The command ignores SIGTERM: without a second Ctrl-C zinit would wait a minute.
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(
        child.try_wait().unwrap(),
        None,
        "did not wait for the grace period"
    );
    kill(zinit_pid, Signal::SIGINT).unwrap();
    assert_eq!(wait_exit(&mut child, Duration::from_secs(5)), Some(130));
    assert!(gone_within(started[0], Duration::from_secs(1)));
}

#[test]
fn signals_go_to_the_command_and_its_code_comes_back() {
    let dir = tempfile::tempdir().unwrap();
    let ready = dir.path().join("ready");
    let service_pid = dir.path().join("service");
    let script = format!("start 'echo $$ > {}; exec sleep 30'", service_pid.display());
    let cmd = format!(
        "trap 'echo got TERM; exit 5' TERM; touch {}; while :; do sleep 0.05; done",
        ready.display()
    );
    let mut child = zinit()
        .args([
            "run", "--format", "plain", "-e", &script, "--", "sh", "-c", &cmd,
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    wait_for_file(&ready);
    kill(Pid::from_raw(child.id() as i32), Signal::SIGTERM).unwrap();
    assert_eq!(wait_exit(&mut child, Duration::from_secs(5)), Some(5));
    let out = child.wait_with_output().unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), "got TERM\n");
    let service = pids_in(&service_pid)[0];
    assert!(
        gone_within(service, Duration::from_secs(1)),
        "service survived"
    );
}

#[test]
fn children_die_with_zinit_even_on_sigkill() {
    let dir = tempfile::tempdir().unwrap();
    let pids = dir.path().join("pids");
    let script = format!("run 'echo $$ > {}; exec sleep 30'", pids.display());
    let mut child = zinit()
        .args(["run", "--format", "plain", "-e", &script])
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = wait_for_pids(&pids, 1, Duration::from_secs(5));
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(
        gone_within(started[0], Duration::from_secs(2)),
        "child outlived zinit"
    );
}

#[test]
fn orphans_adopted_by_zinit_are_reaped() {
    let dir = tempfile::tempdir().unwrap();
    let pids = dir.path().join("pids");
    // The subshell exits at once, so its short-lived child is orphaned and
    // adopted by zinit (a subreaper); when it exits, zinit must collect it.
    let script = format!(
        "start '(sleep 0.1 & echo $! > {}); exec sleep 30'\nsleep 2s",
        pids.display()
    );
    let mut child = zinit()
        .args(["run", "--format", "plain", "-e", &script])
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let orphan = wait_for_pids(&pids, 1, Duration::from_secs(5))[0];
    let end = Instant::now() + Duration::from_secs(1);
    while Path::new(&format!("/proc/{orphan}")).exists() && Instant::now() < end {
        std::thread::sleep(Duration::from_millis(10));
    }
    let left = !Path::new(&format!("/proc/{orphan}")).exists();
    let _ = kill(Pid::from_raw(child.id() as i32), Signal::SIGTERM);
    wait_exit(&mut child, Duration::from_secs(5));
    assert!(left, "orphan {orphan} left as a zombie");
}

#[test]
fn sigterm_sighup_and_sigquit_stop_the_init_gracefully_with_128_plus_n() {
    for (sig, code) in [
        (Signal::SIGTERM, 143),
        (Signal::SIGHUP, 129),
        (Signal::SIGQUIT, 131),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let pids = dir.path().join("pids");
        let script = format!(
            "start 'echo $$ >> {p}; exec sleep 30'\nsleep 30s",
            p = pids.display()
        );
        let mut child = zinit()
            .args(["run", "--format", "json", "-e", &script])
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let started = wait_for_pids(&pids, 1, Duration::from_secs(5));
        assert_eq!(started.len(), 1, "the service did not start");
        kill(Pid::from_raw(child.id() as i32), sig).unwrap();
        assert_eq!(
            wait_exit(&mut child, Duration::from_secs(5)),
            Some(code),
            "{sig}"
        );
        let out = child.wait_with_output().unwrap();
        let events = json_events(&out.stdout);
        // Graceful: the service was stopped by zinit (SIGTERM), not killed with it.
        assert!(
            events.iter().any(|e| e["event"] == "service_stopped"),
            "{sig}: no graceful stop"
        );
        let last = events.last().unwrap();
        assert_eq!(last["event"], "run_ended");
        assert_eq!(last["outcome"], "interrupted");
        assert!(gone_within(started[0], Duration::from_secs(1)));
    }
}

/// A signal that comes while a failed step's leftovers are being stopped
/// still makes the run an interrupted one: 143, not 1.
#[test]
fn a_signal_during_the_teardown_of_a_failing_step_gives_128_plus_n() {
    let dir = tempfile::tempdir().unwrap();
    let pids = dir.path().join("pids");
    let script = format!(
        "run 'echo $$ >> {p}; sh -c \"trap \\\"\\\" TERM; echo \\$\\$ >> {p}; exec sleep 100\" & \
         while [ $(wc -l < {p}) -lt 2 ]; do sleep 0.01; done; exit 1'",
        p = pids.display()
    );
    std::fs::write(&pids, "").unwrap();
    let mut child = zinit()
        .env("ZINIT_KILL_GRACE_MS", "60000")
        .args(["run", "--format", "plain", "-e", &script])
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = wait_for_pids(&pids, 2, Duration::from_secs(5));
    assert_eq!(started.len(), 2, "the step did not start");
    // The step failed once its shell is gone; its leftover ignores SIGTERM,
    // so the teardown waits out the (long) grace.
    assert!(gone_within(started[0], Duration::from_secs(5)));
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(child.try_wait().unwrap(), None, "the teardown did not wait");
    let zinit_pid = Pid::from_raw(child.id() as i32);
    kill(zinit_pid, Signal::SIGTERM).unwrap();
    std::thread::sleep(Duration::from_millis(100));
    // The second one skips the grace.
    kill(zinit_pid, Signal::SIGTERM).unwrap();
    assert_eq!(wait_exit(&mut child, Duration::from_secs(5)), Some(143));
    assert!(gone_within(started[1], Duration::from_secs(1)));
}
