//! The targets of protocol waits: `HOST:PORT`, or a URL of the service's own
//! scheme carrying credentials and a database — `postgres://user:pass@db/app`,
//! `redis://:pass@cache:6379/0`, `mysql://app:pass@db/shop`.

use super::host_port::{HostPort, parse_host_port};
use super::{Invalid, Problem};
use std::net::IpAddr;

/// The services a protocol wait speaks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Service {
    Postgres,
    Redis,
    Mysql,
}

impl Service {
    pub fn name(self) -> &'static str {
        match self {
            Service::Postgres => "postgres",
            Service::Redis => "redis",
            Service::Mysql => "mysql",
        }
    }

    fn schemes(self) -> &'static [&'static str] {
        match self {
            Service::Postgres => &["postgres", "postgresql"],
            Service::Redis => &["redis"],
            Service::Mysql => &["mysql", "mariadb"],
        }
    }

    /// The server as users call it.
    pub fn product(self) -> &'static str {
        match self {
            Service::Postgres => "PostgreSQL",
            Service::Redis => "Redis",
            Service::Mysql => "MySQL",
        }
    }

    /// The value as messages name it.
    pub fn what(self) -> &'static str {
        match self {
            Service::Postgres => "the `wait postgres` target",
            Service::Redis => "the `wait redis` target",
            Service::Mysql => "the `wait mysql` target",
        }
    }

    pub fn default_port(self) -> u16 {
        match self {
            Service::Postgres => 5432,
            Service::Redis => 6379,
            Service::Mysql => 3306,
        }
    }

    fn example(self) -> &'static str {
        match self {
            Service::Postgres => {
                "write HOST:PORT or postgres://USER[:PASS]@HOST[:PORT][/DB], e.g. `db:5432`"
            }
            Service::Redis => {
                "write HOST:PORT or redis://[:PASS@]HOST[:PORT][/DB], e.g. `cache:6379`"
            }
            Service::Mysql => {
                "write HOST:PORT or mysql://USER[:PASS]@HOST[:PORT][/DB], e.g. `db:3306`"
            }
        }
    }
}

/// A checked protocol-wait target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceTarget {
    pub address: HostPort,
    /// Percent-decoded; empty user names are `None`.
    pub user: Option<String>,
    pub password: Option<String>,
    /// Postgres: a database name; Redis: a database number.
    pub database: Option<String>,
}

fn bad(reason: &str) -> Invalid {
    Invalid::new(Problem::ServiceTarget, reason)
}

pub fn parse_service_target(service: Service, value: &str) -> Result<ServiceTarget, Invalid> {
    let Some((scheme, _)) = value.split_once("://") else {
        let address = parse_host_port(value).map_err(|e| match e.problem {
            Problem::TcpTarget => Invalid {
                problem: Problem::ServiceTarget,
                help: Some(service.example().into()),
                ..e
            },
            _ => e,
        })?;
        return Ok(ServiceTarget {
            address,
            user: None,
            password: None,
            database: None,
        });
    };
    if !service
        .schemes()
        .iter()
        .any(|s| s.eq_ignore_ascii_case(scheme))
    {
        let help = if service == Service::Redis && scheme.eq_ignore_ascii_case("rediss") {
            "zinit speaks plain RESP; TLS (`rediss://`) is not supported".to_string()
        } else {
            format!(
                "a `wait {}` URL starts with `{}://`",
                service.name(),
                service.schemes()[0]
            )
        };
        return Err(bad("has the wrong scheme").help(help));
    }
    let url = url::Url::parse(value).map_err(|e| match e {
        url::ParseError::InvalidPort => {
            Invalid::new(Problem::PortRange, "has a port outside 1–65535")
                .help("TCP ports run from 1 to 65535")
        }
        e => bad(&format!("is not a valid URL: {e}")).help(service.example()),
    })?;
    let host = match url.host() {
        Some(url::Host::Domain(d)) if !d.is_empty() => d.to_string(),
        Some(url::Host::Ipv4(ip)) => ip.to_string(),
        Some(url::Host::Ipv6(ip)) => ip.to_string(),
        _ => return Err(bad("names no host").help(service.example())),
    };
    if url.query().is_some() || url.fragment().is_some() {
        return Err(
            bad("has parameters (`?...` or `#...`), which zinit does not read").help(
                "zinit connects without TLS and reads only user, password, host, port and database",
            ),
        );
    }
    let port = match url.port() {
        Some(0) => {
            return Err(
                Invalid::new(Problem::PortRange, "has a port outside 1–65535")
                    .help("TCP ports run from 1 to 65535"),
            );
        }
        Some(port) => port,
        None => service.default_port(),
    };
    let decode = |s: &str| {
        percent_decode(s).ok_or_else(|| {
            bad("has a percent-escape that is not UTF-8")
                .help("escape bytes as `%XX` of UTF-8 text")
        })
    };
    let user = Some(decode(url.username())?).filter(|u| !u.is_empty());
    let password = url.password().map(decode).transpose()?;
    let path = decode(url.path().trim_start_matches('/'))?;
    let database = Some(path).filter(|p| !p.is_empty());
    if service != Service::Redis && user.is_none() && password.is_some() {
        let scheme = service.schemes()[0];
        return Err(bad("has a password but no user").help(format!(
            "write {scheme}://USER:PASS@HOST, e.g. `{scheme}://app:secret@db/app`"
        )));
    }
    if service == Service::Redis
        && let Some(db) = &database
        && db.parse::<u16>().is_err()
    {
        return Err(bad("names a database that is not a number")
            .help("Redis databases are numbers, e.g. `redis://cache:6379/0`"));
    }
    Ok(ServiceTarget {
        address: HostPort {
            ip: host.parse::<IpAddr>().ok(),
            host,
            port,
        },
        user,
        password,
        database,
    })
}

