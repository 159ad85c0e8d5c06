//! `wait dns NAME [type T] [server IP[:PORT]] [value V]`: asks (hickory-
//! resolver) until NAME has an answer of the type — and, with `value`, one
//! that equals V. Nothing is cached between checks, so a name that was
//! NXDOMAIN is seen the moment it exists. A timeout names the last thing
//! the server said: NXDOMAIN, SERVFAIL, "no A answer", or the answers it
//! gave when none was the value.

use super::{Attempt, AttemptCtx, Check, Probe, answered_within, poll_until};
use crate::run::model::DnsWait;
use crate::values::{RecordType, RecordValue, normal_name};
use std::net::IpAddr;
use std::time::Duration;

/// One question gives up after this: a DNS answer takes milliseconds, and a
/// lost UDP packet is better asked again soon than waited for.
pub const CHECK_LIMIT: Duration = Duration::from_secs(1);
/// Answers named in a message; the rest are counted.
const SHOWN_ANSWERS: usize = 4;

/// One answer, as `value` is compared with it.
#[derive(Debug, Clone, PartialEq)]
// Without the `dns` feature nothing is looked up, so nothing answers.
#[cfg_attr(not(feature = "dns"), allow(dead_code))]
pub enum Answer {
    Ip(IpAddr),
    Cname(String),
    Mx {
        preference: u16,
        exchange: String,
    },
    Srv {
        priority: u16,
        weight: u16,
        port: u16,
        target: String,
    },
    Txt(String),
}

impl Answer {
    /// Whether this answer is the one `value` waits for: addresses as
    /// addresses, names without case or final dot, SRV by target (and port
    /// if given), MX by exchange, TXT byte for byte.
    pub fn is(&self, value: &RecordValue) -> bool {
        match (self, value) {
            (Answer::Ip(ip), RecordValue::Ip(want)) => ip == want,
            (Answer::Cname(name), RecordValue::Name(want))
            | (Answer::Mx { exchange: name, .. }, RecordValue::Name(want))
            | (Answer::Srv { target: name, .. }, RecordValue::Name(want)) => {
                normal_name(name) == *want
            }
            (
                Answer::Srv { target, port, .. },
                RecordValue::Service {
                    target: want,
                    port: p,
                },
            ) => normal_name(target) == *want && port == p,
            (Answer::Txt(text), RecordValue::Text(want)) => text == want,
            _ => false,
        }
    }
}

impl std::fmt::Display for Answer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Answer::Ip(ip) => write!(f, "{ip}"),
            Answer::Cname(name) => write!(f, "{name}"),
            Answer::Mx {
                preference,
                exchange,
            } => write!(f, "{preference} {exchange}"),
            Answer::Srv {
                priority,
                weight,
                port,
                target,
            } => write!(f, "{priority} {weight} {port} {target}"),
            Answer::Txt(text) => write!(f, "{text:?}"),
        }
    }
}

/// The verdict on one set of answers.
pub fn judge(wait: &DnsWait, answers: &[Answer]) -> Probe {
    let Some(value) = &wait.value else {
        return Probe::Ready;
    };
    if answers.iter().any(|a| a.is(value)) {
        return Probe::Ready;
    }
    let mut shown: Vec<String> = answers
        .iter()
        .take(SHOWN_ANSWERS)
        .map(|a| a.to_string())
        .collect();
    if answers.len() > SHOWN_ANSWERS {
        shown.push(format!("{} more", answers.len() - SHOWN_ANSWERS));
    }
    Probe::answered(format!(
        "{} answers {}, not {}",
        wait.name,
        shown.join(", "),
        wait.value_text.as_deref().unwrap_or_default()
    ))
}

#[cfg_attr(not(feature = "dns"), allow(dead_code))]
fn type_name(kind: Option<RecordType>) -> &'static str {
    kind.map_or("A/AAAA", RecordType::name)
}

pub async fn wait(ctx: &AttemptCtx<'_>, wait: &DnsWait) -> Attempt {
    match lookup::Asker::new(wait) {
        Ok(asker) => poll_until(ctx, &mut DnsCheck { wait, asker }).await,
        Err(why) => Attempt::failed(why),
    }
}

struct DnsCheck<'a> {
    wait: &'a DnsWait,
    asker: lookup::Asker,
}

impl Check for DnsCheck<'_> {
    async fn check(&mut self, _ctx: &AttemptCtx<'_>, budget: Duration) -> Probe {
        let limit = CHECK_LIMIT.min(budget);
        let server = self.asker.server();
        answered_within(&server, limit, async {
            match self.asker.ask(self.wait).await {
                Ok(answers) => judge(self.wait, &answers),
                Err(why) => Probe::answered(why),
            }
        })
        .await
    }

    fn pending(&self) -> &'static str {
        "the server has not answered yet"
    }
}

