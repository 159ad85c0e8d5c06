//! `zinit import`: ZLayer `init` + `errors` → `.zinit`.

use zinit::plan::env::Env;
use zinit::plan::model::{Plan, PlanAction, PolicyKind};
use zinit::plan::zlayer::{Problem, YamlAt, export, import};
use zinit::plan::{compile, text};
use zinit::syntax::parse;

fn plan_of(source: &str) -> Plan {
    let parsed = parse(source);
    assert!(parsed.errors.is_empty(), "{source}\n{:?}", parsed.errors);
    compile(&parsed.script)
}

/// What both ZLayer and zinit express: id, action, target, timeout, on-fail.
fn summary(plan: &Plan) -> Vec<(String, &'static str, String, Option<u128>, &'static str)> {
    plan.steps
        .iter()
        .map(|s| {
            (
                s.id.clone(),
                s.action.kind(),
                text::target(&s.action, &Env::empty()).unwrap_or_default(),
                s.timeout.map(|t| t.as_millis()),
                s.on_fail.as_str(),
            )
        })
        .collect()
}

#[test]
fn an_exported_plan_imports_back_to_the_same_steps() {
    let source = "retry backoff\n\
                  wait tcp db:5432 timeout 20s on-fail warn\n\
                  wait tcp [::1]:6379 as cache\n\
                  wait http http://api:8080/health status 204 timeout 1m30s\n\
                  run \"echo 'it''s' $HOME; exit 0\" on-fail continue\n\
                  s3 pull s3://assets/seed.sql to '/data/my seed.sql' region eu-west-1\n\
                  s3 push /out/r.json to s3://reports/r.json endpoint http://minio:9000 timeout 10m";
    let original = plan_of(source);
    let yaml = export(&original, &Env::empty()).expect("exports").yaml;
    let imported = import(&yaml).expect("imports");
    let round_trip = plan_of(&imported);
    assert_eq!(summary(&round_trip), summary(&original), "{imported}");
    assert_eq!(round_trip.policy.kind, PolicyKind::Backoff);
    let PlanAction::S3Pull { region, .. } = &round_trip.steps[4].action else {
        panic!("s3 pull")
    };
    assert_eq!(
        region.as_ref().map(text::written).as_deref(),
        Some("eu-west-1")
    );
    // Only the id zinit would not derive is written out.
    assert!(
        imported.contains("wait tcp [::1]:6379 as cache\n"),
        "{imported}"
    );
    assert!(
        imported.contains("wait tcp db:5432 timeout 20s on-fail warn\n"),
        "{imported}"
    );
}

#[test]
fn what_changes_in_meaning_is_noted_in_the_script() {
    let yaml = r#"
image: { name: "ghcr.io/org/api:latest" }
init:
  steps:
    - id: wait-db
      uses: init.wait_tcp
      with: { host: db, port: 5432, timeout: "45s" }
      retry: 3
    - id: migrate
      uses: init.run
      with: { command: "./migrate up", timeout: 60 }
      timeout: 2m
errors:
  on_init_failure: { action: restart }
"#;
    let imported = import(yaml).expect("imports");
    assert_eq!(
        imported,
        "# Imported from a ZLayer service spec by `zinit import`.\n\
         retry restart\n\
         # note: 7:46: `with.timeout: \"45s\"` is not an integer, so ZLayer ignored it; zinit uses it\n\
         # note: 8:14: ZLayer accepts `retry: 3` but its agent ignores it; zinit retries, 1s apart\n\
         wait tcp db:5432 timeout 45s retry 3 as wait-db\n\
         # note: 12:16: `with.timeout` (1m) and `timeout` (2m) differ; the smaller bounded the step\n\
         run './migrate up' timeout 1m as migrate\n"
    );
    plan_of(&imported);
}

#[test]
fn a_deployment_with_one_service_imports_and_more_are_refused() {
    let one = "version: v1\ndeployment: d\nservices:\n  api:\n    image: { name: x }\n    init:\n      steps:\n        - { id: s, uses: init.run, with: { command: 'true' } }\n";
    assert_eq!(
        import(one).unwrap(),
        "# Imported from a ZLayer service spec by `zinit import`.\nrun 'true' as s\n"
    );
    let two = "services:\n  a: { image: { name: x } }\n  b: { image: { name: y } }\n";
    assert_eq!(
        import(two).unwrap_err().to_string(),
        "the deployment spec has 2 services (a, b); import one service spec at a time"
    );
}

