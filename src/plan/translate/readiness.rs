//! The wait right after a `start`, as that service's readiness check: a
//! Kubernetes `startupProbe` or a Compose `healthcheck`. Which waits can be
//! one is decided here once, keyed on the plan action, so both exports
//! agree; an action this file does not name (a wait added later) is no
//! readiness check and stays in the script, run by zinit.

use super::http_probe::{beyond_a_probe, request_clauses};
use super::resolve::Resolver;
use crate::plan::duration;
use crate::plan::model::{CommandPlan, OnFail, PlanAction, PlanStep, millis_of};
use crate::syntax::print::{command_text, text};
use crate::text::{CommandSpec, Text};
use crate::values::{Service, parse_host_port, parse_service_target};
use std::net::IpAddr;

/// How a platform can check the service itself, when it can say exactly
/// what the wait means.
#[derive(Debug, Clone, PartialEq)]
pub enum Exact {
    /// A TCP connect to the pod's port.
    Tcp { port: u16 },
    /// An HTTP GET that any 200–399 answer satisfies.
    Http {
        https: bool,
        port: u16,
        path: String,
    },
    /// A command that exits 0 when ready, as an argv.
    Exec(Vec<String>),
    /// The standard gRPC health check, plaintext, for `service` (`None`:
    /// the server as a whole).
    Grpc { port: u16, service: Option<String> },
}

/// A service's readiness check, from its wait.
#[derive(Debug, Clone)]
pub struct Readiness<'a> {
    pub wait: &'a PlanStep,
    /// The platform's own check, or why there is none (then the check runs
    /// `zinit run -e STATEMENT`).
    pub exact: Result<Exact, String>,
    /// One attempt of the wait as a zinit statement, `${...}` as written
    /// (resolved in the container when the check runs).
    pub statement: String,
    pub timing: ProbeTiming,
}

impl Readiness<'_> {
    /// The check as an argv that zinit runs: `zinit run --quiet -e STATEMENT`.
    pub fn zinit_argv(&self) -> Vec<String> {
        vec![
            "zinit".into(),
            "run".into(),
            "--quiet".into(),
            "-e".into(),
            self.statement.clone(),
        ]
    }
}

/// How often the platform checks, and how many failures in a row end the
/// wait. Kubernetes counts in whole seconds (at least 1) and int32: the
/// period is the wait's `every` rounded up to a second, the threshold the
/// wait's whole budget (timeout × attempts + retry delays) over the period,
/// rounded up, both saturating at `i32::MAX`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProbeTiming {
    pub period_s: u32,
    pub failures: u32,
    /// One attempt of the wait (its timeout) in whole seconds: how long a
    /// native `exec` check may take, as zinit lets each run of a
    /// `wait exec` take the time left.
    pub attempt_s: u32,
    /// The wait's budget in milliseconds.
    pub budget_ms: u64,
}

const INT32_MAX: u64 = i32::MAX as u64;

pub fn probe_timing(step: &PlanStep) -> ProbeTiming {
    let period_s = millis_of(step.poll).div_ceil(1000).clamp(1, INT32_MAX);
    let timeout = step.timeout.map(millis_of).unwrap_or(0);
    let delays: u64 = step
        .retry
        .delays()
        .into_iter()
        .map(millis_of)
        .fold(0, u64::saturating_add);
    let budget_ms = timeout
        .saturating_mul(step.retry.attempts())
        .saturating_add(delays);
    let failures = budget_ms
        .div_ceil(period_s.saturating_mul(1000))
        .clamp(1, INT32_MAX);
    ProbeTiming {
        period_s: period_s as u32,
        failures: failures as u32,
        attempt_s: timeout.div_ceil(1000).clamp(1, INT32_MAX) as u32,
        budget_ms,
    }
}

