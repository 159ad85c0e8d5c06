//! Retries, backoff, on-fail, the script policy and parallel groups. The
//! delays the engine sleeps are compared with the plan's own schedule.

use crate::support;

use std::net::TcpListener;
use std::time::{Duration, Instant};
use support::*;
use zinit::plan::model::OnFail;
use zinit::plan::model::{Delay, PolicyKind};
use zinit::run::event::{Event, StepOutcome};
use zinit::run::model::RunAction;

fn retry_delays(events: &[Event], id: &str) -> Vec<Duration> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::RetryScheduled { step, delay_ms, .. } if step == id => {
                Some(Duration::from_millis(*delay_ms))
            }
            _ => None,
        })
        .collect()
}

fn policy_delays(events: &[Event]) -> Vec<Duration> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::PolicyDelay { delay_ms, .. } => Some(Duration::from_millis(*delay_ms)),
            _ => None,
        })
        .collect()
}

#[test]
fn step_retries_sleep_exactly_the_plans_backoff_schedule() {
    let mut s = step("flaky", RunAction::Run(sh("exit 1")));
    s.retry = retry(4, backoff(10, 2.0, 50, 0.0));
    let expected = s.retry.delays();
    let start = Instant::now();
    let (code, events) = run(&plan(vec![s]));
    assert_eq!(code, 1);
    let slept = retry_delays(&events, "flaky");
    assert_eq!(slept, expected);
    assert_eq!(
        slept,
        [10, 20, 40, 50].map(Duration::from_millis),
        "capped at max"
    );
    // The sleeps really happened.
    assert!(start.elapsed() >= slept.iter().sum::<Duration>());
    assert_eq!(failures(&events, "flaky").len(), 5);
}

#[test]
fn jittered_delays_stay_inside_the_plans_band() {
    let mut s = step("flaky", RunAction::Run(sh("exit 1")));
    s.retry = retry(5, backoff(10, 2.0, 1000, 50.0));
    let Delay::Backoff(b) = s.retry.delay.clone() else {
        unreachable!()
    };
    let largest = s.retry.delays();
    let (_, events) = run(&plan(vec![s]));
    let slept = retry_delays(&events, "flaky");
    assert_eq!(slept.len(), 5);
    for (i, d) in slept.iter().enumerate() {
        let smallest = b.nth(i as u32, 0.0);
        assert!(smallest <= *d && *d <= largest[i], "retry {i}: {d:?}");
    }
}

#[test]
fn a_retry_that_succeeds_ends_the_step_ok() {
    let dir = tempfile::tempdir().unwrap();
    let flag = dir.path().join("flag");
    // Fails the first time only.
    let script = format!("test -e {0} || {{ touch {0}; exit 1; }}", flag.display());
    let mut s = step("once", RunAction::Run(sh(&script)));
    s.retry = retry(2, Delay::Fixed(Duration::from_millis(5)));
    let (code, events) = run(&plan(vec![s]));
    assert_eq!(code, 0);
    assert_eq!(retry_delays(&events, "once"), [Duration::from_millis(5)]);
    assert_eq!(step_outcome(&events, "once"), Some(StepOutcome::Ok));
}

#[test]
fn the_script_policy_reruns_passes_after_the_plans_delays() {
    let mut p = plan(vec![step("fail", RunAction::Run(sh("exit 1")))]);
    p.policy = policy(PolicyKind::Backoff, 3, backoff(10, 2.0, 60_000, 0.0));
    let expected = p.policy.delays();
    let (code, events) = run(&p);
    assert_eq!(code, 1);
    assert_eq!(policy_delays(&events), expected);
    let passes = events
        .iter()
        .filter(|e| matches!(e, Event::PassStarted { .. }))
        .count();
    assert_eq!(passes, 4);
}

#[test]
fn a_later_pass_can_succeed() {
    let dir = tempfile::tempdir().unwrap();
    let flag = dir.path().join("flag");
    let script = format!("test -e {0} || {{ touch {0}; exit 1; }}", flag.display());
    let mut p = plan(vec![step("once", RunAction::Run(sh(&script)))]);
    p.policy = policy(
        PolicyKind::Restart,
        3,
        Delay::Fixed(Duration::from_millis(5)),
    );
    let (code, events) = run(&p);
    assert_eq!(code, 0);
    assert_eq!(policy_delays(&events), [Duration::from_millis(5)]);
}

