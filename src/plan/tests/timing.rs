//! Best and worst case, per LANGUAGE.md "Timing".

use crate::plan::duration::human;
use crate::plan::failing::can_fail_pass;
use crate::plan::model::OnFail;
use crate::plan::model::{Delay, PolicyKind, RESTART_DELAY, STOP_GRACE, ScriptPolicy, millis_of};
use crate::plan::testing::*;
use crate::plan::timing::{plan_timing, step_timing};
use std::time::Duration;

fn backoff_policy(retries: u32) -> ScriptPolicy {
    ScriptPolicy {
        kind: PolicyKind::Backoff,
        retries,
        delay: Delay::Backoff(backoff(secs(1), secs(60), 2.0, 0.0)),
    }
}

fn ms(d: Duration) -> u64 {
    millis_of(d)
}

#[test]
fn the_spec_example_never_applies_its_policy() {
    let step = on_fail(
        wait_tcp("wait-tcp-db-5432", "db:5432", secs(30)),
        OnFail::Warn,
    );
    let timing = plan_timing(&plan(vec![step], backoff_policy(3)));
    assert_eq!(ms(timing.steps[0].worst), 30_000);
    assert_eq!(ms(timing.pass_worst), 30_000);
    assert_eq!(ms(timing.worst), 30_000);
    assert_eq!(ms(timing.best), 0);
    assert!(!timing.policy_can_apply);
    assert!(!timing.pass_can_fail);
}

#[test]
fn a_failing_step_lets_the_policy_multiply_the_pass() {
    let step = wait_tcp("db", "db:5432", secs(30));
    let timing = plan_timing(&plan(vec![step], backoff_policy(3)));
    // 4 passes of 30s, and 1s + 2s + 4s between them.
    assert_eq!(ms(timing.worst), 4 * 30_000 + 7_000);
    assert!(timing.policy_can_apply);
    let restart = ScriptPolicy {
        kind: PolicyKind::Restart,
        retries: 2,
        delay: Delay::Fixed(RESTART_DELAY),
    };
    let timing = plan_timing(&plan(vec![wait_tcp("db", "db:5432", secs(30))], restart));
    assert_eq!(ms(timing.worst), 3 * 30_000 + 200);
}

#[test]
fn step_retries_add_attempts_and_delays() {
    let fixed = retry_every(run("migrate", "./migrate", secs(10)), 2, secs(1));
    // Each attempt: the timeout, then the grace to stop the command.
    let attempt = 10_000 + ms(STOP_GRACE);
    assert_eq!(ms(step_timing(&fixed).worst), 3 * attempt + 2 * 1_000);
    let backoff_step = retry_backoff(
        wait_http("api", "http://api/health", secs(5)),
        5,
        backoff(secs(1), secs(5), 2.0, 0.0),
    );
    // Delays 1s, 2s, 4s, 5s, 5s.
    let timing = step_timing(&backoff_step);
    assert_eq!(ms(timing.worst), 6 * 5_000 + 17_000);
    assert_eq!(ms(timing.best), 0);
}

#[test]
fn sleep_and_start_have_no_timeout_to_count() {
    let nap = sleep("sleep-5s", secs(5));
    let t = step_timing(&nap);
    assert_eq!((ms(t.best), ms(t.worst)), (5_000, 5_000));
    assert!(!can_fail_pass(&nap));
    let service = start("start-redis", "redis-server");
    assert_eq!(ms(step_timing(&service).worst), 0);
    assert!(can_fail_pass(&service));
    let retried = retry_every(start("start-redis", "redis-server"), 2, secs(1));
    assert_eq!(ms(step_timing(&retried).worst), 2_000);
}

