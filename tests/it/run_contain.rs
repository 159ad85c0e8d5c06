//! Containment through the real binary: whatever shape of process a `run`
//! or `start` leaves behind (a pipeline, `&`, a subshell, `setsid`, a
//! double-forking daemon), none is left 1 s after zinit ends — after
//! success, a timeout, SIGINT, SIGTERM, SIGHUP or `kill -9` of zinit — with
//! a cgroup v2 (where this machine has one) and with the process-tree
//! fallback. Every process is checked by pid.

use crate::support;

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::Duration;
use support::cli::*;
use support::*;

/// A double-forking daemon, as `daemon(3)` does it: fork, setsid, fork,
/// the middle process exits; the grandchild writes its pid and sleeps.
const DAEMON_PY: &str = "import os, sys, time
if os.fork(): sys.exit(0)
os.setsid()
if os.fork(): os._exit(0)
with open(sys.argv[1], 'a') as f: f.write(f'{os.getpid()}\\n')
time.sleep(100)
";

#[derive(Debug, Clone, Copy, PartialEq)]
enum Shape {
    Pipeline,
    Background,
    Subshell,
    Setsid,
    Daemon,
}

const SHAPES: [Shape; 5] = [
    Shape::Pipeline,
    Shape::Background,
    Shape::Subshell,
    Shape::Setsid,
    Shape::Daemon,
];

#[derive(Debug, Clone, Copy, PartialEq)]
enum Ending {
    Success,
    Timeout,
    Signal(Signal),
    Kill9,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Run,
    Start,
}

/// One zinit run leaving one shape behind, and the pids it recorded.
struct Case {
    label: String,
    dir: tempfile::TempDir,
    child: Child,
    expected: usize,
}

impl Case {
    fn pids(&self) -> PathBuf {
        self.dir.path().join("pids")
    }
}

/// The Python interpreter itself (not a version manager's shim, whose
/// start-up is slow on a loaded machine).
fn python() -> &'static str {
    static PYTHON: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    PYTHON.get_or_init(|| {
        let out = std::process::Command::new("python3")
            .args(["-S", "-c", "import sys; print(sys.executable)"])
            .output()
            .expect("python3 is needed for the double-forking daemon");
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    })
}

/// A shell command that records its pid, then sleeps.
fn sleeper(pids: &Path) -> String {
    format!(
        "sh -c \"echo \\$\\$ >> {}; exec sleep 100\"",
        pids.display()
    )
}

/// The shell text that leaves `shape` running, and how many pids it records.
fn leave(shape: Shape, pids: &Path, daemon: &Path) -> (String, usize) {
    let s = sleeper(pids);
    match shape {
        Shape::Pipeline => (format!("{s} | {s} &"), 2),
        Shape::Background => (format!("{s} &"), 1),
        Shape::Subshell => (format!("({s} &)"), 1),
        Shape::Setsid => (format!("setsid {s} &"), 1),
        Shape::Daemon => (
            format!("{} -S {} {}", python(), daemon.display(), pids.display()),
            1,
        ),
    }
}

fn script(kind: Kind, shape: Shape, ending: Ending, dir: &Path) -> (String, usize) {
    let pids = dir.join("pids");
    let daemon = dir.join("daemon.py");
    std::fs::write(&daemon, DAEMON_PY).unwrap();
    std::fs::write(&pids, "").unwrap();
    let (left, n) = leave(shape, &pids, &daemon);
    let left = if left.ends_with('&') {
        left
    } else {
        format!("{left};")
    };
    // The command waits until all it left has recorded its pid, so a step
    // that ends at once cannot stop them before they are counted.
    let all_in = |n: usize| {
        format!(
            "while [ $(wc -l < {p}) -lt {n} ]; do sleep 0.01; done",
            p = pids.display()
        )
    };
    let me = format!("echo $$ >> {}", pids.display());
    let go = dir.join("go");
    let after = match ending {
        Ending::Success => format!("wait file {} timeout 60s", go.display()),
        _ => "sleep 60s".to_string(),
    };
    match kind {
        Kind::Run => {
            let (tail, total) = match ending {
                Ending::Success => ("exit 0".to_string(), n),
                _ => (format!("{me}; exec sleep 100"), n + 1),
            };
            let timeout = if ending == Ending::Timeout {
                "10s"
            } else {
                "30s"
            };
            (
                format!(
                    "run '{left} {wait}; {tail}' timeout {timeout}\n{after}",
                    wait = all_in(n),
                ),
                total,
            )
        }
        Kind::Start => {
            let service = format!("start '{left} {me}; exec sleep 100'");
            let next = match ending {
                Ending::Timeout => format!("run '{}; sleep 100' timeout 10s", all_in(n + 1)),
                _ => after,
            };
            (format!("{service}\n{next}"), n + 1)
        }
    }
}

fn launch(kind: Kind, shape: Shape, ending: Ending, mechanism: &str) -> Case {
    let dir = tempfile::tempdir().unwrap();
    let (text, expected) = script(kind, shape, ending, dir.path());
    let log = std::fs::File::create(dir.path().join("log")).unwrap();
    let child = zinit()
        .env("ZINIT_CONTAINMENT", mechanism)
        .args(["run", "--format", "plain", "-e", &text])
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .unwrap();
    Case {
        label: format!(
            "{kind:?} {shape:?} {ending:?} ({})",
            mechanism_name(mechanism)
        ),
        dir,
        child,
        expected,
    }
}

