//! `wait grpc` run by the real binary against a real gRPC server (grpcio's
//! standard health service, tests/it/support/grpc_server.rs) on 127.0.0.1:
//! NOT_SERVING then SERVING, a named service, an unknown one, a refused
//! port, and TLS with a CA made here (verified, `insecure`, untrusted).

use crate::support::cli::{Zinit, run_script, stderr, wait_exit, zinit};
use crate::support::free_port;
use crate::support::grpc_server::{GrpcServer, ServerTls};
use std::path::PathBuf;
use std::process::{Output, Stdio};
use std::time::Duration;

fn run(script: &str) -> Output {
    run_script(script, &[])
}

#[track_caller]
fn fails_with(out: &Output, words: &str) -> String {
    let text = stderr(out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains(words), "expected {words:?} in: {text}");
    text
}

#[test]
fn not_serving_is_not_ready_until_the_server_switches_to_serving() {
    let mut server = GrpcServer::start(&[("-", "NOT_SERVING")], None);
    let out = run(&format!("wait grpc {} timeout 500ms", server.address()));
    fails_with(&out, "timed out after 500ms (last: NOT_SERVING)");

    let mut waiting = zinit()
        .args(["run", "--format", "plain", "-e"])
        .arg(format!("wait grpc {} timeout 30s", server.address()))
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(
        waiting.try_wait().unwrap(),
        None,
        "still waiting while NOT_SERVING"
    );
    server.set("-", "SERVING");
    assert_eq!(wait_exit(&mut waiting, Duration::from_secs(30)), Some(0));
}

#[test]
fn a_named_service_is_asked_about_by_name() {
    let mut server =
        GrpcServer::start(&[("-", "SERVING"), ("shop.v1.Orders", "NOT_SERVING")], None);
    let orders = format!("wait grpc {} service shop.v1.Orders", server.address());
    fails_with(
        &run(&format!("{orders} timeout 400ms")),
        "(last: NOT_SERVING)",
    );
    // The server as a whole is serving all along.
    let whole = run(&format!("wait grpc {} timeout 20s", server.address()));
    assert!(whole.status.success(), "{}", stderr(&whole));

    server.set("shop.v1.Orders", "UNKNOWN");
    fails_with(&run(&format!("{orders} timeout 400ms")), "(last: UNKNOWN)");
    server.set("shop.v1.Orders", "SERVING");
    let out = run(&format!("{orders} timeout 20s"));
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn an_unknown_service_is_named_as_unknown() {
    let server = GrpcServer::start(&[("-", "SERVING")], None);
    let out = run(&format!(
        "wait grpc {} service shop.v1.Nope timeout 400ms",
        server.address()
    ));
    fails_with(
        &out,
        r#"SERVICE_UNKNOWN: the server knows no service "shop.v1.Nope" (NOT_FOUND)"#,
    );
}

#[test]
fn a_closed_port_is_named_as_refused() {
    let out = run(&format!(
        "wait grpc 127.0.0.1:{} timeout 300ms",
        free_port()
    ));
    fails_with(&out, "connection refused");
}

/// A CA and a leaf for 127.0.0.1 signed by it, as PEM files in a temp dir.
struct Pki {
    dir: tempfile::TempDir,
}

impl Pki {
    fn new() -> Pki {
        let dir = tempfile::tempdir().unwrap();
        let mut ca = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
        ca.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        ca.distinguished_name
            .push(rcgen::DnType::CommonName, "zinit test CA");
        let ca_key = rcgen::KeyPair::generate().unwrap();
        let ca_cert = ca.self_signed(&ca_key).unwrap();
        let leaf =
            rcgen::CertificateParams::new(vec!["127.0.0.1".into(), "localhost".into()]).unwrap();
        let leaf_key = rcgen::KeyPair::generate().unwrap();
        let leaf_cert = leaf.signed_by(&leaf_key, &ca_cert, &ca_key).unwrap();
        std::fs::write(dir.path().join("ca.pem"), ca_cert.pem()).unwrap();
        std::fs::write(dir.path().join("server.pem"), leaf_cert.pem()).unwrap();
        std::fs::write(dir.path().join("server.key"), leaf_key.serialize_pem()).unwrap();
        Pki { dir }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn server(&self) -> GrpcServer {
        let (cert, key) = (self.path("server.pem"), self.path("server.key"));
        GrpcServer::start(
            &[("-", "SERVING")],
            Some(ServerTls {
                cert: &cert,
                key: &key,
            }),
        )
    }
}

#[test]
fn tls_is_verified_against_the_trusted_roots() {
    let pki = Pki::new();
    let server = pki.server();
    let script = format!("wait grpc {} tls timeout 20s", server.address());
    let trusted = Zinit::new()
        .env("SSL_CERT_FILE", pki.path("ca.pem"))
        .args(["run", "--format", "plain", "-e", &script])
        .output();
    assert!(trusted.status.success(), "{}", stderr(&trusted));
}

#[test]
fn an_untrusted_certificate_fails_with_the_reason_and_insecure_passes() {
    let pki = Pki::new();
    let server = pki.server();
    let out = run(&format!("wait grpc {} tls timeout 500ms", server.address()));
    let text = fails_with(&out, "TLS: the certificate is signed by an unknown issuer");
    assert!(
        text.contains("SSL_CERT_FILE") && text.contains("`insecure`"),
        "{text}"
    );
    let insecure = run(&format!(
        "wait grpc {} tls insecure timeout 20s",
        server.address()
    ));
    assert!(insecure.status.success(), "{}", stderr(&insecure));
}

#[test]
fn plaintext_and_tls_mixed_up_are_told_apart() {
    let pki = Pki::new();
    let tls_server = pki.server();
    let out = run(&format!("wait grpc {} timeout 500ms", tls_server.address()));
    fails_with(&out, "(a TLS server? add `tls`)");
    let plain_server = GrpcServer::start(&[("-", "SERVING")], None);
    let out = run(&format!(
        "wait grpc {} tls insecure timeout 500ms",
        plain_server.address()
    ));
    fails_with(
        &out,
        "TLS: the server did not answer in TLS (a plaintext server? remove `tls`)",
    );
}
