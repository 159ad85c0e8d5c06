//! What an action points at, when written literally: `wait tcp` HOST:PORT
//! (E104, E105), http(s) URLs (E106, E105), s3://BUCKET/KEY (E107), and
//! `insecure` where there is no TLS (W104). Text holding `${...}` is checked
//! when it is resolved.

use super::names::Name;
use super::{Context, own};
use crate::check::codes::{BAD_S3_LOCATION, BAD_TCP_TARGET, BAD_URL, INSECURE_HTTP, PORT_RANGE};
use crate::syntax::Span;
use crate::syntax::ast::{Action, Quote, Step, Text, TextPart};
use std::borrow::Cow;
use std::net::Ipv6Addr;

pub(super) fn action(cx: &mut Context, step: &Step) {
    match &step.action {
        Action::WaitTcp { target } => tcp_target(cx, target),
        Action::WaitHttp { url } => self::url(cx, url),
        Action::S3Pull {
            source,
            destination,
        } => s3_pair(cx, source, destination, "pull"),
        Action::S3Push {
            source,
            destination,
        } => s3_pair(cx, destination, source, "push"),
        _ => {}
    }
}

fn tcp_target(cx: &mut Context, text: &Text) {
    let Some(target) = literal(text) else { return };
    let bad = |message: String| {
        BAD_TCP_TARGET
            .at(text.span, message)
            .with_label("not HOST:PORT")
    };
    if let Some((scheme, rest)) = target.split_once("://") {
        let authority = rest.split('/').next().unwrap_or_default();
        let mut d = bad(format!("`wait tcp` takes HOST:PORT, not a URL: `{target}`")).with_help(
            if scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https") {
                "to wait for an HTTP answer, use `wait http URL`"
            } else {
                "write the host and port alone, e.g. `db:5432`"
            },
        );
        if text.quote == Quote::Bare && !authority.is_empty() {
            d = d.with_unsafe_fix(format!("use `{authority}`"), text.span, authority);
        }
        return cx.push(d);
    }
    let split = if let Some(inner) = target.strip_prefix('[') {
        match inner.split_once(']') {
            None => return cx.push(bad("`[` opens an IPv6 address that is never closed".into())),
            Some((host, _)) if host.parse::<Ipv6Addr>().is_err() => {
                return cx.push(
                    bad(format!("`{host}` is not an IPv6 address"))
                        .with_help("brackets hold an IPv6 address, e.g. `[::1]:5432`"),
                );
            }
            Some((host, after)) => (host, after.strip_prefix(':')),
        }
    } else {
        match target.rsplit_once(':') {
            Some((host, port)) if host.contains(':') => {
                let d = bad(format!("IPv6 address `{host}` must be in brackets"))
                    .with_help("write IPv6 addresses as `[ADDRESS]:PORT`");
                let fixed = format!("[{host}]:{port}");
                return cx.push(if text.quote == Quote::Bare {
                    d.with_unsafe_fix(format!("use `{fixed}`"), text.span, fixed)
                } else {
                    d
                });
            }
            Some((host, port)) => (host, Some(port)),
            None => (&*target, None),
        }
    };
    let (host, port) = split;
    if host.is_empty() {
        return cx.push(
            bad(format!("`{target}` names no host"))
                .with_help("write HOST:PORT, e.g. `localhost:5432`"),
        );
    }
    let Some(port_text) = port.filter(|p| !p.is_empty()) else {
        return cx.push(
            bad(format!("`{target}` has no port"))
                .with_help(format!("write HOST:PORT, e.g. `{host}:5432`")),
        );
    };
    let port_span = tail_span(text, &target, port_text.len());
    self::port(cx, port_text, port_span);
}

/// E104 for a port that is not a number, E105 for one outside 1–65535.
fn port(cx: &mut Context, port: &str, span: Span) {
    if !port.bytes().all(|b| b.is_ascii_digit()) {
        return cx.push(
            BAD_TCP_TARGET
                .at(span, format!("port `{port}` is not a number"))
                .with_label("not a port")
                .with_help("ports are numbers from 1 to 65535"),
        );
    }
    let in_range = port.parse::<u32>().is_ok_and(|p| (1..=65535).contains(&p));
    if !in_range {
        cx.push(port_out_of_range(span, port));
    }
}

fn port_out_of_range(span: Span, port: &str) -> crate::check::Diagnostic {
    PORT_RANGE
        .at(span, format!("port {port} is outside 1–65535"))
        .with_label("not a valid port")
        .with_help("TCP ports run from 1 to 65535")
}

