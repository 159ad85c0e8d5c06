//! What `wait http` sends (`method`, `header`, `data`) and what it waits
//! for in the answer (`body matches`, `json`, redirects with and without
//! `follow`), through the real binary against a recording server on
//! 127.0.0.1.

use crate::support;

use std::time::Duration;
use support::cli::*;
use support::recording_http::{self, Answer};

const LIFE: Duration = Duration::from_secs(20);

#[test]
fn method_headers_and_data_arrive_as_sent() {
    let (addr, log) = recording_http::start(LIFE, |_, _| Answer::new(200, "ok"));
    let script = format!(
        "defaults header \"Authorization: Bearer default\" header \"X-Team: core\"\n\
         wait http http://{addr}/submit?x=1 method PUT header \"authorization: Bearer mine\" \
         header \"Content-Type: application/json\" header \"X-Tag: a\" header \"X-Tag: b\" \
         data '{{\"probe\": true}}' timeout 5s"
    );
    run_passes(&script);
    let requests = log.requests();
    assert_eq!(requests.len(), 1, "{requests:?}");
    let got = &requests[0];
    assert_eq!(
        (got.method.as_str(), got.path.as_str()),
        ("PUT", "/submit?x=1")
    );
    // The step's own Authorization replaces the default one; the other default stays.
    assert_eq!(got.header("authorization"), ["Bearer mine"]);
    assert_eq!(got.header("x-team"), ["core"]);
    assert_eq!(got.header("content-type"), ["application/json"]);
    assert_eq!(got.header("x-tag"), ["a", "b"]);
    assert_eq!(got.body, br#"{"probe": true}"#);

    run_passes(&format!("wait http http://{addr}/ method HEAD timeout 5s"));
    let last = log.requests().pop().unwrap();
    assert_eq!((last.method.as_str(), last.body.len()), ("HEAD", 0));
}

#[test]
fn a_header_from_the_environment_is_sent_resolved() {
    let (addr, log) = recording_http::start(LIFE, |_, _| Answer::new(200, "ok"));
    let script =
        format!("wait http http://{addr}/ header \"X-Token: ${{PROBE_TOKEN}}\" timeout 5s");
    let out = Zinit::new()
        .env("PROBE_TOKEN", "t0ken")
        .args(["run", "--format", "plain", "-e", &script])
        .output();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(log.requests()[0].header("x-token"), ["t0ken"]);
}

#[test]
fn body_matches_waits_for_the_pattern() {
    let bodies = ["booting", "version 1 starting", "version 2 ready"];
    let (addr, log) = recording_http::start(LIFE, move |n, _| {
        Answer::new(200, bodies[n.min(bodies.len() - 1)])
    });
    run_passes(&format!(
        r#"wait http http://{addr}/ body matches '^version \d+ ready$' timeout 10s"#
    ));
    assert_eq!(log.requests().len(), 3);

    let text = run_fails(&format!(
        r#"wait http http://{addr}/ body matches 'v\d+ ready' timeout 400ms"#
    ));
    assert!(text.contains(r"body not matching `v\d+ ready`"), "{text}");
}

#[test]
fn json_values_are_waited_for_as_they_change() {
    let bodies = [
        r#"{"status": "starting", "checks": []}"#,
        r#"{"status": "starting", "checks": [{"ok": false}]}"#,
        r#"{"status": "up", "checks": [{"ok": false}]}"#,
        r#"{"status": "up", "checks": [{"ok": true, "n": 3.0}], "db": null}"#,
    ];
    let (addr, log) = recording_http::start(LIFE, move |n, _| {
        Answer::new(200, bodies[n.min(bodies.len() - 1)])
    });
    let script = format!(
        "wait http http://{addr}/health json /status == \"up\" json /checks/0/ok == true \
         json /checks/0/n == 3 json /db exists timeout 10s"
    );
    run_passes(&script);
    // Ready only at the fourth answer, when every check holds at once.
    assert_eq!(log.requests().len(), 4);

    let (addr, _) =
        recording_http::start(LIFE, |_, _| Answer::new(200, r#"{"status":"starting"}"#));
    let text = run_fails(&format!(
        "wait http http://{addr}/ json /status == \"up\" timeout 400ms"
    ));
    assert!(
        text.contains(r#"json /status is "starting", not "up""#),
        "{text}"
    );

    let (addr, _) = recording_http::start(LIFE, |_, _| Answer::new(200, "<html>ok</html>"));
    let text = run_fails(&format!(
        "wait http http://{addr}/ json /a exists timeout 400ms"
    ));
    assert!(text.contains("body is not JSON"), "{text}");
}

/// `/a` → `/b` → `/c`, which answers 200.
fn redirecting_server() -> (std::net::SocketAddr, recording_http::Log) {
    recording_http::start(LIFE, |_, request| match request.path.as_str() {
        "/a" => Answer::redirect(302, "/b"),
        "/b" => Answer::redirect(307, "/c"),
        _ => Answer::new(200, "arrived"),
    })
}

#[test]
fn redirects_are_answers_unless_followed() {
    let (addr, log) = redirecting_server();
    let text = run_fails(&format!("wait http http://{addr}/a timeout 400ms"));
    assert!(text.contains("status 302"), "{text}");
    assert!(log.requests().iter().all(|r| r.path == "/a"));

    run_passes(&format!("wait http http://{addr}/a status 3xx timeout 5s"));

    // One redirect followed: the second is the answer.
    let text = run_fails(&format!("wait http http://{addr}/a follow 1 timeout 400ms"));
    assert!(text.contains("status 307"), "{text}");

    let before = log.requests().len();
    run_passes(&format!(
        "wait http http://{addr}/a follow 2 body contains arrived timeout 5s"
    ));
    let paths: Vec<String> = log.requests()[before..]
        .iter()
        .map(|r| r.path.clone())
        .collect();
    assert_eq!(paths, ["/a", "/b", "/c"]);
}

#[test]
fn values_from_the_environment_are_judged_before_anything_runs() {
    let script = "wait http http://127.0.0.1:9/ header \"${H}\" body matches \"${RE}\" \
                  json ${P} == ${V}";
    let out = Zinit::new()
        .env("H", "Authorization=s3cret")
        .env("RE", "(open")
        .env("P", "status")
        .env("V", "up")
        .args(["run", "--format", "plain", "-e", script])
        .output();
    let text = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{text}");
    for code in ["E135", "E136", "E137", "E138"] {
        assert!(text.contains(code), "{code}: {text}");
    }
    // A resolved value may be a secret: the variable is named, never the value.
    assert!(
        text.contains("`\"${H}\"` resolves to a value that"),
        "{text}"
    );
    assert!(!text.contains("s3cret"), "{text}");
}