#[cfg(feature = "dns")]
mod lookup {
    use super::{Answer, CHECK_LIMIT, type_name};
    use crate::run::model::DnsWait;
    use crate::values::RecordType;
    use hickory_resolver::config::{
        LookupIpStrategy, NameServerConfig, ResolveHosts, ResolverConfig,
    };
    use hickory_resolver::name_server::TokioConnectionProvider;
    use hickory_resolver::proto::ProtoErrorKind;
    use hickory_resolver::proto::op::ResponseCode;
    use hickory_resolver::proto::rr::{RData, RecordType as Rr};
    use hickory_resolver::proto::xfer::Protocol;
    use hickory_resolver::{ResolveError, TokioResolver};

    /// One resolver for the attempt, with no cache: each check asks anew.
    pub struct Asker {
        resolver: TokioResolver,
        server: String,
    }

    impl Asker {
        pub fn new(wait: &DnsWait) -> Result<Asker, String> {
            let provider = TokioConnectionProvider::default();
            let mut builder = match wait.server {
                Some(addr) => {
                    let mut config = ResolverConfig::new();
                    config.add_name_server(NameServerConfig::new(addr, Protocol::Udp));
                    // Truncated answers (large TXT sets) come again over TCP.
                    config.add_name_server(NameServerConfig::new(addr, Protocol::Tcp));
                    let mut builder = TokioResolver::builder_with_config(config, provider);
                    // The server named is the one asked, not /etc/hosts.
                    builder.options_mut().use_hosts_file = ResolveHosts::Never;
                    builder
                }
                None => TokioResolver::builder(provider)
                    .map_err(|e| format!("cannot read the system resolver's configuration: {e}"))?,
            };
            let options = builder.options_mut();
            options.cache_size = 0;
            options.timeout = CHECK_LIMIT;
            options.attempts = 1;
            options.ip_strategy = LookupIpStrategy::Ipv4AndIpv6;
            options.preserve_intermediates = false;
            Ok(Asker {
                resolver: builder.build(),
                server: wait
                    .server
                    .map_or_else(|| "the system resolver".into(), |s| s.to_string()),
            })
        }

        pub fn server(&self) -> String {
            self.server.clone()
        }

        /// The answers of the type, or what the server said instead.
        pub async fn ask(&self, wait: &DnsWait) -> Result<Vec<super::Answer>, String> {
            // A server given: the name is absolute, no search domains.
            let name = match (wait.server, wait.name.ends_with('.')) {
                (Some(_), false) => format!("{}.", wait.name),
                _ => wait.name.clone(),
            };
            let answers: Vec<Answer> = match wait.record_type {
                None => {
                    let found = self.resolver.lookup_ip(name.as_str()).await;
                    found
                        .map_err(|e| self.failure(wait, &e))?
                        .iter()
                        .map(Answer::Ip)
                        .collect()
                }
                Some(kind) => {
                    let found = self.resolver.lookup(name.as_str(), record_type(kind)).await;
                    let lookup = found.map_err(|e| self.failure(wait, &e))?;
                    lookup.iter().filter_map(|r| answer(kind, r)).collect()
                }
            };
            if answers.is_empty() {
                return Err(format!(
                    "no {} answer for {} from {}",
                    type_name(wait.record_type),
                    wait.name,
                    self.server
                ));
            }
            Ok(answers)
        }

        fn failure(&self, wait: &DnsWait, e: &ResolveError) -> String {
            let (name, server) = (&wait.name, &self.server);
            let kind = type_name(wait.record_type);
            match e.proto().map(|p| p.kind()) {
                Some(ProtoErrorKind::NoRecordsFound { response_code, .. }) => {
                    match *response_code {
                        ResponseCode::NXDomain => {
                            format!("NXDOMAIN: {name} does not exist (from {server})")
                        }
                        ResponseCode::NoError => {
                            format!("no {kind} answer for {name} from {server} (the name exists)")
                        }
                        code => format!("{} from {server} for {name}", code_name(code)),
                    }
                }
                Some(ProtoErrorKind::Timeout) => format!("{server}: no answer"),
                Some(ProtoErrorKind::Io(io)) => {
                    format!("{server}: {}", super::super::connect::io_reason(io))
                }
                _ => format!("{server}: {e}"),
            }
        }
    }

