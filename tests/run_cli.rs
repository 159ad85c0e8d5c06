//! `zinit run` as users run it: the real binary, real signals, exit codes,
//! output formats, and the schedule compared with `zinit plan`.

mod support;

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;
use serde_json::Value;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};
use support::*;

fn zinit() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_zinit"));
    cmd.env("ZINIT_KILL_GRACE_MS", "300").env_remove("NO_COLOR");
    cmd
}

fn run_script(script: &str, extra: &[&str]) -> Output {
    zinit()
        .args(["run", "--format", "plain", "-e", script])
        .args(extra)
        .output()
        .unwrap()
}

fn json_events(stdout: &[u8]) -> Vec<Value> {
    String::from_utf8_lossy(stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

/// Waits (bounded) for the child to exit; kills it if it does not.
fn wait_exit(child: &mut Child, limit: Duration) -> Option<i32> {
    let end = Instant::now() + limit;
    while Instant::now() < end {
        if let Some(status) = child.try_wait().unwrap() {
            return status.code();
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let _ = child.kill();
    let _ = child.wait();
    None
}

fn wait_for_file(path: &Path) {
    let end = Instant::now() + Duration::from_secs(5);
    while !path.exists() && Instant::now() < end {
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(path.exists(), "{} never appeared", path.display());
}

#[test]
fn exit_codes_follow_the_spec() {
    let port = free_port();
    assert_eq!(run_script("sleep 1ms", &[]).status.code(), Some(0));
    let failed = run_script(&format!("wait tcp 127.0.0.1:{port} timeout 50ms"), &[]);
    assert_eq!(failed.status.code(), Some(1));
    let invalid = run_script("wait tcp 127.0.0.1:1 timeout 30", &[]);
    assert_eq!(invalid.status.code(), Some(2));
    let usage = zinit()
        .args(["run", "--format", "xml", "-e", "sleep 1ms"])
        .output()
        .unwrap();
    assert_eq!(usage.status.code(), Some(2));
}

#[test]
fn the_command_after_the_init_decides_the_exit_code() {
    let out = run_script(
        "sleep 1ms",
        &["--", "sh", "-c", "echo handed over; exit 42"],
    );
    assert_eq!(out.status.code(), Some(42));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "handed over\n");
    // Killed by a signal: 128 + N, as shells say.
    let killed = run_script("sleep 1ms", &["--", "sh", "-c", "kill -9 $$"]);
    assert_eq!(killed.status.code(), Some(137));
    let missing = run_script("sleep 1ms", &["--", "./no-such-command"]);
    assert_eq!(missing.status.code(), Some(127));
}

#[test]
fn a_failed_init_never_runs_the_command() {
    let dir = tempfile::tempdir().unwrap();
    let marker = dir.path().join("ran");
    let out = run_script("run 'exit 3'", &["--", "touch", marker.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(!marker.exists());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("exited with status 3"), "{stderr}");
}

#[test]
fn an_unset_variable_stops_the_run_before_anything_runs() {
    let dir = tempfile::tempdir().unwrap();
    let marker = dir.path().join("ran");
    let script = format!(
        "run 'touch {}'\nwait tcp ${{ZINIT_TEST_UNSET_HOST}}:5432",
        marker.display()
    );
    let out = zinit()
        .env_remove("ZINIT_TEST_UNSET_HOST")
        .args(["run", "-e", &script])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(!marker.exists(), "the first step ran");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("E150") && stderr.contains("ZINIT_TEST_UNSET_HOST"),
        "{stderr}"
    );
    // Set, it resolves.
    let port = free_port();
    let ok = zinit()
        .env("ZINIT_TEST_PORT", port.to_string())
        .args([
            "run",
            "-e",
            "wait tcp 127.0.0.1:${ZINIT_TEST_PORT} closed timeout 1s",
        ])
        .output()
        .unwrap();
    assert_eq!(
        ok.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
}

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
fn sigterm_exits_143_and_stops_services() {
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
    kill(Pid::from_raw(child.id() as i32), Signal::SIGTERM).unwrap();
    assert_eq!(wait_exit(&mut child, Duration::from_secs(5)), Some(143));
    let out = child.wait_with_output().unwrap();
    let events = json_events(&out.stdout);
    let last = events.last().unwrap();
    assert_eq!(last["event"], "run_ended");
    assert_eq!(last["outcome"], "interrupted");
    assert!(events.iter().any(|e| e["event"] == "service_stopped"));
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
fn run_delays_match_the_plans_schedule() {
    let script = "run 'exit 1' as flaky retry 3 backoff initial 10ms factor 3 max 50ms\n\
                  retry backoff 2 initial 20ms factor 2";
    let plan = zinit()
        .args(["plan", "--format", "json", "-e", script])
        .output()
        .unwrap();
    assert_eq!(
        plan.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&plan.stderr)
    );
    let plan: Value = serde_json::from_slice(&plan.stdout).unwrap();
    let out = zinit()
        .args(["run", "--format", "json", "-e", script])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let events = json_events(&out.stdout);
    let delays = |kind: &str| -> Vec<Value> {
        events
            .iter()
            .filter(|e| e["event"] == kind)
            .map(|e| e["delay_ms"].clone())
            .collect()
    };
    let retries = delays("retry_scheduled");
    // Three passes, each with the step's full schedule.
    let step_schedule = plan["steps"][0]["retry_delays_ms"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(step_schedule, [10, 30, 50]);
    assert_eq!(
        retries,
        [step_schedule.clone(), step_schedule.clone(), step_schedule].concat()
    );
    let policy = plan["policy"]["delays_ms"].as_array().unwrap().clone();
    assert_eq!(policy, [20, 40]);
    assert_eq!(delays("policy_delay"), policy);
}

#[test]
fn the_spec_one_liners_end_to_end() {
    // SPEC §2, with the database on loopback and nothing listening: the
    // wait fails, warns, and the script still succeeds in one pass (the
    // policy can never apply).
    let port = free_port();
    let out = zinit()
        .args([
            "run",
            "--format",
            "json",
            "-e",
            &format!("wait tcp 127.0.0.1:{port} timeout 100ms on-fail warn; retry backoff 3"),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let events = json_events(&out.stdout);
    let ended: Vec<&Value> = events
        .iter()
        .filter(|e| e["event"] == "step_ended")
        .collect();
    assert_eq!(ended.len(), 1);
    assert_eq!(ended[0]["outcome"], "warned");
    assert_eq!(
        events
            .iter()
            .filter(|e| e["event"] == "pass_started")
            .count(),
        1
    );

    // SPEC §3, the wait-for-it drop-in: the port opens later, then the command runs.
    let port = free_port();
    let server = listen_later(port, Duration::from_millis(200), Duration::from_millis(500));
    let out = run_script(
        &format!("wait tcp 127.0.0.1:{port} timeout 1m"),
        &["--", "sh", "-c", "echo server up; exit 0"],
    );
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "server up\n");
    server.join().unwrap();
}

#[test]
fn plain_output_is_timestamped_and_free_of_escape_codes() {
    let out = run_script("run 'echo hello'", &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains('\x1b'), "{stderr:?}");
    let line = stderr
        .lines()
        .find(|l| l.ends_with("| hello"))
        .expect("the output line");
    // `2025-01-31T12:34:56.789Z run-echo-hello | hello`
    let (ts, rest) = line.split_once(' ').unwrap();
    assert_eq!(ts.len(), 24, "{ts}");
    assert!(ts.ends_with('Z') && ts.as_bytes()[10] == b'T', "{ts}");
    assert_eq!(rest, "run-echo-hello | hello");
}

#[test]
fn json_events_are_one_object_per_line_from_run_started_to_run_ended() {
    let out = zinit()
        .args(["run", "--format", "json", "-e", "run 'echo hi'"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let events = json_events(&out.stdout);
    let names: Vec<&str> = events
        .iter()
        .map(|e| e["event"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "run_started",
            "pass_started",
            "step_started",
            "attempt_started",
            "output",
            "step_ended",
            "pass_ended",
            "run_ended"
        ]
    );
    assert!(
        events
            .iter()
            .all(|e| e["t_ms"].is_number() && e["ts"].is_string())
    );
    assert_eq!(events[4]["line"], "hi");
    assert_eq!(events[4]["step"], "run-echo-hi");
}
