//! `zinit plan` end to end: formats, `--fail`, `--env`, `-e`, `-`, exit codes.

use crate::support::cli::{Zinit, stderr, stdout};

const SPEC_LINE: &str = "wait tcp db:5432 timeout 30s on-fail warn; retry backoff 3";

#[test]
fn text_preview_of_inline_script() {
    let out = Zinit::new().args(["plan", "-e", SPEC_LINE]).output();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("wait-tcp-db-5432  wait tcp db:5432  30s"),
        "{text}"
    );
    assert!(text.contains("policy: backoff ×3: 1s, 2s, 4s"), "{text}");
    assert!(text.contains("so this policy can never apply"), "{text}");
    assert!(
        text.contains("worst case: 30s per pass, 30s overall"),
        "{text}"
    );
    // The checker's warning goes to stderr, not into the plan.
    assert!(stderr(&out).contains("W101"), "{}", stderr(&out));
}

#[test]
fn json_from_standard_input() {
    let out = Zinit::new()
        .args(["plan", "-", "--format", "json"])
        .stdin(SPEC_LINE)
        .output();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("JSON");
    assert_eq!(json["worst_case_ms"], 30_000);
    assert_eq!(
        json["policy"]["delays_ms"],
        serde_json::json!([1000, 2000, 4000])
    );
}

#[test]
fn fail_previews_a_timeline_and_names_unknown_steps() {
    let script = "wait tcp db:5432 timeout 10s; retry restart 1";
    let out = Zinit::new()
        .args(["plan", "-e", script, "--fail", "wait-tcp-db-5432"])
        .output();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("+10s100ms  pass 2/2 starts"), "{text}");
    assert!(text.ends_with("init fails after 20s100ms\n"), "{text}");

    let json = Zinit::new()
        .args([
            "plan",
            "-e",
            script,
            "--fail",
            "wait-tcp-db-5432",
            "--format",
            "json",
        ])
        .output();
    let timeline: serde_json::Value = serde_json::from_str(&stdout(&json)).expect("JSON");
    assert_eq!(
        timeline["outcome"],
        serde_json::json!({"result": "fails", "after_ms": 20_100})
    );

    let unknown = Zinit::new()
        .args(["plan", "-e", script, "--fail", "wait-tcp-db"])
        .output();
    assert_eq!(unknown.status.code(), Some(2));
    assert_eq!(
        stderr(&unknown),
        "zinit: --fail: no step `wait-tcp-db` in this script; did you mean `wait-tcp-db-5432`?\n  the steps are: wait-tcp-db-5432\n"
    );
    assert!(stdout(&unknown).is_empty());
}

#[test]
fn zlayer_needs_every_variable_resolved() {
    let script = "wait tcp ${DB_HOST}:${DB_PORT:-5432}; sleep 1s";
    let unresolved = Zinit::new()
        .args(["plan", "-e", script, "--format", "zlayer"])
        .output();
    assert_eq!(unresolved.status.code(), Some(2));
    assert!(
        stderr(&unresolved).contains("E150"),
        "{}",
        stderr(&unresolved)
    );
    assert!(stdout(&unresolved).is_empty());

    let dir = tempfile::tempdir().expect("temp dir");
    let env_file = dir.path().join("app.env");
    std::fs::write(&env_file, "# the database\nexport DB_HOST=db\n").expect("env file");
    let env_file = env_file.to_string_lossy().into_owned();
    let out = Zinit::new()
        .args([
            "plan",
            "-e",
            script,
            "--format",
            "zlayer",
            "--env-file",
            &env_file,
        ])
        .output();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let yaml = stdout(&out);
    assert!(yaml.contains("host: db\n      port: 5432\n"), "{yaml}");
    assert_eq!(
        stderr(&out),
        "warning: zlayer export: step `wait-tcp-db-host-db-port`: `${DB_PORT:-5432}` is written as \
         its default `5432`: the YAML cannot read DB_PORT when ZLayer runs it (export with \
         `--env DB_PORT=VALUE` for another value)\n\
         warning: zlayer export: step `sleep-1s`: left out: `sleep` (ZLayer has no sleep step)\n"
    );

    let bad_port = Zinit::new()
        .args([
            "plan",
            "-e",
            script,
            "--format",
            "zlayer",
            "--env",
            "DB_HOST=db",
            "--env",
            "DB_PORT=pg",
        ])
        .output();
    assert_eq!(bad_port.status.code(), Some(2));
    assert!(stderr(&bad_port).contains("E160"), "{}", stderr(&bad_port));
}

