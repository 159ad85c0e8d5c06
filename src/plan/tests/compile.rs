//! AST → plan: defaults, derived ids, retries, policy.

use crate::plan::compile;
use crate::plan::model::OnFail;
use crate::plan::model::{
    Backoff, DEFAULT_POLL, Delay, Plan, PlanAction, PlanStep, PolicyKind, RESTART_DELAY, StatusSet,
};
use crate::plan::text::written;
use crate::syntax::parse;
use std::time::Duration;

fn plan(source: &str) -> Plan {
    let parsed = parse(source);
    assert!(parsed.errors.is_empty(), "{source}: {:?}", parsed.errors);
    compile(&parsed.script)
}

fn ids(steps: &[PlanStep]) -> Vec<String> {
    let mut out = Vec::new();
    for step in steps {
        out.push(step.id.clone());
        if let PlanAction::Parallel { steps } = &step.action {
            out.extend(ids(steps));
        }
    }
    out
}

fn ms(ms: u64) -> Option<Duration> {
    Some(Duration::from_millis(ms))
}

#[test]
fn derived_ids_follow_the_action_and_main_argument() {
    let p = plan(
        "wait tcp db:5432\nwait http http://api:8080/health\nwait file /tmp/Ready.flag\n\
         run \"./migrate up\"\nstart [\"redis-server\", \"--port\", \"6380\"]\nsleep 5s\nsleep 1m30s\n\
         s3 pull s3://bucket/seed.sql to /data/seed.sql\ns3 push /out/report.txt to s3://bucket/reports/r.txt\n\
         wait tcp ${DB_HOST:-db}:${DB_PORT}\nparallel { sleep 1s; parallel { sleep 2s } }",
    );
    assert_eq!(
        ids(&p.steps),
        [
            "wait-tcp-db-5432",
            "wait-http-api-8080-health",
            "wait-file-tmp-ready-flag",
            "run-migrate-up",
            "start-redis-server-port-6380",
            "sleep-5s",
            "sleep-1m30s",
            "s3-pull-bucket-seed-sql",
            "s3-push-bucket-reports-r-txt",
            "wait-tcp-db-host-db-port",
            "parallel-1",
            "sleep-1s",
            "parallel-2",
            "sleep-2s",
        ]
    );
}

#[test]
fn derived_ids_never_clash_with_earlier_or_explicit_ids() {
    let p = plan(
        "wait tcp db:5432\nwait tcp db:5432\nwait tcp DB:5432\nsleep 1s\n\
         wait tcp db:1 as sleep-1s-2\nsleep 1s\nsleep 1s as custom",
    );
    assert_eq!(
        ids(&p.steps),
        [
            "wait-tcp-db-5432",
            "wait-tcp-db-5432-2",
            "wait-tcp-db-5432-3",
            // `sleep-1s-2` is written further down: it is reserved from the start.
            "sleep-1s",
            "sleep-1s-2",
            "sleep-1s-3",
            "custom",
        ]
    );
}

#[test]
fn built_in_defaults_fill_every_setting() {
    let p = plan(
        "wait tcp db:5432\nrun \"true\"\nstart \"svc\"\nsleep 2s\ns3 pull s3://b/k to /k\nparallel { sleep 1s }",
    );
    let timeouts: Vec<Option<Duration>> = p.steps.iter().map(|s| s.timeout).collect();
    assert_eq!(
        timeouts,
        [ms(30_000), ms(300_000), None, None, ms(300_000), None]
    );
    for step in &p.steps {
        assert_eq!(step.on_fail, OnFail::Fail);
        assert_eq!(step.retry.retries, 0);
        assert_eq!(step.poll, DEFAULT_POLL);
    }
    assert_eq!(p.policy.kind, PolicyKind::None);
}

#[test]
fn defaults_merge_clause_by_clause_and_own_clauses_win() {
    let p = plan(
        "defaults timeout 10s on-fail warn\n\
         wait tcp a:1\n\
         defaults timeout 20s\n\
         wait tcp b:2\n\
         wait tcp c:3 timeout 5s on-fail continue\n\
         sleep 1s\n\
         parallel { wait tcp d:4 }",
    );
    let summary: Vec<(Option<Duration>, OnFail)> =
        p.steps.iter().map(|s| (s.timeout, s.on_fail)).collect();
    assert_eq!(
        summary,
        [
            (ms(10_000), OnFail::Warn),
            // The second `defaults` replaced the timeout and kept on-fail.
            (ms(20_000), OnFail::Warn),
            (ms(5_000), OnFail::Continue),
            // A sleep cannot fail: no on-fail reaches it.
            (None, OnFail::Fail),
            // A group takes no default timeout; its members do.
            (None, OnFail::Warn),
        ]
    );
    let PlanAction::Parallel { steps } = &p.steps[4].action else {
        panic!("a group")
    };
    assert_eq!(
        (steps[0].timeout, steps[0].on_fail),
        (ms(20_000), OnFail::Warn)
    );
}

