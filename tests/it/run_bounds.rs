//! The plan's worst case is an honest bound on the run, and its failure
//! model says what the engine does: real binary, real processes, with the
//! real stop grace (no `ZINIT_KILL_GRACE_MS`), including commands that
//! ignore SIGTERM.

use crate::support::cli::{json_events, zinit};
use serde_json::Value;
use std::net::TcpListener;
use std::process::Command;

/// What may come on top of the worst case: sending signals, reaping and
/// reporting after the last deadline, on a loaded 2-core machine. Far below
/// the stop grace (5 s) a dishonest bound would miss by.
const SLACK_MS: f64 = 1_000.0;

fn without_test_grace(mut cmd: Command) -> Command {
    cmd.env_remove("ZINIT_KILL_GRACE_MS");
    cmd
}

fn plan_json(script: &str) -> Value {
    let out = zinit()
        .args(["plan", "--format", "json", "-e", script])
        .output()
        .expect("zinit plan");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("plan json")
}

/// Runs the script; the events, and when the init ended (the last pass's
/// end), in milliseconds from the start of the run.
fn run(script: &str) -> (Vec<Value>, f64) {
    let out = without_test_grace(zinit())
        .args(["run", "--format", "json", "-e", script])
        .output()
        .expect("zinit run");
    let events = json_events(&out.stdout);
    let init_end = events
        .iter()
        .rfind(|e| e["event"] == "pass_ended")
        .and_then(|e| e["t_ms"].as_f64())
        .unwrap_or_else(|| panic!("no pass_ended in {events:#?}"));
    (events, init_end)
}

fn count(events: &[Value], kind: &str) -> usize {
    events.iter().filter(|e| e["event"] == kind).count()
}

/// The init ends within the plan's worst case; returns (took, worst).
fn assert_bounded(script: &str) -> (Vec<Value>, f64, f64) {
    let worst = plan_json(script)["worst_case_ms"]
        .as_f64()
        .expect("worst_case_ms");
    let (events, took) = run(script);
    assert!(
        took <= worst + SLACK_MS,
        "{script:?}: the init took {took} ms, the plan's worst case is {worst} ms"
    );
    (events, took, worst)
}

#[test]
fn a_timed_out_command_that_ignores_sigterm_stays_within_the_worst_case() {
    let script = r#"run "trap '' TERM; sleep 30" timeout 300ms"#;
    let (_, took, worst) = assert_bounded(script);
    // The grace was really waited, so the bound needs it.
    assert!(took >= 5_000.0, "took {took} ms");
    assert_eq!(worst, 5_300.0);
}

#[test]
fn a_group_timeout_stops_a_member_that_ignores_sigterm_within_the_worst_case() {
    let script = r#"parallel timeout 300ms { run "trap '' TERM; sleep 30"; sleep 100ms }"#;
    let (_, took, _) = assert_bounded(script);
    assert!(took >= 5_000.0, "took {took} ms");
}

#[test]
fn a_service_that_exits_fails_each_pass_as_the_plan_says() {
    let script = r#"start "sleep 0.1; exit 1" on-fail warn; sleep 500ms; retry restart 2"#;
    let plan = plan_json(script);
    assert_eq!(plan["policy"]["can_apply"], true);
    assert_eq!(plan["steps"][0]["can_fail_pass"], true);
    let check = zinit()
        .args(["check", "--format", "json", "-e", script])
        .output()
        .expect("zinit check");
    assert!(
        !String::from_utf8_lossy(&check.stdout).contains("W101"),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
    let (events, _, _) = assert_bounded(script);
    // 1 + 2 restarts, as the plan counts them, each failed by the exit.
    assert_eq!(count(&events, "pass_started"), 3, "{events:#?}");
    let failed = events
        .iter()
        .filter(|e| e["event"] == "pass_ended" && e["outcome"] == "failed")
        .count();
    assert_eq!(failed, 3, "{events:#?}");
}

#[test]
fn retries_and_policy_delays_stay_within_the_worst_case() {
    // A port nobody listens on: bound, then closed.
    let port = TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    let script = format!(
        "wait tcp 127.0.0.1:{port} timeout 200ms; \
         run \"exit 3\" retry 2 every 50ms; retry backoff 1 initial 100ms"
    );
    let (events, _, _) = assert_bounded(&script);
    assert_eq!(count(&events, "pass_started"), 2, "{events:#?}");
    let script = "run \"exit 3\" retry 2 backoff initial 20ms; retry restart 1".to_string();
    let (events, _, _) = assert_bounded(&script);
    assert_eq!(count(&events, "attempt_started"), 6, "{events:#?}");
}
