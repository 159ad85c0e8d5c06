//! `zinit plan` on `any` groups and group deadlines: best case the fastest
//! member's, worst case the slowest member's, bounded by the group's
//! timeout (parallel too); `--fail MEMBER` shows what the group does.

use crate::support::cli::*;
use serde_json::Value;

fn plan_json(script: &str) -> Value {
    let out = Zinit::new()
        .args(["plan", "--format", "json", "-e", script])
        .output();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    serde_json::from_str(&stdout(&out)).expect("plan JSON")
}

/// `(best_case_ms, worst_case_ms)` of the first step.
fn first_case(script: &str) -> (u64, u64) {
    let plan = plan_json(script);
    let step = &plan["steps"][0];
    (
        step["best_case_ms"].as_u64().expect("best"),
        step["worst_case_ms"].as_u64().expect("worst"),
    )
}

#[test]
fn any_takes_the_fastest_best_case_and_the_slowest_worst_case() {
    // A wait can succeed at once (best 0); the group waits for the slower
    // one to fail (worst 20s).
    assert_eq!(
        first_case("any { wait tcp a:1 timeout 20s; wait tcp b:1 timeout 7s }"),
        (0, 20_000)
    );
    assert_eq!(first_case("any { sleep 2s; sleep 5s }"), (2_000, 2_000));
    // A sleep cannot fail: it wins by 3s at the latest.
    assert_eq!(
        first_case("any { wait tcp a:1 timeout 20s; sleep 3s }"),
        (0, 3_000)
    );
    // The same with a command that may still have to be stopped: + the grace.
    assert_eq!(
        first_case("any { run 'x' timeout 20s; sleep 3s }"),
        (0, 8_000)
    );
}

#[test]
fn a_group_timeout_bounds_any_and_parallel() {
    assert_eq!(
        first_case("any timeout 10s { wait tcp a:1 timeout 1m; wait tcp b:1 }"),
        (0, 10_000)
    );
    assert_eq!(
        first_case("parallel timeout 10s { wait tcp a:1 timeout 1m; wait tcp b:1 }"),
        (0, 10_000)
    );
    // Members that run commands may need the stop grace after the deadline.
    assert_eq!(
        first_case("any timeout 10s { run 'x' timeout 1m; wait tcp b:1 }"),
        (0, 15_000)
    );
    // Best cases are bounded too.
    assert_eq!(first_case("any timeout 1s { sleep 5s }"), (1_000, 1_000));
    assert_eq!(
        first_case("parallel timeout 1s { sleep 5s }"),
        (1_000, 1_000)
    );
}

#[test]
fn plan_json_names_the_group_any_with_its_members() {
    let plan = plan_json("any as db timeout 1m { wait tcp a:1; wait tcp b:1 }");
    let group = &plan["steps"][0];
    assert_eq!(group["action"], "any");
    assert_eq!(group["id"], "db");
    assert_eq!(group["timeout_ms"], 60_000);
    let members: Vec<&str> = group["steps"]
        .as_array()
        .expect("members")
        .iter()
        .map(|m| m["action"].as_str().unwrap())
        .collect();
    assert_eq!(members, ["wait_tcp", "wait_tcp"]);
}

#[test]
fn an_on_fail_from_defaults_reaches_the_group_not_its_members() {
    let plan = plan_json("defaults on-fail warn\nany { wait tcp a:1; wait tcp b:1 }");
    let group = &plan["steps"][0];
    assert_eq!(group["on_fail"], "warn");
    assert_eq!(group["steps"][0]["on_fail"], "fail");
    assert_eq!(group["steps"][1]["on_fail"], "fail");
}

/// `zinit plan -e SCRIPT --fail STEP [ARGS]`: its standard output.
fn fail_preview(script: &str, step: &str, args: &[&str]) -> String {
    let out = Zinit::new()
        .args(["plan", "-e", script, "--fail", step])
        .args(args)
        .output();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    stdout(&out)
}

fn fail_text(script: &str, step: &str) -> String {
    fail_preview(script, step, &[])
}

fn fail_json(script: &str, step: &str) -> Value {
    serde_json::from_str(&fail_preview(script, step, &["--format", "json"])).expect("JSON")
}

#[test]
fn fail_on_a_member_shows_another_member_winning() {
    let text = fail_text(
        "any as db timeout 1m { wait tcp primary:5432; wait tcp replica:5432 }\nrun './migrate'",
        "wait-tcp-primary-5432",
    );
    insta::assert_snapshot!(text);
}

#[test]
fn fail_on_the_last_member_standing_fails_the_group() {
    // A group of one: when its member fails, every member has.
    let text = fail_text(
        "any as db { wait tcp primary:5432 timeout 5s retry 1 every 1s }\nrun './migrate'",
        "wait-tcp-primary-5432",
    );
    insta::assert_snapshot!(text);
}

#[test]
fn fail_on_a_member_of_a_bounded_group_stops_at_the_deadline() {
    let script = "any as db timeout 10s { wait tcp primary:5432 timeout 1m }";
    insta::assert_snapshot!(fail_text(script, "wait-tcp-primary-5432"));
    let timeline = fail_json(script, "wait-tcp-primary-5432");
    assert_eq!(
        timeline["outcome"],
        serde_json::json!({"result": "fails", "after_ms": 10_000})
    );
}

#[test]
fn fail_json_says_another_member_succeeded() {
    let timeline = fail_json("any { wait tcp a:1; wait tcp b:1 }", "wait-tcp-a-1");
    assert_eq!(
        timeline["outcome"],
        serde_json::json!({"result": "succeeds_by_another_member", "after_ms": 0})
    );
    let won = timeline["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .find(|e| e["event"] == "member_won")
        .expect("member_won");
    assert_eq!(won["group"], "any-1");
    assert_eq!(won["step"], "wait-tcp-b-1");
}

/// The codes `zinit check --format short` reports for a script.
fn check_codes(script: &str) -> Vec<String> {
    let out = Zinit::new()
        .args(["check", "--format", "short", "-e", script])
        .output();
    stdout(&out)
        .lines()
        .filter_map(|l| l.split_once(": ")?.1.split_once('[')?.1.split_once(']'))
        .map(|(code, _)| code.to_string())
        .collect()
}

#[test]
fn a_member_that_cannot_fail_keeps_the_group_from_failing_the_pass() {
    // A sleep member always wins, so the policy can never apply (W101)...
    assert_eq!(
        check_codes("any { wait tcp a:1; sleep 1s }\nretry backoff 3"),
        ["W101"]
    );
    // ...unless the group has a deadline, or every member can fail.
    assert!(check_codes("any timeout 5s { wait tcp a:1; sleep 1s }\nretry backoff 3").is_empty());
    assert!(check_codes("any { wait tcp a:1; run 'x' }\nretry backoff 3").is_empty());
    let plan = plan_json("any { wait tcp a:1; sleep 1s }\nany { wait tcp a:1; run 'x' }");
    assert_eq!(plan["steps"][0]["can_fail_pass"], false);
    assert_eq!(plan["steps"][1]["can_fail_pass"], true);
}
