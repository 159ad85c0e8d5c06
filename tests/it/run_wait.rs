//! The waits against real servers on loopback, run in-process from hand-made plans.

use crate::support;

use std::net::SocketAddr;
use std::time::{Duration, Instant};
use support::*;
use zinit::plan::model::StatusSet;
use zinit::run::event::StepOutcome;
use zinit::run::model::{RunAction, TcpTarget};

const SHORT: Duration = Duration::from_millis(800);

#[test]
fn tcp_wait_notices_a_listener_that_opens_later() {
    let port = free_port();
    let server = listen_later(port, Duration::from_millis(150), Duration::from_millis(500));
    let addr: SocketAddr = ([127, 0, 0, 1], port).into();
    let (code, events) = run(&plan(vec![step("db", tcp(addr))]));
    assert_eq!(code, 0, "{events:#?}");
    assert_eq!(step_outcome(&events, "db"), Some(StepOutcome::Ok));
    server.join().unwrap();
}

#[test]
fn tcp_wait_times_out_naming_the_last_error() {
    let addr: SocketAddr = ([127, 0, 0, 1], free_port()).into();
    let mut s = step("db", tcp(addr));
    s.timeout = Some(Duration::from_millis(100));
    let (code, events) = run(&plan(vec![s]));
    assert_eq!(code, 1);
    let reasons = failures(&events, "db");
    assert_eq!(reasons.len(), 1);
    assert!(
        reasons[0].contains("timed out after 100ms") && reasons[0].contains("connection refused"),
        "{reasons:?}"
    );
}

#[test]
fn tcp_wait_over_ipv6_loopback() {
    let Ok(listener) = std::net::TcpListener::bind("[::1]:0") else {
        eprintln!("no IPv6 loopback here; skipped");
        return;
    };
    let addr = listener.local_addr().unwrap();
    let (code, events) = run(&plan(vec![step("v6", tcp(addr))]));
    assert_eq!(code, 0, "{events:#?}");
}

#[test]
fn tcp_wait_tries_every_address_of_a_host_name() {
    // `localhost` usually resolves to ::1 and 127.0.0.1; listen on the IPv4
    // one only, so a wait that tried just the first address could fail.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let target = TcpTarget {
        host: "localhost".into(),
        port,
        addr: None,
        closed: false,
    };
    let (code, events) = run(&plan(vec![step("name", RunAction::WaitTcp(target))]));
    assert_eq!(code, 0, "{events:#?}");
}

#[test]
fn tcp_closed_waits_until_the_port_stops_accepting() {
    let port = free_port();
    // Listening now, closed after 200ms.
    let server = listen_later(port, Duration::ZERO, Duration::from_millis(200));
    std::thread::sleep(Duration::from_millis(50));
    let target = TcpTarget {
        host: "127.0.0.1".into(),
        port,
        addr: Some(([127, 0, 0, 1], port).into()),
        closed: true,
    };
    let start = Instant::now();
    let (code, events) = run(&plan(vec![step("down", RunAction::WaitTcp(target))]));
    assert_eq!(code, 0, "{events:#?}");
    assert!(
        start.elapsed() >= Duration::from_millis(100),
        "returned while still open"
    );
    server.join().unwrap();
}

#[test]
fn http_wait_goes_on_from_503_to_200() {
    let addr = http_server(
        vec![(503, "starting"), (503, "starting"), (200, "ok")],
        SHORT * 3,
    );
    let (code, events) = run(&plan(vec![step(
        "api",
        RunAction::WaitHttp(http(&format!("http://{addr}/health"))),
    )]));
    assert_eq!(code, 0, "{events:#?}");
}

#[test]
fn http_wait_failure_names_the_last_status() {
    let addr = http_server(vec![(503, "starting")], SHORT * 2);
    let mut s = step("api", RunAction::WaitHttp(http(&format!("http://{addr}/"))));
    s.timeout = Some(Duration::from_millis(300));
    let (code, events) = run(&plan(vec![s]));
    assert_eq!(code, 1);
    let reasons = failures(&events, "api");
    assert!(reasons[0].contains("status 503"), "{reasons:?}");
}

#[test]
fn http_status_sets_and_body_match() {
    let addr = http_server(
        vec![(204, ""), (404, "missing"), (404, "ready now")],
        SHORT * 3,
    );
    let mut wait = http(&format!("http://{addr}/"));
    wait.status = StatusSet {
        ranges: vec![(400, 404)],
    };
    wait.body_contains = Some("ready".into());
    let (code, events) = run(&plan(vec![step("api", RunAction::WaitHttp(wait))]));
    assert_eq!(code, 0, "{events:#?}");
}

#[test]
fn http_server_that_never_answers_times_out_instead_of_hanging() {
    let addr = silent_server(SHORT * 3);
    let mut s = step("api", RunAction::WaitHttp(http(&format!("http://{addr}/"))));
    s.timeout = Some(Duration::from_millis(300));
    let start = Instant::now();
    let (code, events) = run(&plan(vec![s]));
    assert_eq!(code, 1);
    assert!(
        start.elapsed() < Duration::from_secs(3),
        "hung on a silent server"
    );
    let reasons = failures(&events, "api");
    assert!(reasons[0].contains("timed out after 300ms"), "{reasons:?}");
    assert!(
        reasons[0].contains("no response") || reasons[0].contains("unanswered"),
        "{reasons:?}"
    );
}

#[test]
fn http_server_that_resets_connections_is_reported() {
    let addr = resetting_server(SHORT * 2);
    let mut s = step("api", RunAction::WaitHttp(http(&format!("http://{addr}/"))));
    s.timeout = Some(Duration::from_millis(300));
    let (code, events) = run(&plan(vec![s]));
    assert_eq!(code, 1);
    let reasons = failures(&events, "api");
    assert!(reasons[0].contains("reset"), "{reasons:?}");
}

#[test]
fn file_waits_for_existence_and_absence() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ready");
    let writer = {
        let path = path.clone();
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(100));
            std::fs::write(&path, "x").unwrap();
            std::thread::sleep(Duration::from_millis(200));
            std::fs::remove_file(&path).unwrap();
        })
    };
    let exists = step(
        "exists",
        RunAction::WaitFile {
            path: path.clone(),
            gone: false,
        },
    );
    let gone = step("gone", RunAction::WaitFile { path, gone: true });
    let (code, events) = run(&plan(vec![exists, gone]));
    assert_eq!(code, 0, "{events:#?}");
    assert_eq!(step_outcome(&events, "gone"), Some(StepOutcome::Ok));
    writer.join().unwrap();
}
