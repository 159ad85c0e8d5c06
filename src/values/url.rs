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
    // Most URLs are a plain `name[:port]/path`, which the URL parser always
    // accepts: judged without it, they cost a tenth of what they did (a
    // large script's `zinit check` spent a sixth of its checking in it).
    if plainly_valid(rest) {
        return Ok(());
    }
    parsed(value)
}

/// The verdict of the URL parser (the WHATWG URL standard) on `value`.
fn parsed(value: &str) -> Result<(), Invalid> {
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

/// Whether `rest`, what follows `http://`, is a plain `name[:port][/...]`
/// the URL parser accepts with a host and a port in 1–65535: lowercase
/// ASCII labels (the last starting with a letter, so never an IPv4
/// address; none `xn--`, so no punycode to decode), no user, and printable
/// ASCII after the host. Anything else goes to the parser.
fn plainly_valid(rest: &str) -> bool {
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, after) = rest.split_at(end);
    let (host, port) = match authority.split_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (authority, None),
    };
    let label_ok = |label: &str| {
        !label.is_empty()
            && !label.starts_with("xn--")
            && label
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    };
    let port_ok = port.is_none_or(|port| {
        (1..=5).contains(&port.len())
            && port.bytes().all(|b| b.is_ascii_digit())
            && port.parse::<u32>().is_ok_and(|p| (1..=65535).contains(&p))
    });
    host.split('.').all(label_ok)
        && host
            .rsplit('.')
            .next()
            .is_some_and(|last| last.starts_with(|c: char| c.is_ascii_lowercase()))
        && port_ok
        && after.bytes().all(|b| b.is_ascii_graphic() && b != b'\\')
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn plain_urls_skip_the_parser_and_others_do_not() {
        for plain in [
            "api-1.svc:8080/healthz",
            "auth.example.com/ready?x=1#y",
            "db",
            "a:65535",
        ] {
            assert!(plainly_valid(plain), "{plain}");
            assert!(parsed(&format!("http://{plain}")).is_ok(), "{plain}");
        }
        for other in [
            "",
            "api:0",
            "api:65536",
            "api:",
            "1.2.3.4",
            "a.1",
            "xn--abc.com",
            "API",
            "a..b",
            "user@api",
            "[::1]:80",
            "a/b c",
            "a/\\b",
            "a/é",
        ] {
            assert!(!plainly_valid(other), "{other}");
        }
    }

    proptest! {
        /// What the fast path accepts, the parser accepts too.
        #[test]
        fn plainly_valid_urls_parse(
            rest in "[a-z0-9x.-]{0,12}(:[0-9]{0,6})?([/?#][!-~]{0,12})?",
        ) {
            if plainly_valid(&rest) {
                for scheme in ["http", "https"] {
                    let url = format!("{scheme}://{rest}");
                    prop_assert!(parsed(&url).is_ok(), "{url}");
                }
            }
        }
    }
}