#[test]
fn defaults_reach_only_the_steps_they_belong_to() {
    let p = plan(
        "defaults status 200 every 1s env A=1 B=2 retry 2\n\
         wait http http://api/health\nwait tcp db:1\nrun \"x\" env B=3 C=4\nsleep 1s\nparallel { sleep 1s }",
    );
    let PlanAction::WaitHttp { status, .. } = &p.steps[0].action else {
        panic!("http")
    };
    assert_eq!(
        *status,
        StatusSet {
            ranges: vec![(200, 200)]
        }
    );
    assert_eq!(p.steps[1].poll, Duration::from_secs(1));
    let PlanAction::Run(command) = &p.steps[2].action else {
        panic!("run")
    };
    let env: Vec<(String, String)> = command
        .env
        .iter()
        .map(|(k, v)| (k.clone(), written(v)))
        .collect();
    let pair = |k: &str, v: &str| (k.to_string(), v.to_string());
    assert_eq!(env, [pair("A", "1"), pair("B", "3"), pair("C", "4")]);
    let retries: Vec<u32> = p.steps.iter().map(|s| s.retry.retries).collect();
    assert_eq!(retries, [2, 2, 2, 0, 0]);
}

#[test]
fn step_retries_resolve_their_schedules() {
    let p = plan(
        "wait tcp a:1 retry 3\nwait tcp b:2 retry 2 every 250ms\n\
         wait tcp c:3 every 2s retry 4 backoff initial 500ms max 10s factor 3 jitter 10%\nwait tcp d:4 retry 1 backoff",
    );
    let delays: Vec<(u32, Delay)> = p
        .steps
        .iter()
        .map(|s| (s.retry.retries, s.retry.delay.clone()))
        .collect();
    assert_eq!(
        delays,
        [
            (3, Delay::Fixed(Duration::from_secs(1))),
            (2, Delay::Fixed(Duration::from_millis(250))),
            (
                4,
                Delay::Backoff(Backoff {
                    initial: Duration::from_millis(500),
                    max: Duration::from_secs(10),
                    factor: 3.0,
                    jitter_pct: 10.0
                })
            ),
            (
                1,
                Delay::Backoff(Backoff {
                    initial: Duration::from_secs(1),
                    max: Duration::from_secs(60),
                    factor: 2.0,
                    jitter_pct: 0.0
                })
            ),
        ]
    );
    assert_eq!(p.steps[2].poll, Duration::from_secs(2));
}

#[test]
fn the_script_policy_takes_its_defaults() {
    assert_eq!(plan("retry none").policy.kind, PolicyKind::None);
    let restart = plan("retry restart").policy;
    assert_eq!((restart.kind, restart.retries), (PolicyKind::Restart, 3));
    assert_eq!(restart.delay, Delay::Fixed(RESTART_DELAY));
    let backoff = plan("retry backoff 5 max 3s").policy;
    assert_eq!(backoff.retries, 5);
    let ms: Vec<u128> = backoff.delays().iter().map(|d| d.as_millis()).collect();
    assert_eq!(ms, [1000, 2000, 3000, 3000, 3000]);
}

#[test]
fn http_settings_and_flags_are_carried() {
    let p = plan(
        "wait http https://api/x status 200..204,3xx body contains \"ok\" insecure\n\
         wait tcp db:1 closed\nwait file /f gone\nrun [\"a\", \"b\"] cwd /app",
    );
    let PlanAction::WaitHttp {
        status,
        body_contains,
        insecure,
        ..
    } = &p.steps[0].action
    else {
        panic!("http")
    };
    assert_eq!(status.ranges, [(200, 204), (300, 399)]);
    assert_eq!(body_contains.as_ref().map(written).as_deref(), Some("ok"));
    assert!(*insecure);
    assert!(matches!(
        p.steps[1].action,
        PlanAction::WaitTcp { closed: true, .. }
    ));
    assert!(matches!(
        p.steps[2].action,
        PlanAction::WaitFile { gone: true, .. }
    ));
    let PlanAction::Run(command) = &p.steps[3].action else {
        panic!("run")
    };
    assert_eq!(command.cwd.as_ref().map(written).as_deref(), Some("/app"));
}

#[test]
fn broken_trees_compile_without_panicking() {
    // Each of these has errors the checker would report; compile must still
    // return a plan (first clause wins, unreadable values are skipped).
    for source in [
        "wait tcp a:1 timeout 5s timeout 9s as x as y",
        "wait tcp a:1 timeout 99999999999999999999h",
        "sleep 99999999999999999999h",
        "retry backoff 3 factor 2 factor 3\nretry restart 9",
        "wait tcp a:1 as dup\nwait tcp b:2 as dup",
        "wait http h status 999,9xx",
        "parallel { retry backoff 3; defaults timeout 1s; sleep 1s }",
        "wait tcp a:1 retry 99999999999999999999",
        "run unquoted command here",
        "parallel {",
    ] {
        let parsed = parse(source);
        let p = compile(&parsed.script);
        let all = ids(&p.steps);
        let mut unique = all.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(all.len(), unique.len(), "{source}: ids {all:?}");
    }
    let p = compile(&parse("wait tcp a:1 timeout 5s timeout 9s").script);
    assert_eq!(p.steps[0].timeout, ms(5_000));
}

/// Every id of `steps` and their members cleared.
fn without_ids(steps: &mut [PlanStep]) {
    for step in steps {
        step.id.clear();
        if let PlanAction::Parallel { steps } | PlanAction::Any { steps } = &mut step.action {
            without_ids(steps);
        }
    }
}

#[test]
fn compiling_step_by_step_gives_the_plan_without_ids() {
    for entry in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/examples")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "zinit") {
            continue;
        }
        let source = std::fs::read_to_string(&path).unwrap();
        let mut whole = plan(&source);
        without_ids(&mut whole.steps);
        let mut steps = Vec::new();
        let mut each = crate::plan::compile_each(&parse(&source).script, |s| steps.push(s));
        each.steps = steps;
        assert_eq!(each, whole, "{}", path.display());
    }
}