/// E106/E105: an http(s) URL with a host, when written literally.
pub(super) fn url(cx: &mut Context, text: &Text) {
    let Some(url) = literal(text) else { return };
    let bad = |message: String| {
        BAD_URL
            .at(text.span, message)
            .with_label("not an http(s) URL")
    };
    let Some((scheme, rest)) = url.split_once("://") else {
        let mut d = bad(format!("`{url}` has no scheme"))
            .with_help("URLs start with `http://` or `https://`");
        if text.quote == Quote::Bare {
            let fixed = format!("http://{}", text.span.slice(cx.text));
            d = d.with_unsafe_fix(format!("use `{fixed}`"), text.span, fixed);
        }
        return cx.push(d);
    };
    if !(scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https")) {
        let help = if scheme.eq_ignore_ascii_case("tcp") {
            "to wait for a port, use `wait tcp HOST:PORT`"
        } else {
            "zinit speaks `http://` and `https://`"
        };
        return cx.push(bad(format!("`{scheme}://` is not an http(s) URL")).with_help(help));
    }
    // The URL standard would read `http:///health` as host `health`.
    if rest.is_empty() || rest.starts_with(['/', '?', '#']) {
        return cx.push(bad(format!("`{url}` names no host")));
    }
    match url::Url::parse(&url) {
        Ok(parsed) if parsed.host_str().is_none_or(str::is_empty) => {
            cx.push(bad(format!("`{url}` names no host")))
        }
        Ok(parsed) if parsed.port() == Some(0) => cx.push(port_out_of_range(text.span, "0")),
        Ok(_) => {}
        Err(url::ParseError::InvalidPort) if digits_port(&url) => {
            cx.push(port_out_of_range(text.span, &url_port(&url)))
        }
        Err(e) => cx.push(bad(format!("`{url}` is not a valid URL: {e}"))),
    }
}

/// The port text of a URL's authority, if any.
fn url_port(url: &str) -> String {
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
        .map_or(String::new(), |(_, p)| p.to_string())
}

fn digits_port(url: &str) -> bool {
    let port = url_port(url);
    !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit())
}

/// `remote` must be `s3://BUCKET/KEY`; `local` is a path.
fn s3_pair(cx: &mut Context, remote: &Text, local: &Text, verb: &str) {
    let other = if verb == "pull" { "push" } else { "pull" };
    if let Some(location) = literal(local).filter(|l| is_s3(l)) {
        let role = if verb == "pull" {
            "destination"
        } else {
            "source"
        };
        let swapped = literal(remote).is_some_and(|r| !is_s3(&r));
        let help = if swapped {
            format!(
                "`s3 {verb}` copies {}; did you mean `s3 {other}`?",
                direction(verb)
            )
        } else {
            format!("`s3 {verb}` copies {}", direction(verb))
        };
        return cx.push(
            BAD_S3_LOCATION
                .at(
                    local.span,
                    format!("the {role} of `s3 {verb}` is a local path, not `{location}`"),
                )
                .with_label("expected a local path")
                .with_help(help),
        );
    }
    let Some(location) = literal(remote) else {
        return;
    };
    let bad = |message: String| {
        BAD_S3_LOCATION
            .at(remote.span, message)
            .with_label("not s3://BUCKET/KEY")
    };
    let Some(rest) = strip_s3(&location) else {
        return cx.push(
            bad(format!("`{location}` is not an s3:// location"))
                .with_help(format!("`s3 {verb}` copies {}", direction(verb))),
        );
    };
    let (bucket, key) = rest.split_once('/').unwrap_or((rest, ""));
    if bucket.is_empty() {
        cx.push(bad(format!("`{location}` names no bucket")).with_help("write s3://BUCKET/KEY"));
    } else if key.is_empty() {
        cx.push(
            bad(format!("`{location}` names no object key")).with_help(format!(
                "write s3://{bucket}/KEY, e.g. `s3://{bucket}/data.tar`"
            )),
        );
    }
}

fn direction(verb: &str) -> &'static str {
    if verb == "pull" {
        "from s3://BUCKET/KEY to a local path"
    } else {
        "from a local path to s3://BUCKET/KEY"
    }
}

fn strip_s3(location: &str) -> Option<&str> {
    let (scheme, rest) = location.split_once("://")?;
    scheme.eq_ignore_ascii_case("s3").then_some(rest)
}

fn is_s3(location: &str) -> bool {
    strip_s3(location).is_some()
}

/// W104: `insecure` turns off TLS verification, which an http:// URL never does.
pub(super) fn insecure_on_http(cx: &mut Context, step: &Step) {
    let Action::WaitHttp { url } = &step.action else {
        return;
    };
    let Some(insecure) = own(step, Name::Insecure) else {
        return;
    };
    let leading = match url.parts.first() {
        Some(TextPart::Literal(s)) => s.as_str(),
        _ => return,
    };
    let is_plain_http = leading
        .get(..7)
        .is_some_and(|scheme| scheme.eq_ignore_ascii_case("http://"));
    if is_plain_http {
        let removal = cx.removal(insecure.span);
        cx.push(
            INSECURE_HTTP
                .at(insecure.span, "`insecure` has no effect on an http:// URL")
                .with_label("no TLS to verify")
                .with_secondary(url.span, "plain http")
                .with_help("`insecure` skips TLS certificate checks, which only https:// URLs have")
                .with_safe_fix("remove `insecure`", removal, ""),
        );
    }
}

/// The text when it holds no variables, borrowed in the common case of a
/// single literal part (no allocation per step on large scripts).
fn literal(text: &Text) -> Option<Cow<'_, str>> {
    match text.parts.as_slice() {
        [] => Some(Cow::Borrowed("")),
        [TextPart::Literal(s)] => Some(Cow::Borrowed(s)),
        _ => text.literal().map(Cow::Owned),
    }
}

/// The span of the last `len` bytes of `literal` inside `text`, when the
/// source spells the literal byte for byte (bare or single-quoted); else the
/// whole text.
fn tail_span(text: &Text, literal: &str, len: usize) -> Span {
    let quotes = match text.quote {
        Quote::Bare => 0,
        Quote::Single => 1,
        Quote::Double => return text.span,
    };
    if text.span.len() != literal.len() + 2 * quotes {
        return text.span;
    }
    let end = text.span.end - quotes;
    Span::new(end - len, end)
}
