//! Shared by the `run_*` tests: hand-made plans, an event recorder, real
//! servers on 127.0.0.1, and process checks. Every loop is bounded.
#![allow(dead_code)]

pub mod cli;
pub mod grpc_server;
pub mod lsp;
pub mod node;
pub mod recording_http;
pub mod requirements;
pub mod s3_fixtures;
pub mod s3_server;
pub mod servers;
pub mod stalling_http;
pub mod tls;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};
use zinit::plan::model::OnFail;
use zinit::plan::model::{
    Backoff, DEFAULT_POLL, Delay, PolicyKind, ScriptPolicy, StatusSet, StepRetry,
};
use zinit::run::event::{Event, Reporter};
use zinit::run::model::{CommandLine, HttpWait, RunAction, RunPlan, RunStep, TcpTarget};

// ---------------------------------------------------------------- plans

pub fn step(id: &str, action: RunAction) -> RunStep {
    RunStep {
        id: id.into(),
        action,
        timeout: Some(Duration::from_secs(5)),
        on_fail: OnFail::Fail,
        retry: StepRetry::none(),
        poll: DEFAULT_POLL,
    }
}

pub fn tcp(addr: SocketAddr) -> RunAction {
    RunAction::WaitTcp(TcpTarget {
        host: addr.ip().to_string(),
        port: addr.port(),
        addr: Some(addr),
        closed: false,
    })
}

pub fn http(url: &str) -> HttpWait {
    HttpWait {
        url: url.into(),
        status: StatusSet::success(),
        body_contains: None,
        insecure: false,
        call: Default::default(),
    }
}

pub fn sh(script: &str) -> CommandLine {
    CommandLine {
        argv: vec!["sh".into(), "-c".into(), script.into()],
        env: Vec::new(),
        cwd: None,
        shell: Some(script.into()),
    }
}

pub fn backoff(initial_ms: u64, factor: f64, max_ms: u64, jitter_pct: f64) -> Delay {
    Delay::Backoff(Backoff {
        initial: Duration::from_millis(initial_ms),
        max: Duration::from_millis(max_ms),
        factor,
        jitter_pct,
    })
}

pub fn retry(retries: u32, delay: Delay) -> StepRetry {
    StepRetry { retries, delay }
}

pub fn plan(steps: Vec<RunStep>) -> RunPlan {
    RunPlan {
        steps,
        policy: ScriptPolicy::none(),
    }
}

pub fn policy(kind: PolicyKind, retries: u32, delay: Delay) -> ScriptPolicy {
    ScriptPolicy {
        kind,
        retries,
        delay,
    }
}

// ---------------------------------------------------------------- running

/// Keeps every event, in order.
#[derive(Default)]
pub struct Recorder(Mutex<Vec<Event>>);

impl Reporter for Recorder {
    fn event(&self, event: &Event) {
        self.0.lock().unwrap().push(event.clone());
    }
}

/// Runs the plan in this process (no hand-over) with a short kill grace.
pub fn run(plan: &RunPlan) -> (i32, Vec<Event>) {
    run_with(plan, &[])
}

/// The kill grace of in-process runs: short, so SIGKILL tests stay fast.
pub const GRACE: Duration = Duration::from_millis(300);

pub fn run_with(plan: &RunPlan, command: &[String]) -> (i32, Vec<Event>) {
    let recorder = Arc::new(Recorder::default());
    let options = zinit::run::Options {
        command: command.to_vec(),
        grace: GRACE,
        ..Default::default()
    };
    let code = zinit::run::execute(plan, &options, recorder.clone());
    let events = recorder.0.lock().unwrap().clone();
    (code, events)
}

pub fn step_outcome(events: &[Event], id: &str) -> Option<zinit::run::event::StepOutcome> {
    events.iter().find_map(|e| match e {
        Event::StepEnded { step, outcome, .. } if step == id => Some(*outcome),
        _ => None,
    })
}

pub fn failures(events: &[Event], id: &str) -> Vec<String> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::AttemptFailed { step, reason, .. } if step == id => Some(reason.clone()),
            _ => None,
        })
        .collect()
}

pub fn output_lines(events: &[Event], id: &str) -> Vec<String> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::Output { step, line, .. } if step == id => Some(line.clone()),
            _ => None,
        })
        .collect()
}

// ---------------------------------------------------------------- servers

/// A free loopback port (bound then released).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Starts listening on `port` after `delay`; the listener lives `keep` then closes.
pub fn listen_later(port: u16, delay: Duration, keep: Duration) -> thread::JoinHandle<()> {
    thread::spawn(move || {
        thread::sleep(delay);
        let listener = TcpListener::bind(("127.0.0.1", port)).unwrap();
        thread::sleep(keep);
        drop(listener);
    })
}

