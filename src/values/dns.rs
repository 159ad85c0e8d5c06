//! The values of `wait dns NAME [type T] [server IP[:PORT]] [value V]`: the
//! name to resolve, the record type, the server to ask, and the answer to
//! wait for.

use super::host_port::parse_port;
use super::{Invalid, Problem};
use std::net::{IpAddr, Ipv6Addr, SocketAddr};

/// The record types `wait dns` asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordType {
    A,
    Aaaa,
    Cname,
    Txt,
    Srv,
    Mx,
}

impl RecordType {
    pub const ALL: [RecordType; 6] = [
        RecordType::A,
        RecordType::Aaaa,
        RecordType::Cname,
        RecordType::Txt,
        RecordType::Srv,
        RecordType::Mx,
    ];

    /// As DNS tools write it: `AAAA`.
    pub fn name(self) -> &'static str {
        match self {
            RecordType::A => "A",
            RecordType::Aaaa => "AAAA",
            RecordType::Cname => "CNAME",
            RecordType::Txt => "TXT",
            RecordType::Srv => "SRV",
            RecordType::Mx => "MX",
        }
    }
}

/// The port a DNS server listens on unless `server` names another.
pub const DNS_PORT: u16 = 53;
/// RFC 1035: 255 bytes on the wire, 253 characters as text.
const MAX_NAME: usize = 253;
const MAX_LABEL: usize = 63;

const NAME_EXAMPLE: &str = "write a domain name, e.g. `db.internal` or `_pg._tcp.example.org`";
const TYPES: &str = "A, AAAA, CNAME, TXT, SRV or MX";

/// A name `wait dns` can resolve: labels of letters, digits, `-` and `_`
/// (SRV names such as `_pg._tcp.db`), 1–63 bytes each, 253 in all, an
/// optional final `.`. Returned as written.
pub fn check_dns_name(value: &str) -> Result<(), Invalid> {
    check_name(value, Problem::DnsName)
}

fn check_name(value: &str, problem: Problem) -> Result<(), Invalid> {
    let bad = |reason: &str| Invalid::new(problem, reason);
    if value.is_empty() {
        return Err(bad("is empty").help(NAME_EXAMPLE));
    }
    if let Some((_, rest)) = value.split_once("://") {
        let host = rest.split(['/', ':']).next().unwrap_or_default();
        let d = bad("is a URL, not a name").help(NAME_EXAMPLE);
        return Err(match check_name(host, problem) {
            Ok(()) => d.fix(host),
            Err(_) => d,
        });
    }
    if value.parse::<IpAddr>().is_ok() {
        return Err(bad("is an IP address, not a name to resolve")
            .help("`wait dns` waits for a name; to wait for an address's port, use `wait tcp`"));
    }
    if let Some((host, port)) = value.rsplit_once(':')
        && !port.is_empty()
        && port.bytes().all(|b| b.is_ascii_digit())
    {
        let d = bad("has a port; names have none")
            .help("the server to ask goes in `server IP[:PORT]`, e.g. `server 127.0.0.1:5353`")
            .part(host.len()..value.len());
        return Err(match check_name(host, problem) {
            Ok(()) => d.fix(host),
            Err(_) => d,
        });
    }
    let name = value.strip_suffix('.').unwrap_or(value);
    if name.len() > MAX_NAME {
        return Err(bad("is longer than the 253 characters a DNS name can have"));
    }
    let mut at = 0;
    for label in name.split('.') {
        let part = at..at + label.len();
        at += label.len() + 1;
        if label.is_empty() {
            let d = bad("has an empty label (two dots in a row, or a leading dot)");
            return Err(d.help(NAME_EXAMPLE).part(part.start..part.start + 1));
        }
        if label.len() > MAX_LABEL {
            return Err(bad("has a label longer than 63 characters")
                .help("each dot-separated part of a name has 1 to 63 characters")
                .part(part));
        }
        if !label
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_'))
        {
            return Err(bad("has characters that no DNS name holds")
                .help("names are letters, digits, `-` and `_`, in labels separated by `.`")
                .part(part));
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Err(bad("has a label that starts or ends with `-`")
                .help(NAME_EXAMPLE)
                .part(part));
        }
    }
    Ok(())
}

/// `type T`, in any case.
pub fn parse_record_type(value: &str) -> Result<RecordType, Invalid> {
    if let Some(known) = RecordType::ALL
        .into_iter()
        .find(|t| t.name().eq_ignore_ascii_case(value))
    {
        return Ok(known);
    }
    let bad = |reason: &str| Invalid::new(Problem::RecordType, reason);
    let other = [
        "NS", "PTR", "SOA", "CAA", "HTTPS", "SVCB", "NAPTR", "DS", "DNSKEY", "ANY",
    ];
    if other.iter().any(|t| t.eq_ignore_ascii_case(value)) {
        return Err(bad("is a record type `wait dns` does not ask for")
            .help(format!("`type` is one of {TYPES}")));
    }
    let d = bad("is not a record type").help(format!("`type` is one of {TYPES}"));
    let upper = value.to_ascii_uppercase();
    let closest = RecordType::ALL
        .into_iter()
        .map(|t| (strsim::levenshtein(&upper, t.name()), t))
        .min_by_key(|(distance, _)| *distance)
        .filter(|(distance, _)| *distance == 1);
    Err(match closest {
        Some((_, t)) => d.fix(t.name()),
        None => d,
    })
}

