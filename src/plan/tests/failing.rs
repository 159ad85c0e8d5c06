//! The one failure model, through `check_text` as users see it: W101 and
//! the plan's `can_apply` agree, and a `start` can fail a pass whatever
//! its `on-fail` (its exit does).

use crate::check::{CheckOptions, Diagnostic};
use crate::plan::lint::check_text;

fn diagnostics(src: &str) -> Vec<Diagnostic> {
    check_text(src, &CheckOptions::default()).diagnostics
}

fn warns(src: &str) -> bool {
    diagnostics(src).iter().any(|d| d.code == "W101")
}

fn can_apply(src: &str) -> bool {
    let checked = check_text(src, &CheckOptions::default());
    let plan = crate::plan::compile(&checked.script);
    crate::plan::plan_timing(&plan).policy_can_apply
}

#[test]
fn policy_that_can_never_apply() {
    for src in [
        "wait tcp db:5432 timeout 30s on-fail warn; retry backoff 3\n",
        "retry restart\ndefaults on-fail continue\nwait tcp db:1\n",
        "retry restart\nsleep 1s\n",
        "retry restart\n",
        "retry restart\nparallel { run 'a' on-fail warn }\n",
    ] {
        assert!(warns(src), "{src:?}");
        assert!(!can_apply(src), "{src:?}");
    }
    for src in [
        "retry restart\nwait tcp db:1\n",
        "retry restart\ndefaults on-fail warn\nwait tcp db:1 on-fail fail\n",
        "retry restart\nparallel timeout 1m { run 'a' on-fail warn }\n",
        "retry restart\nparallel { run 'a' on-fail warn; run 'b' }\n",
        // Defaults given after the last step change nothing.
        "retry restart\nwait tcp db:1\ndefaults on-fail warn\n",
    ] {
        assert!(!warns(src), "{src:?}");
        assert!(can_apply(src), "{src:?}");
    }
    assert!(!warns("retry none\nwait tcp db:1 on-fail warn\n"));
}

#[test]
fn a_service_fails_the_pass_whatever_its_on_fail() {
    for src in [
        "start \"sleep 0.1; exit 1\" on-fail warn; sleep 500ms; retry restart 2\n",
        "defaults on-fail continue\nstart \"./server\"\nwait tcp db:1\nretry restart\n",
        "retry restart\nparallel on-fail warn { start \"./a\" on-fail warn }\n",
    ] {
        assert!(!warns(src), "{src:?}");
        assert!(can_apply(src), "{src:?}");
    }
}

#[test]
fn w101_points_at_the_policy_and_the_lenient_clauses() {
    let src = "defaults on-fail continue\nwait tcp db:5432 on-fail warn; retry backoff 3\nwait tcp db:1\n";
    let found: Vec<Diagnostic> = diagnostics(src)
        .into_iter()
        .filter(|d| d.code == "W101")
        .collect();
    let [d] = found.as_slice() else {
        panic!("{found:#?}")
    };
    assert_eq!(d.primary.span.slice(src), "retry backoff 3");
    let pointed: Vec<&str> = d.secondary.iter().map(|l| l.span.slice(src)).collect();
    assert_eq!(pointed, ["on-fail warn", "on-fail continue"]);
}

#[test]
fn a_policy_is_not_judged_when_steps_were_left_out_for_syntax_errors() {
    // The misspelt step might have failed the script: no W101 guess.
    let codes: Vec<&str> = diagnostics("wiat tcp db:5432\nretry backoff 3\n")
        .iter()
        .map(|d| d.code)
        .collect();
    assert_eq!(codes, ["E002"]);
    assert!(warns("wait tcp db:5432 on-fail warn\nretry backoff 3\n"));
}

#[test]
fn plan_fail_on_a_lenient_service_fails_every_pass() {
    use crate::plan::failure::{Event, Outcome, simulate_failure};
    let src = "start \"./svc\" as svc on-fail warn retry 3\nsleep 500ms\nretry restart 2\n";
    let checked = check_text(src, &CheckOptions::default());
    let plan = crate::plan::compile(&checked.script);
    let timeline = simulate_failure(&plan, "svc").expect("a timeline");
    let exits = timeline
        .entries
        .iter()
        .filter(|e| matches!(e.event, Event::ServiceExited { .. }))
        .count();
    // No retries of an exited service, and on-fail warn does not save the pass.
    assert_eq!(exits, 3);
    assert_eq!(timeline.outcome, Outcome::Fails { after_ms: 200 });
}

#[test]
fn poll_interval_against_the_effective_timeout() {
    let codes =
        |src: &str| -> Vec<&'static str> { diagnostics(src).iter().map(|d| d.code).collect() };
    assert_eq!(codes("wait tcp db:1 every 30s\n"), ["W103"]);
    assert!(codes("wait tcp db:1 every 29s\n").is_empty());
    assert_eq!(codes("wait tcp db:1 timeout 5s every 5s\n"), ["W103"]);
    assert_eq!(
        codes("defaults timeout 2s\nwait tcp db:1 every 2s\n"),
        ["W103"]
    );
    assert!(codes("defaults every 1m\nwait tcp db:1 timeout 2m\n").is_empty());
    assert_eq!(
        codes("parallel { wait file /x timeout 1s every 1s }\n"),
        ["W103"]
    );
    let src = "defaults every 1m\nwait tcp db:1\nrun 'x'\n";
    let found: Vec<Diagnostic> = diagnostics(src);
    let [d] = found.as_slice() else {
        panic!("{found:#?}")
    };
    assert_eq!(d.code, "W103");
    assert_eq!(d.primary.span.slice(src), "wait tcp");
    assert_eq!(d.secondary[0].span.slice(src), "every 1m");
    assert!(
        d.message.contains("30s (the default for waits)"),
        "{}",
        d.message
    );
}
