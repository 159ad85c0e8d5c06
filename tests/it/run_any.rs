//! `any { }` and group deadlines through the real binary, with real child
//! processes checked by pid: the first member to succeed wins and the
//! others' processes (grandchildren and SIGTERM-ignoring ones included) are
//! gone when zinit ends; all members failing fails the group with each
//! one's reason; a group's `timeout` bounds `any` and `parallel` alike.

use crate::support;

use serde_json::Value;
use std::net::TcpListener;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};
use support::cli::*;
use support::*;

/// The kill grace `Zinit::new()` gives the binary.
const GRACE: Duration = Duration::from_millis(300);
/// Room for a loaded 2-core machine on top of what a bound allows.
const SLACK: Duration = Duration::from_secs(8);

fn outcome(events: &[Value], id: &str) -> String {
    step_ended(events, id)
        .and_then(|e| e["outcome"].as_str())
        .unwrap_or("(no step_ended)")
        .to_string()
}

fn reason(events: &[Value], id: &str) -> String {
    step_ended(events, id)
        .and_then(|e| e["reason"].as_str())
        .unwrap_or_default()
        .to_string()
}

/// Members that write their pids to `pids` and never end by themselves:
/// one with a grandchild, one that ignores SIGTERM.
fn stubborn_members(pids: &Path) -> String {
    let p = pids.display();
    format!(
        "    run 'sleep 60 & echo $! >> {p}; echo $$ >> {p}; wait' as with-grandchild\n    \
         run 'trap \"\" TERM; echo $$ >> {p}; while :; do sleep 0.1; done' as ignores-term\n"
    )
}

/// A temporary directory with the path of its pid file, and a free port
/// nothing listens on (until a test binds it).
fn pid_file_and_port() -> (tempfile::TempDir, std::path::PathBuf, u16) {
    let dir = tempfile::tempdir().unwrap();
    let pids = dir.path().join("pids");
    (dir, pids, free_port())
}

fn assert_all_gone(pids: &[i32]) {
    for &pid in pids {
        // zinit waited for them; only the reaping of a grandchild may lag.
        assert!(
            gone_within(pid, Duration::from_secs(2)),
            "pid {pid} survived"
        );
    }
}

#[test]
fn the_first_member_to_succeed_wins_and_the_others_leave_nothing_running() {
    let (_dir, pids, port) = pid_file_and_port();
    let script = format!(
        "any as ready timeout 2m {{\n{}    wait tcp 127.0.0.1:{port} timeout 2m as winner\n}}\n",
        stubborn_members(&pids)
    );
    let mut child = Zinit::new()
        .args(["run", "--format", "json", "-e", &script])
        .command()
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = wait_for_pids(&pids, 3, Duration::from_secs(30));
    assert_eq!(started.len(), 3, "the losing members never started");
    assert!(started.iter().all(|&pid| alive(pid)));
    // The winner succeeds only now, while the others are surely running.
    let listener = TcpListener::bind(("127.0.0.1", port)).unwrap();
    let won = Instant::now();
    let code = wait_exit(&mut child, Duration::from_secs(30));
    let ended = won.elapsed();
    drop(listener);
    assert_eq!(code, Some(0));
    assert_all_gone(&started);
    // Stopping the losers takes at most the grace (the one ignoring SIGTERM).
    assert!(ended < GRACE + SLACK, "ended {ended:?} after the win");
    let output = child.wait_with_output().unwrap();
    let events = json_events(&output.stdout);
    assert_eq!(outcome(&events, "winner"), "ok");
    assert_eq!(outcome(&events, "with-grandchild"), "cancelled");
    assert_eq!(outcome(&events, "ignores-term"), "cancelled");
    assert_eq!(outcome(&events, "ready"), "ok");
}

