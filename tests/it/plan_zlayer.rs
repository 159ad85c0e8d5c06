//! `zinit plan --format zlayer`: YAML that ZLayer's types accept, values
//! resolved, and a warning for everything ZLayer cannot express.

use serde_norway::Value;
use zinit::plan::compile;
use zinit::plan::env::Env;
use zinit::plan::zlayer::spec::{FailureAction, ImportService, InitFailureAction};
use zinit::plan::zlayer::{Export, export};
use zinit::syntax::parse;

fn export_with(source: &str, env: &Env) -> Result<Export, Vec<zinit::check::Diagnostic>> {
    let parsed = parse(source);
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
    export(&compile(&parsed.script), env)
}

fn warnings(export: &Export) -> Vec<String> {
    export.warnings.iter().map(ToString::to_string).collect()
}

#[test]
fn the_yaml_reads_back_through_zlayers_strict_shapes() {
    let exported = export_with(
        "retry restart 2\nwait tcp db:5432 timeout 20s on-fail warn\n\
         wait http http://api/health status 200 retry 2\nrun \"./migrate\" on-fail continue\n\
         s3 pull s3://bkt/k/x.sql to /x.sql region eu-west-1\ns3 push /r.json to s3://bkt/r.json endpoint http://minio:9000",
        &Env::empty(),
    )
    .expect("exports");
    // The step and policy types are `deny_unknown_fields`, as in zlayer-spec.
    let service: ImportService = serde_norway::from_str(&exported.yaml).expect("strict shapes");
    let steps = &service.init.steps;
    let uses: Vec<&str> = steps.iter().map(|s| s.uses.as_str()).collect();
    assert_eq!(
        uses,
        [
            "init.wait_tcp",
            "init.wait_http",
            "init.run",
            "init.s3_pull",
            "init.s3_push"
        ]
    );
    assert_eq!(steps[0].with["host"], Value::from("db"));
    // An integer port and integer seconds, as zlayer-init-actions reads them.
    assert_eq!(steps[0].with["port"], Value::from(5432));
    assert_eq!(steps[0].with["timeout"], Value::from(20));
    assert_eq!(steps[0].timeout.as_deref(), Some("20s"));
    assert_eq!(steps[0].on_failure, FailureAction::Warn);
    assert_eq!(steps[1].with["expect_status"], Value::from(200));
    assert_eq!(steps[1].retry, Some(2));
    assert_eq!(steps[2].on_failure, FailureAction::Continue);
    assert_eq!(steps[3].with["bucket"], Value::from("bkt"));
    assert_eq!(steps[3].with["key"], Value::from("k/x.sql"));
    assert_eq!(steps[3].with["destination"], Value::from("/x.sql"));
    assert_eq!(steps[3].with["region"], Value::from("eu-west-1"));
    assert_eq!(steps[4].with["source"], Value::from("/r.json"));
    assert_eq!(steps[4].with["endpoint"], Value::from("http://minio:9000"));
    assert_eq!(
        service.errors.on_init_failure.action,
        InitFailureAction::Restart
    );
}

