//! `wait dns` run by the real binary against a real DNS server on
//! 127.0.0.1 (dnslib, tests/it/support/servers/dns.rs), asked with
//! `server 127.0.0.1:PORT`: names that appear later, answers that change,
//! what the server said when the wait gives up. No real name is looked up.

use crate::support::cli::{run_script, spawn_script as spawn_wait, stderr, wait_exit};
use crate::support::servers::dns::DnsServer;
use std::process::Output;
use std::time::Duration;

fn run(script: &str) -> Output {
    run_script(script, &[])
}

#[track_caller]
fn fails_with(out: &Output, last: &str) {
    assert_eq!(out.status.code(), Some(1), "{}", stderr(out));
    assert!(
        stderr(out).contains(&format!("(last: {last})")),
        "expected (last: {last}) in:\n{}",
        stderr(out)
    );
}

#[test]
fn dns_name_that_is_nxdomain_is_waited_for_until_it_appears() {
    let dns = DnsServer::start("other.test. 5 IN A 10.0.0.9\n");
    let server = &dns.addr;
    let out = run(&format!("wait dns db.test server {server} timeout 300ms"));
    fails_with(
        &out,
        &format!("NXDOMAIN: db.test does not exist (from {server})"),
    );
    let mut waiting = spawn_wait(&format!("wait dns db.test server {server} timeout 30s"));
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(waiting.try_wait().unwrap(), None, "still NXDOMAIN");
    dns.set_zone("other.test. 5 IN A 10.0.0.9\ndb.test. 5 IN A 10.0.0.5\n");
    assert_eq!(wait_exit(&mut waiting, Duration::from_secs(30)), Some(0));
}

#[test]
fn dns_value_is_waited_for_and_the_answers_seen_are_named() {
    let dns = DnsServer::start("db.test. 5 IN A 10.0.0.1\ndb.test. 5 IN A 10.0.0.2\n");
    let server = &dns.addr;
    let out = run(&format!(
        "wait dns db.test server {server} value 10.0.0.5 timeout 300ms"
    ));
    fails_with(&out, "db.test answers 10.0.0.1, 10.0.0.2, not 10.0.0.5");
    let mut waiting = spawn_wait(&format!(
        "wait dns db.test type A server {server} value 10.0.0.5 timeout 30s"
    ));
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(waiting.try_wait().unwrap(), None, "not the value yet");
    dns.set_zone("db.test. 5 IN A 10.0.0.5\n");
    assert_eq!(wait_exit(&mut waiting, Duration::from_secs(30)), Some(0));
}

#[test]
fn dns_servfail_and_a_missing_type_are_named() {
    let dns = DnsServer::start("; servfail broken.test.\nv4.test. 5 IN A 10.0.0.9\n");
    let server = &dns.addr;
    let out = run(&format!(
        "wait dns broken.test server {server} timeout 300ms"
    ));
    fails_with(&out, &format!("SERVFAIL from {server} for broken.test"));
    let out = run(&format!(
        "wait dns v4.test type AAAA server {server} timeout 300ms"
    ));
    fails_with(
        &out,
        &format!("no AAAA answer for v4.test from {server} (the name exists)"),
    );
}

#[test]
fn dns_record_types_are_matched_as_each_reads() {
    let dns = DnsServer::start(concat!(
        "web.test. 5 IN CNAME db.test.\n",
        "db.test. 5 IN AAAA ::1\n",
        "_pg._tcp.test. 5 IN SRV 0 5 5432 db-1.test.\n",
        "flag.test. 5 IN TXT \"ready\"\n",
        "test. 5 IN MX 10 mail.test.\n",
    ));
    let server = &dns.addr;
    for ok in [
        "wait dns db.test value 0:0::1",
        "wait dns db.test type AAAA",
        "wait dns web.test type CNAME value DB.test.",
        "wait dns _pg._tcp.test type SRV value db-1.test:5432",
        "wait dns _pg._tcp.test type SRV value db-1.test",
        "wait dns flag.test type TXT value ready",
        "wait dns test type MX value mail.test",
    ] {
        let out = run(&format!("{ok} server {server} timeout 10s"));
        assert!(out.status.success(), "{ok}: {}", stderr(&out));
    }
    let out = run(&format!(
        "wait dns _pg._tcp.test type SRV value db-1.test:5433 server {server} timeout 300ms"
    ));
    fails_with(
        &out,
        "_pg._tcp.test answers 0 5 5432 db-1.test., not db-1.test:5433",
    );
}
