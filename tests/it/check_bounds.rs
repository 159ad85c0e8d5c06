//! Hostile input through the real binary: output stays bounded and nothing
//! panics, whatever the column, the line length or the number of errors;
//! every format puts a diagnostic at the same line and column.

use crate::support::cli::{Zinit, stderr, stdout};
use std::process::Output;

/// The exit code; a panic (101) or a signal fails the test with the output.
fn code(out: &Output) -> i32 {
    let code = out.status.code();
    assert!(
        matches!(code, Some(0..=2)),
        "exit {code:?}\n{}",
        stderr(out)
    );
    code.unwrap_or_default()
}

fn check(script: &str, args: &[&str]) -> Output {
    Zinit::new()
        .args(["check"])
        .args(args)
        .args(["-"])
        .stdin(script)
        .output()
}

#[test]
fn forty_thousand_braces_render_two_hundred_and_count_the_rest() {
    let script = "}".repeat(40_000);
    let out = check(&script, &[]);
    assert_eq!(code(&out), 1);
    let text = stdout(&out);
    assert_eq!(text.matches("error[E031]").count(), 200);
    assert!(
        text.contains("… and 39800 more in <stdin> (`zinit check --format short` lists every one)"),
        "{}",
        &text[text.len() - 300..]
    );
    assert!(text.ends_with("40000 errors in 1 file\n"));
    // About 550 bytes a report: linear in what is shown, not in the line.
    assert!(text.len() < 200 * 1024, "{} bytes", text.len());
    let short = check(&script, &["--format", "short"]);
    assert_eq!(stdout(&short).lines().count(), 40_000);
}

#[test]
fn a_label_past_column_65535_renders_in_check_plan_and_run() {
    // 16 KiB of tabs are 65,536 columns in miette's rendering.
    let tabs = "\t".repeat(16 * 1024);
    let error = format!("{tabs}wait tcp db timeout 5s\n");
    let out = check(&error, &[]);
    assert_eq!(code(&out), 1);
    let text = stdout(&out);
    assert!(text.contains("error[E104]"), "{text}");
    assert!(text.contains("[<stdin>:1:16394]"), "{text}");
    assert!(
        text.lines().all(|l| l.len() < 2048),
        "a line was not cropped"
    );
    // A warning only: plan and run go on.
    let warning =
        format!("{tabs}wait http http://127.0.0.1:9/ insecure timeout 1ms on-fail continue\n");
    for args in [&["plan", "-e"][..], &["run", "--format", "plain", "-e"][..]] {
        let out = Zinit::new().args(args).args([&warning]).output();
        assert_eq!(code(&out), 0, "{args:?}");
        assert!(stderr(&out).contains("warning[W104]"), "{}", stderr(&out));
    }
}

#[test]
fn a_megabyte_line_with_four_thousand_errors_stays_small() {
    let script = format!(
        "{}\n",
        "sleep 5;"
            .repeat(4000)
            .replace(';', &format!(";{}", " ".repeat(242)))
    );
    assert!(script.len() > 1_000_000);
    let out = check(&script, &[]);
    assert_eq!(code(&out), 1);
    let text = stdout(&out);
    assert_eq!(
        text.matches("error[E020]").count(),
        200,
        "{}",
        &text[..2000]
    );
    assert!(text.contains("… and 3800 more"));
    assert!(text.len() < 256 * 1024, "{} bytes", text.len());
}

#[test]
fn scripts_are_read_with_a_size_limit() {
    let out = Zinit::new().args(["check", "/dev/zero"]).output();
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("/dev/zero: larger than 64 MiB, the most zinit reads"),
        "{}",
        stderr(&out)
    );
    // A regular file is refused by its size, before it is read.
    let dir = tempfile::tempdir().unwrap();
    let sparse = dir.path().join("huge.zinit");
    let file = std::fs::File::create(&sparse).unwrap();
    file.set_len(64 * 1024 * 1024 + 1).unwrap();
    let out = Zinit::new().args(["check"]).args([&sparse]).output();
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("huge.zinit: larger than 64 MiB"),
        "{}",
        stderr(&out)
    );
    let huge = vec![b' '; 64 * 1024 * 1024 + 1];
    let out = Zinit::new().args(["plan", "-"]).stdin(huge).output();
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("<stdin>: larger than 64 MiB"));
}

/// `ü` is two bytes and one character: every format says column 28.
#[test]
fn every_format_counts_columns_in_characters() {
    let script = "run 'ümlaut' as a; sleep 1s as a\n";
    let column = "sleep 1s as ".len() + "run 'ümlaut' as a; ".chars().count() + 1;
    assert_eq!(column, 32);
    let at = |format: &str| stdout(&check(script, &["--format", format]));
    assert!(
        at("human").contains(&format!("[<stdin>:1:{column}]")),
        "{}",
        at("human")
    );
    assert!(at("short").starts_with(&format!("<stdin>:1:{column}: error[E100]")));
    let json: serde_json::Value = serde_json::from_str(&at("json")).expect("JSON");
    assert_eq!(json[0]["start"]["column"], column);
    let sarif: serde_json::Value = serde_json::from_str(&at("sarif")).expect("SARIF");
    let region = &sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"];
    assert_eq!(region["startColumn"], column);
    assert!(
        at("github").contains(&format!(",line=1,col={column},")),
        "{}",
        at("github")
    );
}

/// E130's help lists the services started earlier: with thousands of them
/// and as many references to none of them, each help names a few and
/// counts the rest (it listed all, so the output grew with the square).
#[test]
fn unknown_services_among_thousands_get_short_help() {
    let services = 3000;
    let mut script = String::new();
    for i in 0..services {
        script.push_str(&format!("start \"./worker\" as svc-{i}\n"));
    }
    for i in 0..services {
        script.push_str(&format!("wait log other-thing-{i} contains \"ready\"\n"));
    }
    let out = check(&script, &["--format", "json"]);
    assert_eq!(code(&out), 1);
    let text = stdout(&out);
    let found: Vec<serde_json::Value> = serde_json::from_str(&text).expect("JSON");
    assert_eq!(found.len(), services);
    let help = found[services - 1]["help"].as_str().unwrap_or_default();
    assert_eq!(
        help,
        "the services started before this step: `svc-0`, `svc-1`, `svc-2`, `svc-3`, \
         `svc-4`, `svc-5`, `svc-6`, `svc-7` and 2992 more"
    );
    assert!(text.len() < services * 2048, "{} bytes", text.len());
}
