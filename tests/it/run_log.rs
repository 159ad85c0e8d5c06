//! `wait log SERVICE ...` and `wait tcp ... by SERVICE`, run by the real
//! binary against real child processes: lines printed before and after the
//! wait began, counts, a service that exits first, and a port held first by
//! a foreign listener (a Python process the test starts), then by the
//! service. Every service writes its pid, and the tests check it is gone.

use crate::support::cli::{json_events, run_script, stderr, wait_exit, zinit};
use crate::support::requirements::program;
use crate::support::{free_port, gone_within, wait_for_pids};
use serde_json::Value;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// `start 'SHELL' as ID` whose shell first writes its pid to `pids`
/// (`body` holds no single quote: the zinit string is raw).
fn service(id: &str, pids: &Path, body: &str) -> String {
    format!("start 'echo $$ >> \"{}\"; {body}' as {id}", pids.display())
}

/// A bounded shell loop: until `file` exists (at most 20s).
fn until_exists(file: &Path) -> String {
    format!(
        "i=0; while [ ! -e \"{}\" ] && [ $i -lt 2000 ]; do sleep 0.01; i=$((i+1)); done",
        file.display()
    )
}

/// The index of the first event matching `pick`.
fn position(events: &[Value], pick: impl Fn(&Value) -> bool) -> usize {
    events
        .iter()
        .position(pick)
        .unwrap_or_else(|| panic!("no such event in {events:#?}"))
}

fn output_of<'a>(step: &'a str, line: &'a str) -> impl Fn(&Value) -> bool + 'a {
    move |e| e["event"] == "output" && e["step"] == step && e["line"] == line
}

fn started(step: &str) -> impl Fn(&Value) -> bool + '_ {
    move |e| e["event"] == "step_started" && e["step"] == step
}

/// The service's pid (written by the service itself), and that it is gone.
fn assert_service_gone(pids: &Path) {
    let pids = wait_for_pids(pids, 1, Duration::from_secs(1));
    assert!(!pids.is_empty(), "the service wrote no pid");
    for pid in pids {
        assert!(
            gone_within(pid, Duration::from_secs(10)),
            "service pid {pid} outlived zinit"
        );
    }
}

#[test]
fn a_line_printed_before_the_wait_began_counts() {
    let dir = tempfile::tempdir().unwrap();
    let pids = dir.path().join("pids");
    // The line comes at once; the wait begins after a pause.
    let script = format!(
        "{}\nsleep 300ms\nwait log api contains ready timeout 5s\n",
        service("api", &pids, "echo ready to serve; sleep 30")
    );
    let out = zinit()
        .args(["run", "--format", "json", "-e", &script])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let events = json_events(&out.stdout);
    let printed = position(&events, output_of("api", "ready to serve"));
    let waited = position(&events, started("wait-log-api"));
    assert!(
        printed < waited,
        "the line came before the wait: {events:#?}"
    );
    assert_service_gone(&pids);
}

/// A `wait log` inside `any` is counted like any other: the line wins the
/// group well before its other member (a long sleep) would.
#[test]
fn a_wait_log_in_an_any_group_is_counted() {
    let dir = tempfile::tempdir().unwrap();
    let pids = dir.path().join("pids");
    let script = format!(
        "{}\nany timeout 20s {{\n    wait log api contains ready\n    sleep 15s\n}}\n",
        service("api", &pids, "sleep 0.2; echo ready to serve; sleep 30")
    );
    let started_at = Instant::now();
    let out = run_script(&script, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        started_at.elapsed() < Duration::from_secs(12),
        "the log line did not win the group: {:?}\n{}",
        started_at.elapsed(),
        stderr(&out)
    );
    assert_service_gone(&pids);
}

