//! Output off the critical path, through the real binary: a reader that
//! stops reading delays neither a timeout nor a signal; lines that could not
//! be written are counted; `--quiet`, `--events`, escapes and secrets.

use crate::support;

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;
use std::io::Read;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};
use support::cli::*;
use support::*;

/// A service that prints 2 MB at once (far more than a pipe holds), then
/// idles: the reader's stall is what is measured, not the CPU of a flood.
const FLOOD: &str = "start 'yes \"flood flood flood flood flood flood flood\" | head -n 40000; exec sleep 30' as flood";

/// The reader stalls this long before it reads anything.
const STALL: Duration = Duration::from_secs(5);

/// Slack over a 1 s timeout on a loaded 2-core machine. Before the fix the
/// timeout fired after the reader woke up (9 s for an 8 s stall).
const SLACK: Duration = Duration::from_millis(1500);

/// Spawns `zinit run` with its standard error (the plain output) a pipe
/// nobody reads, and the events in a file.
fn spawn_unread(script: &str, events: &std::path::Path) -> Child {
    zinit()
        .args(["run", "--format", "plain", "--events"])
        .arg(events)
        .args(["-e", script])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Reads everything the child wrote to standard error, once it wakes up.
fn read_stderr(child: &mut Child) -> String {
    let mut text = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

fn step_elapsed_ms(events: &[serde_json::Value], id: &str) -> u64 {
    step_ended(events, id)
        .and_then(|e| e["elapsed_ms"].as_u64())
        .unwrap_or_else(|| panic!("no step_ended for {id} in {events:?}"))
}

#[test]
fn a_stalled_reader_does_not_delay_a_timeout() {
    let dir = tempfile::tempdir().unwrap();
    let events = dir.path().join("events.json");
    let script = format!(
        "{FLOOD}\nwait tcp 127.0.0.1:{} timeout 1s as never",
        free_port()
    );
    let started = Instant::now();
    let mut child = spawn_unread(&script, &events);
    let code = wait_exit(&mut child, STALL);
    let took = started.elapsed();
    assert_eq!(
        code,
        Some(1),
        "zinit did not end (failed init) before the reader woke up"
    );
    let events = json_events(&std::fs::read(&events).unwrap());
    let waited = step_elapsed_ms(&events, "never");
    eprintln!("1s timeout with a stalled reader: step {waited} ms, zinit exited after {took:?}");
    assert!(waited >= 1000, "the timeout fired early: {waited} ms");
    assert!(
        Duration::from_millis(waited) < Duration::from_secs(1) + SLACK,
        "the 1s timeout fired after {waited} ms"
    );
    assert!(
        took < Duration::from_secs(1) + SLACK * 2,
        "zinit took {took:?} to exit"
    );
}

#[test]
fn a_stalled_reader_does_not_delay_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let events = dir.path().join("events.json");
    let script = format!("{FLOOD}\nsleep 30s");
    let mut child = spawn_unread(&script, &events);
    // Let the flood fill the pipe and the queue.
    std::thread::sleep(Duration::from_millis(700));
    let sent = Instant::now();
    kill(Pid::from_raw(child.id() as i32), Signal::SIGTERM).unwrap();
    let code = wait_exit(&mut child, STALL);
    let took = sent.elapsed();
    eprintln!("SIGTERM with a stalled reader: exited after {took:?}");
    assert_eq!(
        code,
        Some(143),
        "SIGTERM was not obeyed before the reader woke up"
    );
    assert!(took < SLACK, "SIGTERM took {took:?}");
}

#[test]
fn lines_that_could_not_be_written_are_counted() {
    let dir = tempfile::tempdir().unwrap();
    let events = dir.path().join("events.json");
    let script = format!("{FLOOD}\nsleep 2s");
    let mut child = spawn_unread(&script, &events);
    // Stall for a while, then read: the writer catches up and says what it lost.
    std::thread::sleep(Duration::from_secs(1));
    let text = read_stderr(&mut child);
    assert_eq!(wait_exit(&mut child, STALL), Some(0));
    let dropped: Vec<&str> = text.lines().filter(|l| l.contains("dropped")).collect();
    assert!(!dropped.is_empty(), "no drop count in {} bytes", text.len());
    let counted: u64 = dropped
        .iter()
        .map(|l| {
            let words: Vec<&str> = l.split_whitespace().collect();
            let at = words.iter().position(|w| *w == "…").unwrap();
            words[at + 1].parse::<u64>().unwrap()
        })
        .sum();
    assert!(counted > 0);
    // What was written is whole lines, in order, ending with the summary.
    assert!(
        text.lines().last().unwrap().contains("done in"),
        "{}",
        &text[text.len() - 500..]
    );
}

#[test]
fn quiet_shows_only_warnings_and_failures() {
    let port = free_port();
    let out = zinit()
        .args(["run", "--quiet", "--format", "plain", "-e"])
        .arg(format!(
            "run 'echo chatter' as talk\nwait tcp 127.0.0.1:{port} timeout 100ms on-fail warn as soft\nwait tcp 127.0.0.1:{port} timeout 100ms as hard"
        ))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        !text.contains("chatter") && !text.contains("talk"),
        "{text}"
    );
    assert!(
        lines.iter().any(|l| l.contains("warning: soft: failed")),
        "{text}"
    );
    assert!(
        lines.iter().any(|l| l.contains("error: hard: failed")),
        "{text}"
    );
    assert!(
        lines
            .iter()
            .all(|l| l.contains("warning:") || l.contains("error:")),
        "{text}"
    );
}

