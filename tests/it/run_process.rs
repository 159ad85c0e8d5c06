//! `run` and `start` with real child processes: output, tails, process
//! groups, SIGTERM then SIGKILL, and nothing left behind (checked by pid).

use crate::support;

use std::time::{Duration, Instant};
use support::*;
use zinit::run::event::{Event, StepOutcome};
use zinit::run::model::{CommandLine, RunAction};

fn pid_file() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pids");
    (dir, path)
}

#[test]
fn a_failing_command_reports_its_status_and_output_tail() {
    let s = step(
        "migrate",
        RunAction::Run(sh("echo one; echo two >&2; exit 3")),
    );
    let (code, events) = run(&plan(vec![s]));
    assert_eq!(code, 1);
    let mut lines = output_lines(&events, "migrate");
    lines.sort();
    assert_eq!(lines, ["one", "two"]);
    let failed = events.iter().find_map(|e| match e {
        Event::AttemptFailed { reason, tail, .. } => Some((reason.clone(), tail.clone())),
        _ => None,
    });
    let (reason, tail) = failed.expect("an attempt_failed event");
    assert_eq!(reason, "exited with status 3");
    assert_eq!(tail.len(), 2, "{tail:?}");
    let pass_tail = events.iter().find_map(|e| match e {
        Event::PassEnded { tail, .. } => Some(tail.clone()),
        _ => None,
    });
    assert_eq!(pass_tail, Some(tail));
}

#[test]
fn a_timeout_kills_the_whole_group_grandchildren_included() {
    let (_dir, pids) = pid_file();
    let script = format!(
        "sleep 30 & echo $! > {p}; echo $$ >> {p}; wait",
        p = pids.display()
    );
    let mut s = step("slow", RunAction::Run(sh(&script)));
    s.timeout = Some(Duration::from_millis(300));
    let (code, events) = run(&plan(vec![s]));
    assert_eq!(code, 1);
    let reasons = failures(&events, "slow");
    assert!(
        reasons[0].starts_with("timed out after 300ms"),
        "{reasons:?}"
    );
    let pids = pids_in(&pids);
    assert_eq!(pids.len(), 2);
    for pid in pids {
        assert!(
            gone_within(pid, Duration::from_secs(1)),
            "pid {pid} survived"
        );
    }
}

#[test]
fn a_command_that_ignores_sigterm_is_killed_after_the_grace_period() {
    let (_dir, pids) = pid_file();
    // An ignored signal stays ignored in children: both need SIGKILL.
    let script = format!(
        "trap '' TERM; sleep 30 & echo $! > {p}; echo $$ >> {p}; while :; do sleep 0.05; done",
        p = pids.display()
    );
    let mut s = step("stubborn", RunAction::Run(sh(&script)));
    s.timeout = Some(Duration::from_millis(200));
    let (code, events) = run(&plan(vec![s]));
    assert_eq!(code, 1);
    let reasons = failures(&events, "stubborn");
    assert!(reasons[0].contains("SIGKILL"), "{reasons:?}");
    // The wait for the grace is announced, with the grace in force.
    let notice = zinit::run::process::stopping_notice(GRACE);
    assert!(
        output_lines(&events, "stubborn").contains(&notice),
        "{:?}",
        output_lines(&events, "stubborn")
    );
    for pid in pids_in(&pids) {
        assert!(
            gone_within(pid, Duration::from_secs(1)),
            "pid {pid} survived"
        );
    }
}

#[test]
fn a_grandchild_left_by_a_finished_command_is_stopped() {
    let (_dir, pids) = pid_file();
    // The background sleep keeps the output pipe open: the step must still end.
    let script = format!("sleep 30 & echo $! > {}", pids.display());
    let start = Instant::now();
    let (code, events) = run(&plan(vec![step("bg", RunAction::Run(sh(&script)))]));
    assert_eq!(code, 0, "{events:#?}");
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "waited for the grandchild"
    );
    let pids = pids_in(&pids);
    assert_eq!(pids.len(), 1);
    assert!(
        gone_within(pids[0], Duration::from_secs(1)),
        "grandchild survived"
    );
}

#[test]
fn output_memory_is_bounded_for_one_endless_line() {
    // 8 MB without a newline: streamed in pieces, the tail keeps a few.
    let script = "head -c 8000000 /dev/zero | tr '\\0' x; exit 1";
    let (code, events) = run(&plan(vec![step("noisy", RunAction::Run(sh(script)))]));
    assert_eq!(code, 1);
    let lines = output_lines(&events, "noisy");
    assert_eq!(lines.iter().map(String::len).sum::<usize>(), 8_000_000);
    let tail = events
        .iter()
        .find_map(|e| match e {
            Event::AttemptFailed { tail, .. } => Some(tail.clone()),
            _ => None,
        })
        .unwrap();
    assert!(tail.len() <= 20);
    assert!(tail.iter().map(String::len).sum::<usize>() <= 20 * 4096);
}

