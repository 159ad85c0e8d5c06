//! Why a request failed, in words: `connection refused`, `no response within
//! 2s`, and for TLS what is wrong with the certificate and how to fix it,
//! instead of rustls' debug text (`Other(OtherError(CaUsedAsEndEntity))`).

use crate::run::fmt::duration;
use rustls::{AlertDescription, CertificateError};
use std::time::Duration;

/// A failed request: what to say, and whether TLS refused it (retried no
/// faster than an HTTP answer: the certificate will not change in 5ms).
pub struct Failure {
    pub why: String,
    pub tls: bool,
}

const FIX: &str = "to trust it, add `ca FILE` naming its CA certificate (PEM) or point SSL_CERT_FILE at it, or add `insecure` to skip verification";

/// What the server wants when it refuses a handshake with these alerts.
const CLIENT_CERT_FIX: &str = "it wants a client certificate it trusts: add `cert FILE key FILE`";

pub fn failure(e: &reqwest::Error, limit: Duration) -> Failure {
    let plain = |why: String| Failure { why, tls: false };
    if e.is_timeout() {
        return plain(format!("no response within {}", duration(limit)));
    }
    if let Some(tls) = find_tls_error(e) {
        return tls_failure(tls);
    }
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    let mut innermost = e.to_string();
    while let Some(err) = source {
        if let Some(io) = err.downcast_ref::<std::io::Error>() {
            return plain(crate::run::action::connect::io_reason(io));
        }
        innermost = err.to_string();
        source = err.source();
    }
    plain(innermost)
}

/// rustls' error somewhere in the chain. It travels inside `io::Error`s,
/// whose `source()` skips the error they carry, so look inside those too.
pub(crate) fn find_tls_error<'a>(
    e: &'a (dyn std::error::Error + 'static),
) -> Option<&'a rustls::Error> {
    if let Some(tls) = e.downcast_ref::<rustls::Error>() {
        return Some(tls);
    }
    if let Some(inner) = e
        .downcast_ref::<std::io::Error>()
        .and_then(|io| io.get_ref())
    {
        let inner: &(dyn std::error::Error + 'static) = inner;
        if let Some(tls) = find_tls_error(inner) {
            return Some(tls);
        }
    }
    e.source().and_then(find_tls_error)
}

fn tls_failure(e: &rustls::Error) -> Failure {
    let why = match e {
        rustls::Error::InvalidCertificate(cert) => {
            format!("TLS: {}; {FIX}", certificate_reason(cert))
        }
        rustls::Error::InvalidMessage(_) | rustls::Error::InappropriateMessage { .. } => {
            "TLS: the server did not answer in TLS (plain HTTP on an https:// URL? use http://)"
                .into()
        }
        rustls::Error::AlertReceived(
            alert @ (AlertDescription::CertificateRequired
            | AlertDescription::BadCertificate
            | AlertDescription::UnknownCA
            | AlertDescription::CertificateUnknown
            | AlertDescription::AccessDenied),
        ) => {
            format!("TLS: the server refused the handshake ({alert:?}); {CLIENT_CERT_FIX}")
        }
        rustls::Error::AlertReceived(alert) => {
            format!("TLS: the server refused the handshake ({alert:?})")
        }
        rustls::Error::NoCertificatesPresented => "TLS: the server sent no certificate".into(),
        other => format!("TLS: {other}"),
    };
    Failure { why, tls: true }
}

pub(crate) fn certificate_reason(e: &CertificateError) -> String {
    match e {
        CertificateError::UnknownIssuer => {
            "the certificate is signed by an unknown issuer (self-signed, or a private CA)".into()
        }
        CertificateError::BadSignature => {
            "the certificate's signature does not verify (self-signed, or an unknown CA)".into()
        }
        CertificateError::Expired | CertificateError::ExpiredContext { .. } => {
            "the certificate has expired".into()
        }
        CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => {
            "the certificate is not valid yet (is the clock right?)".into()
        }
        CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
            "the certificate is for another host name (wrong host)".into()
        }
        CertificateError::Revoked => "the certificate has been revoked".into(),
        CertificateError::Other(other) if other.to_string().contains("CaUsedAsEndEntity") => {
            "the server presents a CA certificate as its own (self-signed)".into()
        }
        other => format!("the certificate cannot be verified ({other})"),
    }
}