#[test]
fn bad_specs_get_clear_errors_at_the_value() {
    let cases = [
        (
            "init: { steps: [ { id: x, uses: init.wait_file, with: {} } ] }",
            "1:33: step `x`: `uses: init.wait_file` has no zinit equivalent (known: init.wait_tcp, init.wait_http, init.run, init.exec, init.s3_pull, init.s3_push)",
        ),
        (
            "init: { steps: [ { id: x, uses: init.wait_tcp, with: { host: db, port: \"5432\" } } ] }",
            "1:72: step `x`: `with.port` must be an integer port",
        ),
        (
            "init: { steps: [ { id: x, uses: init.run } ] }",
            "1:18: step `x`: `with.command` is missing",
        ),
        (
            "init: { steps: [ { id: x, uses: init.run, bogus: 1 } ] }",
            "1:43: unknown field `bogus` in step (expected one of: id, uses, with, retry, timeout, on_failure)",
        ),
        (
            "init:\n  steps:\n    - id: x\n      uses: init.wait_tcp\n      with: { host: db, port: 70000 }\n",
            "5:31: step `x`: zinit cannot take this value: the `wait tcp` target `db:70000` has a port outside 1–65535 [E105]",
        ),
        (
            "init: [",
            "2:1: not a ZLayer service spec: while parsing a node, did not find expected node content",
        ),
    ];
    for (yaml, message) in cases {
        assert_eq!(import(yaml).unwrap_err().to_string(), message, "{yaml}");
    }
    let err = import("init: { steps: [ { id: 7, uses: init.run } ] }").unwrap_err();
    assert_eq!(
        err.at,
        Some(YamlAt {
            line: 1,
            column: 24
        })
    );
    assert!(matches!(
        err.problem,
        Problem::Type {
            found: "an integer",
            ..
        }
    ));
}