#[test]
fn argv_commands_get_env_and_cwd() {
    let dir = tempfile::tempdir().unwrap();
    let line = CommandLine {
        argv: vec!["sh".into(), "-c".into(), "echo \"$GREETING\"; pwd".into()],
        env: vec![("GREETING".into(), "hi there".into())],
        cwd: Some(dir.path().to_path_buf()),
        shell: None,
    };
    let (code, events) = run(&plan(vec![step("env", RunAction::Run(line))]));
    assert_eq!(code, 0, "{events:#?}");
    let lines = output_lines(&events, "env");
    let cwd = dir.path().canonicalize().unwrap();
    assert_eq!(lines, ["hi there".to_string(), cwd.display().to_string()]);
}

#[test]
fn a_missing_program_fails_clearly() {
    let line = CommandLine {
        argv: vec!["./no-such-program".into()],
        env: Vec::new(),
        cwd: None,
        shell: None,
    };
    let (code, events) = run(&plan(vec![step("missing", RunAction::Run(line))]));
    assert_eq!(code, 1);
    assert_eq!(
        failures(&events, "missing"),
        ["cannot run `./no-such-program`: not found"]
    );
}

#[test]
fn a_service_that_dies_fails_the_waiting_step_at_once() {
    let service = step(
        "api",
        RunAction::Start(sh("echo booting; sleep 0.2; echo crashed >&2; exit 3")),
    );
    // Would wait 20s for a port nobody will open.
    let mut wait = step("wait", tcp(([127, 0, 0, 1], free_port()).into()));
    wait.timeout = Some(Duration::from_secs(20));
    let start = Instant::now();
    let (code, events) = run(&plan(vec![service, wait]));
    assert_eq!(code, 1);
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "failed at the timeout"
    );
    let reasons = failures(&events, "wait");
    assert_eq!(reasons, ["service api exited with status 3"]);
    let tail = events.iter().find_map(|e| match e {
        Event::PassEnded { tail, .. } => Some(tail.clone()),
        _ => None,
    });
    assert_eq!(tail.unwrap(), ["booting", "crashed"]);
}

#[test]
fn services_are_stopped_at_the_end_even_when_they_ignore_sigterm() {
    let (_dir, pids) = pid_file();
    let polite = step(
        "polite",
        RunAction::Start(sh(&format!("echo $$ >> {}; exec sleep 30", pids.display()))),
    );
    let ready = pids.with_file_name("ready");
    let stubborn = step(
        "stubborn",
        RunAction::Start(sh(&format!(
            "trap '' TERM; echo $$ >> {}; touch {}; while :; do sleep 0.05; done",
            pids.display(),
            ready.display()
        ))),
    );
    // Stop it only once its trap is set.
    let trapped = step(
        "trapped",
        RunAction::WaitFile {
            path: ready,
            gone: false,
        },
    );
    let (code, events) = run(&plan(vec![polite, stubborn, trapped]));
    assert_eq!(code, 0, "{events:#?}");
    let stopped: Vec<(String, &str)> = events
        .iter()
        .filter_map(|e| match e {
            Event::ServiceStopped { step, how } => Some((step.clone(), *how)),
            _ => None,
        })
        .collect();
    assert!(
        stopped.contains(&("polite".into(), "terminated")),
        "{stopped:?}"
    );
    assert!(
        stopped.contains(&("stubborn".into(), "killed")),
        "{stopped:?}"
    );
    for pid in pids_in(&pids) {
        assert!(
            gone_within(pid, Duration::from_secs(1)),
            "service {pid} survived"
        );
    }
}

#[test]
fn a_failed_pass_stops_its_services_before_the_next_pass() {
    let (_dir, pids) = pid_file();
    let service = step(
        "svc",
        RunAction::Start(sh(&format!("echo $$ >> {}; exec sleep 30", pids.display()))),
    );
    let fail = step("fail", RunAction::Run(sh("exit 1")));
    let mut p = plan(vec![service, fail]);
    p.policy = policy(
        zinit::plan::model::PolicyKind::Restart,
        1,
        zinit::plan::model::Delay::Fixed(Duration::from_millis(10)),
    );
    let (code, events) = run(&p);
    assert_eq!(code, 1);
    let order: Vec<&str> = events
        .iter()
        .filter_map(|e| match e {
            Event::ServiceStopped { .. } => Some("stopped"),
            Event::PassStarted { .. } => Some("pass"),
            _ => None,
        })
        .collect();
    assert_eq!(order, ["pass", "stopped", "pass", "stopped"]);
    assert_eq!(step_outcome(&events, "fail"), Some(StepOutcome::Failed));
    for pid in pids_in(&pids) {
        assert!(
            gone_within(pid, Duration::from_secs(1)),
            "service {pid} survived"
        );
    }
}
