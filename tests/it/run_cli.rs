//! `zinit run` as users run it: the real binary, exit codes, the hand-over
//! command, output formats, and the schedule compared with `zinit plan`.

use crate::support;

use serde_json::Value;
use std::time::Duration;
use support::cli::*;
use support::*;

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