#[test]
fn nothing_is_dropped_silently() {
    let exported = export_with(
        "wait tcp a:1 closed\nwait file /f\nstart \"svc\"\nsleep 1s\n\
         wait http http://h/ status 200,204 body contains \"ok\" insecure every 1s\n\
         run [\"./x\", \"two words\"] env A=1 cwd /srv timeout 1500ms retry 2 backoff jitter 10%\n\
         parallel as g timeout 5s on-fail warn { wait tcp b:2 }\n\
         retry backoff 4 jitter 5%",
        &Env::empty(),
    )
    .expect("exports");
    assert_eq!(
        warnings(&exported),
        [
            "warning: zlayer export: step `wait-tcp-a-1`: left out: `wait tcp ... closed` (ZLayer only waits for an open port)",
            "warning: zlayer export: step `wait-file-f`: left out: `wait file` (ZLayer has no file wait)",
            "warning: zlayer export: step `start-svc`: left out: `start` (ZLayer init steps cannot start services)",
            "warning: zlayer export: step `sleep-1s`: left out: `sleep` (ZLayer has no sleep step)",
            "warning: zlayer export: step `wait-http-h`: status other than one code or 2xx dropped: ZLayer accepts any 2xx or one code",
            "warning: zlayer export: step `wait-http-h`: `body contains` dropped: ZLayer checks the status only",
            "warning: zlayer export: step `wait-http-h`: `insecure` dropped: ZLayer always verifies TLS",
            "warning: zlayer export: step `wait-http-h`: `every 1s` dropped: ZLayer polls every 2s",
            "warning: zlayer export: step `run-x-two-words`: `env` dropped: ZLayer's init.run takes a command only",
            "warning: zlayer export: step `run-x-two-words`: `cwd` dropped: ZLayer's init.run takes a command only",
            "warning: zlayer export: step `run-x-two-words`: argv form turned into a shell command: ZLayer runs `sh -c`",
            "warning: zlayer export: step `run-x-two-words`: `retry 2` is written, but ZLayer's agent ignores a step's `retry`: the step runs once there",
            "warning: zlayer export: step `g`: ZLayer has no parallel steps: members run one after another, not at once; the group's timeout 5s is dropped; the group's on-fail warn is dropped (each member keeps its own)",
            "warning: zlayer export: script policy `retry backoff 4` becomes `action: backoff`, which ZLayer runs on its own schedule (3 re-runs: 1s, 2s, 4s), not this script's (4 re-runs: 1s50ms, 2s100ms, 4s200ms, 8s400ms (largest, with 5% jitter))",
        ]
    );
    let service: ImportService = serde_norway::from_str(&exported.yaml).expect("strict shapes");
    let run = &service.init.steps[1];
    assert_eq!(run.with["command"], Value::from("./x 'two words'"));
    assert_eq!(run.with["timeout"], Value::from(2));
    assert_eq!(run.timeout.as_deref(), Some("1s 500ms"));
    assert_eq!(service.init.steps[2].id, "wait-tcp-b-2");
}

#[test]
fn variables_must_resolve_for_zlayer() {
    let source = "wait tcp ${DB_HOST}:${DB_PORT}\nrun \"echo ${MSG:?say something}\"";
    let errors = export_with(source, &Env::empty()).expect_err("unresolved");
    let codes: Vec<(&str, &str)> = errors
        .iter()
        .map(|d| {
            (
                d.code,
                &source[d.primary.span.start()..d.primary.span.end()],
            )
        })
        .collect();
    assert_eq!(
        codes,
        [
            ("E150", "${DB_HOST}"),
            ("E150", "${DB_PORT}"),
            ("E150", "${MSG:?say something}")
        ]
    );
    let mut env = Env::empty();
    env.set("DB_HOST", "db");
    env.set("DB_PORT", "5432");
    env.set("MSG", "hi");
    let exported = export_with(source, &env).expect("resolved");
    let service: ImportService = serde_norway::from_str(&exported.yaml).unwrap();
    assert_eq!(service.init.steps[0].with["port"], Value::from(5432));
    assert_eq!(
        service.init.steps[1].with["command"],
        Value::from("echo hi")
    );
}