fn mechanism_name(m: &str) -> &str {
    if m.is_empty() { "auto" } else { m }
}

/// Kills what a failed case left, so a failing test leaves nothing either.
struct Cleanup(Vec<i32>);

impl Drop for Cleanup {
    fn drop(&mut self) {
        for &pid in &self.0 {
            let _ = kill(Pid::from_raw(pid), Signal::SIGKILL);
        }
    }
}

/// Every shape, in `run` and `start`, with both mechanisms, all at once:
/// each records its pids, `ending` is applied, zinit's exit code is checked
/// and no recorded process may be alive 1 s after zinit ended.
fn nothing_survives(ending: Ending, code: Option<i32>) {
    let mut cases = Vec::new();
    for mechanism in ["", "process-tree"] {
        for kind in [Kind::Run, Kind::Start] {
            for shape in SHAPES {
                cases.push(launch(kind, shape, ending, mechanism));
            }
        }
    }
    let mut cleanup = Cleanup(Vec::new());
    let mut problems = Vec::new();
    for case in &mut cases {
        let pids = wait_for_pids(&case.pids(), case.expected, Duration::from_secs(20));
        cleanup.0.extend(&pids);
        if pids.len() < case.expected {
            problems.push(format!("{}: only {pids:?} started", case.label));
            continue;
        }
        let zinit = Pid::from_raw(case.child.id() as i32);
        match ending {
            Ending::Success => std::fs::write(case.dir.path().join("go"), "").unwrap(),
            Ending::Timeout => {}
            Ending::Signal(sig) => kill(zinit, sig).unwrap(),
            Ending::Kill9 => kill(zinit, Signal::SIGKILL).unwrap(),
        }
    }
    for case in &mut cases {
        let exit = wait_exit(&mut case.child, Duration::from_secs(10));
        if exit != code {
            let log = std::fs::read_to_string(case.dir.path().join("log")).unwrap_or_default();
            problems.push(format!(
                "{}: exit {exit:?}, expected {code:?}; zinit said:\n{log}",
                case.label
            ));
        }
        for pid in pids_in(&case.pids()) {
            if !gone_within(pid, Duration::from_secs(1)) {
                problems.push(format!("{}: pid {pid} survived", case.label));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn nothing_survives_a_successful_run() {
    nothing_survives(Ending::Success, Some(0));
}

#[test]
fn nothing_survives_a_timeout() {
    nothing_survives(Ending::Timeout, Some(1));
}

#[test]
fn nothing_survives_sigint() {
    nothing_survives(Ending::Signal(Signal::SIGINT), Some(130));
}

#[test]
fn nothing_survives_sigterm() {
    nothing_survives(Ending::Signal(Signal::SIGTERM), Some(143));
}

#[test]
fn nothing_survives_sighup() {
    nothing_survives(Ending::Signal(Signal::SIGHUP), Some(129));
}

#[test]
fn nothing_survives_kill_9_of_zinit() {
    nothing_survives(Ending::Kill9, None);
}

/// Where zinit can create a cgroup, not even a process that leaves the
/// process group *and* clears its environment (no mark left to find)
/// escapes: it was born in the run's cgroup and cannot leave it.
#[test]
fn the_cgroup_holds_what_leaves_the_group_and_clears_its_environment() {
    if !zinit::run::process::contain::cgroup::available() {
        eprintln!("no writable cgroup v2 here: the process-tree fallback applies");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let pids = dir.path().join("pids");
    let script = format!(
        "run 'setsid env -i sh -c \"echo \\$\\$ >> {p}; exec sleep 100\" & sleep 100' timeout 30s",
        p = pids.display()
    );
    let mut child = zinit()
        .args(["run", "--format", "plain", "-e", &script])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = wait_for_pids(&pids, 1, Duration::from_secs(10));
    let _cleanup = Cleanup(started.clone());
    assert_eq!(started.len(), 1, "the escaping process did not start");
    let environ = std::fs::read(format!("/proc/{}/environ", started[0])).unwrap();
    assert!(
        !String::from_utf8_lossy(&environ).contains("ZINIT_SCOPE"),
        "the process kept zinit's mark"
    );
    kill(Pid::from_raw(child.id() as i32), Signal::SIGKILL).unwrap();
    child.wait().unwrap();
    assert!(
        gone_within(started[0], Duration::from_secs(1)),
        "pid {} survived kill -9 of zinit",
        started[0]
    );
}

/// A `start` whose process daemonises and exits 0 fails the init with a
/// message that says so, and its daemon is stopped.
#[test]
fn a_daemonising_service_is_named_and_its_daemon_stopped() {
    let dir = tempfile::tempdir().unwrap();
    let pids = dir.path().join("pids");
    let script = format!(
        "start 'setsid sh -c \"echo \\$\\$ >> {p}; exec sleep 100\" & while [ ! -s {p} ]; do sleep 0.01; done'\nsleep 30s",
        p = pids.display()
    );
    let out = zinit()
        .args(["run", "--format", "plain", "-e", &script])
        .output()
        .unwrap();
    let daemon = pids_in(&pids);
    let _cleanup = Cleanup(daemon.clone());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("daemonised") && stderr.contains("run it in the foreground"),
        "{stderr}"
    );
    assert_eq!(daemon.len(), 1);
    assert!(
        gone_within(daemon[0], Duration::from_secs(1)),
        "the daemon survived"
    );
}
