//! A certificate authority made in the test (rcgen), the certificates it
//! signs, and HTTPS servers on 127.0.0.1 that present them — optionally
//! demanding a client certificate the CA signed. Each server counts the TLS
//! handshakes begun (a bare connect is not one) and records its requests.

use super::recording_http::{Answer, Answerer, Log, Request, exchange};
use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair,
    KeyUsagePurpose,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

pub struct Ca {
    cert: rcgen::Certificate,
    key: KeyPair,
}

/// A certificate with its key.
pub struct Signed {
    pub cert: rcgen::Certificate,
    pub key: KeyPair,
}

impl Ca {
    pub fn new() -> Ca {
        let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params
            .distinguished_name
            .push(DnType::CommonName, "zinit test CA");
        params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let key = KeyPair::generate().unwrap();
        let cert = params.self_signed(&key).unwrap();
        Ca { cert, key }
    }

    pub fn pem(&self) -> String {
        self.cert.pem()
    }

    /// A server certificate for `names` (IP addresses become IP SANs).
    pub fn server_cert(&self, names: &[&str]) -> Signed {
        self.sign(names, ExtendedKeyUsagePurpose::ServerAuth, |_| {})
    }

    /// A server certificate for 127.0.0.1 that expired in 2021.
    pub fn expired_server_cert(&self) -> Signed {
        self.sign(&["127.0.0.1"], ExtendedKeyUsagePurpose::ServerAuth, |p| {
            p.not_before = rcgen::date_time_ymd(2020, 1, 1);
            p.not_after = rcgen::date_time_ymd(2021, 1, 1);
        })
    }

    pub fn client_cert(&self) -> Signed {
        self.sign(
            &["zinit-client"],
            ExtendedKeyUsagePurpose::ClientAuth,
            |_| {},
        )
    }

    fn sign(
        &self,
        names: &[&str],
        usage: ExtendedKeyUsagePurpose,
        adjust: impl FnOnce(&mut CertificateParams),
    ) -> Signed {
        let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
        let mut params = CertificateParams::new(names).unwrap();
        params.extended_key_usages = vec![usage];
        adjust(&mut params);
        let key = KeyPair::generate().unwrap();
        let cert = params.signed_by(&key, &self.cert, &self.key).unwrap();
        Signed { cert, key }
    }
}

impl Signed {
    /// Writes `NAME.pem` and `NAME-key.pem` into `dir`; their paths.
    pub fn write(&self, dir: &Path, name: &str) -> (PathBuf, PathBuf) {
        let cert = dir.join(format!("{name}.pem"));
        let key = dir.join(format!("{name}-key.pem"));
        std::fs::write(&cert, self.cert.pem()).unwrap();
        std::fs::write(&key, self.key.serialize_pem()).unwrap();
        (cert, key)
    }

    fn der(&self) -> (CertificateDer<'static>, PrivateKeyDer<'static>) {
        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(self.key.serialize_der()));
        (self.cert.der().clone(), key)
    }
}

pub struct TlsServer {
    pub addr: SocketAddr,
    handshakes: Arc<AtomicUsize>,
    pub log: Log,
}

impl TlsServer {
    pub fn handshakes(&self) -> usize {
        self.handshakes.load(Ordering::SeqCst)
    }
}

/// An HTTPS server presenting `cert`, answering every request `200 ok`;
/// with `clients`, only to clients whose certificate that CA signed.
pub fn server(cert: &Signed, clients: Option<&Ca>, life: Duration) -> TlsServer {
    server_answering(cert, clients, life, |_, _: &Request| Answer::new(200, "ok"))
}

pub fn server_answering(
    cert: &Signed,
    clients: Option<&Ca>,
    life: Duration,
    answer: impl Fn(usize, &Request) -> Answer + Send + Sync + 'static,
) -> TlsServer {
    let (cert, key) = cert.der();
    serve(cert, key, clients, life, answer)
}

/// An HTTPS server presenting any certificate (a self-signed one, a CA's own).
pub fn serve(
    cert: CertificateDer<'static>,
    key: PrivateKeyDer<'static>,
    clients: Option<&Ca>,
    life: Duration,
    answer: impl Fn(usize, &Request) -> Answer + Send + Sync + 'static,
) -> TlsServer {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = rustls::ServerConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .unwrap();
    let builder = match clients {
        Some(ca) => {
            let mut roots = rustls::RootCertStore::empty();
            roots.add(ca.cert.der().clone()).unwrap();
            let verifier = rustls::server::WebPkiClientVerifier::builder_with_provider(
                Arc::new(roots),
                provider,
            )
            .build()
            .unwrap();
            builder.with_client_cert_verifier(verifier)
        }
        None => builder.with_no_client_auth(),
    };
    let config = Arc::new(builder.with_single_cert(vec![cert], key).unwrap());
    let handshakes = Arc::new(AtomicUsize::new(0));
    let count = handshakes.clone();
    let log = Log::default();
    let seen = log.clone();
    let answer: Arc<Answerer> = Arc::new(answer);
    let addr = super::serve(life, move |_, conn| {
        conn.set_read_timeout(Some(Duration::from_secs(3))).unwrap();
        // A handshake begins with the client's hello; a bare connect
        // (zinit's cheap "is anything listening" check) is not one.
        if !matches!(conn.peek(&mut [0u8; 1]), Ok(1)) {
            return;
        }
        count.fetch_add(1, Ordering::SeqCst);
        let tls = rustls::ServerConnection::new(config.clone()).unwrap();
        let mut stream = rustls::StreamOwned::new(tls, conn);
        exchange(&mut stream, &seen, &*answer);
    });
    TlsServer {
        addr,
        handshakes,
        log,
    }
}