/// The two injections of issue #6: a value ZLayer ignores (`with.timeout`
/// as a string) and a step id, each of which used to become zinit text.
#[test]
fn yaml_values_cannot_inject_statements() {
    let yaml = r#"
init:
  steps:
    - id: a
      uses: init.wait_tcp
      with: { host: db, port: 5432, timeout: "soon\nrun 'touch /tmp/PWNED' #" }
    - id: "b; retry restart 100"
      uses: init.run
      with: { command: "true" }
    - id: "c\nrun 'touch /tmp/PWNED'"
      uses: init.run
      with: { command: "false" }
"#;
    let imported = import(yaml).expect("imports");
    let parsed = parse(&imported);
    assert!(parsed.errors.is_empty(), "{imported}");
    let plan = compile(&parsed.script);
    assert_eq!(plan.policy.kind, PolicyKind::None, "{imported}");
    let kinds: Vec<&str> = plan.steps.iter().map(|s| s.action.kind()).collect();
    assert_eq!(kinds, ["wait_tcp", "run", "run"], "{imported}");
    assert!(!imported.contains("PWNED'\n"), "{imported}");
    assert!(
        imported
            .lines()
            .all(|l| l.starts_with('#') || !l.contains("PWNED")),
        "{imported}"
    );
    assert!(imported.contains("ZLayer's id \"b; retry restart 100\" is not a zinit step id"));
    assert!(
        imported.contains(r#"ZLayer's id "c\u{a}run 'touch /tmp/PWNED'" is not"#),
        "{imported}"
    );
}

#[test]
fn anchors_work_and_alias_bombs_are_refused() {
    let yaml = "x: &cmd { command: \"echo hi\" }\ninit:\n  steps:\n    - { id: a, uses: init.run, with: *cmd }\n";
    assert!(
        import(yaml)
            .expect("imports")
            .ends_with("run 'echo hi' as a\n")
    );
    let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..10 {
        let refs = vec![format!("*a{}", i - 1); 10].join(", ");
        bomb.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    bomb.push_str("init: { steps: [] }\n");
    let err = import(&bomb).unwrap_err();
    assert!(err.to_string().contains("alias expansion"), "{err}");
    assert!(err.at.is_some());
}

/// zlayer-agent 0.14.3: the step's `timeout` (default 300s) wraps the
/// action, which obeys its own `with.timeout` (default 30s for waits): the
/// smaller bounds the step, and the import keeps that one.
#[test]
fn the_smaller_of_the_two_timeouts_is_imported() {
    let yaml = "init:\n  steps:\n\
                \x20   - { id: a, uses: init.wait_tcp, with: { host: db, port: 1, timeout: 90 }, timeout: 1m }\n\
                \x20   - { id: b, uses: init.wait_tcp, with: { host: db, port: 2, timeout: 20 }, timeout: 1m }\n\
                \x20   - { id: c, uses: init.wait_tcp, with: { host: db, port: 3 }, timeout: 2m }\n\
                \x20   - { id: d, uses: init.run, with: { command: x }, timeout: 10s }\n";
    let imported = import(yaml).expect("imports");
    let timeouts: Vec<Option<u128>> = plan_of(&imported)
        .steps
        .iter()
        .map(|s| s.timeout.map(|t| t.as_millis()))
        .collect();
    assert_eq!(
        timeouts,
        [Some(60_000), Some(20_000), Some(30_000), Some(10_000)],
        "{imported}"
    );
    assert!(
        imported.contains(
            "# note: 5:75: `timeout: 2m` wraps the action, which gives up after its own default 30s"
        ),
        "{imported}"
    );
}

#[test]
fn init_exec_imports_as_run_with_a_note_and_exports_as_init_run() {
    let yaml = "init:\n  steps:\n\
                \x20   - id: migrate\n\
                \x20     uses: init.exec\n\
                \x20     with: { command: [\"./migrate\", \"up\", \"it's\"] }\n\
                \x20   - { id: seed, uses: init.exec, with: { command: \"./seed --all\" } }\n";
    let imported = import(yaml).expect("imports");
    assert!(
        imported.contains(
            "# note: 4:13: ZLayer's docs use `uses: init.exec`, but its agent (0.14.3) refuses it"
        ),
        "{imported}"
    );
    assert!(
        imported.contains("run ['./migrate', 'up', \"it's\"] as migrate\n"),
        "{imported}"
    );
    assert!(
        imported.contains("run './seed --all' as seed\n"),
        "{imported}"
    );
    let plan = plan_of(&imported);
    let exported = export(&plan, &Env::empty()).expect("exports").yaml;
    assert!(!exported.contains("init.exec"), "{exported}");
    assert_eq!(exported.matches("uses: init.run").count(), 2, "{exported}");
    assert!(
        exported.contains("command: ./migrate up 'it'\\''s'"),
        "{exported}"
    );
    let bad = "init: { steps: [ { id: x, uses: init.exec, with: { command: [1, 2] } } ] }";
    assert_eq!(
        import(bad).unwrap_err().to_string(),
        "1:61: step `x`: `with.command` must be a string or a list of strings"
    );
}

#[test]
fn on_panic_passes_through_import_and_export_unchanged() {
    for action in ["restart", "shutdown", "isolate"] {
        let yaml = format!(
            "init: {{ steps: [ {{ id: a, uses: init.run, with: {{ command: x }} }} ] }}\n\
             errors:\n  on_panic:\n    action: {action}\n"
        );
        let imported = import(&yaml).expect("imports");
        assert!(
            imported.contains(&format!("\nzlayer on-panic {action}\n")),
            "{imported}"
        );
        let exported = export(&plan_of(&imported), &Env::empty())
            .expect("exports")
            .yaml;
        assert!(
            exported.ends_with(&format!("  on_panic:\n    action: {action}\n")),
            "{exported}"
        );
    }
    let without = import("init: { steps: [] }\nerrors: { on_init_failure: { action: fail } }")
        .expect("imports");
    assert!(!without.contains("on-panic"), "{without}");
    let exported = export(&plan_of(&without), &Env::empty())
        .expect("exports")
        .yaml;
    assert!(!exported.contains("on_panic"), "{exported}");
    assert_eq!(
        import("errors: { on_panic: { action: reboot } }")
            .unwrap_err()
            .to_string(),
        "1:31: `errors.on_panic.action` must be restart, shutdown or isolate"
    );
}