/// `wait`, the step right after a `start`, as the service's readiness
/// check; `Err` says why it is not one (it then stays in the script).
pub fn readiness<'a>(wait: &'a PlanStep, resolver: &Resolver<'_>) -> Result<Readiness<'a>, String> {
    if wait.on_fail != OnFail::Fail {
        return Err(format!(
            "has `on-fail {}`, which a readiness check cannot honour (a failing check \
             restarts the service; it never goes on)",
            wait.on_fail.as_str()
        ));
    }
    let timing = probe_timing(wait);
    let (head, exact) = match &wait.action {
        PlanAction::WaitTcp { closed: true, .. } => {
            return Err("waits for a port to close, not for the service".into());
        }
        PlanAction::WaitTcp { target, .. } => {
            let port = local_port(target, resolver, |v| {
                parse_host_port(v).map(|hp| (hp.host, hp.port)).ok()
            })?;
            (
                format!("wait tcp {}", text(target)),
                Ok(Exact::Tcp { port }),
            )
        }
        PlanAction::WaitHttp {
            url,
            status,
            body_contains,
            insecure,
            request,
        } => {
            let parsed = local_http(url, resolver)?;
            let mut head = format!("wait http {}{}", text(url), request_clauses(request));
            let ranges: Vec<String> = status
                .ranges
                .iter()
                .map(|&(lo, hi)| {
                    if lo == hi {
                        lo.to_string()
                    } else {
                        format!("{lo}..{hi}")
                    }
                })
                .collect();
            head.push_str(&format!(" status {}", ranges.join(",")));
            if let Some(body) = body_contains {
                head.push_str(&format!(" body contains {}", text(body)));
            }
            if *insecure {
                head.push_str(" insecure");
            }
            let (https, port, path) = parsed;
            let exact = {
                if body_contains.is_some() {
                    Err("a probe checks the status, not the body".to_string())
                } else if let Some(why) = beyond_a_probe(request) {
                    Err(why)
                } else if !covers_exactly_200_to_399(&status.ranges) {
                    Err(format!(
                        "`status {}` is not the 200–399 an HTTP probe accepts",
                        ranges.join(",")
                    ))
                } else if https && !*insecure {
                    Err("an HTTPS probe does not verify the certificate, and this wait does".into())
                } else {
                    Ok(Exact::Http { https, port, path })
                }
            };
            (head, exact)
        }
        PlanAction::WaitGrpc(grpc) => {
            let port = local_port(&grpc.target, resolver, |v| {
                crate::values::parse_grpc_target(v)
                    .map(|hp| (hp.host, hp.port))
                    .ok()
            })?;
            let mut head = format!("wait grpc {}", text(&grpc.target));
            if let Some(service) = &grpc.service {
                head.push_str(&format!(" service {}", text(service)));
            }
            if grpc.tls {
                head.push_str(if grpc.insecure {
                    " tls insecure"
                } else {
                    " tls"
                });
            }
            let service = grpc.service.as_ref().map(|s| resolver.known(s));
            let exact = match (grpc.tls, service) {
                (true, _) => {
                    Err("a gRPC probe speaks plaintext only, and this wait uses TLS".into())
                }
                (false, Some(Err(why))) => {
                    Err(format!("has a service known only at run time: {why}"))
                }
                (false, Some(Ok(name))) => Ok(Exact::Grpc {
                    port,
                    service: Some(name),
                }),
                (false, None) => Ok(Exact::Grpc {
                    port,
                    service: None,
                }),
            };
            (head, exact)
        }
        PlanAction::WaitPostgres { target } => protocol(Service::Postgres, target, resolver)?,
        PlanAction::WaitRedis { target } => protocol(Service::Redis, target, resolver)?,
        PlanAction::WaitFile { path, gone } => (
            format!(
                "wait file {}{}",
                text(path),
                if *gone { " gone" } else { "" }
            ),
            Err("no probe watches a file".to_string()),
        ),
        PlanAction::WaitExec(command) => (exec_head(command), exec_argv(command, resolver)),
        other if other.kind().starts_with("wait_") => {
            return Err(format!(
                "is a `{}`, which has no readiness-check form here",
                other.kind()
            ));
        }
        _ => return Err("is not a wait".into()),
    };
    let mut statement = head;
    if wait.poll_span.is_some() {
        statement.push_str(&format!(" every {}", duration::exact(millis_of(wait.poll))));
    }
    statement.push_str(&format!(" timeout {}s", timing.period_s));
    Ok(Readiness {
        wait,
        exact,
        statement,
        timing,
    })
}

/// `lo..hi` ranges that cover 200–399 and nothing else.
fn covers_exactly_200_to_399(ranges: &[(u16, u16)]) -> bool {
    let mut sorted = ranges.to_vec();
    sorted.sort_unstable();
    let mut next = 200u16;
    for (lo, hi) in sorted {
        if lo > next || lo < 200 {
            return false;
        }
        next = next.max(hi.saturating_add(1));
    }
    next == 400
}

fn protocol(
    service: Service,
    target: &Text,
    resolver: &Resolver<'_>,
) -> Result<(String, Result<Exact, String>), String> {
    local_port(target, resolver, |v| {
        parse_service_target(service, v)
            .map(|t| (t.address.host, t.address.port))
            .ok()
    })?;
    Ok((
        format!("wait {} {}", service.name(), text(target)),
        Err(format!(
            "no probe asks {} whether it is ready",
            service.product()
        )),
    ))
}