/// An HTTP server answering each request with the next of `answers`
/// (`(status, body)`; the last repeats), for at most `life`.
pub fn http_server(answers: Vec<(u16, &'static str)>, life: Duration) -> SocketAddr {
    serve(life, move |n, mut conn| {
        let (status, body) = answers[n.min(answers.len() - 1)];
        read_request(&mut conn);
        let _ = write!(
            conn,
            "HTTP/1.1 {status} X\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        );
    })
}

/// A server that accepts connections and never answers (for `life`).
pub fn silent_server(life: Duration) -> SocketAddr {
    serve(life, move |_, conn| {
        thread::sleep(life);
        drop(conn);
    })
}

/// A server that resets every connection (SO_LINGER 0) after reading the request.
pub fn resetting_server(life: Duration) -> SocketAddr {
    serve(life, |_, mut conn| {
        read_request(&mut conn);
        let sock = socket2::SockRef::from(&conn);
        let _ = sock.set_linger(Some(Duration::ZERO));
        drop(conn);
    })
}

/// Accepts connections on a new loopback port for `life`, each handled on
/// its own thread with its number (0, 1, ...).
pub fn serve(
    life: Duration,
    handle: impl Fn(usize, TcpStream) + Send + Sync + 'static,
) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    listener.set_nonblocking(true).unwrap();
    let handle = Arc::new(handle);
    thread::spawn(move || {
        let end = Instant::now() + life;
        let mut n = 0;
        while Instant::now() < end {
            match listener.accept() {
                Ok((conn, _)) => {
                    conn.set_nonblocking(false).unwrap();
                    let handle = handle.clone();
                    let i = n;
                    n += 1;
                    thread::spawn(move || handle(i, conn));
                }
                Err(_) => thread::sleep(Duration::from_millis(1)),
            }
        }
    });
    addr
}

fn read_request(conn: &mut TcpStream) {
    conn.set_read_timeout(Some(Duration::from_secs(2))).unwrap();
    let mut buf = [0u8; 4096];
    let mut got = Vec::new();
    for _ in 0..64 {
        match conn.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => got.extend_from_slice(&buf[..n]),
        }
        if got.windows(4).any(|w| w == b"\r\n\r\n") {
            return;
        }
    }
}

// ---------------------------------------------------------------- processes

/// Whether a process with this pid exists (and is not a zombie).
pub fn alive(pid: i32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        // The state follows the parenthesised command name.
        Ok(stat) => stat
            .rsplit_once(')')
            .is_some_and(|(_, rest)| !rest.trim_start().starts_with('Z')),
        Err(_) => false,
    }
}

/// Waits (bounded) until the pid is gone; true if it went.
pub fn gone_within(pid: i32, limit: Duration) -> bool {
    let end = Instant::now() + limit;
    while Instant::now() < end {
        if !alive(pid) {
            return true;
        }
        thread::sleep(Duration::from_millis(10));
    }
    !alive(pid)
}

/// Waits (bounded) until `sig`, sent to `pid`, is no longer pending there:
/// delivered to its handler, so a second one cannot merge into it. True if so.
pub fn signal_delivered(pid: i32, sig: nix::sys::signal::Signal, limit: Duration) -> bool {
    let bit = 1u64 << (sig as i32 - 1);
    let pending = || {
        std::fs::read_to_string(format!("/proc/{pid}/status"))
            .map(|status| {
                status
                    .lines()
                    .filter_map(|l| l.strip_prefix("SigPnd:").or(l.strip_prefix("ShdPnd:")))
                    .filter_map(|mask| u64::from_str_radix(mask.trim(), 16).ok())
                    .any(|mask| mask & bit != 0)
            })
            .unwrap_or(false)
    };
    let end = Instant::now() + limit;
    while pending() && Instant::now() < end {
        thread::sleep(Duration::from_millis(5));
    }
    !pending()
}

/// Reads pids written one per line to a file by a test command.
pub fn pids_in(path: &std::path::Path) -> Vec<i32> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.trim().parse().ok())
        .collect()
}

/// Waits (bounded) until the file holds at least `n` pids.
pub fn wait_for_pids(path: &std::path::Path, n: usize, limit: Duration) -> Vec<i32> {
    let end = Instant::now() + limit;
    loop {
        let pids = pids_in(path);
        if pids.len() >= n || Instant::now() >= end {
            return pids;
        }
        thread::sleep(Duration::from_millis(10));
    }
}

/// The pids whose parent is `pid` (from `/proc`).
pub fn procfs_children(pid: i32) -> Vec<i32> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<i32>().ok())
        .filter(|child| {
            std::fs::read_to_string(format!("/proc/{child}/stat")).is_ok_and(|stat| {
                stat.rsplit_once(')')
                    .and_then(|(_, rest)| rest.split_whitespace().nth(1)?.parse::<i32>().ok())
                    == Some(pid)
            })
        })
        .collect()
}
