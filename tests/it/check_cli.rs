//! `zinit check` end to end: exit codes, formats, inputs, and `prepare()`.

use crate::support::cli::{Zinit, stderr, stdout};
use zinit::check::CheckOptions;
use zinit::cli::script::prepare;

fn scripts(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write script");
    }
    dir
}

#[test]
fn clean_scripts_exit_0() {
    let dir = scripts(&[("a.zinit", b"wait tcp db:5432\n")]);
    let out = Zinit::new()
        .dir(dir.path())
        .args(["check", "a.zinit"])
        .output();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "no problems in 1 file\n");
}

#[test]
fn warnings_pass_unless_denied() {
    let dir = scripts(&[("w.zinit", b"wait tcp db:5432 retry 2\n")]);
    let out = Zinit::new()
        .dir(dir.path())
        .args(["check", "--format", "short", "w.zinit"])
        .output();
    assert_eq!(out.status.code(), Some(0));
    assert!(
        stdout(&out).contains("w.zinit:1:18: warning[W102]"),
        "{}",
        stdout(&out)
    );
    let out = Zinit::new()
        .dir(dir.path())
        .args(["check", "--deny", "warnings", "w.zinit"])
        .output();
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn every_file_in_a_folder_and_every_diagnostic() {
    let dir = scripts(&[
        ("scripts/a.zinit", b"wait tcp db\nwait tcp db:0\n"),
        ("scripts/nested/b.zinit", b"run 'x' every 1s\n"),
        ("scripts/notes.txt", b"wait tcp nothing\n"),
    ]);
    let out = Zinit::new()
        .dir(dir.path())
        .args(["check", "--format", "short", "scripts"])
        .output();
    assert_eq!(out.status.code(), Some(1));
    let lines: Vec<String> = stdout(&out).lines().map(str::to_string).collect();
    assert_eq!(
        lines,
        [
            "scripts/a.zinit:1:10: error[E104]: the `wait tcp` target `db` has no port",
            "scripts/a.zinit:2:13: error[E105]: the `wait tcp` target `db:0` has a port outside 1–65535",
            "scripts/nested/b.zinit:1:9: error[E102]: `every` does not belong to `run`",
        ]
    );
}

#[test]
fn a_missing_file_is_an_io_error() {
    let dir = scripts(&[("a.zinit", b"sleep 1s\n")]);
    let out = Zinit::new()
        .dir(dir.path())
        .args(["check", "a.zinit", "missing.zinit"])
        .output();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).starts_with("zinit: missing.zinit: No such file"),
        "{}",
        stderr(&out)
    );
    assert!(stdout(&out).is_empty());
}

#[test]
fn invalid_utf8_is_reported_with_the_other_diagnostics() {
    let dir = scripts(&[("bad.zinit", b"wait file /tmp/\xff\nwait tcp db\n")]);
    let out = Zinit::new()
        .dir(dir.path())
        .args(["check", "--format", "short", "bad.zinit"])
        .output();
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(text.contains("bad.zinit:1:16: error[E000]"), "{text}");
    assert!(text.contains("bad.zinit:2:10: error[E104]"), "{text}");
}

#[test]
fn standard_input_and_inline_text() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = Zinit::new()
        .dir(dir.path())
        .args(["check", "--format", "short", "-"])
        .stdin(b"wait tcp db\n")
        .output();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).starts_with("<stdin>:1:10: error[E104]"),
        "{}",
        stdout(&out)
    );
    let out = Zinit::new()
        .dir(dir.path())
        .args(["check", "-e", "sleep 1s; sleep 2s"])
        .output();
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn variables_are_checked_only_against_a_given_environment() {
    let dir = scripts(&[
        ("v.zinit", b"wait tcp ${HOST}:${PORT}\n"),
        ("vars.env", b"# dotenv\nexport HOST=db\n"),
    ]);
    let out = Zinit::new()
        .dir(dir.path())
        .args(["check", "v.zinit"])
        .output();
    assert_eq!(out.status.code(), Some(0));
    let args = [
        "check",
        "--format",
        "short",
        "--env-file",
        "vars.env",
        "v.zinit",
    ];
    let out = Zinit::new().dir(dir.path()).args(args).output();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stdout(&out),
        "v.zinit:1:18: error[E150]: environment variable `PORT` is not set\n"
    );
    let args = [
        "check",
        "--env-file",
        "vars.env",
        "--env",
        "PORT=5432",
        "v.zinit",
    ];
    assert_eq!(
        Zinit::new()
            .dir(dir.path())
            .args(args)
            .output()
            .status
            .code(),
        Some(0)
    );
}

#[test]
fn machine_formats() {
    let dir = scripts(&[("m.zinit", b"wait http http://api/ insecure\nwait tcp db\n")]);
    let json = Zinit::new()
        .dir(dir.path())
        .args(["check", "--format", "json", "m.zinit"])
        .output();
    let items: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON");
    assert_eq!(items[0]["code"], "W104");
    assert_eq!(items[1]["start"]["line"], 2);
    let sarif = Zinit::new()
        .dir(dir.path())
        .args(["check", "--format", "sarif", "m.zinit"])
        .output();
    let log: serde_json::Value = serde_json::from_slice(&sarif.stdout).expect("SARIF");
    assert_eq!(log["version"], "2.1.0");
    assert_eq!(log["runs"][0]["results"][1]["ruleId"], "E104");
    let github = Zinit::new()
        .dir(dir.path())
        .args(["check", "--format", "github", "m.zinit"])
        .output();
    assert!(stdout(&github).starts_with("::warning file=m.zinit,line=1,col=23,"));
    assert_eq!(github.status.code(), Some(1));
}

#[test]
fn no_colour_when_not_a_terminal() {
    let dir = scripts(&[("c.zinit", b"wait tcp db\n")]);
    let out = Zinit::new()
        .dir(dir.path())
        .args(["check", "c.zinit"])
        .output();
    let text = stdout(&out);
    assert!(
        text.contains("error[E104]") && !text.contains('\u{1b}'),
        "{text}"
    );
}

#[test]
fn max_duration() {
    let dir = scripts(&[("d.zinit", b"run './migrate' timeout 5m\n")]);
    let args = [
        "check",
        "--format",
        "short",
        "--max-duration",
        "1m",
        "d.zinit",
    ];
    let out = Zinit::new().dir(dir.path()).args(args).output();
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains("warning[W105]: worst case 5m5s exceeds --max-duration 1m"));
    let args = ["check", "--max-duration", "10m", "d.zinit"];
    assert_eq!(
        stdout(&Zinit::new().dir(dir.path()).args(args).output()),
        "no problems in 1 file\n"
    );
    let out = Zinit::new()
        .dir(dir.path())
        .args(["check", "--max-duration", "5", "d.zinit"])
        .output();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("--max-duration `5`"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn prepare_stops_on_errors_and_passes_warnings_on() {
    let options = CheckOptions::default();
    assert!(prepare(None, Some("wait tcp db"), &options).is_err());
    assert!(prepare(Some("/nonexistent/x.zinit"), None, &options).is_err());
    let prepared = prepare(None, Some("wait tcp db:1 retry 2"), &options).expect("valid");
    assert_eq!(prepared.file.name, "<inline>");
    assert_eq!(prepared.script.statements.len(), 1);
    let codes: Vec<&str> = prepared.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, ["W102"]);
}
