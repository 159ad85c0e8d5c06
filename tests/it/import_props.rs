//! `zinit import` on arbitrary strings in every YAML field: the import is
//! refused, or its script checks without errors and holds exactly the
//! YAML's steps, with the YAML's values — never a statement more.

use proptest::prelude::*;
use zinit::check::{CheckOptions, check_source};
use zinit::plan::compile;
use zinit::plan::model::OnFail;
use zinit::plan::model::{PlanAction, PolicyKind};
use zinit::plan::zlayer::import;
use zinit::syntax::ast::CommandSpec;
use zinit::syntax::ast::Statement;

/// A YAML double-quoted scalar that means exactly `s`: everything but
/// printable ASCII is escaped, so no YAML rule (line folding, forbidden
/// characters) changes the value.
fn yaml_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            ' '..='~' => out.push(c),
            c => out.push_str(&format!("\\U{:08x}", c as u32)),
        }
    }
    out.push('"');
    out
}

/// Strings biased toward what could break out of a zinit value, mixed
/// with plain ones so that many specs import and their scripts are checked.
fn hostile() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[a-z][a-z0-9-]{0,8}",
        2 => "http://[a-z]{1,8}(:[0-9]{2,4})?/[a-z]{0,6}",
        1 => "[a-z;#'\"\\\\$ {}\n\r\t:/=-]{0,16}",
        2 => "[a-z]{0,4}(\n|\r|; |#|\\\\\n|\u{2028}|\u{202e}|\u{85}|\\$\\{X\\}|' |\" )[a-z ;'#]{0,8}",
        1 => any::<String>(),
    ]
}