#[test]
fn a_resolved_port_must_be_a_number() {
    // Judged by the validators `zinit run` uses; the values are not shown.
    let source = "wait tcp db:${PORT}\ns3 pull ${URL} to /x";
    let mut env = Env::empty();
    env.set("PORT", "postgres");
    env.set("URL", "https://not-s3/x");
    let errors = export_with(source, &env).expect_err("invalid values");
    let found: Vec<(&str, &str, &str)> = errors
        .iter()
        .map(|d| {
            (
                d.code,
                d.message.as_str(),
                &source[d.primary.span.start()..d.primary.span.end()],
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (
                "E160",
                "cannot export: the `wait tcp` target `db:${PORT}` resolves to a value that has a port that is not a number",
                "db:${PORT}"
            ),
            (
                "E160",
                "cannot export: the `s3 pull` source `${URL}` resolves to a value that is not an s3:// location",
                "${URL}"
            ),
        ]
    );
}

#[test]
fn ipv6_hosts_lose_their_brackets() {
    let exported = export_with("wait tcp [::1]:5432", &Env::empty()).unwrap();
    let service: ImportService = serde_norway::from_str(&exported.yaml).unwrap();
    assert_eq!(service.init.steps[0].with["host"], Value::from("::1"));
}

#[test]
fn a_folder_pushed_below_a_prefix_exports_as_a_folder_push_and_the_rest_is_refused() {
    let exported = export_with("s3 push ./site/ to s3://www/v2/", &Env::empty()).unwrap();
    let service: ImportService = serde_norway::from_str(&exported.yaml).unwrap();
    let with = &service.init.steps[0].with;
    assert_eq!(
        (&with["bucket"], &with["key"]),
        (&Value::from("www"), &Value::from("v2"))
    );
    assert_eq!(with["source"], Value::from("./site/"));

    let source = "s3 pull s3://www/v2/ to ./site/\ns3 push ./seed.sql to s3://www/dumps/";
    let errors = export_with(source, &Env::empty()).expect_err("prefixes ZLayer cannot take");
    let found: Vec<(&str, &str)> = errors
        .iter()
        .map(|d| {
            (
                d.code,
                &source[d.primary.span.start()..d.primary.span.end()],
            )
        })
        .collect();
    assert_eq!(
        found,
        [("E160", "s3://www/v2/"), ("E160", "s3://www/dumps/")]
    );
    assert!(
        errors[0].message.contains("is a prefix"),
        "{}",
        errors[0].message
    );
}

#[test]
fn every_http_request_clause_zlayer_cannot_carry_is_named() {
    let exported = export_with(
        "wait http https://api/h method POST header \"A: 1\" header \"B: 2\" data x \
         body matches \"^ok\" json /s == \"up\" json /d exists ca ca.pem cert c.pem key k.pem follow 2 status 200",
        &Env::empty(),
    )
    .expect("exports");
    let step = "warning: zlayer export: step `wait-http-api-h`";
    let expected: Vec<String> = [
        "`method POST` dropped: ZLayer always sends GET",
        "`header` dropped: ZLayer sends no request headers of its own",
        "`data` dropped: ZLayer sends no request body",
        "`body matches` dropped: ZLayer checks the status only",
        "`json` dropped: ZLayer checks the status only",
        "`ca` dropped: ZLayer trusts only its system roots",
        "`cert` dropped: ZLayer presents no client certificate",
        "ZLayer follows up to 10 redirects whatever the script says: `follow 2` cannot be kept",
    ]
    .iter()
    .map(|w| format!("{step}: {w}"))
    .collect();
    assert_eq!(warnings(&exported), expected);
    let service: ImportService = serde_norway::from_str(&exported.yaml).expect("strict shapes");
    assert_eq!(
        service.init.steps[0].with["url"],
        Value::from("https://api/h")
    );
    assert_eq!(
        service.init.steps[0].with["expect_status"],
        Value::from(200)
    );

    // A plain GET with the defaults gets no warning about them.
    let plain = export_with("wait http http://api/h", &Env::empty()).expect("exports");
    assert_eq!(warnings(&plain), Vec::<String>::new());
}

/// The step's `timeout` wraps the action's `with.timeout` and the smaller
/// wins in ZLayer's agent: the step's is exact, the action's whole seconds
/// rounded up, so the step ends when zinit's would.
#[test]
fn both_timeouts_are_written_and_the_exact_one_is_the_smaller() {
    let exported = export_with(
        "wait tcp db:1 timeout 1500ms\nwait http http://h/ timeout 90s\nrun \"x\"\n\
         wait tcp db:2\ns3 pull s3://bkt/k to /k timeout 250ms",
        &Env::empty(),
    )
    .expect("exports");
    assert!(warnings(&exported).is_empty(), "{:?}", warnings(&exported));
    let service: ImportService = serde_norway::from_str(&exported.yaml).expect("strict shapes");
    let written: Vec<(u64, u64)> = service
        .init
        .steps
        .iter()
        .map(|step| {
            let outer = humantime::parse_duration(step.timeout.as_deref().expect("step timeout"))
                .expect("humantime");
            let inner = step.with["timeout"].as_u64().expect("integer seconds");
            (outer.as_millis() as u64, inner)
        })
        .collect();
    assert_eq!(
        written,
        [
            (1500, 2),
            (90_000, 90),
            (300_000, 300),
            (30_000, 30),
            (250, 1)
        ]
    );
    for (outer_ms, inner_s) in written {
        assert!(outer_ms <= inner_s * 1000);
    }
}

#[test]
fn zlayers_own_policy_schedules_export_without_a_warning() {
    for policy in [
        "retry restart",
        "retry backoff",
        "retry restart 3",
        "retry none",
    ] {
        let exported = export_with(&format!("{policy}\nrun \"x\""), &Env::empty()).unwrap();
        assert!(
            warnings(&exported).is_empty(),
            "{policy}: {:?}",
            warnings(&exported)
        );
    }
    let exported = export_with("retry restart 5\nrun \"x\"", &Env::empty()).unwrap();
    assert_eq!(
        warnings(&exported),
        [
            "warning: zlayer export: script policy `retry restart 5` becomes `action: restart`, which ZLayer runs on its own schedule (3 re-runs: 100ms each), not this script's (5 re-runs: 100ms each)"
        ]
    );
}

#[test]
fn an_interpolated_default_baked_in_is_named_once_per_step() {
    let source = "wait tcp ${DB_HOST:-postgres}:5432\nrun \"psql -h ${DB_HOST:-postgres} ${DB_HOST:-postgres}\"";
    let exported = export_with(source, &Env::empty()).unwrap();
    assert_eq!(
        warnings(&exported),
        [
            "warning: zlayer export: step `wait-tcp-db-host-5432`: `${DB_HOST:-postgres}` is written as its default `postgres`: the YAML cannot read DB_HOST when ZLayer runs it (export with `--env DB_HOST=VALUE` for another value)",
            "warning: zlayer export: step `run-psql-h-db-host-db-host`: `${DB_HOST:-postgres}` is written as its default `postgres`: the YAML cannot read DB_HOST when ZLayer runs it (export with `--env DB_HOST=VALUE` for another value)",
        ]
    );
    let mut env = Env::empty();
    env.set("DB_HOST", "db.internal");
    let exported = export_with(source, &env).unwrap();
    assert!(warnings(&exported).is_empty(), "{:?}", warnings(&exported));
    assert!(
        exported.yaml.contains("host: db.internal\n"),
        "{}",
        exported.yaml
    );
}

/// zlayer-init-actions' client follows up to 10 redirects (reqwest's default).
#[test]
fn redirects_are_named_where_zlayer_would_follow_them_differently() {
    let cases = [
        (
            "wait http http://h/ status 301",
            Some("a 3xx answer is never seen there, so `status` cannot match it"),
        ),
        (
            "wait http http://h/ status 301 follow 3",
            Some("`follow 3` cannot be kept"),
        ),
        ("wait http http://h/ status 301 follow 10", None),
        ("wait http http://h/", None),
    ];
    for (source, expected) in cases {
        let exported = export_with(source, &Env::empty()).unwrap();
        let found: Vec<String> = warnings(&exported)
            .into_iter()
            .filter(|w| w.contains("redirects"))
            .collect();
        let expected: Vec<String> = expected
            .map(|what| {
                format!(
                    "warning: zlayer export: step `wait-http-h`: ZLayer follows up to 10 \
                     redirects whatever the script says: {what}"
                )
            })
            .into_iter()
            .collect();
        assert_eq!(found, expected, "{source}");
    }
}