/// The port of a wait on this pod or container (`localhost`, a loopback
/// address); `Err` when the wait is on another host (a cross-service wait,
/// which zinit runs) or the host is only known at run time.
fn local_port(
    target: &Text,
    resolver: &Resolver<'_>,
    split: impl FnOnce(&str) -> Option<(String, u16)>,
) -> Result<u16, String> {
    let value = resolver
        .known(target)
        .map_err(|why| format!("has a target known only at run time: {why}"))?;
    let (host, port) = split(&value).ok_or("has a target that does not parse")?;
    if !is_local(&host) {
        return Err(format!(
            "waits for `{host}`, another host (a cross-service wait)"
        ));
    }
    Ok(port)
}

fn local_http(url: &Text, resolver: &Resolver<'_>) -> Result<(bool, u16, String), String> {
    let value = resolver
        .known(url)
        .map_err(|why| format!("has a URL known only at run time: {why}"))?;
    let parsed =
        url::Url::parse(&value).map_err(|_| "has a URL that does not parse".to_string())?;
    let host = parsed.host_str().unwrap_or_default();
    let host = host.trim_start_matches('[').trim_end_matches(']');
    if !is_local(host) {
        return Err(format!(
            "waits for `{host}`, another host (a cross-service wait)"
        ));
    }
    let https = parsed.scheme() == "https";
    let port = parsed.port_or_known_default().unwrap_or(80);
    let mut path = parsed.path().to_string();
    if let Some(query) = parsed.query() {
        path = format!("{path}?{query}");
    }
    Ok((https, port, path))
}

/// Whether a step waits on `localhost` or a loopback address (what such a
/// wait means depends on whose network the container has).
pub fn waits_on_local_host(step: &PlanStep, resolver: &Resolver<'_>) -> bool {
    let known = |text: &Text| resolver.known(text).ok();
    let host = match &step.action {
        PlanAction::WaitTcp { target, .. } => {
            known(target).and_then(|v| parse_host_port(&v).ok().map(|hp| hp.host))
        }
        PlanAction::WaitHttp { url, .. } => known(url).and_then(|v| {
            url::Url::parse(&v)
                .ok()
                .and_then(|u| u.host_str().map(|h| h.trim_matches(['[', ']']).to_string()))
        }),
        PlanAction::WaitPostgres { target } => known(target)
            .and_then(|v| parse_service_target(Service::Postgres, &v).ok())
            .map(|t| t.address.host),
        PlanAction::WaitRedis { target } => known(target)
            .and_then(|v| parse_service_target(Service::Redis, &v).ok())
            .map(|t| t.address.host),
        _ => None,
    };
    host.is_some_and(|h| is_local(&h))
}

/// This pod's or container's own address.
pub fn is_local(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<IpAddr>()
            .is_ok_and(|ip| ip.is_loopback() || ip.is_unspecified())
}

fn exec_head(command: &CommandPlan) -> String {
    let mut head = format!("wait exec {}", command_text(&command.command));
    if !command.env.is_empty() {
        head.push_str(" env");
        for (key, value) in &command.env {
            head.push_str(&format!(" {key}={}", text(value)));
        }
    }
    if let Some(cwd) = &command.cwd {
        head.push_str(&format!(" cwd {}", text(cwd)));
    }
    head
}

fn exec_argv(command: &CommandPlan, resolver: &Resolver<'_>) -> Result<Exact, String> {
    if !command.env.is_empty() || command.cwd.is_some() {
        return Err("a probe's command takes no `env` or `cwd`".into());
    }
    let argv = match &command.command {
        CommandSpec::Shell(shell) => vec!["sh".into(), "-c".into(), resolver.known(shell)?],
        CommandSpec::Argv { args, .. } => args
            .iter()
            .map(|a| resolver.known(a))
            .collect::<Result<_, _>>()?,
    };
    Ok(Exact::Exec(argv))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_200_to_399_is_what_a_probe_accepts() {
        assert!(covers_exactly_200_to_399(&[(200, 399)]));
        assert!(covers_exactly_200_to_399(&[(300, 399), (200, 299)]));
        assert!(covers_exactly_200_to_399(&[(200, 250), (240, 399)]));
        assert!(!covers_exactly_200_to_399(&[(200, 299)]));
        assert!(!covers_exactly_200_to_399(&[(200, 299), (301, 399)]));
        assert!(!covers_exactly_200_to_399(&[(100, 399)]));
        assert!(!covers_exactly_200_to_399(&[(200, 400)]));
    }

    #[test]
    fn local_hosts() {
        for host in [
            "localhost",
            "LOCALHOST",
            "127.0.0.1",
            "127.1.2.3",
            "::1",
            "0.0.0.0",
        ] {
            assert!(is_local(host), "{host}");
        }
        for host in ["db", "10.0.0.1", "api.internal", "::2"] {
            assert!(!is_local(host), "{host}");
        }
    }
}