/// `%XX` escapes decoded; `None` when the bytes are not UTF-8.
fn percent_decode(s: &str) -> Option<String> {
    let decoded = percent_encoding::percent_decode_str(s).decode_utf8().ok()?;
    Some(decoded.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(service: Service, value: &str) -> ServiceTarget {
        parse_service_target(service, value).unwrap_or_else(|e| panic!("{value}: {e:?}"))
    }

    #[test]
    fn urls_give_credentials_database_and_default_ports() {
        let t = parsed(Service::Postgres, "postgresql://app:p%40ss@[::1]/shop");
        assert_eq!(t.address.to_string(), "[::1]:5432");
        assert_eq!(t.user.as_deref(), Some("app"));
        assert_eq!(t.password.as_deref(), Some("p@ss"));
        assert_eq!(t.database.as_deref(), Some("shop"));
        let t = parsed(Service::Redis, "redis://:secret@cache/2");
        assert_eq!(t.address.to_string(), "cache:6379");
        assert_eq!((t.user, t.password.as_deref()), (None, Some("secret")));
        let t = parsed(Service::Mysql, "mysql://root:pw@127.0.0.1/shop");
        assert_eq!(t.address.to_string(), "127.0.0.1:3306");
        assert_eq!(t.user.as_deref(), Some("root"));
        assert_eq!(t.database.as_deref(), Some("shop"));
        let t = parsed(Service::Mysql, "MariaDB://app@db:3307");
        assert_eq!((t.address.port, t.password), (3307, None));
        let t = parsed(Service::Redis, "127.0.0.1:6380");
        assert_eq!((t.address.port, t.password), (6380, None));
    }

    #[test]
    fn broken_targets_name_their_rule() {
        for (service, value, problem) in [
            (Service::Postgres, "db", Problem::ServiceTarget),
            (Service::Postgres, "db:0", Problem::PortRange),
            (
                Service::Postgres,
                "postgres://db:70000/x",
                Problem::PortRange,
            ),
            (Service::Postgres, "redis://db", Problem::ServiceTarget),
            (
                Service::Postgres,
                "postgres://:pw@db",
                Problem::ServiceTarget,
            ),
            (
                Service::Postgres,
                "postgres://db/x?sslmode=require",
                Problem::ServiceTarget,
            ),
            (Service::Postgres, "postgres:///x", Problem::ServiceTarget),
            (Service::Redis, "rediss://cache", Problem::ServiceTarget),
            (Service::Redis, "redis://cache/one", Problem::ServiceTarget),
            (Service::Mysql, "mysql://:pw@db", Problem::ServiceTarget),
            (Service::Mysql, "postgres://db", Problem::ServiceTarget),
            (
                Service::Mysql,
                "mysql://db/x?ssl-mode=REQUIRED",
                Problem::ServiceTarget,
            ),
            (Service::Mysql, "mysql://db:0", Problem::PortRange),
        ] {
            let e = parse_service_target(service, value).expect_err(value);
            assert_eq!(e.problem, problem, "{value}: {e:?}");
            assert!(!e.reason.contains(value), "reasons never quote the value");
        }
    }
}
