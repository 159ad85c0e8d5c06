//! `check` is clean exactly when `run` would accept: for generated values of
//! every kind, the codes `check` reports on the literal equal the codes
//! `run`'s resolve reports on the same literal, and on `${X}` resolved from
//! an environment holding the value. Also: a diagnostic about a resolved
//! value names the variable, never the value (it may be a secret).

use proptest::prelude::*;
use zinit::check::env::Env;
use zinit::check::{CheckOptions, Diagnostic, check_source};
use zinit::run::resolve::resolve_plan;

/// The codes of the value rules (`zinit::values`).
const VALUE_CODES: &[&str] = &[
    "E104", "E105", "E106", "E107", "E117", "E119", "E135", "E137", "E138", "E170", "E180", "E181",
];

/// A script with one value slot, `{}`.
const TEMPLATES: &[&str] = &[
    "wait tcp {}\n",
    "wait http {}\n",
    "wait file {}\n",
    "run {}\n",
    "start [{}, \"--port\", \"8080\"]\n",
    "run \"./migrate\" cwd {}\n",
    "run [\"./migrate\", {}]\n",
    "run \"./migrate\" env MODE={}\n",
    "s3 pull {} to /tmp/x\n",
    "s3 push /tmp/x to {}\n",
    "s3 pull s3://bucket/key to {}\n",
    "s3 push {} to s3://bucket/key\n",
    "s3 pull s3://bucket/key to /tmp/x endpoint {}\n",
    "wait http http://a/ header {}\n",
    "wait http http://a/ body matches {}\n",
    "wait http http://a/ json {} exists\n",
    "wait http https://a/ ca {}\n",
];

fn value_codes(diagnostics: &[Diagnostic]) -> Vec<&'static str> {
    let mut codes: Vec<&'static str> = diagnostics
        .iter()
        .map(|d| d.code)
        .filter(|c| VALUE_CODES.contains(c))
        .collect();
    codes.sort_unstable();
    codes
}

/// `None` when the script does not parse (nothing to compare).
fn check_codes(script: &str) -> Option<Vec<&'static str>> {
    let checked = check_source(script, &CheckOptions::default());
    let syntax = checked.diagnostics.iter().any(|d| d.code < "E100");
    (!syntax).then(|| value_codes(&checked.diagnostics))
}

fn run_codes(script: &str, env: &Env) -> Vec<&'static str> {
    let plan = zinit::plan::compile(&zinit::syntax::parse(script).script);
    value_codes(&resolve_plan(&plan, env).err().unwrap_or_default())
}

