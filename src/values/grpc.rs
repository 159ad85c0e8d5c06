//! `wait grpc` values: the target, `HOST:PORT` (TLS is the `tls` clause,
//! not a scheme), and the `service NAME` whose health is asked.

use super::host_port::{HostPort, parse_host_port};
use super::{Invalid, Problem};

const EXAMPLE: &str = "write HOST:PORT, e.g. `api:50051`, or `[::1]:50051` for IPv6";

pub fn parse_grpc_target(value: &str) -> Result<HostPort, Invalid> {
    if let Some((scheme, rest)) = value.split_once("://") {
        let secure = ["https", "grpcs"]
            .iter()
            .any(|s| s.eq_ignore_ascii_case(scheme));
        let help = if secure {
            "`wait grpc` takes HOST:PORT; for TLS add the `tls` clause, e.g. `wait grpc api:443 tls`"
        } else {
            "`wait grpc` takes HOST:PORT, e.g. `wait grpc api:50051`"
        };
        let bad = Invalid::new(Problem::GrpcTarget, "is a URL, not HOST:PORT").help(help);
        let authority = rest.trim_end_matches('/');
        return Err(match parse_host_port(authority) {
            // Plaintext keeps its meaning without the scheme; TLS needs the clause too.
            Ok(_) if !secure => bad.fix(authority),
            _ => bad,
        });
    }
    parse_host_port(value).map_err(|e| match e.problem {
        Problem::TcpTarget => Invalid {
            problem: Problem::GrpcTarget,
            // The HOST:PORT help, with gRPC ports in its examples.
            help: Some(e.help.map_or(EXAMPLE.into(), |h| {
                h.replace(":5432`", ":50051`").replace("`db:", "`api:")
            })),
            ..e
        },
        _ => e,
    })
}

/// A service name as the health protocol carries it: any text but the
/// empty one (that is the server as a whole, written by leaving `service`
/// out) and no blanks or control characters, which no protobuf name holds.
pub fn check_grpc_service(value: &str) -> Result<(), Invalid> {
    const NAMES: &str = "service names are fully qualified protobuf names, e.g. `grpc.health.v1.Health` or `shop.v1.Orders`";
    if value.is_empty() {
        return Err(Invalid::new(Problem::GrpcService, "is empty")
            .help("leave out `service` to ask about the server as a whole"));
    }
    if let Some((at, c)) = value
        .char_indices()
        .find(|(_, c)| c.is_whitespace() || c.is_control())
    {
        let what = if c.is_whitespace() {
            "a blank"
        } else {
            "a control character"
        };
        return Err(Invalid::new(Problem::GrpcService, format!("holds {what}"))
            .help(NAMES)
            .part(at..at + c.len_utf8()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_port_is_the_target() {
        let t = parse_grpc_target("127.0.0.1:50051").expect("valid");
        assert_eq!((t.host.as_str(), t.port), ("127.0.0.1", 50051));
        let t = parse_grpc_target("[::1]:9").expect("valid");
        assert_eq!(t.to_string(), "[::1]:9");
    }

    #[test]
    fn a_url_is_refused_with_the_way_to_write_it() {
        let plain = parse_grpc_target("grpc://api:50051").expect_err("a URL");
        assert_eq!(plain.problem, Problem::GrpcTarget);
        assert_eq!(plain.fix.as_deref(), Some("api:50051"));
        let tls = parse_grpc_target("https://api:443/").expect_err("a URL");
        assert_eq!(tls.fix, None, "dropping https:// alone would lose TLS");
        assert!(tls.help.expect("help").contains("`tls`"));
    }

    #[test]
    fn host_port_errors_are_grpc_errors_with_a_grpc_example() {
        let e = parse_grpc_target("api").expect_err("no port");
        assert_eq!(e.problem, Problem::GrpcTarget);
        assert!(e.help.expect("help").contains("api:50051"));
        let e = parse_grpc_target("api:0").expect_err("port 0");
        assert_eq!(e.problem, Problem::PortRange);
    }

    #[test]
    fn service_names() {
        assert!(check_grpc_service("grpc.health.v1.Health").is_ok());
        assert!(check_grpc_service("shop.v1.Orders").is_ok());
        let empty = check_grpc_service("").expect_err("empty");
        assert_eq!(empty.problem, Problem::GrpcService);
        let blank = check_grpc_service("shop Orders").expect_err("blank");
        assert_eq!(blank.part, Some(4..5));
        assert_eq!(blank.reason, "holds a blank");
        assert!(check_grpc_service("a\u{7}b").is_err());
    }
}
