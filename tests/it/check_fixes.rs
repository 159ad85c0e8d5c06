//! Fixes through `zinit check --format json`: each one's applicability
//! (`safe` is certain, `unsafe` a guess), and that a safe fix leaves a
//! script that checks clean.

use crate::support::cli::zinit;
use serde_json::Value;

/// The diagnostics of an inline script, as JSON.
fn diagnostics(script: &str) -> Vec<Value> {
    let out = zinit()
        .args(["check", "--format", "json", "-e", script])
        .output()
        .expect("zinit runs");
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// The one diagnostic of `script`, with its fix applied to the script.
fn only_fix(script: &str) -> (Value, String) {
    let found = diagnostics(script);
    assert_eq!(found.len(), 1, "{script:?}: {found:#?}");
    let d = found.into_iter().next().expect("one diagnostic");
    let edits = d["fix"]["edits"].as_array().expect("a fix with edits");
    let mut fixed = script.to_string();
    // Back to front, so earlier offsets stay valid.
    for edit in edits.iter().rev() {
        let (start, end) = (
            edit["start"].as_u64().unwrap(),
            edit["end"].as_u64().unwrap(),
        );
        fixed.replace_range(
            start as usize..end as usize,
            edit["replacement"].as_str().unwrap(),
        );
    }
    (d, fixed)
}

fn applicability(d: &Value) -> &str {
    d["fix"]["applicability"].as_str().expect("applicability")
}

#[test]
fn typographic_quotes_become_straight_quotes() {
    let (d, fixed) = only_fix("run “./migrate up”");
    assert_eq!(d["code"], "E045");
    assert_eq!(applicability(&d), "safe");
    assert_eq!(fixed, r#"run "./migrate up""#);
    assert_eq!(diagnostics(&fixed), Vec::<Value>::new());
    let (d, fixed) = only_fix("start ‘redis-server’");
    assert_eq!(
        (applicability(&d), fixed.as_str()),
        ("safe", "start 'redis-server'")
    );
    // Values too: a path in them would never match.
    let (d, fixed) = only_fix("wait file „/tmp/my file“ timeout 1s");
    assert_eq!(d["code"], "E045");
    assert_eq!(
        (applicability(&d), fixed.as_str()),
        ("safe", r#"wait file "/tmp/my file" timeout 1s"#)
    );
    assert_eq!(diagnostics(&fixed), Vec::<Value>::new());
    let (d, _) = only_fix(r#"run [“./migrate”, "up"]"#);
    assert_eq!(
        (d["code"].as_str(), applicability(&d)),
        (Some("E042"), "safe")
    );
}

#[test]
fn an_equals_sign_after_a_clause_becomes_a_blank() {
    let (d, fixed) = only_fix("wait tcp db:5432 timeout=30s on-fail warn");
    assert_eq!(d["code"], "E004");
    assert_eq!(applicability(&d), "safe");
    assert_eq!(fixed, "wait tcp db:5432 timeout 30s on-fail warn");
    assert_eq!(diagnostics(&fixed), Vec::<Value>::new());
}

#[test]
fn a_lone_number_gets_seconds_for_certain_a_compound_only_as_a_guess() {
    let (d, fixed) = only_fix("wait tcp db:5432 timeout 30");
    assert_eq!(
        (applicability(&d), fixed.as_str()),
        ("safe", "wait tcp db:5432 timeout 30s")
    );

    let (d, fixed) = only_fix("wait tcp db:5432 timeout 1h30");
    assert_eq!(d["code"], "E020");
    assert_eq!(applicability(&d), "unsafe");
    assert_eq!(fixed, "wait tcp db:5432 timeout 1h30m");
    let help = d["help"].as_str().expect("help");
    assert!(
        help.contains("`1h30m`") && !help.contains("1h30s"),
        "{help}"
    );

    // The human format says it is a guess.
    let out = zinit()
        .args(["check", "-e", "wait tcp db:5432 timeout 1h30"])
        .output()
        .expect("zinit runs");
    let text =
        String::from_utf8_lossy(&out.stderr).into_owned() + &String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("unsafe fix: replace with `1h30m`"), "{text}");
}

#[test]
fn every_kind_of_fix_has_its_applicability() {
    let cases = [
        // A close keyword typo: certain. Two edits away, or another tool's word: guesses.
        ("wiat tcp db:5432", "E002", "safe"),
        ("wait tcp db:5432 timout 5s", "E004", "safe"),
        ("wait tcp db:5432 tmieuot 5s", "E004", "unsafe"),
        ("wait tcp db:5432 on-fail ignore", "E007", "unsafe"),
        // Units: a misspelt unit and a unit written apart are certain.
        ("sleep 5min", "E021", "safe"),
        ("sleep 5 s", "E020", "safe"),
        ("retry backoff 3 jitter 25", "E026", "safe"),
        // Repeats: the repeated clause and the second policy go.
        ("wait tcp db:5432 timeout 1s timeout 1s", "E101", "safe"),
        ("sleep 1s\nretry restart 2\nretry restart 2", "E103", "safe"),
        ("wait http http://h/ insecure", "W104", "safe"),
        // Quoting bare words: certain unless a `$` or `\` reads differently quoted.
        ("run ./migrate up", "E041", "safe"),
        ("run echo $HOME", "E041", "unsafe"),
        // A clause that belongs elsewhere, a limit, a rename: guesses.
        ("sleep 1s insecure", "E102", "unsafe"),
        ("sleep 1s as a\nsleep 1s as a", "E100", "unsafe"),
        ("wait tcp http://db:5432/", "E104", "unsafe"),
    ];
    let mut wrong = Vec::new();
    for (script, code, expected) in cases {
        let found = diagnostics(script);
        let with_fix: Vec<(&str, &str)> = found
            .iter()
            .filter(|d| !d["fix"].is_null())
            .map(|d| (d["code"].as_str().unwrap(), applicability(d)))
            .collect();
        if with_fix != [(code, expected)] {
            wrong.push(format!(
                "{script:?}: expected [{code} {expected}], got {with_fix:?}"
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn sarif_carries_the_applicability() {
    let out = zinit()
        .args(["check", "--format", "sarif", "-e", "sleep 30"])
        .output()
        .expect("zinit runs");
    let sarif: Value = serde_json::from_slice(&out.stdout).expect("sarif json");
    let fix = &sarif["runs"][0]["results"][0]["fixes"][0];
    assert_eq!(fix["properties"]["applicability"], "safe", "{sarif:#}");
}
