//! `wait http` over TLS with a CA made in the test: `ca FILE` trusts it
//! besides the usual roots, `cert FILE key FILE` answers a server that
//! demands a client certificate, and each refusal is told in words with its
//! fix and retried no faster than every 100 ms.

use crate::support;

use std::time::Duration;
use support::cli::*;
use support::tls::{self, Ca};

const LIFE: Duration = Duration::from_secs(20);

/// The CA's certificate as `ca.pem` in `dir`.
fn ca_file(ca: &Ca, dir: &tempfile::TempDir) -> std::path::PathBuf {
    let path = dir.path().join("ca.pem");
    std::fs::write(&path, ca.pem()).unwrap();
    path
}

#[test]
fn a_private_ca_is_trusted_with_ca_file() {
    let ca = Ca::new();
    let server = tls::server(&ca.server_cert(&["127.0.0.1", "localhost"]), None, LIFE);
    let port = server.addr.port();
    let dir = tempfile::tempdir().unwrap();
    let ca_file = ca_file(&ca, &dir);

    let out = run_script(
        &format!("wait http https://localhost:{port}/ timeout 400ms"),
        &[],
    );
    let text = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("signed by an unknown issuer"), "{text}");
    assert!(
        text.contains("`ca FILE`") && text.contains("`insecure`"),
        "{text}"
    );

    let script = format!(
        "wait http https://localhost:{port}/ ca {} timeout 5s",
        ca_file.display()
    );
    run_passes(&script);
    assert_eq!(server.log.requests().last().unwrap().path, "/");
}

#[test]
fn expired_and_wrong_host_certificates_are_named_even_when_trusted() {
    let ca = Ca::new();
    let dir = tempfile::tempdir().unwrap();
    let ca_file = ca_file(&ca, &dir);
    let expired = tls::server(&ca.expired_server_cert(), None, LIFE);
    let other = tls::server(&ca.server_cert(&["db.internal"]), None, LIFE);
    for (server, words) in [
        (&expired, "the certificate has expired"),
        (&other, "for another host name (wrong host)"),
    ] {
        let script = format!(
            "wait http https://127.0.0.1:{}/ ca {} timeout 400ms",
            server.addr.port(),
            ca_file.display()
        );
        let text = run_fails(&script);
        assert!(text.contains(words), "{text}");
    }
}

#[test]
fn a_client_certificate_is_presented_with_cert_and_key() {
    let ca = Ca::new();
    let server = tls::server(&ca.server_cert(&["127.0.0.1"]), Some(&ca), LIFE);
    let dir = tempfile::tempdir().unwrap();
    let ca_file = ca_file(&ca, &dir);
    let (cert, key) = ca.client_cert().write(dir.path(), "client");
    let url = format!("https://127.0.0.1:{}/", server.addr.port());

    let window = Duration::from_millis(1500);
    let script = format!(
        "wait http {url} ca {} timeout {}ms",
        ca_file.display(),
        window.as_millis()
    );
    let text = run_fails(&script);
    assert!(text.contains("the server refused the handshake"), "{text}");
    assert!(text.contains("`cert FILE key FILE`"), "{text}");
    // A refused handshake is retried no faster than every 100 ms: at most
    // 15 in the window, plus slack for the first and a late deadline.
    let refused = server.handshakes();
    eprintln!("handshakes in {window:?} without a client certificate: {refused}");
    assert!((2..=17).contains(&refused), "{refused} handshakes");
    assert!(server.log.requests().is_empty());

    let script = format!(
        "wait http {url} ca {} cert {} key {} timeout 5s",
        ca_file.display(),
        cert.display(),
        key.display()
    );
    run_passes(&script);
    assert_eq!(server.log.requests().len(), 1);
}

#[test]
fn a_missing_certificate_file_is_waited_for_and_named() {
    let ca = Ca::new();
    let server = tls::server(&ca.server_cert(&["127.0.0.1"]), None, LIFE);
    let dir = tempfile::tempdir().unwrap();
    let ca_file = dir.path().join("later-ca.pem");
    let script = format!(
        "wait http https://127.0.0.1:{}/ ca {} timeout 400ms",
        server.addr.port(),
        ca_file.display()
    );
    let text = run_fails(&script);
    assert!(
        text.contains(&format!("ca {}: no such file", ca_file.display())),
        "{text}"
    );
    assert_eq!(
        server.handshakes(),
        0,
        "asked without the CA it was told to trust"
    );

    // Written while the wait runs: picked up on a later attempt.
    let pem = ca.pem();
    let path = ca_file.clone();
    let writer = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(300));
        std::fs::write(path, pem).unwrap();
    });
    let script = script.replace("timeout 400ms", "timeout 10s");
    let out = run_script(&script, &[]);
    writer.join().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}
