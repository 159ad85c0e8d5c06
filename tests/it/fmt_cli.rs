//! `zinit fmt` through the real binary.

use crate::support::cli::zinit;
use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn the_examples_and_valid_fixtures_are_formatted() {
    let output = zinit()
        .current_dir(root())
        .args(["fmt", "--check", "examples/", "tests/fixtures/ok/"])
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "run `zinit fmt examples/ tests/fixtures/ok/`:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn files_are_rewritten_and_check_shows_a_diff() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a.zinit");
    std::fs::write(
        &file,
        "sleep   1s # nap\nwait tcp db:1 on-fail warn as db\n",
    )
    .unwrap();
    let check = zinit()
        .arg("fmt")
        .arg("--check")
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(check.status.code(), Some(1));
    let diff = String::from_utf8(check.stdout).unwrap();
    let name = file.display();
    assert!(
        diff.starts_with(&format!("--- {name}\n+++ {name}\n@@ -1,2 +1,2 @@\n")),
        "{diff}"
    );
    assert!(
        diff.contains("\n-sleep   1s # nap\n-wait tcp db:1 on-fail warn as db\n"),
        "{diff}"
    );
    assert!(
        diff.ends_with("\n+sleep 1s # nap\n+wait tcp db:1 as db on-fail warn\n"),
        "{diff}"
    );
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        "sleep   1s # nap\nwait tcp db:1 on-fail warn as db\n",
        "--check writes nothing"
    );

    let write = zinit().arg("fmt").arg(&file).output().unwrap();
    assert_eq!(write.status.code(), Some(0));
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        "sleep 1s # nap\nwait tcp db:1 as db on-fail warn\n"
    );
    let again = zinit()
        .arg("fmt")
        .arg("--check")
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(0));
    assert!(again.stdout.is_empty());
}

#[test]
fn a_file_with_syntax_errors_is_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.zinit");
    let text = "sleep   1s\nwait tcp db:5432 timeout 30\n";
    std::fs::write(&file, text).unwrap();
    let output = zinit()
        .env("NO_COLOR", "1")
        .arg("fmt")
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("30s"),
        "the diagnostic with its help: {stderr}"
    );
    assert!(stderr.contains("not formatted"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), text);
}

#[test]
fn stdin_and_inline_text_print_the_result() {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = zinit()
        .args(["fmt", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"parallel { sleep 1s }\n")
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(output.stdout, b"parallel {\n    sleep 1s\n}\n");

    let inline = zinit()
        .args([
            "fmt",
            "-e",
            "wait tcp db:5432 on-fail warn timeout 30s;retry backoff 3",
        ])
        .output()
        .unwrap();
    assert_eq!(inline.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(inline.stdout).unwrap(),
        "wait tcp db:5432 timeout 30s on-fail warn; retry backoff 3\n"
    );
}