/// Values near the rules' edges: hosts, ports, schemes, buckets, keys.
fn value() -> impl Strategy<Value = String> {
    let scheme = prop::sample::select(vec!["s3", "S3", "http", "https", "HTTP", "tcp", "ftp"]);
    let name = "[a-zA-Z0-9_.-]{0,8}";
    let port = prop_oneof!["[0-9]{0,6}", "[a-z+]{1,3}"];
    let key = "[a-z/.]{0,6}";
    prop_oneof![
        "[a-zA-Z0-9_.:/@\\[\\] -]{0,16}",
        (name, port.clone()).prop_map(|(h, p)| format!("{h}:{p}")),
        ("[0-9a-f:]{0,8}", port.clone()).prop_map(|(h, p)| format!("[{h}]:{p}")),
        (scheme.clone(), name, key).prop_map(|(s, b, k)| format!("{s}://{b}/{k}")),
        (scheme, name, port, key).prop_map(|(s, h, p, k)| format!("{s}://{h}:{p}/{k}")),
        Just(String::new()),
        Just("  ".to_string()),
        "[a-z/]{0,3}\0[a-z]{0,3}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(384))]

    #[test]
    fn check_agrees_with_run(value in value(), template in prop::sample::select(TEMPLATES)) {
        let literal = template.replace("{}", &format!("'{value}'"));
        let Some(checked) = check_codes(&literal) else {
            return Err(TestCaseError::reject("does not parse"));
        };
        prop_assert_eq!(&checked, &run_codes(&literal, &Env::empty()), "{}", literal);
        let from_env = template.replace("{}", "\"${X}\"");
        let mut env = Env::empty();
        env.set("X", value.clone());
        prop_assert_eq!(&checked, &run_codes(&from_env, &env), "{} with X={:?}", from_env, value);
        // The ZLayer export judges the values it writes with the same rules.
        if EXPORTED.contains(&template) {
            let plan = zinit::plan::compile(&zinit::syntax::parse(&from_env).script);
            let refusals = zinit::plan::zlayer::export(&plan, &env).err().unwrap_or_default();
            // A prefix that zinit takes but ZLayer cannot (a pull of many
            // objects) is a limit of ZLayer's, not a value rule.
            let by_value_rules = refusals.iter().any(|d| !d.message.contains(ZLAYER_TAKES_ONE_OBJECT));
            prop_assert_eq!(by_value_rules, !checked.is_empty(), "export of {} with X={:?}", from_env, value);
        }
    }
}

/// How the export words a prefix it cannot write.
const ZLAYER_TAKES_ONE_OBJECT: &str = "is a prefix, and ZLayer takes one object key";

/// The templates whose value the ZLayer export writes (and so judges).
const EXPORTED: &[&str] = &[
    "wait tcp {}\n",
    "wait http {}\n",
    "s3 pull {} to /tmp/x\n",
    "s3 push /tmp/x to {}\n",
    "s3 pull s3://bucket/key to {}\n",
    "s3 push {} to s3://bucket/key\n",
    "s3 pull s3://bucket/key to /tmp/x endpoint {}\n",
];

#[test]
fn the_export_takes_ipv6_only_in_brackets() {
    let mut env = Env::empty();
    env.set("H", "::1");
    let export = |src: &str| {
        let plan = zinit::plan::compile(&zinit::syntax::parse(src).script);
        zinit::plan::zlayer::export(&plan, &env)
    };
    let refused = export("wait tcp ${H}:5432\n").expect_err("unbracketed IPv6");
    assert_eq!(refused[0].code, "E160");
    assert!(
        refused[0].message.contains("not in brackets"),
        "{}",
        refused[0].message
    );
    let yaml = export("wait tcp [${H}]:5432\n").expect("bracketed").yaml;
    assert!(
        yaml.contains("host: ::1") && yaml.contains("port: 5432"),
        "{yaml}"
    );
}

#[test]
fn the_property_sees_both_verdicts() {
    // The generator reaches accepted and rejected values of each rule (else
    // the property would compare empty lists).
    for (script, codes) in [
        ("s3 pull 's3://AB_x/key' to /tmp/x\n", vec!["E107"]),
        ("s3 pull 's3://b/k' to /tmp/x\n", vec!["E107"]),
        ("s3 pull 'S3://bucket/key' to /tmp/x\n", vec!["E107"]),
        ("wait tcp '::1:5432'\n", vec!["E104"]),
        ("wait tcp 'db:0'\n", vec!["E105"]),
        ("run ''\n", vec!["E170"]),
        ("wait file ''\n", vec!["E117"]),
        ("wait http http://a/ header 'a b'\n", vec!["E138"]),
        ("wait http http://a/ body matches '[a-'\n", vec!["E135"]),
        ("wait http http://a/ json 'a/b' exists\n", vec!["E137"]),
        ("run ['./x', 'a\0']\n", vec!["E119"]),
        ("wait tcp '[::1]:5432'\n", vec![]),
        ("s3 pull 's3://my.bucket-1/k' to /tmp/x\n", vec![]),
    ] {
        assert_eq!(check_codes(script).expect("parses"), codes, "{script}");
        assert_eq!(run_codes(script, &Env::empty()), codes, "{script}");
    }
}

#[test]
fn resolved_values_are_named_by_their_variable_not_shown() {
    let secret = "Pa55w0rd";
    let mut env = Env::empty();
    env.set("DB_URL", format!("postgres://app:{secret}@db:5432/app"));
    env.set("DB_ADDR", format!("app:{secret}@db"));
    env.set("BUCKET", format!("s3://{secret}/k"));
    let script = "wait http \"${DB_URL}\"\nwait tcp ${DB_ADDR}\ns3 pull ${BUCKET} to /tmp/x\n";
    let plan = zinit::plan::compile(&zinit::syntax::parse(script).script);
    let diagnostics = resolve_plan(&plan, &env).expect_err("all three are invalid");
    assert_eq!(value_codes(&diagnostics), ["E104", "E106", "E107"]);
    for (d, variable) in diagnostics.iter().zip(["DB_URL", "DB_ADDR", "BUCKET"]) {
        let shown = format!("{d:?}");
        assert!(!shown.contains(secret), "{shown}");
        assert!(
            d.message.contains(&format!("${{{variable}}}")),
            "{}",
            d.message
        );
        let label = d.primary.message.as_deref().unwrap_or_default();
        assert!(label.contains(&format!("`{variable}`")), "{label}");
    }
}

/// The same through the real binary: `zinit run` exits 2 before anything
/// runs, names `DB_URL`, and never prints its value.
#[test]
fn run_names_the_variable_of_a_bad_resolved_value() {
    let out = crate::support::cli::zinit()
        .args([
            "run",
            "--format",
            "plain",
            "-e",
            "wait http \"${DB_URL}\" timeout 1s",
        ])
        .env("DB_URL", "postgres://app:Pa55w0rd@db:5432/app")
        .output()
        .expect("zinit runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("E106") && stderr.contains("DB_URL"),
        "{stderr}"
    );
    assert!(!stderr.contains("Pa55w0rd"), "{stderr}");
}
