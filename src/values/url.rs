//! http(s) URLs with a host: `wait http` and the `endpoint` of s3 steps.

use super::{Invalid, Problem};

fn bad(reason: &str) -> Invalid {
    Invalid::new(Problem::Url, reason)
}

pub fn check_http_url(value: &str) -> Result<(), Invalid> {
    let Some((scheme, rest)) = value.split_once("://") else {
        let d = bad("has no scheme").help("URLs start with `http://` or `https://`");
        let fixed = format!("http://{value}");
        return Err(match check_http_url(&fixed) {
            Ok(()) if !value.is_empty() => d.fix(fixed),
            _ => d,
        });
    };
    if !(scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https")) {
        return Err(bad("has a scheme other than `http://` or `https://`").help(
            if scheme.eq_ignore_ascii_case("tcp") {
                "to wait for a port, use `wait tcp HOST:PORT`"
            } else {
                "zinit speaks `http://` and `https://`"
            },
        ));
    }
    // The URL standard would read `http:///health` as host `health`.
    if rest.is_empty() || rest.starts_with(['/', '?', '#']) {
        return Err(no_host());
    }
    match url::Url::parse(value) {
        Ok(parsed) if parsed.host_str().is_none_or(str::is_empty) => Err(no_host()),
        Ok(parsed) if parsed.port() == Some(0) => Err(port_range()),
        Ok(_) => Ok(()),
        Err(url::ParseError::InvalidPort) if digits_port(value) => Err(port_range()),
        Err(e) => Err(bad(&format!("is not a valid URL: {e}"))
            .help("write an http:// or https:// URL, e.g. `http://api:8080/health`")),
    }
}

fn no_host() -> Invalid {
    bad("names no host").help("write an http:// or https:// URL, e.g. `http://api:8080/health`")
}

fn port_range() -> Invalid {
    Invalid::new(Problem::PortRange, "has a port outside 1–65535")
        .help("TCP ports run from 1 to 65535")
}

/// Whether the authority's port is all digits (too large, rather than malformed).
fn digits_port(url: &str) -> bool {
    let authority = url
        .split_once("://")
        .map_or(url, |(_, rest)| rest)
        .split(['/', '?', '#'])
        .next()
        .unwrap_or_default();
    let host_port = authority.rsplit('@').next().unwrap_or_default();
    let after_host = host_port.rsplit(']').next().unwrap_or_default();
    after_host
        .rsplit_once(':')
        .is_some_and(|(_, p)| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}