#[test]
fn events_go_to_a_file_or_a_descriptor_whatever_the_format() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("events.json");
    let out = zinit()
        .args(["run", "--format", "plain", "--events"])
        .arg(&file)
        .args(["-e", "run 'echo hello' as hi"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).contains("hi | hello"));
    let events = json_events(&std::fs::read(&file).unwrap());
    assert_eq!(events.first().unwrap()["event"], "run_started");
    assert_eq!(events.last().unwrap()["event"], "run_ended");
    assert!(
        events
            .iter()
            .any(|e| e["event"] == "output" && e["line"] == "hello")
    );

    // `/dev/fd/N` is the descriptor itself: here the shell's standard output.
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!(
            "exec {} run --quiet --events /dev/fd/3 -e 'sleep 1ms' 3>&1 1>/dev/null",
            env!("CARGO_BIN_EXE_zinit")
        ))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let events = json_events(&out.stdout);
    assert_eq!(events.last().unwrap()["event"], "run_ended");

    let out = zinit()
        .args(["run", "--events", "/dev/fd/57", "-e", "sleep 1ms"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--events /dev/fd/57"));
}

#[test]
fn plain_output_shows_a_childs_escape_codes_instead_of_obeying_them() {
    let out = run_script(r#"run 'printf "a\033[2Jb\r\n"' as esc"#, &[]);
    let text = String::from_utf8_lossy(&out.stderr);
    assert!(!text.contains('\x1b'), "{text:?}");
    assert!(text.contains("esc | a^[[2Jb"), "{text:?}");
}

#[test]
fn url_passwords_and_env_values_never_show() {
    let port = free_port();
    let script = format!(
        "wait http http://app:Pa55w0rd@127.0.0.1:{port}/ timeout 100ms on-fail continue\n\
         run 'echo postgres://app:Pa55w0rd@db/x' env TOKEN=s3cr3t-value"
    );
    for format in ["plain", "json"] {
        let out = zinit()
            .args(["run", "--format", format, "-e", &script])
            .output()
            .unwrap();
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(out.status.code(), Some(0), "{all}");
        assert!(
            !all.contains("Pa55w0rd") && !all.contains("s3cr3t"),
            "{all}"
        );
        assert!(all.contains("app:***@127.0.0.1"), "{all}");
        assert!(all.contains("postgres://app:***@db/x"), "{all}");
    }
    for format in ["text", "json"] {
        let out = zinit()
            .args(["plan", "--format", format, "-e", &script])
            .output()
            .unwrap();
        let all = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(0), "{all}");
        assert!(
            !all.contains("Pa55w0rd") && !all.contains("s3cr3t"),
            "{all}"
        );
        assert!(all.contains("app:***@127.0.0.1"), "{all}");
        assert!(all.contains("TOKEN") && all.contains("***"), "{all}");
    }
}

#[test]
fn messages_name_zinit_once() {
    let out = zinit().arg("run").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let text = String::from_utf8_lossy(&out.stderr);
    assert!(text.starts_with("zinit: no script given"), "{text}");
}

#[test]
fn an_empty_argument_shows_in_the_log() {
    let out = run_script(r#"run ["printf", "%s|%s\n", "", "two words"] as args"#, &[]);
    let text = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{text}");
    // The newline inside the format stays on the event's line, shown as `^J`.
    assert!(
        text.contains("run printf '%s|%s^J' '' 'two words'"),
        "{text}"
    );
    assert!(text.contains("args | |two words"), "{text}");
}
