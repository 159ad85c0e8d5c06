//! `--fail STEP` timelines.

use super::{events, s};
use crate::plan::failure::{Event, FailError, Outcome, render_text, simulate_failure};
use crate::plan::model::OnFail;
use crate::plan::model::{Delay, PolicyKind, RESTART_DELAY, ScriptPolicy};
use crate::plan::testing::*;

#[test]
fn the_spec_example_warns_and_goes_on() {
    let step = on_fail(
        wait_tcp("wait-tcp-db-5432", "db:5432", secs(30)),
        OnFail::Warn,
    );
    let policy = ScriptPolicy {
        kind: PolicyKind::Backoff,
        retries: 3,
        delay: Delay::Backoff(backoff(secs(1), secs(60), 2.0, 0.0)),
    };
    let timeline = simulate_failure(&plan(vec![step], policy), "wait-tcp-db-5432").unwrap();
    let id = s("wait-tcp-db-5432");
    assert_eq!(
        events(&timeline),
        [
            (0, 1, Event::PassStarted { of: 4 }),
            (
                0,
                1,
                Event::AttemptStarted {
                    step: id.clone(),
                    attempt: 1,
                    of: 1
                }
            ),
            (
                30_000,
                1,
                Event::AttemptTimedOut {
                    step: id.clone(),
                    attempt: 1,
                    of: 1,
                    timeout_ms: 30_000
                }
            ),
            (
                30_000,
                1,
                Event::GaveUp {
                    step: id,
                    on_fail: OnFail::Warn,
                    group: None,
                    any: false
                }
            ),
        ]
    );
    assert_eq!(
        timeline.outcome,
        Outcome::SucceedsWithWarning { after_ms: 30_000 }
    );
    let text = render_text(&timeline);
    assert!(
        text.contains("+30s  wait-tcp-db-5432: attempt 1/1 times out after 30s"),
        "{text}"
    );
    assert!(
        text.ends_with("init succeeds with a warning after 30s\n"),
        "{text}"
    );
}

#[test]
fn a_failed_pass_is_rerun_after_the_policy_delay() {
    let steps = vec![
        sleep("nap", secs(1)),
        retry_every(run("migrate", "./migrate", secs(10)), 1, secs(2)),
        wait_tcp("never-reached", "db:1", secs(5)),
    ];
    let policy = ScriptPolicy {
        kind: PolicyKind::Restart,
        retries: 1,
        delay: Delay::Fixed(RESTART_DELAY),
    };
    let timeline = simulate_failure(&plan(steps, policy), "migrate").unwrap();
    let m = s("migrate");
    // One pass: 1s nap, 10s attempt, 2s delay, 10s attempt = 23s.
    assert_eq!(
        events(&timeline),
        [
            (0, 1, Event::PassStarted { of: 2 }),
            (1_000, 1, Event::StepDone { step: s("nap") }),
            (
                1_000,
                1,
                Event::AttemptStarted {
                    step: m.clone(),
                    attempt: 1,
                    of: 2
                }
            ),
            (
                11_000,
                1,
                Event::AttemptTimedOut {
                    step: m.clone(),
                    attempt: 1,
                    of: 2,
                    timeout_ms: 10_000
                }
            ),
            (
                11_000,
                1,
                Event::RetryDelay {
                    step: m.clone(),
                    delay_ms: 2_000
                }
            ),
            (
                13_000,
                1,
                Event::AttemptStarted {
                    step: m.clone(),
                    attempt: 2,
                    of: 2
                }
            ),
            (
                23_000,
                1,
                Event::AttemptTimedOut {
                    step: m.clone(),
                    attempt: 2,
                    of: 2,
                    timeout_ms: 10_000
                }
            ),
            (
                23_000,
                1,
                Event::GaveUp {
                    step: m.clone(),
                    on_fail: OnFail::Fail,
                    group: None,
                    any: false
                }
            ),
            (23_000, 1, Event::PassFailed),
            (
                23_000,
                1,
                Event::PolicyDelay {
                    delay_ms: 100,
                    next_pass: 2
                }
            ),
            (23_100, 2, Event::PassStarted { of: 2 }),
            (24_100, 2, Event::StepDone { step: s("nap") }),
            (
                24_100,
                2,
                Event::AttemptStarted {
                    step: m.clone(),
                    attempt: 1,
                    of: 2
                }
            ),
            (
                34_100,
                2,
                Event::AttemptTimedOut {
                    step: m.clone(),
                    attempt: 1,
                    of: 2,
                    timeout_ms: 10_000
                }
            ),
            (
                34_100,
                2,
                Event::RetryDelay {
                    step: m.clone(),
                    delay_ms: 2_000
                }
            ),
            (
                36_100,
                2,
                Event::AttemptStarted {
                    step: m.clone(),
                    attempt: 2,
                    of: 2
                }
            ),
            (
                46_100,
                2,
                Event::AttemptTimedOut {
                    step: m.clone(),
                    attempt: 2,
                    of: 2,
                    timeout_ms: 10_000
                }
            ),
            (
                46_100,
                2,
                Event::GaveUp {
                    step: m,
                    on_fail: OnFail::Fail,
                    group: None,
                    any: false
                }
            ),
            (46_100, 2, Event::PassFailed),
        ]
    );
    assert_eq!(timeline.outcome, Outcome::Fails { after_ms: 46_100 });
}