#[test]
fn when_all_members_fail_the_group_fails_with_each_ones_reason() {
    let port = free_port();
    let script = format!(
        "any {{\n    run 'echo boom >&2; exit 3' as a\n    \
         wait tcp 127.0.0.1:{port} timeout 300ms as b\n}}\n"
    );
    let output = Zinit::new()
        .args(["run", "--format", "json", "-e", &script])
        .output();
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let events = json_events(&output.stdout);
    // Each member lost; the group failed.
    assert_eq!(outcome(&events, "a"), "lost");
    assert_eq!(outcome(&events, "b"), "lost");
    assert_eq!(outcome(&events, "any-1"), "failed");
    let why = reason(&events, "any-1");
    assert!(
        why.starts_with("all 2 members failed: a: exited with status 3; b: timed out after 300ms"),
        "{why}"
    );
    let pass = events
        .iter()
        .find(|e| e["event"] == "pass_ended")
        .expect("pass_ended");
    assert_eq!(pass["failed_step"], "any-1");
    assert_eq!(pass["tail"], serde_json::json!(["boom"]));
}

#[test]
fn a_failing_any_group_with_on_fail_warn_lets_the_init_go_on() {
    let port = free_port();
    let script = format!(
        "any on-fail warn {{ wait tcp 127.0.0.1:{port} timeout 200ms; run 'exit 1' }}\nrun 'echo after'\n"
    );
    let output = run_script(&script, &[]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stderr(&output);
    assert!(text.contains("all 2 members failed"), "{text}");
    // A member that loses is not an error: the group decides.
    assert!(text.contains("failed, the `any` group goes on"), "{text}");
    assert!(!text.contains("error"), "{text}");
    assert!(
        stdout(&output).contains("after") || text.contains("after"),
        "{text}"
    );
}

/// `GROUP timeout 3s { stubborn members; a wait that would take a minute }`
/// (3s: time for the members to start on a loaded machine):
/// the run ends after the group's deadline plus at most the grace, and the
/// members' processes are gone.
fn group_timeout_bounds_the_run(group: &str, expected_reason: &str) {
    let (_dir, pids, port) = pid_file_and_port();
    let script = format!(
        "{group} as bounded timeout 3s {{\n{}    wait tcp 127.0.0.1:{port} timeout 1m as slow-wait\n}}\n",
        stubborn_members(&pids)
    );
    let started = Instant::now();
    let output = Zinit::new()
        .args(["run", "--format", "json", "-e", &script])
        .output();
    let took = started.elapsed();
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(
        took >= Duration::from_secs(3),
        "{group}: ended early: {took:?}"
    );
    assert!(
        took < Duration::from_secs(3) + GRACE + SLACK,
        "{group}: the deadline did not bound the run: {took:?}"
    );
    let events = json_events(&output.stdout);
    assert_eq!(outcome(&events, "bounded"), "failed");
    let why = reason(&events, "bounded");
    assert!(why.starts_with(expected_reason), "{group}: {why}");
    for member in ["with-grandchild", "ignores-term", "slow-wait"] {
        assert_eq!(outcome(&events, member), "cancelled", "{group}: {member}");
    }
    let pids = pids_in(&pids);
    assert_eq!(
        pids.len(),
        3,
        "{group}: members did not all start: {pids:?}"
    );
    assert_all_gone(&pids);
}

#[test]
fn a_timeout_on_any_is_a_deadline_for_the_whole_group() {
    group_timeout_bounds_the_run(
        "any",
        "timed out after 3s before any member succeeded; the members still running were stopped",
    );
}

#[test]
fn a_timeout_on_parallel_is_a_deadline_for_the_whole_group() {
    group_timeout_bounds_the_run(
        "parallel",
        "timed out after 3s; the members still running were stopped",
    );
}

#[test]
fn a_sleep_member_wins_when_nothing_else_has_by_then() {
    let port = free_port();
    let script = format!("any {{ wait tcp 127.0.0.1:{port} timeout 1m as never; sleep 300ms }}\n");
    let started = Instant::now();
    let output = Zinit::new()
        .args(["run", "--format", "json", "-e", &script])
        .output();
    let took = started.elapsed();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(took < Duration::from_millis(300) + SLACK, "{took:?}");
    let events = json_events(&output.stdout);
    assert_eq!(outcome(&events, "sleep-300ms"), "ok");
    assert_eq!(outcome(&events, "never"), "cancelled");
}
