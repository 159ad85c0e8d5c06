//! `HOST:PORT`, with IPv6 addresses in brackets: `db:5432`, `[::1]:5432`.

use super::{Invalid, Problem};
use std::fmt;
use std::net::{IpAddr, Ipv6Addr};

/// A checked `HOST:PORT`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostPort {
    /// The host without brackets.
    pub host: String,
    pub port: u16,
    /// Set when the host is an IP address: no name to look up.
    pub ip: Option<IpAddr>,
}

impl fmt::Display for HostPort {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if matches!(self.ip, Some(IpAddr::V6(_))) {
            write!(f, "[{}]:{}", self.host, self.port)
        } else {
            write!(f, "{}:{}", self.host, self.port)
        }
    }
}

const EXAMPLE: &str = "write HOST:PORT, e.g. `db:5432`, or `[::1]:5432` for IPv6";

fn bad(reason: &str) -> Invalid {
    Invalid::new(Problem::TcpTarget, reason)
}

pub fn parse_host_port(value: &str) -> Result<HostPort, Invalid> {
    if let Some((scheme, rest)) = value.split_once("://") {
        return Err(url_instead(scheme, rest));
    }
    let (host, host_at, port) = if let Some(inner) = value.strip_prefix('[') {
        let Some((host, after)) = inner.split_once(']') else {
            return Err(bad("opens an IPv6 address with `[` that is never closed").help(EXAMPLE));
        };
        if host.parse::<Ipv6Addr>().is_err() {
            return Err(
                bad("has brackets around something that is not an IPv6 address")
                    .help("brackets hold an IPv6 address, e.g. `[::1]:5432`")
                    .part(1..1 + host.len()),
            );
        }
        (host, 1, after.strip_prefix(':'))
    } else {
        match value.rsplit_once(':') {
            Some((host, port)) if host.contains(':') => return Err(unbracketed(host, port)),
            Some((host, port)) => (host, 0, Some(port)),
            None => (value, 0, None),
        }
    };
    if host.is_empty() {
        return Err(bad("names no host").help("write HOST:PORT, e.g. `localhost:5432`"));
    }
    let Some(port_text) = port.filter(|p| !p.is_empty()) else {
        return Err(bad("has no port").help(EXAMPLE));
    };
    let port_at = value.len() - port_text.len()..value.len();
    let port = parse_port(port_text).map_err(|e| e.part(port_at))?;
    let ip = host.parse::<IpAddr>().ok();
    if ip.is_none() && !is_host_name(host) {
        return Err(bad("names a host with characters that no host name holds")
            .help("host names are letters, digits, `-`, `_` and `.`; IPv6 addresses go in brackets")
            .part(host_at..host_at + host.len()));
    }
    Ok(HostPort {
        host: host.to_string(),
        port,
        ip,
    })
}

/// A TCP or UDP port: digits, 1–65535.
pub(super) fn parse_port(text: &str) -> Result<u16, Invalid> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(
            bad("has a port that is not a number").help("ports are numbers from 1 to 65535")
        );
    }
    text.parse::<u16>().ok().filter(|p| *p != 0).ok_or_else(|| {
        Invalid::new(Problem::PortRange, "has a port outside 1–65535")
            .help("TCP ports run from 1 to 65535")
    })
}

fn is_host_name(host: &str) -> bool {
    host.bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

fn url_instead(scheme: &str, rest: &str) -> Invalid {
    let web = scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https");
    let d = bad("is a URL, not HOST:PORT").help(if web {
        "to wait for an HTTP answer, use `wait http URL`"
    } else {
        "write the host and port alone, e.g. `db:5432`"
    });
    let authority = rest.split('/').next().unwrap_or_default();
    match parse_host_port(authority) {
        Ok(_) => d.fix(authority),
        Err(_) => d,
    }
}

fn unbracketed(host: &str, port: &str) -> Invalid {
    let d = bad("has an IPv6 address that is not in brackets")
        .help("write IPv6 addresses as `[ADDRESS]:PORT`, e.g. `[::1]:5432`");
    let fixed = format!("[{host}]:{port}");
    if host.parse::<Ipv6Addr>().is_ok() && parse_host_port(&fixed).is_ok() {
        d.fix(fixed)
    } else {
        d
    }
}