#[test]
fn many_attempts_are_summarised_with_their_time() {
    let step = retry_every(wait_tcp("db", "db:5432", secs(2)), 10, secs(1));
    let timeline = simulate_failure(&plan(vec![step], ScriptPolicy::none()), "db").unwrap();
    let elided = timeline
        .entries
        .iter()
        .find(|e| matches!(e.event, Event::AttemptsElided { .. }))
        .expect("a summary entry");
    // Attempts 1-3 with their delays take 3 × 2s + 3 × 1s.
    assert_eq!(elided.at_ms, 9_000);
    assert_eq!(
        elided.event,
        Event::AttemptsElided {
            step: s("db"),
            from: 4,
            to: 10
        }
    );
    // 11 attempts of 2s and 10 delays of 1s.
    assert_eq!(timeline.outcome, Outcome::Fails { after_ms: 32_000 });
    let last_start = timeline.entries.iter().rev().find_map(|e| match e.event {
        Event::AttemptStarted { attempt, .. } => Some((attempt, e.at_ms)),
        _ => None,
    });
    assert_eq!(last_start, Some((11, 30_000)));
}

#[test]
fn absurd_counts_give_a_short_saturated_timeline() {
    let step = retry_every(wait_tcp("db", "db:5432", secs(3600)), u32::MAX, secs(3600));
    let policy = ScriptPolicy {
        kind: PolicyKind::Backoff,
        retries: u32::MAX,
        delay: Delay::Backoff(backoff(secs(1), secs(60), 2.0, 0.0)),
    };
    let timeline = simulate_failure(&plan(vec![step], policy), "db").unwrap();
    assert!(
        timeline.entries.len() < 100,
        "{} entries",
        timeline.entries.len()
    );
    assert_eq!(timeline.outcome, Outcome::Fails { after_ms: u64::MAX });
}

#[test]
fn a_service_that_exits_fails_the_pass_even_with_on_fail_continue() {
    let steps = vec![on_fail(start("svc", "./svc"), OnFail::Continue)];
    let timeline = simulate_failure(&plan(steps, ScriptPolicy::none()), "svc").unwrap();
    assert_eq!(
        events(&timeline)[1],
        (0, 1, Event::ServiceExited { step: s("svc") })
    );
    assert_eq!(timeline.outcome, Outcome::Fails { after_ms: 0 });
}

#[test]
fn unknown_steps_and_sleeps_are_refused_clearly() {
    let p = plan(
        vec![
            wait_tcp("wait-tcp-db-5432", "db:5432", secs(30)),
            sleep("sleep-5s", secs(5)),
        ],
        ScriptPolicy::none(),
    );
    let error = simulate_failure(&p, "wait-tcp-db-5433").unwrap_err();
    assert_eq!(
        error,
        FailError::UnknownStep {
            given: s("wait-tcp-db-5433"),
            suggestion: Some(s("wait-tcp-db-5432")),
            known: vec![s("wait-tcp-db-5432"), s("sleep-5s")],
        }
    );
    assert_eq!(
        error.to_string(),
        "--fail: no step `wait-tcp-db-5433` in this script; did you mean `wait-tcp-db-5432`?\n  the steps are: wait-tcp-db-5432, sleep-5s"
    );
    assert!(matches!(
        simulate_failure(&p, "zzz"),
        Err(FailError::UnknownStep {
            suggestion: None,
            ..
        })
    ));
    assert_eq!(
        simulate_failure(&p, "sleep-5s").unwrap_err(),
        FailError::CannotFail {
            step: s("sleep-5s")
        }
    );
}