/// `server IP[:PORT]`: an IP address (a name would need a resolver to find
/// the resolver), IPv6 optionally in brackets, port 53 unless given.
pub fn parse_dns_server(value: &str) -> Result<SocketAddr, Invalid> {
    let bad = |reason: &str| Invalid::new(Problem::DnsServer, reason);
    const EXAMPLE: &str = "write IP[:PORT], e.g. `10.0.0.2`, `127.0.0.1:5353` or `[::1]:5353`";
    if let Ok(ip) = value.parse::<IpAddr>() {
        return Ok(SocketAddr::new(ip, DNS_PORT));
    }
    let (host, port) = if let Some(inner) = value.strip_prefix('[') {
        let Some((host, after)) = inner.split_once(']') else {
            return Err(bad("opens an IPv6 address with `[` that is never closed").help(EXAMPLE));
        };
        let Ok(ip) = host.parse::<Ipv6Addr>() else {
            return Err(
                bad("has brackets around something that is not an IPv6 address").help(EXAMPLE),
            );
        };
        match after {
            "" => return Ok(SocketAddr::new(IpAddr::V6(ip), DNS_PORT)),
            _ => match after.strip_prefix(':') {
                Some(port) => (host, port),
                None => {
                    return Err(bad("has something after `]` that is not `:PORT`").help(EXAMPLE));
                }
            },
        }
    } else {
        match value.rsplit_once(':') {
            Some((host, port)) if !host.contains(':') => (host, port),
            _ => (value, ""),
        }
    };
    let Ok(ip) = host.parse::<IpAddr>() else {
        if host.is_empty() {
            return Err(bad("names no server").help(EXAMPLE));
        }
        return Err(bad("names a host, not an IP address").help(
            "zinit asks this server to resolve names, so it cannot look up the server's own name; \
             write its IP address, e.g. `10.0.0.2` or `127.0.0.1:5353`",
        ));
    };
    let port_at = value.len() - port.len()..value.len();
    let port = parse_port(port).map_err(|e| match e.problem {
        Problem::TcpTarget => bad("has a port that is not a number")
            .help("ports are numbers from 1 to 65535")
            .part(port_at),
        _ => e.part(port_at),
    })?;
    Ok(SocketAddr::new(ip, port))
}

/// The answer `value V` waits for, read as the record type's answers are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordValue {
    /// A/AAAA (and the default, either): compared as addresses (`::1` is `0::1`).
    Ip(IpAddr),
    /// CNAME target, MX exchange, SRV target: compared without case or a final dot.
    Name(String),
    /// SRV `TARGET:PORT`.
    Service { target: String, port: u16 },
    /// TXT: the record's strings joined, compared byte for byte.
    Text(String),
}

/// `value V` for `type` (`None`: the default, A or AAAA).
pub fn parse_record_value(kind: Option<RecordType>, value: &str) -> Result<RecordValue, Invalid> {
    let bad = |reason: &str| Invalid::new(Problem::RecordValue, reason);
    let name = |value: &str| {
        check_name(value, Problem::RecordValue)
            .map(|()| RecordValue::Name(normal_name(value)))
            .map_err(|e| Invalid {
                reason: format!("{} ({} answer is a name)", e.reason, a_kind(kind)),
                ..e
            })
    };
    match kind {
        None | Some(RecordType::A) | Some(RecordType::Aaaa) => {
            let Ok(ip) = value.parse::<IpAddr>() else {
                let help = match kind {
                    None => {
                        "with no `type`, the answers are addresses (A or AAAA); to wait for \
                             another record, add `type CNAME`, `type TXT`…"
                    }
                    _ => "an address answer is compared with an IP address, e.g. `10.0.0.5`",
                };
                return Err(bad(&format!(
                    "is not an IP address, which {} answer is",
                    a_kind(kind)
                ))
                .help(help));
            };
            match (kind, ip) {
                (Some(RecordType::A), IpAddr::V6(_)) => {
                    Err(bad("is an IPv6 address, which no A answer is")
                        .help("IPv6 addresses are AAAA answers: write `type AAAA`"))
                }
                (Some(RecordType::Aaaa), IpAddr::V4(_)) => {
                    Err(bad("is an IPv4 address, which no AAAA answer is")
                        .help("IPv4 addresses are A answers: write `type A`"))
                }
                _ => Ok(RecordValue::Ip(ip)),
            }
        }
        Some(RecordType::Cname) | Some(RecordType::Mx) => name(value),
        Some(RecordType::Srv) => match value.rsplit_once(':') {
            Some((target, port)) => {
                let port = parse_port(port).map_err(|_| {
                    bad("has a port outside 1–65535 or not a number").help(
                        "an SRV value is `TARGET` or `TARGET:PORT`, e.g. `db-1.internal:5432`",
                    )
                })?;
                match name(target)? {
                    RecordValue::Name(target) => Ok(RecordValue::Service { target, port }),
                    other => Ok(other),
                }
            }
            None => name(value),
        },
        Some(RecordType::Txt) => Ok(RecordValue::Text(value.to_string())),
    }
}