    /// `SERVFAIL`, `REFUSED`…: as dig and the RFCs write them.
    fn code_name(code: ResponseCode) -> String {
        match code {
            ResponseCode::ServFail => "SERVFAIL".into(),
            ResponseCode::Refused => "REFUSED".into(),
            ResponseCode::FormErr => "FORMERR".into(),
            ResponseCode::NotImp => "NOTIMP".into(),
            other => other.to_str().to_ascii_uppercase(),
        }
    }

    fn record_type(kind: RecordType) -> Rr {
        match kind {
            RecordType::A => Rr::A,
            RecordType::Aaaa => Rr::AAAA,
            RecordType::Cname => Rr::CNAME,
            RecordType::Txt => Rr::TXT,
            RecordType::Srv => Rr::SRV,
            RecordType::Mx => Rr::MX,
        }
    }

    /// The answer, when it is of the type asked (a chain's CNAMEs are not).
    fn answer(kind: RecordType, data: &RData) -> Option<Answer> {
        Some(match (kind, data) {
            (RecordType::A, RData::A(a)) => Answer::Ip(a.0.into()),
            (RecordType::Aaaa, RData::AAAA(a)) => Answer::Ip(a.0.into()),
            (RecordType::Cname, RData::CNAME(c)) => Answer::Cname(c.0.to_string()),
            (RecordType::Mx, RData::MX(mx)) => Answer::Mx {
                preference: mx.preference(),
                exchange: mx.exchange().to_string(),
            },
            (RecordType::Srv, RData::SRV(srv)) => Answer::Srv {
                priority: srv.priority(),
                weight: srv.weight(),
                port: srv.port(),
                target: srv.target().to_string(),
            },
            (RecordType::Txt, RData::TXT(txt)) => Answer::Txt(
                txt.txt_data()
                    .iter()
                    .map(|s| String::from_utf8_lossy(s))
                    .collect(),
            ),
            _ => return None,
        })
    }
}

#[cfg(not(feature = "dns"))]
mod lookup {
    use crate::run::model::DnsWait;

    pub enum Asker {}

    impl Asker {
        pub fn new(_wait: &DnsWait) -> Result<Asker, String> {
            Err("this zinit was built without the `dns` feature, so it cannot resolve names".into())
        }

        pub fn server(&self) -> String {
            match *self {}
        }

        pub async fn ask(&self, _wait: &DnsWait) -> Result<Vec<super::Answer>, String> {
            match *self {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::values::parse_record_value;

    fn wait(kind: Option<RecordType>, value: Option<&str>) -> DnsWait {
        DnsWait {
            name: "db.internal".into(),
            record_type: kind,
            server: None,
            value: value.map(|v| parse_record_value(kind, v).expect("valid value")),
            value_text: value.map(String::from),
        }
    }

    #[test]
    fn any_answer_will_do_without_a_value() {
        assert!(matches!(judge(&wait(None, None), &[]), Probe::Ready));
    }

    #[test]
    fn a_value_is_matched_as_the_type_reads_it() {
        let ip = |s: &str| Answer::Ip(s.parse().unwrap());
        let w = wait(None, Some("0::1"));
        assert!(matches!(
            judge(&w, &[ip("10.0.0.1"), ip("::1")]),
            Probe::Ready
        ));
        let w = wait(Some(RecordType::Cname), Some("Web.Internal"));
        assert!(matches!(
            judge(&w, &[Answer::Cname("web.internal.".into())]),
            Probe::Ready
        ));
        let srv = Answer::Srv {
            priority: 0,
            weight: 5,
            port: 5432,
            target: "db-1.internal.".into(),
        };
        let w = wait(Some(RecordType::Srv), Some("db-1.internal:5432"));
        assert!(matches!(
            judge(&w, std::slice::from_ref(&srv)),
            Probe::Ready
        ));
        let w = wait(Some(RecordType::Srv), Some("db-1.internal:5433"));
        assert!(matches!(judge(&w, &[srv]), Probe::NotYet { .. }));
        let w = wait(Some(RecordType::Txt), Some("ready"));
        assert!(matches!(
            judge(&w, &[Answer::Txt("ready".into())]),
            Probe::Ready
        ));
    }

    #[test]
    fn a_wrong_answer_is_named_with_the_ones_seen() {
        let w = wait(Some(RecordType::A), Some("10.0.0.9"));
        let answers: Vec<Answer> = (1..=6)
            .map(|n| Answer::Ip(format!("10.0.0.{n}").parse().unwrap()))
            .collect();
        let Probe::NotYet { why, .. } = judge(&w, &answers) else {
            panic!("not the value");
        };
        assert_eq!(
            why,
            "db.internal answers 10.0.0.1, 10.0.0.2, 10.0.0.3, 10.0.0.4, 2 more, not 10.0.0.9"
        );
    }
}
