//! The plan JSON of SPEC §5, literally.

use serde_json::{Value, json};
use zinit::plan::env::Env;
use zinit::plan::{compile, json, plan_timing};
use zinit::syntax::parse;

const SPEC_EXAMPLE: &str = "# db must be up within 30s; if not, log a warning and go on\n\
                            wait tcp db:5432 timeout 30s on-fail warn; retry backoff 3\n";

/// SPEC §5's JSON, copied verbatim.
const SPEC_JSON: &str = r#"{
  "steps": [
    { "id": "wait-tcp-db-5432", "action": "wait_tcp", "target": "db:5432",
      "timeout_ms": 30000, "on_fail": "warn", "retries": 0,
      "retry_delays_ms": [], "worst_case_ms": 30000 }
  ],
  "policy": { "kind": "backoff", "retries": 3, "delays_ms": [1000, 2000, 4000] },
  "best_case_ms": 0,
  "worst_case_ms": 30000
}"#;

fn plan_json(source: &str) -> Value {
    let parsed = parse(source);
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
    let plan = compile(&parsed.script);
    let text = json::render_json(&plan, &plan_timing(&plan), &Env::empty());
    serde_json::from_str(&text).expect("valid JSON")
}

/// `actual` restricted to the keys `expected` has, recursively.
fn restrict(actual: &Value, expected: &Value) -> Value {
    match (actual, expected) {
        (Value::Object(a), Value::Object(e)) => Value::Object(
            e.keys()
                .filter_map(|k| Some((k.clone(), restrict(a.get(k)?, &e[k]))))
                .collect(),
        ),
        (Value::Array(a), Value::Array(e)) if a.len() == e.len() => {
            Value::Array(a.iter().zip(e).map(|(a, e)| restrict(a, e)).collect())
        }
        _ => actual.clone(),
    }
}

#[test]
fn the_spec_example_gives_the_spec_json() {
    let actual = plan_json(SPEC_EXAMPLE);
    let spec: Value = serde_json::from_str(SPEC_JSON).expect("the spec's JSON parses");
    // Every field of the spec, with the spec's value ...
    assert_eq!(restrict(&actual, &spec), spec);
    // ... and, whole, with the fields zinit adds.
    assert_eq!(
        actual,
        json!({
            "steps": [
                { "id": "wait-tcp-db-5432", "action": "wait_tcp", "target": "db:5432",
                  "timeout_ms": 30000, "on_fail": "warn", "retries": 0,
                  "retry_delays_ms": [], "worst_case_ms": 30000,
                  "best_case_ms": 0, "can_fail_pass": false, "poll_ms": 5, "closed": false }
            ],
            "policy": { "kind": "backoff", "retries": 3, "delays_ms": [1000, 2000, 4000],
                        "can_apply": false },
            "best_case_ms": 0,
            "worst_case_ms": 30000,
            "pass_best_case_ms": 0,
            "pass_worst_case_ms": 30000,
            "stop_grace_ms": 5000
        })
    );
}

#[test]
fn a_group_carries_its_members_and_has_no_target() {
    let actual = plan_json("parallel as g timeout 1m { wait tcp a:1; sleep 2s }");
    let group = &actual["steps"][0];
    assert_eq!(group["action"], "parallel");
    assert!(group.get("target").is_none());
    assert_eq!(group["timeout_ms"], 60_000);
    let members: Vec<&str> = group["steps"]
        .as_array()
        .expect("members")
        .iter()
        .map(|m| m["id"].as_str().unwrap())
        .collect();
    assert_eq!(members, ["wait-tcp-a-1", "sleep-2s"]);
    assert_eq!(group["worst_case_ms"], 30_000);
    assert_eq!(group["best_case_ms"], 2_000);
}

#[test]
fn huge_schedules_list_a_thousand_delays_and_count_the_rest() {
    let actual = plan_json("retry restart 5000\nwait tcp a:1 retry 1001 every 1s");
    assert_eq!(
        actual["policy"]["delays_ms"].as_array().unwrap().len(),
        1000
    );
    assert_eq!(actual["policy"]["delays_left_off"], 4000);
    let step = &actual["steps"][0];
    assert_eq!(step["retry_delays_ms"].as_array().unwrap().len(), 1000);
    assert_eq!(step["retry_delays_left_off"], 1);
    // 1002 attempts of 30s and 1001 delays of 1s, then 5001 passes and 5000 × 100ms.
    assert_eq!(step["worst_case_ms"], 1002 * 30_000 + 1001 * 1_000);
    assert_eq!(
        actual["worst_case_ms"],
        5001_u64 * (1002 * 30_000 + 1001 * 1_000) + 5000 * 100
    );
}

#[test]
fn targets_resolve_against_the_env_or_stay_as_written() {
    let parsed = parse("wait tcp ${HOST}:${PORT:-5432}\nrun \"echo ${MSG}\"");
    let plan = compile(&parsed.script);
    let timing = plan_timing(&plan);
    let unresolved: Value =
        serde_json::from_str(&json::render_json(&plan, &timing, &Env::empty())).unwrap();
    assert_eq!(unresolved["steps"][0]["target"], "${HOST}:5432");
    assert_eq!(unresolved["steps"][1]["target"], "echo ${MSG}");
    let mut env = Env::empty();
    env.set("HOST", "db");
    env.set("PORT", "6543");
    env.set("MSG", "hi");
    let resolved: Value = serde_json::from_str(&json::render_json(&plan, &timing, &env)).unwrap();
    assert_eq!(resolved["steps"][0]["target"], "db:6543");
    assert_eq!(resolved["steps"][1]["command"], "echo hi");
}

#[test]
fn mysql_and_dns_waits_show_their_action_names_and_resolved_settings() {
    let actual = plan_json(
        "defaults server 10.0.0.2\n\
         wait mysql mysql://app:pw@db/shop\n\
         wait dns db.internal\n\
         wait dns _pg._tcp.internal type SRV server 127.0.0.1:5353 value db-1:5432\n",
    );
    let steps = &actual["steps"];
    assert_eq!(steps[0]["action"], "wait_mysql");
    assert_eq!(
        steps[0]["target"], "mysql://app:***@db/shop",
        "the password is masked"
    );
    assert_eq!(steps[0]["id"], "wait-mysql-db-shop");
    let expected = json!([
        { "action": "wait_dns", "target": "db.internal", "record_type": "A/AAAA",
          "server": "10.0.0.2", "timeout_ms": 30000, "poll_ms": 5 },
        { "action": "wait_dns", "target": "_pg._tcp.internal", "record_type": "SRV",
          "server": "127.0.0.1:5353", "value": "db-1:5432" },
    ]);
    for (actual, expected) in steps.as_array().unwrap()[1..]
        .iter()
        .zip(expected.as_array().unwrap())
    {
        assert_eq!(&restrict(actual, expected), expected);
    }
    assert!(steps[1].get("value").is_none(), "no value: any answer");
}
