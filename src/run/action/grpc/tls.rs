//! The TLS side of `wait grpc ... tls`: rustls with the bundled Mozilla
//! roots plus the PEM file `SSL_CERT_FILE` names (as `wait http` trusts),
//! or no verification at all with `insecure`. ALPN offers `h2`, which gRPC
//! servers require.

use crate::run::action::http::reason::{certificate_reason, find_tls_error};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::WebPkiSupportedAlgorithms;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};
use std::sync::Arc;
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::client::TlsStream;

/// The HTTP wait's fix without `ca FILE`, which `wait grpc` does not take.
const FIX: &str = "to trust it, point SSL_CERT_FILE at its CA certificate (PEM), or add `insecure` to skip verification";

pub struct Tls {
    connector: TlsConnector,
}

impl Tls {
    /// Built once per wait: loading the roots is the costly part.
    pub fn new(insecure: bool) -> Result<Tls, String> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let builder = ClientConfig::builder_with_provider(provider.clone())
            .with_safe_default_protocol_versions()
            .map_err(|e| format!("TLS: {e}"))?;
        let mut config = if insecure {
            builder
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(AnyCertificate(
                    provider.signature_verification_algorithms,
                )))
                .with_no_client_auth()
        } else {
            builder
                .with_root_certificates(roots()?)
                .with_no_client_auth()
        };
        config.alpn_protocols = vec![b"h2".to_vec()];
        Ok(Tls {
            connector: TlsConnector::from(Arc::new(config)),
        })
    }

    /// The handshake over `stream`, or why it failed, in words.
    pub async fn connect(
        &self,
        host: &str,
        stream: TcpStream,
    ) -> Result<TlsStream<TcpStream>, String> {
        let name = ServerName::try_from(host.to_string())
            .map_err(|_| format!("TLS: `{host}` is not a name a certificate can hold"))?;
        let stream =
            self.connector
                .connect(name, stream)
                .await
                .map_err(|e| match find_tls_error(&e) {
                    Some(tls) => reason(tls),
                    None => format!(
                        "TLS handshake: {}",
                        crate::run::action::connect::io_reason(&e)
                    ),
                })?;
        if stream.get_ref().1.alpn_protocol() != Some(b"h2") {
            return Err(
                "TLS: the server did not agree to HTTP/2 (ALPN `h2`), which gRPC needs".into(),
            );
        }
        Ok(stream)
    }
}

fn reason(e: &rustls::Error) -> String {
    match e {
        rustls::Error::InvalidCertificate(cert) => {
            format!("TLS: {}; {FIX}", certificate_reason(cert))
        }
        rustls::Error::InvalidMessage(_) | rustls::Error::InappropriateMessage { .. } => {
            "TLS: the server did not answer in TLS (a plaintext server? remove `tls`)".into()
        }
        rustls::Error::AlertReceived(alert) => {
            format!("TLS: the server refused the handshake ({alert:?})")
        }
        rustls::Error::NoCertificatesPresented => "TLS: the server sent no certificate".into(),
        other => format!("TLS: {other}"),
    }
}

/// The bundled Mozilla roots and those of `SSL_CERT_FILE`, if set.
fn roots() -> Result<RootCertStore, String> {
    let mut roots = RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    let Some(path) = std::env::var_os("SSL_CERT_FILE").filter(|p| !p.is_empty()) else {
        return Ok(roots);
    };
    let shown = std::path::Path::new(&path).display().to_string();
    let pem = std::fs::read(&path).map_err(|e| format!("SSL_CERT_FILE={shown}: {e}"))?;
    let mut added = 0;
    for cert in CertificateDer::pem_slice_iter(&pem) {
        let cert = cert.map_err(|e| format!("SSL_CERT_FILE={shown}: not a PEM bundle: {e}"))?;
        roots
            .add(cert)
            .map_err(|e| format!("SSL_CERT_FILE={shown}: a certificate zinit cannot use: {e}"))?;
        added += 1;
    }
    if added == 0 {
        return Err(format!("SSL_CERT_FILE={shown}: no certificate in the file"));
    }
    Ok(roots)
}

/// `insecure`: any certificate is taken, but the handshake's signatures
/// are still checked (so the connection is TLS, merely unauthenticated).
#[derive(Debug)]
struct AnyCertificate(WebPkiSupportedAlgorithms);

impl ServerCertVerifier for AnyCertificate {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.0)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.0)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.supported_schemes()
    }
}