#[test]
fn on_fail_warn_and_continue_go_on() {
    let mut warn = step("warn", RunAction::Run(sh("exit 1")));
    warn.on_fail = OnFail::Warn;
    let mut cont = step("continue", RunAction::Run(sh("exit 2")));
    cont.on_fail = OnFail::Continue;
    let last = step("last", RunAction::Run(sh("true")));
    let (code, events) = run(&plan(vec![warn, cont, last]));
    assert_eq!(code, 0);
    assert_eq!(step_outcome(&events, "warn"), Some(StepOutcome::Warned));
    assert_eq!(
        step_outcome(&events, "continue"),
        Some(StepOutcome::Continued)
    );
    assert_eq!(step_outcome(&events, "last"), Some(StepOutcome::Ok));
}

#[test]
fn a_failing_member_cancels_its_siblings_and_fails_the_group() {
    let members = vec![
        step("slow", RunAction::Run(sh("sleep 30"))),
        step("bad", RunAction::Run(sh("sleep 0.05; exit 4"))),
    ];
    let start = Instant::now();
    let (code, events) = run(&plan(vec![step("group", RunAction::Parallel(members))]));
    assert_eq!(code, 1);
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "waited for the slow member"
    );
    assert_eq!(step_outcome(&events, "slow"), Some(StepOutcome::Cancelled));
    assert_eq!(step_outcome(&events, "bad"), Some(StepOutcome::Failed));
    assert_eq!(
        failures(&events, "group"),
        ["bad failed: exited with status 4"]
    );
}

#[test]
fn a_member_that_only_warns_does_not_fail_the_group() {
    let mut warn = step("warn", RunAction::Run(sh("exit 1")));
    warn.on_fail = OnFail::Warn;
    let ok = step("ok", RunAction::Run(sh("sleep 0.05")));
    let (code, events) = run(&plan(vec![step(
        "group",
        RunAction::Parallel(vec![warn, ok]),
    )]));
    assert_eq!(code, 0);
    assert_eq!(step_outcome(&events, "ok"), Some(StepOutcome::Ok));
}

#[test]
fn the_group_timeout_bounds_the_whole_group() {
    let members = vec![
        step("a", RunAction::Run(sh("sleep 30"))),
        step("b", RunAction::Sleep(Duration::from_secs(30))),
    ];
    let mut group = step("group", RunAction::Parallel(members));
    group.timeout = Some(Duration::from_millis(100));
    group.on_fail = OnFail::Warn;
    let (code, events) = run(&plan(vec![group]));
    assert_eq!(code, 0);
    assert_eq!(step_outcome(&events, "group"), Some(StepOutcome::Warned));
    assert_eq!(step_outcome(&events, "a"), Some(StepOutcome::Cancelled));
    assert_eq!(step_outcome(&events, "b"), Some(StepOutcome::Cancelled));
    assert!(failures(&events, "group")[0].starts_with("timed out after 100ms"));
}

#[test]
fn a_thousand_parallel_waits_on_open_ports() {
    // Ten listeners that accept (and drop) everything, so no backlog fills up.
    let listeners: Vec<TcpListener> = (0..10)
        .map(|_| TcpListener::bind("127.0.0.1:0").unwrap())
        .collect();
    let addrs: Vec<_> = listeners.iter().map(|l| l.local_addr().unwrap()).collect();
    for listener in listeners {
        listener.set_nonblocking(true).unwrap();
        std::thread::spawn(move || {
            let end = Instant::now() + Duration::from_secs(10);
            while Instant::now() < end {
                if listener.accept().is_err() {
                    std::thread::sleep(Duration::from_millis(1));
                }
            }
        });
    }
    let members = (0..1000)
        .map(|i| step(&format!("w{i}"), tcp(addrs[i % addrs.len()])))
        .collect();
    let (code, events) = run(&plan(vec![step("many", RunAction::Parallel(members))]));
    assert_eq!(code, 0);
    let ok = events
        .iter()
        .filter(|e| {
            matches!(
                e,
                Event::StepEnded {
                    outcome: StepOutcome::Ok,
                    ..
                }
            )
        })
        .count();
    assert_eq!(ok, 1001);
}