#[test]
fn a_line_printed_after_the_wait_began_ends_it() {
    let dir = tempfile::tempdir().unwrap();
    let (pids, go) = (dir.path().join("pids"), dir.path().join("go"));
    let events_file = dir.path().join("events");
    let body = format!("{}; echo listening on 8080; sleep 30", until_exists(&go));
    let script = format!(
        "{}\nwait log api matches '^listening on \\d+$' timeout 20s\n",
        service("api", &pids, &body)
    );
    let mut zinit = zinit()
        .args(["run", "--format", "plain", "--events"])
        .arg(&events_file)
        .arg("-e")
        .arg(&script)
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Let the wait begin, then let the service print.
    let end = Instant::now() + Duration::from_secs(20);
    while !std::fs::read_to_string(&events_file)
        .unwrap_or_default()
        .contains(r#""step":"wait-log-api""#)
        && Instant::now() < end
    {
        std::thread::sleep(Duration::from_millis(10));
    }
    std::fs::write(&go, "").unwrap();
    assert_eq!(wait_exit(&mut zinit, Duration::from_secs(30)), Some(0));
    let events = json_events(&std::fs::read(&events_file).unwrap());
    let waited = position(&events, started("wait-log-api"));
    let printed = position(&events, output_of("api", "listening on 8080"));
    assert!(waited < printed, "the line came after the wait began");
    let ended = position(&events, |e| {
        e["event"] == "step_ended" && e["step"] == "wait-log-api" && e["outcome"] == "ok"
    });
    assert!(printed < ended);
    assert_service_gone(&pids);
}

#[test]
fn times_counts_lines_from_the_service_start() {
    let dir = tempfile::tempdir().unwrap();
    let pids = dir.path().join("pids");
    // Three ticks, one before the waits and two while they run; stderr counts too.
    let service = service(
        "clock",
        &pids,
        "echo tick 1; sleep 0.2; echo tick 2 >&2; sleep 0.2; echo tick 3; sleep 30",
    );
    let enough = run_script(
        &format!("{service}\nwait log clock contains tick times 3 timeout 10s\n"),
        &[],
    );
    assert!(enough.status.success(), "{}", stderr(&enough));
    let too_many = run_script(
        &format!("{service}\nwait log clock contains tick times 4 timeout 1500ms\n"),
        &[],
    );
    assert_eq!(too_many.status.code(), Some(1), "{}", stderr(&too_many));
    let text = stderr(&too_many);
    assert!(
        text.contains(r#"timed out after 1.5s (last: 3 of 4 lines containing "tick")"#),
        "{text}"
    );
    assert!(text.contains("tick 3"), "the tail is shown: {text}");
    assert_service_gone(&pids);
}

#[test]
fn a_service_that_exits_first_fails_the_wait_at_once_with_its_tail() {
    let dir = tempfile::tempdir().unwrap();
    let pids = dir.path().join("pids");
    let script = format!(
        "{}\nwait log api contains ready timeout 60s\n",
        service(
            "api",
            &pids,
            "echo booting; echo fatal: no config >&2; sleep 0.2; exit 3"
        )
    );
    let begun = Instant::now();
    let out = run_script(&script, &[]);
    let took = begun.elapsed();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(took < Duration::from_secs(20), "not at once: {took:?}");
    let text = stderr(&out);
    assert!(
        text.contains(
            r#"service api exited with status 3 before its output showed what this wait looks for (0 of 1 line containing "ready")"#
        ),
        "{text}"
    );
    assert!(
        text.contains("| fatal: no config") && text.contains("| booting"),
        "{text}"
    );
    assert_service_gone(&pids);
}

/// A Python process listening on `port` of 127.0.0.1 until killed (or 60s).
fn foreign_listener(port: u16) -> Child {
    let python = program("python3", "python3-venv", &[]);
    let code = format!(
        "import socket, sys, time\n\
         s = socket.socket()\n\
         s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n\
         s.bind(('127.0.0.1', {port}))\n\
         s.listen()\n\
         print('up', flush=True)\n\
         time.sleep(60)\n"
    );
    let mut child = Command::new(python)
        .args(["-c", &code])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    use std::io::BufRead;
    std::io::BufReader::new(child.stdout.as_mut().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert_eq!(line.trim(), "up", "the foreign listener did not start");
    child
}

/// A service that binds `port` as soon as it is free (retrying, bounded),
/// then serves: a Python program in `dir`, exec'd by the service's shell.
fn owned_service(port: u16, dir: &Path, pids: &Path) -> String {
    let code = format!(
        "import socket, time\n\
         s = socket.socket()\n\
         s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n\
         for _ in range(400):\n\
         \x20   try:\n\
         \x20       s.bind(('127.0.0.1', {port})); break\n\
         \x20   except OSError:\n\
         \x20       time.sleep(0.05)\n\
         s.listen()\n\
         time.sleep(60)\n"
    );
    let file = dir.join("serve.py");
    std::fs::write(&file, code).unwrap();
    let python = program("python3", "python3-venv", &[]);
    let body = format!("exec \"{}\" \"{}\"", python.display(), file.display());
    service("web", pids, &body)
}

#[test]
fn by_is_not_ready_while_a_foreign_process_holds_the_port() {
    let dir = tempfile::tempdir().unwrap();
    let pids = dir.path().join("pids");
    let port = free_port();
    let mut foreign = foreign_listener(port);
    let service = owned_service(port, dir.path(), &pids);
    // The port accepts, but the listener is not the service's.
    let out = run_script(
        &format!("{service}\nwait tcp 127.0.0.1:{port} by web timeout 1s\n"),
        &[],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stderr(&out);
    let named = format!(
        "127.0.0.1:{port} is held by pid {} (python3), not by service web",
        foreign.id()
    );
    assert!(text.contains(&named), "{text}");
    assert_service_gone(&pids);
    std::fs::remove_file(&pids).unwrap();

    // Once the foreign listener goes, the service binds the port: ready.
    let mut waiting = zinit()
        .args(["run", "--format", "plain", "-e"])
        .arg(format!(
            "{service}\nwait tcp 127.0.0.1:{port} by web timeout 30s\n"
        ))
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(
        waiting.try_wait().unwrap(),
        None,
        "still waiting while the foreign listener holds the port"
    );
    foreign.kill().unwrap();
    foreign.wait().unwrap();
    assert_eq!(wait_exit(&mut waiting, Duration::from_secs(30)), Some(0));
    assert_service_gone(&pids);
}

#[test]
fn by_on_a_host_that_is_not_local_fails_at_once() {
    // 192.0.2.1 (TEST-NET-1) is on no interface here; nothing is sent to it.
    let out = run_script(
        "start \"sleep 30\" as web\nwait tcp 192.0.2.1:80 by web timeout 30s\n",
        &[],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(
            "`by web` can only check a listener on this machine, and 192.0.2.1 is 192.0.2.1, \
             not an address of this machine"
        ),
        "{}",
        stderr(&out)
    );
}