#[derive(Debug, Clone)]
struct StepSpec {
    id: String,
    uses: usize,
    /// host / url / command / source / destination, bucket, key
    values: [String; 4],
    port: i64,
    extra: Option<(&'static str, String)>,
    timeout: Option<String>,
    with_timeout: Option<String>,
    retry: Option<i64>,
    expect_status: Option<i64>,
    on_failure: String,
    /// Written instead of `USES[uses]` when set: an action zinit does not know.
    unknown_uses: Option<String>,
}

const USES: [&str; 5] = [
    "init.wait_tcp",
    "init.wait_http",
    "init.run",
    "init.s3_pull",
    "init.s3_push",
];

fn step_spec() -> impl Strategy<Value = StepSpec> {
    (
        hostile(),
        0..USES.len(),
        [hostile(), hostile(), hostile(), hostile()],
        prop_oneof![8 => 1..65536i64, 1 => any::<i64>()],
        proptest::option::of((prop_oneof![Just("endpoint"), Just("region")], hostile())),
        proptest::option::of(hostile()),
        proptest::option::of(hostile()),
        (
            proptest::option::of(prop_oneof![0..5i64, any::<i64>()]),
            proptest::option::of(prop_oneof![100..600i64, any::<i64>()]),
            prop_oneof![
                8 => prop_oneof![Just("fail"), Just("warn"), Just("continue")].prop_map(String::from),
                1 => hostile(),
            ],
            proptest::option::weighted(0.1, hostile()),
        ),
    )
        .prop_map(
            |(id, uses, values, port, extra, timeout, with_timeout, more)| {
                let (retry, expect_status, on_failure, unknown_uses) = more;
                StepSpec {
                    id,
                    uses,
                    values,
                    port,
                    extra,
                    timeout,
                    with_timeout,
                    retry,
                    expect_status,
                    on_failure,
                    unknown_uses,
                }
            },
        )
}

fn yaml_of(steps: &[StepSpec], policy: &str) -> String {
    let mut yaml = format!("errors:\n  on_init_failure:\n    action: {policy}\ninit:\n  steps:\n");
    for s in steps {
        let v = |i: usize| yaml_str(&s.values[i]);
        let with = match USES[s.uses] {
            "init.wait_tcp" => format!("host: {}, port: {}", v(0), s.port),
            "init.wait_http" => format!("url: {}", v(0)),
            "init.run" => format!("command: {}", v(0)),
            "init.s3_pull" => format!("bucket: {}, key: {}, destination: {}", v(1), v(2), v(0)),
            _ => format!("bucket: {}, key: {}, source: {}", v(1), v(2), v(0)),
        };
        let mut with = with;
        if let Some((key, value)) = &s.extra {
            with.push_str(&format!(", {key}: {}", yaml_str(value)));
        }
        if let Some(t) = &s.with_timeout {
            with.push_str(&format!(", timeout: {}", yaml_str(t)));
        }
        if let (Some(status), "init.wait_http") = (s.expect_status, USES[s.uses]) {
            with.push_str(&format!(", expect_status: {status}"));
        }
        let uses = s
            .unknown_uses
            .as_deref()
            .map_or(USES[s.uses].to_string(), yaml_str);
        yaml.push_str(&format!(
            "    - id: {}\n      uses: {uses}\n      with: {{ {with} }}\n      on_failure: {}\n",
            yaml_str(&s.id),
            yaml_str(&s.on_failure)
        ));
        if let Some(t) = &s.timeout {
            yaml.push_str(&format!("      timeout: {}\n", yaml_str(t)));
        }
        if let Some(n) = s.retry {
            yaml.push_str(&format!("      retry: {n}\n"));
        }
    }
    yaml
}

fn literal(text: &zinit::syntax::ast::Text) -> String {
    text.literal()
        .expect("an imported value holds no variables")
}

/// The value each imported step must carry, as the YAML gave it.
fn main_value(action: &PlanAction) -> (&'static str, String) {
    let command = |c: &zinit::plan::model::CommandPlan| match &c.command {
        CommandSpec::Shell(text) => literal(text),
        other => panic!("imported commands are shell strings: {other:?}"),
    };
    match action {
        PlanAction::WaitTcp { target, .. } => ("init.wait_tcp", literal(target)),
        PlanAction::WaitHttp { url, .. } => ("init.wait_http", literal(url)),
        PlanAction::Run(c) => ("init.run", command(c)),
        PlanAction::S3Pull {
            source,
            destination,
            ..
        } => (
            "init.s3_pull",
            format!("{} {}", literal(source), literal(destination)),
        ),
        PlanAction::S3Push {
            source,
            destination,
            ..
        } => (
            "init.s3_push",
            format!("{} {}", literal(source), literal(destination)),
        ),
        other => panic!("import never writes {other:?}"),
    }
}

fn expected_value(s: &StepSpec) -> String {
    let v = &s.values;
    match USES[s.uses] {
        "init.wait_tcp" if v[0].contains(':') => format!("[{}]:{}", v[0], s.port),
        "init.wait_tcp" => format!("{}:{}", v[0], s.port),
        "init.s3_pull" => format!("s3://{}/{} {}", v[1], v[2], v[0]),
        "init.s3_push" => format!("{} s3://{}/{}", v[0], v[1], v[2]),
        _ => v[0].clone(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn import_is_refused_or_exact(
        steps in proptest::collection::vec(step_spec(), 1..4),
        policy in prop_oneof![Just("fail"), Just("restart"), Just("backoff")],
    ) {
        let yaml = yaml_of(&steps, policy);
        let Ok(script) = import(&yaml) else { return Ok(()) };
        let checked = check_source(&script, &CheckOptions::default());
        prop_assert!(!checked.has_errors(), "{script}\n{:?}", checked.diagnostics);
        let statements = &checked.script.statements;
        let policies = statements.iter().filter(|s| matches!(s, Statement::Policy(_))).count();
        prop_assert_eq!(policies, usize::from(policy != "fail"), "{}", script);
        let plan = compile(&checked.script);
        prop_assert_eq!(plan.steps.len(), steps.len(), "{}", script);
        let kind = match policy {
            "restart" => PolicyKind::Restart,
            "backoff" => PolicyKind::Backoff,
            _ => PolicyKind::None,
        };
        prop_assert_eq!(plan.policy.kind, kind);
        for (step, spec) in plan.steps.iter().zip(&steps) {
            let (uses, value) = main_value(&step.action);
            // Only the five known actions import.
            prop_assert!(spec.unknown_uses.as_deref().is_none_or(|u| USES.contains(&u)));
            prop_assert_eq!(uses, USES[spec.uses], "{}", script);
            prop_assert_eq!(value, expected_value(spec), "{}", script);
            let on_fail = match spec.on_failure.as_str() {
                "warn" => OnFail::Warn,
                "continue" => OnFail::Continue,
                "fail" => OnFail::Fail,
                other => return Err(TestCaseError::fail(format!("on_failure {other:?} imported"))),
            };
            prop_assert_eq!(step.retry.retries, u32::try_from(spec.retry.unwrap_or(0)).unwrap_or(u32::MAX), "{}", script);
            if let (PlanAction::WaitHttp { status, .. }, Some(code)) = (&step.action, spec.expect_status) {
                let code = u16::try_from(code).expect("an imported status fits");
                prop_assert_eq!(&status.ranges, &vec![(code, code)], "{}", script);
            }
            prop_assert_eq!(step.on_fail, on_fail, "{}", script);
            if zinit::syntax::is_step_id(&spec.id) {
                prop_assert_eq!(&step.id, &spec.id, "{}", script);
            }
        }
        // A note is one comment line: nothing in it can reach the parser.
        for line in script.lines() {
            prop_assert!(!line.chars().any(|c| c.is_control() || c == '\u{2028}' || c == '\u{202e}'), "{:?}", line);
        }
    }
}