#[test]
fn env_resolves_targets_for_display() {
    let script = "wait http http://${API:-localhost}:8080/health";
    let default = Zinit::new().args(["plan", "-e", script]).output();
    assert!(stdout(&default).contains("wait http http://localhost:8080/health"));
    let set = Zinit::new()
        .args(["plan", "-e", script, "--env", "API=api.internal"])
        .output();
    assert!(
        stdout(&set).contains("wait http http://api.internal:8080/health"),
        "{}",
        stdout(&set)
    );
}

#[test]
fn invalid_scripts_and_usage_exit_2() {
    let invalid = Zinit::new()
        .args(["plan", "-e", "wait tcp db:5432 timeout 30"])
        .output();
    assert_eq!(invalid.status.code(), Some(2));
    assert!(stderr(&invalid).contains("E020"), "{}", stderr(&invalid));
    assert!(stdout(&invalid).is_empty());

    let missing = Zinit::new()
        .args(["plan", "/nonexistent/app.zinit"])
        .output();
    assert_eq!(missing.status.code(), Some(2));

    let no_script = Zinit::new().args(["plan"]).output();
    assert_eq!(no_script.status.code(), Some(2));

    let bad_env = Zinit::new()
        .args(["plan", "-e", "sleep 1s", "--env", "NOEQUALS"])
        .output();
    assert_eq!(bad_env.status.code(), Some(2));
    assert!(
        stderr(&bad_env).contains("--env expects K=V"),
        "{}",
        stderr(&bad_env)
    );

    let fail_zlayer = Zinit::new()
        .args([
            "plan", "-e", "sleep 1s", "--format", "zlayer", "--fail", "sleep-1s",
        ])
        .output();
    assert_eq!(fail_zlayer.status.code(), Some(2));

    let sleep_fail = Zinit::new()
        .args(["plan", "-e", "sleep 1s", "--fail", "sleep-1s"])
        .output();
    assert_eq!(sleep_fail.status.code(), Some(2));
    assert!(stderr(&sleep_fail).contains("is a sleep, which cannot fail"));
}

#[test]
fn import_writes_a_script_that_plans() {
    let yaml = "init:\n  steps:\n    - { id: db, uses: init.wait_tcp, with: { host: db, port: 5432 }, on_failure: warn }\nerrors:\n  on_init_failure: { action: backoff }\n";
    let imported = Zinit::new().args(["import", "-"]).stdin(yaml).output();
    assert_eq!(imported.status.code(), Some(0), "{}", stderr(&imported));
    let script = stdout(&imported);
    assert!(
        script.contains("wait tcp db:5432 on-fail warn as db\n"),
        "{script}"
    );
    let planned = Zinit::new()
        .args(["plan", "-", "--format", "json"])
        .stdin(&script)
        .output();
    assert_eq!(planned.status.code(), Some(0), "{}", stderr(&planned));
    let json: serde_json::Value = serde_json::from_str(&stdout(&planned)).expect("JSON");
    assert_eq!(json["steps"][0]["id"], "db");
    assert_eq!(json["policy"]["kind"], "backoff");

    let bad = Zinit::new()
        .args(["import", "-"])
        .stdin("init: { steps: [ { id: x, uses: init.nope } ] }")
        .output();
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("`uses: init.nope` has no zinit equivalent"));
}
