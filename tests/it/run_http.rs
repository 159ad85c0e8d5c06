//! `wait http` and `wait tcp … closed` against real servers on 127.0.0.1,
//! through the real binary: proxies never asked for loopback targets, TLS
//! failures told in words and not hammered, `closed` only on refusal.

use crate::support;

use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::Output;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use support::cli::*;
use support::recording_http::Answer;
use support::tls::TlsServer;
use support::*;

/// A server that answers every request `200 proxied` and keeps each
/// request's first line: a stand-in for a corporate proxy.
struct FakeProxy {
    addr: SocketAddr,
    requests: Arc<Mutex<Vec<String>>>,
}

impl FakeProxy {
    fn start(life: Duration) -> FakeProxy {
        let requests = Arc::new(Mutex::new(Vec::new()));
        let seen = requests.clone();
        let addr = accept_loop(life, move |mut conn| {
            let head = read_head(&mut conn);
            seen.lock()
                .unwrap()
                .push(head.lines().next().unwrap_or("").to_string());
            let _ = conn.write_all(
                b"HTTP/1.1 200 OK\r\ncontent-length: 7\r\nconnection: close\r\n\r\nproxied",
            );
        });
        FakeProxy { addr, requests }
    }

    fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }
}

/// Accepts connections for `life`, each handled on its own thread.
fn accept_loop(life: Duration, handle: impl Fn(TcpStream) + Send + Sync + 'static) -> SocketAddr {
    serve(life, move |_, conn| handle(conn))
}

fn read_head(conn: &mut impl Read) -> String {
    let mut got = Vec::new();
    let mut buf = [0u8; 1024];
    while !got.windows(4).any(|w| w == b"\r\n\r\n") && got.len() < 16_384 {
        match conn.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => got.extend_from_slice(&buf[..n]),
        }
    }
    String::from_utf8_lossy(&got).into_owned()
}

/// `zinit run` of `script` with the proxy variables set to `proxy`.
/// Names the proxy does not resolve fail without asking a DNS server.
fn run_proxied(script: &str, proxy: &str, no_proxy: Option<&str>) -> Output {
    let mut cmd = Zinit::without_dns();
    for name in [
        "HTTP_PROXY",
        "http_proxy",
        "HTTPS_PROXY",
        "https_proxy",
        "ALL_PROXY",
    ] {
        cmd = cmd.env(name, proxy);
    }
    cmd = cmd.env_remove("NO_PROXY").env_remove("no_proxy");
    if let Some(list) = no_proxy {
        cmd = cmd.env("NO_PROXY", list);
    }
    cmd.args(["run", "--format", "plain", "-e", script])
        .output()
}

/// `zinit run` of `script` trusting the PEM certificate `pem` (SSL_CERT_FILE).
fn run_trusting(pem: &str, script: &str) -> Output {
    let dir = tempfile::tempdir().unwrap();
    let ca = dir.path().join("ca.pem");
    std::fs::write(&ca, pem).unwrap();
    zinit()
        .env("SSL_CERT_FILE", &ca)
        .args(["run", "--format", "plain", "-e", script])
        .output()
        .unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn loopback_targets_never_go_through_the_proxy() {
    let proxy = FakeProxy::start(Duration::from_secs(10));
    let service = http_server(vec![(500, "broken")], Duration::from_secs(10));
    for host in ["127.0.0.1", "localhost"] {
        let script = format!("wait http http://{host}:{}/ timeout 700ms", service.port());
        let out = run_proxied(&script, &proxy.url(), None);
        let text = stderr(&out);
        assert_eq!(
            out.status.code(),
            Some(1),
            "the proxy's 200 was believed: {text}"
        );
        assert!(text.contains("status 500"), "{text}");
    }
    assert_eq!(proxy.requests(), Vec::<String>::new());
}

#[test]
fn other_hosts_go_through_the_proxy_unless_no_proxy_lists_them() {
    let proxy = FakeProxy::start(Duration::from_secs(10));
    // The proxy resolves the name, not zinit: `.invalid` never reaches a DNS server.
    let script = "wait http http://app.invalid:8080/health timeout 5s";
    let out = run_proxied(script, &proxy.url(), None);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        proxy.requests(),
        ["GET http://app.invalid:8080/health HTTP/1.1"]
    );

    let out = run_proxied(
        "wait http http://app.invalid:8080/health timeout 300ms",
        &proxy.url(),
        Some("example.org,app.invalid"),
    );
    let text = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("cannot resolve app.invalid"), "{text}");
    assert_eq!(proxy.requests().len(), 1, "NO_PROXY was ignored");
}

// ---------------------------------------------------------------- TLS

/// An HTTPS server on 127.0.0.1 with the given certificate, answering `200 ok`.
fn tls_server(cert: CertificateDer<'static>, key: PrivateKeyDer<'static>) -> TlsServer {
    support::tls::serve(cert, key, None, Duration::from_secs(15), |_, _| {
        Answer::new(200, "ok")
    })
}