/// "an A", "a CNAME": the type as a sentence names one of its answers.
fn a_kind(kind: Option<RecordType>) -> &'static str {
    match kind {
        None => "an A or AAAA",
        Some(RecordType::A) => "an A",
        Some(RecordType::Aaaa) => "an AAAA",
        Some(RecordType::Cname) => "a CNAME",
        Some(RecordType::Txt) => "a TXT",
        Some(RecordType::Srv) => "an SRV",
        Some(RecordType::Mx) => "an MX",
    }
}

/// A name as answers are compared: lower case, no final dot.
pub fn normal_name(name: &str) -> String {
    name.strip_suffix('.').unwrap_or(name).to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_take_srv_labels_and_a_final_dot() {
        for ok in ["db", "db.internal.", "_pg._tcp.example.org", "a-b.c1"] {
            check_dns_name(ok).unwrap_or_else(|e| panic!("{ok}: {e:?}"));
        }
        for (bad, fix) in [
            ("", None),
            ("a..b", None),
            ("-a.b", None),
            ("db.local:53", Some("db.local")),
            ("http://api.internal/x", Some("api.internal")),
            ("10.0.0.1", None),
            ("a b", None),
            (&"x".repeat(64), None),
        ] {
            let e = check_dns_name(bad).expect_err(bad);
            assert_eq!(e.problem, Problem::DnsName, "{bad}");
            assert_eq!(e.fix.as_deref(), fix, "{bad}");
        }
        let long = vec!["abcdefghi"; 26].join(".");
        assert!(check_dns_name(&long).is_err(), "{} characters", long.len());
    }

    #[test]
    fn record_types_in_any_case_with_a_guess_for_typos() {
        assert_eq!(parse_record_type("aaaa"), Ok(RecordType::Aaaa));
        assert_eq!(parse_record_type("SRV"), Ok(RecordType::Srv));
        let e = parse_record_type("AAA").expect_err("typo");
        assert_eq!(
            (e.problem, e.fix.as_deref()),
            (Problem::RecordType, Some("AAAA"))
        );
        let e = parse_record_type("NS").expect_err("not asked for");
        assert!(e.reason.contains("does not ask"), "{}", e.reason);
        assert_eq!(parse_record_type("BOGUS").expect_err("junk").fix, None);
    }

    #[test]
    fn servers_are_ip_addresses_with_port_53_by_default() {
        for (value, addr) in [
            ("127.0.0.1", "127.0.0.1:53"),
            ("127.0.0.1:5353", "127.0.0.1:5353"),
            ("::1", "[::1]:53"),
            ("[::1]", "[::1]:53"),
            ("[::1]:5353", "[::1]:5353"),
        ] {
            assert_eq!(
                parse_dns_server(value).map(|a| a.to_string()),
                Ok(addr.into())
            );
        }
        for (value, problem) in [
            ("ns1.internal", Problem::DnsServer),
            ("ns1.internal:53", Problem::DnsServer),
            ("127.0.0.1:dns", Problem::DnsServer),
            ("127.0.0.1:0", Problem::PortRange),
            ("[::1", Problem::DnsServer),
            (":53", Problem::DnsServer),
        ] {
            assert_eq!(
                parse_dns_server(value).map_err(|e| e.problem),
                Err(problem),
                "{value}"
            );
        }
    }

    #[test]
    fn values_are_read_as_the_type_answers() {
        let ip = |s: &str| RecordValue::Ip(s.parse().unwrap());
        assert_eq!(parse_record_value(None, "::1"), Ok(ip("::1")));
        assert_eq!(
            parse_record_value(Some(RecordType::A), "10.0.0.5"),
            Ok(ip("10.0.0.5"))
        );
        assert_eq!(
            parse_record_value(Some(RecordType::Cname), "Web.Internal."),
            Ok(RecordValue::Name("web.internal".into()))
        );
        assert_eq!(
            parse_record_value(Some(RecordType::Srv), "db-1.internal:5432"),
            Ok(RecordValue::Service {
                target: "db-1.internal".into(),
                port: 5432
            })
        );
        assert_eq!(
            parse_record_value(Some(RecordType::Txt), "v=1 ok"),
            Ok(RecordValue::Text("v=1 ok".into()))
        );
        for (kind, value) in [
            (None, "web.internal"),
            (Some(RecordType::A), "::1"),
            (Some(RecordType::Aaaa), "10.0.0.1"),
            (Some(RecordType::Cname), "not a name"),
            (Some(RecordType::Srv), "db:99999"),
        ] {
            let e = parse_record_value(kind, value).expect_err(value);
            assert_eq!(e.problem, Problem::RecordValue, "{value}");
        }
    }
}