#[test]
fn a_group_costs_its_longest_member_capped_by_its_timeout() {
    let members = || {
        vec![
            wait_tcp("db", "db:5432", secs(30)),
            sleep("nap", secs(5)),
            run("seed", "./seed", secs(60)),
        ]
    };
    let open = step_timing(&parallel("parallel-1", None, members()));
    let grace = ms(STOP_GRACE);
    assert_eq!((ms(open.best), ms(open.worst)), (5_000, 60_000 + grace));
    assert_eq!(open.members.len(), 3);
    // The group's timeout stops `seed`, which may take the grace.
    let bounded = step_timing(&parallel("parallel-1", Some(secs(45)), members()));
    assert_eq!(ms(bounded.worst), 45_000 + grace);
    let tight = step_timing(&parallel("parallel-1", Some(secs(2)), members()));
    assert_eq!((ms(tight.best), ms(tight.worst)), (2_000, 2_000 + grace));
    // Without commands nothing needs stopping.
    let waits = vec![wait_tcp("db", "db:5432", secs(30)), sleep("nap", secs(5))];
    let waits = step_timing(&parallel("parallel-1", Some(secs(2)), waits));
    assert_eq!(ms(waits.worst), 2_000);
}

#[test]
fn a_group_fails_the_pass_only_through_a_failing_member_or_its_timeout() {
    let lenient = || {
        vec![
            on_fail(wait_tcp("db", "db:5432", secs(30)), OnFail::Warn),
            sleep("nap", secs(1)),
        ]
    };
    assert!(!can_fail_pass(&parallel("g", None, lenient())));
    assert!(can_fail_pass(&parallel("g", Some(secs(10)), lenient())));
    let strict = vec![wait_tcp("db", "db:5432", secs(30))];
    assert!(can_fail_pass(&parallel("g", None, strict.clone())));
    assert!(!can_fail_pass(&on_fail(
        parallel("g", None, strict),
        OnFail::Continue
    )));
}

#[test]
fn passes_sum_their_steps() {
    let steps = vec![
        wait_tcp("db", "db:5432", secs(30)),
        sleep("nap", secs(2)),
        run("migrate", "./migrate", secs(300)),
    ];
    let timing = plan_timing(&plan(steps, ScriptPolicy::none()));
    assert_eq!(ms(timing.pass_best), 2_000);
    assert_eq!(ms(timing.pass_worst), 332_000 + ms(STOP_GRACE));
    assert_eq!(ms(timing.worst), 332_000 + ms(STOP_GRACE));
    assert_eq!(ms(timing.best), 2_000);
    assert!(!timing.policy_can_apply);
}

#[test]
fn a_service_can_fail_every_pass_and_is_stopped_after_each() {
    // `start "sleep 0.1; exit 1" on-fail warn; sleep 500ms; retry restart 2`
    let steps = vec![
        on_fail(start("svc", "sleep 0.1; exit 1"), OnFail::Warn),
        sleep("nap", Duration::from_millis(500)),
    ];
    let restart = ScriptPolicy {
        kind: PolicyKind::Restart,
        retries: 2,
        delay: Delay::Fixed(RESTART_DELAY),
    };
    let timing = plan_timing(&plan(steps, restart));
    assert!(timing.policy_can_apply);
    assert!(timing.steps[0].can_fail_pass);
    // A failed pass stops its services, which may take the grace.
    let pass = 500 + ms(STOP_GRACE);
    assert_eq!(ms(timing.pass_worst), pass);
    assert_eq!(ms(timing.worst), 3 * pass + 200);
}

#[test]
fn absurd_values_saturate_instead_of_overflowing() {
    // `retry 1000 backoff factor 100 max 1000000h` with a timeout of 1000000h,
    // under `retry backoff 4294967295`.
    let huge = Duration::from_secs(1_000_000 * 3600);
    let step = retry_backoff(
        run("forever", "./forever", huge),
        1000,
        backoff(secs(1), huge, 100.0, 0.0),
    );
    let step_worst = ms(step_timing(&step).worst);
    // 1001 attempts; delays 1s, 100s, ... 1e8s, then capped at 1000000h.
    let delays: u64 =
        1_000 + 100_000 + 10_000_000 + 1_000_000_000 + 100_000_000_000 + 995 * millis_of(huge);
    let attempt = millis_of(huge) + ms(STOP_GRACE);
    assert_eq!(step_worst, 1001 * attempt + delays);
    let timing = plan_timing(&plan(vec![step], backoff_policy(u32::MAX)));
    assert_eq!(ms(timing.worst), u64::MAX);
    assert_eq!(human(ms(timing.worst)), "~584942417y129d14h");
}