/// A self-signed leaf for `names`, as (certificate, key, PEM of the certificate).
fn self_signed(names: &[&str]) -> (CertificateDer<'static>, PrivateKeyDer<'static>, String) {
    let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
    let rcgen::CertifiedKey { cert, key_pair } = rcgen::generate_simple_self_signed(names).unwrap();
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key_pair.serialize_der()));
    (cert.der().clone(), key, cert.pem())
}

#[test]
fn an_untrusted_certificate_is_told_in_words_and_not_hammered() {
    let (cert, key, _) = self_signed(&["127.0.0.1", "localhost"]);
    let server = tls_server(cert, key);
    let timeout = Duration::from_millis(1500);
    let script = format!(
        "wait http https://127.0.0.1:{}/ timeout {}ms",
        server.addr.port(),
        timeout.as_millis()
    );
    let out = run_script(&script, &[]);
    let text = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("unknown issuer (self-signed"), "{text}");
    assert!(
        text.contains("SSL_CERT_FILE") && text.contains("`insecure`"),
        "{text}"
    );
    assert!(
        !text.contains("Other(") && !text.contains("BadSignature"),
        "{text}"
    );
    let handshakes = server.handshakes();
    eprintln!("handshakes in {timeout:?} with an untrusted certificate: {handshakes}");
    // One every 100 ms at most (before: one every ~9 ms, 160 in 1.5 s).
    assert!((1..=17).contains(&handshakes), "{handshakes} handshakes");
}

#[test]
fn the_fixes_the_message_names_work() {
    let (cert, key, pem) = self_signed(&["127.0.0.1", "localhost"]);
    let server = tls_server(cert, key);
    let port = server.addr.port();
    let out = run_script(
        &format!("wait http https://127.0.0.1:{port}/ insecure timeout 5s"),
        &[],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));

    let out = run_trusting(
        &pem,
        &format!("wait http https://localhost:{port}/ timeout 5s"),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn a_certificate_for_another_host_and_plain_http_are_named() {
    let (cert, key, pem) = self_signed(&["other.example"]);
    let server = tls_server(cert, key);
    let out = run_trusting(
        &pem,
        &format!(
            "wait http https://127.0.0.1:{}/ timeout 400ms",
            server.addr.port()
        ),
    );
    let text = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("for another host name (wrong host)"),
        "{text}"
    );

    // A plain HTTP server answers a TLS hello as the garbage it is to it.
    let plain = accept_loop(Duration::from_secs(10), |mut conn| {
        let _ = conn.read(&mut [0u8; 512]);
        let _ = conn.write_all(b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n");
    });
    let out = run_script(&format!("wait http https://{plain}/ timeout 400ms"), &[]);
    let text = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("plain HTTP on an https:// URL"), "{text}");
}

// ---------------------------------------------------------------- closed

#[test]
fn closed_means_refused_not_unanswered_or_unresolved() {
    let port = free_port();
    let out = run_script(&format!("wait tcp 127.0.0.1:{port} closed timeout 2s"), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));

    // A listener whose accept queue is full drops new SYNs: connects go
    // unanswered, yet the port is anything but closed.
    let socket = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).unwrap();
    socket
        .bind(&"127.0.0.1:0".parse::<SocketAddr>().unwrap().into())
        .unwrap();
    socket.listen(0).unwrap();
    let full = socket.local_addr().unwrap().as_socket().unwrap();
    let mut held = Vec::new();
    for _ in 0..4 {
        if let Ok(conn) = TcpStream::connect_timeout(&full, Duration::from_millis(300)) {
            held.push(conn);
        }
    }
    let out = run_script(&format!("wait tcp {full} closed timeout 3s"), &[]);
    let text = stderr(&out);
    assert_eq!(
        out.status.code(),
        Some(1),
        "an unanswered connect was taken as closed: {text}"
    );
    assert!(
        text.contains("no answer within") && text.contains("not known to be closed"),
        "{text}"
    );
    drop(held);

    let out = Zinit::without_dns()
        .args([
            "run",
            "--format",
            "plain",
            "-e",
            "wait tcp db.invalid:5432 closed timeout 300ms",
        ])
        .output();
    let text = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("cannot resolve db.invalid") && text.contains("not known to be closed"),
        "{text}"
    );
}

#[test]
fn a_ca_certificate_served_as_the_leaf_is_named() {
    let mut params = rcgen::CertificateParams::new(vec!["127.0.0.1".to_string()]).unwrap();
    params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    let key_pair = rcgen::KeyPair::generate().unwrap();
    let cert = params.self_signed(&key_pair).unwrap();
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key_pair.serialize_der()));
    let server = tls_server(cert.der().clone(), key);
    let out = run_trusting(
        &cert.pem(),
        &format!(
            "wait http https://127.0.0.1:{}/ timeout 400ms",
            server.addr.port()
        ),
    );
    let text = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("a CA certificate as its own"), "{text}");
    assert!(!text.contains("CaUsedAsEndEntity"), "{text}");
}
