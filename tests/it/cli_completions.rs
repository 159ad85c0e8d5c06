//! `zinit completions bash|zsh|fish` and `zinit man`: each script is read by
//! its own shell (syntax with `-n`, then loaded and asked to complete where
//! the shell can be asked), and the man page is rendered by groff/man.

use crate::support::cli::{Zinit, stderr, stdout};
use crate::support::requirements;
use std::process::Command;

fn completions(shell: &str) -> std::path::PathBuf {
    let out = Zinit::new().args(["completions", shell]).output();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    // Every command and a flag of one are in the script.
    for word in [
        "check",
        "plan",
        "run",
        "fmt",
        "completions",
        "man",
        "env-file",
    ] {
        assert!(text.contains(word), "{shell} script lacks `{word}`");
    }
    let dir = tempfile::tempdir().unwrap().keep();
    let path = dir.join(format!("zinit.{shell}"));
    std::fs::write(&path, text).unwrap();
    path
}

fn shell(name: &str) -> Command {
    Command::new(requirements::program(name, name, &[]))
}

fn assert_ok(what: &str, out: &std::process::Output) {
    assert!(
        out.status.success(),
        "{what}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn bash_reads_the_script_and_registers_the_completion() {
    let script = completions("bash");
    let out = shell("bash").arg("-n").arg(&script).output().unwrap();
    assert_ok("bash -n", &out);
    let out = shell("bash")
        .arg("-c")
        .arg(r#"source "$1" && complete -p zinit"#)
        .arg("bash")
        .arg(&script)
        .output()
        .unwrap();
    assert_ok("bash source", &out);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("zinit"),
        "no completion registered"
    );
}

#[test]
fn zsh_reads_the_script() {
    let script = completions("zsh");
    let out = shell("zsh").arg("-n").arg(&script).output().unwrap();
    assert_ok("zsh -n", &out);
    assert!(
        std::fs::read_to_string(&script)
            .unwrap()
            .starts_with("#compdef zinit")
    );
}

#[test]
fn fish_reads_the_script_and_completes_commands_and_flag_values() {
    let script = completions("fish");
    let out = shell("fish").arg("-n").arg(&script).output().unwrap();
    assert_ok("fish -n", &out);
    let complete = |line: &str| {
        let out = shell("fish")
            .arg("--no-config")
            .arg("-c")
            .arg(format!("source {}; complete -C '{line}'", script.display()))
            .output()
            .unwrap();
        assert_ok("fish complete", &out);
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let commands = complete("zinit ");
    for command in ["check", "plan", "run", "completions", "man"] {
        assert!(
            commands.lines().any(|l| l.starts_with(command)),
            "`{command}` not offered: {commands}"
        );
    }
    let formats = complete("zinit run --format ");
    for name in ["auto", "json"] {
        assert!(formats.lines().any(|l| l.starts_with(name)), "{formats}");
    }
}

#[test]
fn an_unknown_shell_is_a_usage_error() {
    let out = Zinit::new().args(["completions", "tcsh"]).output();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("possible values"), "{}", stderr(&out));
}

/// groff renders the page without a warning (`-ww` turns them all on).
fn render(args: &[&str]) -> String {
    let out = Zinit::new().args(args).output();
    assert!(out.status.success(), "{}", stderr(&out));
    let page = out.stdout;
    assert!(
        String::from_utf8_lossy(&page).starts_with(".ie"),
        "not roff"
    );
    let mut groff = shell("groff")
        .args(["-man", "-Tutf8", "-ww", "-P", "-cbou"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    groff.stdin.take().unwrap().write_all(&page).unwrap();
    let out = groff.wait_with_output().unwrap();
    assert_ok("groff", &out);
    assert_eq!(String::from_utf8_lossy(&out.stderr), "", "groff warned");
    // groff justifies lines with extra spaces: one space between words.
    let text = String::from_utf8_lossy(&out.stdout);
    text.lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_man_page_lists_every_command() {
    let page = render(&["man"]);
    for section in ["NAME", "SYNOPSIS", "SUBCOMMANDS", "VERSION"] {
        assert!(page.contains(section), "no {section}:\n{page}");
    }
    for command in [
        "zinit-check(1)",
        "zinit-run(1)",
        "zinit-completions(1)",
        "zinit-man(1)",
    ] {
        assert!(page.contains(command), "no {command}:\n{page}");
    }
}

#[test]
fn a_command_page_lists_its_flags() {
    let page = render(&["man", "run"]);
    assert!(page.contains("zinit-run - Execute a script"), "{page}");
    for flag in ["--eval", "--format", "--env-file", "--events"] {
        assert!(page.contains(flag), "no {flag}:\n{page}");
    }
    let out = Zinit::new().args(["man", "deploy"]).output();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("`deploy` is not a zinit command"));
}
