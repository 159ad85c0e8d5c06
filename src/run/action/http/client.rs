//! The HTTP clients of a run, and which one a URL uses.
//!
//! Proxies: like Go's `net/http`, a loopback target (`localhost`,
//! `127.0.0.0/8`, `::1`) is always asked directly — a proxy cannot reach
//! the container's own loopback, and a proxy that answers for it would make
//! a wait succeed on the proxy's word. Any other host goes through the
//! proxy the environment names (`HTTP_PROXY`, `HTTPS_PROXY`, `ALL_PROXY`,
//! lower case too), except the hosts listed in `NO_PROXY`.
//!
//! Trust: `https://` is verified against the bundled Mozilla roots, plus
//! the certificates of the PEM file `SSL_CERT_FILE` names, if set, plus a
//! step's own `ca FILE`.

use super::CONNECT_TIMEOUT;
use crate::run::model::HttpCall;
use std::net::IpAddr;
use std::path::Path;
use std::sync::OnceLock;

/// The variables reqwest takes a proxy from.
pub const PROXY_VARIABLES: [&str; 6] = [
    "HTTP_PROXY",
    "http_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "ALL_PROXY",
    "all_proxy",
];

/// The TLS side of a client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientKind {
    /// `http://` only: no TLS roots to load.
    Plain,
    /// `https://`, certificates checked against the bundled roots and `SSL_CERT_FILE`.
    Verified,
    /// `https://` with `insecure`.
    Insecure,
}

/// How a request reaches its host.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    /// Straight to the host (loopback targets).
    Direct,
    /// Through the environment's proxy, where one is set and `NO_PROXY` allows.
    Proxied,
}

impl Route {
    pub fn for_host(host: &str) -> Route {
        if is_loopback(host) {
            Route::Direct
        } else {
            Route::Proxied
        }
    }
}

/// `localhost` (and `*.localhost`, RFC 6761) or a loopback address.
pub fn is_loopback(host: &str) -> bool {
    let host = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    let host = host.strip_suffix('.').unwrap_or(host).to_ascii_lowercase();
    host == "localhost"
        || host.ends_with(".localhost")
        || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// Whether the environment names a proxy at all.
pub fn proxy_configured() -> bool {
    PROXY_VARIABLES
        .iter()
        .any(|name| std::env::var_os(name).is_some_and(|v| !v.is_empty()))
}

/// Whether `NO_PROXY` (or `no_proxy`) exempts `host`: `*`, the host
/// itself, or a domain it is under (`example.org` and `.example.org` both
/// cover `api.example.org`). reqwest applies the same list to requests; this
/// copy only decides whether zinit may check the port directly first, so
/// an entry it does not understand (a CIDR range) merely skips that check.
pub fn no_proxy_lists(host: &str) -> bool {
    let list = std::env::var("NO_PROXY")
        .or_else(|_| std::env::var("no_proxy"))
        .unwrap_or_default();
    listed(&list, host)
}

fn listed(list: &str, host: &str) -> bool {
    let host = host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_ascii_lowercase();
    list.split(',')
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .any(|entry| {
            let domain = entry
                .trim_start_matches("*.")
                .trim_start_matches('.')
                .to_ascii_lowercase();
            entry == "*" || host == domain || host.ends_with(&format!(".{domain}"))
        })
}

/// Built on first use (loading TLS roots is costly), one per kind and route.
#[derive(Default)]
pub struct HttpClients {
    cells: [OnceLock<reqwest::Client>; 6],
}

impl HttpClients {
    pub fn get(&self, kind: ClientKind, route: Route) -> Result<reqwest::Client, String> {
        let cell = &self.cells[kind as usize * 2 + route as usize];
        if let Some(client) = cell.get() {
            return Ok(client.clone());
        }
        let client = build(kind, route)?;
        Ok(cell.get_or_init(|| client).clone())
    }
}

fn build(kind: ClientKind, route: Route) -> Result<reqwest::Client, String> {
    builder(kind, route)?.build().map_err(|e| e.to_string())
}

/// A client of one step's own: its `ca` trusted besides the usual roots,
/// its `cert` presented, up to `follow` redirects followed. Built when the
/// wait starts and again on each attempt until it can be (the files may
/// be written by a service that is starting).
pub fn build_own(
    kind: ClientKind,
    route: Route,
    call: &HttpCall,
) -> Result<reqwest::Client, String> {
    let mut builder = builder(kind, route)?.redirect(follow_policy(call.follow));
    if let Some(ca) = &call.ca
        && kind == ClientKind::Verified
    {
        for cert in pem_certificates("ca", ca)? {
            builder = builder.add_root_certificate(cert);
        }
    }
    if let Some((cert, key)) = &call.cert {
        let mut pem = read("cert", cert)?;
        pem.push(b'\n');
        pem.extend(read("key", key)?);
        let identity = reqwest::Identity::from_pem(&pem).map_err(|e| {
            format!(
                "cert {} key {}: not a PEM certificate and private key: {e}",
                cert.display(),
                key.display()
            )
        })?;
        builder = builder.identity(identity);
    }
    builder.build().map_err(|e| e.to_string())
}

/// Up to `follow` redirects; past them the 3xx is the answer (matched by `status`).
fn follow_policy(follow: u32) -> reqwest::redirect::Policy {
    let follow = follow as usize;
    reqwest::redirect::Policy::custom(move |attempt| {
        if attempt.previous().len() > follow {
            attempt.stop()
        } else {
            attempt.follow()
        }
    })
}

fn read(clause: &str, path: &Path) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("{clause} {}: {}", path.display(), io_words(&e)))
}

