//! `--fail STEP` inside parallel groups.

use super::{events, s};
use crate::plan::failure::{Event, Outcome, render_text, simulate_failure};
use crate::plan::model::OnFail;
use crate::plan::model::ScriptPolicy;
use crate::plan::testing::*;

#[test]
fn a_failing_member_cancels_its_siblings_and_the_group_decides() {
    let group = on_fail(
        parallel(
            "parallel-1",
            None,
            vec![
                wait_tcp("db", "db:5432", secs(10)),
                sleep("nap", secs(60)),
                sleep("blink", secs(1)),
            ],
        ),
        OnFail::Warn,
    );
    let steps = vec![group, run("after", "./after", secs(5))];
    let timeline = simulate_failure(&plan(steps, ScriptPolicy::none()), "db").unwrap();
    let got = events(&timeline);
    let db = s("db");
    assert_eq!(
        got,
        [
            (
                0,
                1,
                Event::AttemptStarted {
                    step: s("parallel-1"),
                    attempt: 1,
                    of: 1
                }
            ),
            (
                0,
                1,
                Event::AttemptStarted {
                    step: db.clone(),
                    attempt: 1,
                    of: 1
                }
            ),
            (1_000, 1, Event::StepDone { step: s("blink") }),
            (
                10_000,
                1,
                Event::AttemptTimedOut {
                    step: db.clone(),
                    attempt: 1,
                    of: 1,
                    timeout_ms: 10_000
                }
            ),
            (
                10_000,
                1,
                Event::GaveUp {
                    step: db,
                    on_fail: OnFail::Fail,
                    group: Some(s("parallel-1")),
                    any: false
                }
            ),
            (
                10_000,
                1,
                Event::SiblingsCancelled {
                    group: s("parallel-1")
                }
            ),
            (
                10_000,
                1,
                Event::GaveUp {
                    step: s("parallel-1"),
                    on_fail: OnFail::Warn,
                    group: None,
                    any: false
                }
            ),
            (10_000, 1, Event::StepDone { step: s("after") }),
        ]
    );
    assert_eq!(
        timeline.outcome,
        Outcome::SucceedsWithWarning { after_ms: 10_000 }
    );
    let text = render_text(&timeline);
    assert!(
        text.contains("+10s  db: failed for good; on-fail fail: group `parallel-1` fails\n"),
        "{text}"
    );
    assert!(
        text.contains(
            "+10s  parallel-1: failed for good; on-fail warn: logs a warning and goes on\n"
        ),
        "{text}"
    );
}

#[test]
fn a_group_timeout_cuts_a_slow_failure_short() {
    let member = on_fail(wait_tcp("db", "db:5432", secs(30)), OnFail::Warn);
    let steps = vec![parallel("g", Some(secs(5)), vec![member])];
    let timeline = simulate_failure(&plan(steps, ScriptPolicy::none()), "db").unwrap();
    let n = timeline.entries.len();
    let ends: Vec<(u64, Event)> = timeline.entries[n - 2..]
        .iter()
        .map(|e| (e.at_ms, e.event.clone()))
        .collect();
    assert_eq!(
        ends,
        [
            (
                5_000,
                Event::GaveUp {
                    step: s("g"),
                    on_fail: OnFail::Fail,
                    group: None,
                    any: false
                }
            ),
            (5_000, Event::PassFailed)
        ]
    );
    assert!(timeline.entries.iter().any(|e| e.event
        == Event::AttemptTimedOut {
            step: s("g"),
            attempt: 1,
            of: 1,
            timeout_ms: 5_000
        }));
    assert!(
        !timeline
            .entries
            .iter()
            .any(|e| matches!(e.event, Event::AttemptTimedOut { ref step, .. } if step == "db"))
    );
    assert_eq!(timeline.outcome, Outcome::Fails { after_ms: 5_000 });
}
