//! `zinit run` usage: a forgotten `--` is an error that shows the meant
//! command line, never a silently ignored word; `--env`/`--env-file` set
//! variables for interpolation and for the commands.

use crate::support::cli::{Zinit, stderr, stdout};

fn run(args: &[&str]) -> std::process::Output {
    Zinit::new()
        .args(["run", "--format", "plain"])
        .args(args)
        .output()
}

#[test]
fn a_forgotten_double_dash_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let marker = dir.path().join("ran");
    let touch = format!("touch {}", marker.display());
    // Without the fix this ran the wait, exited 0 and never started `touch`.
    let out = run(&["-e", "sleep 1ms", "sh", "-c", &touch]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(&format!("zinit run -e 'sleep 1ms' -- sh -c '{touch}'")),
        "{}",
        stderr(&out)
    );
    assert!(!marker.exists(), "nothing runs on a usage error");

    let script = dir.path().join("app.zinit");
    std::fs::write(&script, format!("run '{touch}'\n")).unwrap();
    let script = script.to_str().unwrap();
    let out = run(&[script, "./server", "--port", "8080"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains(&format!("zinit run {script} -- ./server --port 8080")),
        "{}",
        stderr(&out)
    );
    // `-e` and a FILE: the FILE is not silently dropped.
    let out = run(&["-e", "sleep 1ms", script]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("to run the file, drop -e"),
        "{}",
        stderr(&out)
    );
    assert!(!marker.exists());
    let out = Zinit::new()
        .args(["plan", "-e", "sleep 1ms", script])
        .output();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("not both"), "{}", stderr(&out));
    // The right form still works.
    let ok = run(&[script, "--", "true"]);
    assert_eq!(ok.status.code(), Some(0), "{}", stderr(&ok));
    assert!(marker.exists());
}

#[test]
fn env_and_env_file_reach_interpolation_and_commands() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("app.env");
    std::fs::write(
        &file,
        "# deploy\nZINIT_T_A=from-file\nexport ZINIT_T_B='file b'\n",
    )
    .unwrap();
    let file = file.to_str().unwrap();
    let out = run(&[
        "--env-file",
        file,
        "--env",
        "ZINIT_T_A=from-flag",
        "-e",
        "run \"echo ${ZINIT_T_A}; echo $$ZINIT_T_B; sh -c 'echo $$ZINIT_T_A'\"",
        "--",
        "sh",
        "-c",
        "echo after $ZINIT_T_B",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = format!("{}{}", stdout(&out), stderr(&out));
    // The flag wins over the file; the command and the hand-over see both.
    assert!(text.contains("| from-flag\n"), "{text}");
    assert!(text.contains("| file b\n"), "{text}");
    assert!(!text.contains("from-file"), "{text}");
    assert!(stdout(&out).contains("after file b"), "{}", stdout(&out));
    // The overrides beat the process environment.
    let out = Zinit::new()
        .env("ZINIT_T_A", "from-process")
        .args([
            "run",
            "--format",
            "plain",
            "--env",
            "ZINIT_T_A=flag",
            "-e",
            "run 'test \"$ZINIT_T_A\" = flag'",
        ])
        .output();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let bad = run(&["--env", "1X=y", "-e", "sleep 1ms"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        stderr(&bad).contains("`1X` is not a variable name"),
        "{}",
        stderr(&bad)
    );
    let missing = run(&["--env-file", "/nonexistent.env", "-e", "sleep 1ms"]);
    assert_eq!(missing.status.code(), Some(2));
}