fn io_words(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

/// The certificates of a PEM file; an error when it holds none.
fn pem_certificates(clause: &str, path: &Path) -> Result<Vec<reqwest::Certificate>, String> {
    let shown = path.display();
    let pem = read(clause, path)?;
    let certs = reqwest::Certificate::from_pem_bundle(&pem)
        .map_err(|e| format!("{clause} {shown}: not a PEM certificate bundle: {e}"))?;
    if certs.is_empty() {
        return Err(format!("{clause} {shown}: no certificate in the file"));
    }
    Ok(certs)
}

fn builder(kind: ClientKind, route: Route) -> Result<reqwest::ClientBuilder, String> {
    let mut builder = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(CONNECT_TIMEOUT)
        .user_agent(concat!("zinit/", env!("CARGO_PKG_VERSION")))
        .dns_resolver(std::sync::Arc::new(crate::run::lookup::ForReqwest))
        .tls_built_in_root_certs(kind == ClientKind::Verified)
        .danger_accept_invalid_certs(kind == ClientKind::Insecure);
    if route == Route::Direct {
        builder = builder.no_proxy();
    }
    if kind == ClientKind::Verified {
        for cert in extra_roots()? {
            builder = builder.add_root_certificate(cert);
        }
    }
    Ok(builder)
}

/// The certificates of `SSL_CERT_FILE` (a PEM bundle), if set.
fn extra_roots() -> Result<Vec<reqwest::Certificate>, String> {
    let Some(path) = std::env::var_os("SSL_CERT_FILE").filter(|p| !p.is_empty()) else {
        return Ok(Vec::new());
    };
    pem_certificates("SSL_CERT_FILE", Path::new(&path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_proxy_entries_cover_hosts_and_their_subdomains() {
        let list = "example.org, .corp.test,10.0.0.1";
        assert!(listed(list, "example.org"));
        assert!(listed(list, "api.example.org"));
        assert!(listed(list, "db.corp.test"));
        assert!(listed(list, "10.0.0.1"));
        assert!(!listed(list, "notexample.org"));
        assert!(!listed(list, "db"));
        assert!(listed("*", "anything"));
        assert!(!listed("", "anything"));
    }

    #[test]
    fn loopback_hosts_are_never_proxied() {
        for host in [
            "localhost",
            "LOCALHOST.",
            "api.localhost",
            "127.0.0.1",
            "127.9.8.7",
            "[::1]",
            "::1",
        ] {
            assert_eq!(Route::for_host(host), Route::Direct, "{host}");
        }
        for host in [
            "db",
            "example.org",
            "10.0.0.1",
            "[::2]",
            "localhost.example",
        ] {
            assert_eq!(Route::for_host(host), Route::Proxied, "{host}");
        }
    }
}
