//! Plan → [`RunPlan`]: every `${...}` resolved against the environment and
//! every resolved target checked, all before anything runs. The run stops
//! with all the diagnostics at once (exit 2) rather than failing at step 7
//! of a half-initialised container.

use super::model::{CommandLine, HttpWait, RunAction, RunPlan, RunStep, S3Transfer, TcpTarget};
use super::s3::parse_s3_url;
use crate::check::{Diagnostic, codes};
use crate::plan::Plan;
use crate::plan::env::{Env, resolve};
use crate::plan::model::{CommandPlan, PlanAction, PlanStep};
use crate::text::{CommandSpec, Text};
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;

// Values that only turn out invalid once resolved get the checker's codes.
pub const BAD_TCP_TARGET: &str = codes::BAD_TCP_TARGET.code;
pub const BAD_URL: &str = codes::BAD_URL.code;
pub const BAD_S3_LOCATION: &str = codes::BAD_S3_LOCATION.code;
pub const EMPTY_COMMAND: &str = codes::EMPTY_COMMAND.code;

/// Resolves the whole plan, or returns every problem found.
pub fn resolve_plan(plan: &Plan, env: &Env) -> Result<RunPlan, Vec<Diagnostic>> {
    let mut resolver = Resolver {
        env,
        diagnostics: Vec::new(),
    };
    let steps = resolver.steps(&plan.steps);
    if resolver.diagnostics.is_empty() {
        Ok(RunPlan {
            steps,
            policy: plan.policy.clone(),
        })
    } else {
        Err(resolver.diagnostics)
    }
}

struct Resolver<'a> {
    env: &'a Env,
    diagnostics: Vec<Diagnostic>,
}

impl Resolver<'_> {
    fn steps(&mut self, steps: &[PlanStep]) -> Vec<RunStep> {
        steps.iter().filter_map(|s| self.step(s)).collect()
    }

    fn step(&mut self, step: &PlanStep) -> Option<RunStep> {
        let action = match &step.action {
            PlanAction::WaitTcp { target, closed } => {
                let text = self.text(target)?;
                match parse_tcp_target(&text, *closed) {
                    Ok(t) => RunAction::WaitTcp(t),
                    Err(why) => {
                        self.diagnostics.push(
                            Diagnostic::error(
                                BAD_TCP_TARGET,
                                target.span,
                                format!("`wait tcp` target `{text}` is not HOST:PORT: {why}"),
                            )
                            .with_label(format!("resolves to `{text}`"))
                            .with_help("write HOST:PORT, e.g. `db:5432`, or `[::1]:5432` for IPv6"),
                        );
                        return None;
                    }
                }
            }
            PlanAction::WaitHttp {
                url,
                status,
                body_contains,
                insecure,
            } => {
                let text = self.text(url)?;
                if let Err(why) = check_url(&text) {
                    self.diagnostics.push(
                        Diagnostic::error(
                            BAD_URL,
                            url.span,
                            format!("`wait http` URL `{text}` is not valid: {why}"),
                        )
                        .with_label(format!("resolves to `{text}`"))
                        .with_help(
                            "write an http:// or https:// URL, e.g. `http://api:8080/health`",
                        ),
                    );
                    return None;
                }
                let body_contains = match body_contains {
                    Some(t) => Some(self.text(t)?),
                    None => None,
                };
                RunAction::WaitHttp(HttpWait {
                    url: text,
                    status: status.clone(),
                    body_contains,
                    insecure: *insecure,
                })
            }
            PlanAction::WaitFile { path, gone } => RunAction::WaitFile {
                path: PathBuf::from(self.text(path)?),
                gone: *gone,
            },
            PlanAction::Run(c) => RunAction::Run(self.command(c)?),
            PlanAction::Start(c) => RunAction::Start(self.command(c)?),
            PlanAction::Sleep { duration } => RunAction::Sleep(*duration),
            PlanAction::S3Pull {
                source,
                destination,
                endpoint,
                region,
            } => RunAction::S3Pull(self.s3(source, destination, endpoint, region)?),
            PlanAction::S3Push {
                source,
                destination,
                endpoint,
                region,
            } => RunAction::S3Push(self.s3(destination, source, endpoint, region)?),
            PlanAction::Parallel { steps } => RunAction::Parallel(self.steps(steps)),
        };
        Some(RunStep::from_plan(step, action))
    }

    fn s3(
        &mut self,
        object: &Text,
        path: &Text,
        endpoint: &Option<Text>,
        region: &Option<Text>,
    ) -> Option<S3Transfer> {
        let url = self.text(object);
        let path = self.text(path);
        let endpoint = self.optional(endpoint);
        let region = self.optional(region);
        let object = match parse_s3_url(&url?) {
            Ok(target) => target,
            Err(why) => {
                self.diagnostics.push(
                    Diagnostic::error(BAD_S3_LOCATION, object.span, why)
                        .with_label("resolves to this")
                        .with_help("write `s3://BUCKET/KEY`"),
                );
                return None;
            }
        };
        Some(S3Transfer {
            object,
            path: PathBuf::from(path?),
            endpoint: endpoint?,
            region: region?,
        })
    }

    /// `Some(None)` when absent, `None` when it does not resolve.
    fn optional(&mut self, text: &Option<Text>) -> Option<Option<String>> {
        match text {
            Some(t) => self.text(t).map(Some),
            None => Some(None),
        }
    }

    fn command(&mut self, plan: &CommandPlan) -> Option<CommandLine> {
        let (argv, shell) = match &plan.command {
            CommandSpec::Shell(text) => {
                let s = self.text(text)?;
                (vec!["sh".into(), "-c".into(), s.clone()], Some(s))
            }
            CommandSpec::Argv { args, span } => {
                let argv: Vec<String> = args.iter().filter_map(|a| self.text(a)).collect();
                if argv.len() != args.len() {
                    return None;
                }
                if argv.first().is_none_or(|p| p.is_empty()) {
                    self.diagnostics.push(
                        Diagnostic::error(EMPTY_COMMAND, *span, "the command names no program")
                            .with_label("the first element must be the program to run")
                            .with_help("e.g. `[\"./migrate\", \"up\"]`"),
                    );
                    return None;
                }
                (argv, None)
            }
        };
        let mut env = Vec::with_capacity(plan.env.len());
        for (key, value) in &plan.env {
            env.push((key.clone(), self.text(value)?));
        }
        let cwd = match &plan.cwd {
            Some(t) => Some(PathBuf::from(self.text(t)?)),
            None => None,
        };
        Some(CommandLine {
            argv,
            env,
            cwd,
            shell,
        })
    }

    fn text(&mut self, text: &Text) -> Option<String> {
        // Report every unresolved variable of the text, not only the first.
        let mut failed = false;
        for var in text.vars() {
            let one = Text {
                parts: vec![crate::text::TextPart::Var(var.clone())],
                quote: text.quote,
                span: var.span,
            };
            if let Err(u) = resolve(&one, self.env) {
                self.diagnostics.push(u.to_diagnostic());
                failed = true;
            }
        }
        if failed {
            return None;
        }
        resolve(text, self.env).ok()
    }
}

/// `HOST:PORT` or `[V6]:PORT`.
pub fn parse_tcp_target(text: &str, closed: bool) -> Result<TcpTarget, String> {
    let (host, port) = if let Some(rest) = text.strip_prefix('[') {
        let (host, port) = rest
            .split_once("]:")
            .ok_or("an IPv6 address must be written `[ADDR]:PORT`")?;
        (host, port)
    } else {
        let (host, port) = text.rsplit_once(':').ok_or("no `:PORT`")?;
        if host.contains(':') {
            return Err("an IPv6 address must be written `[ADDR]:PORT`".into());
        }
        (host, port)
    };
    if host.is_empty() {
        return Err("no host".into());
    }
    let port: u16 = port
        .parse()
        .ok()
        .filter(|p| *p != 0)
        .ok_or_else(|| format!("port `{port}` is not a number in 1–65535"))?;
    let addr = host
        .parse::<IpAddr>()
        .ok()
        .map(|ip| SocketAddr::new(ip, port));
    if text.starts_with('[') && !matches!(addr, Some(SocketAddr::V6(_))) {
        return Err(format!("`{host}` is not an IPv6 address"));
    }
    Ok(TcpTarget {
        host: host.to_string(),
        port,
        addr,
        closed,
    })
}

fn check_url(text: &str) -> Result<(), String> {
    let url = reqwest::Url::parse(text).map_err(|e| e.to_string())?;
    match url.scheme() {
        "http" | "https" => {}
        other => return Err(format!("scheme `{other}` is not http or https")),
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err("no host".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tcp_targets() {
        let t = parse_tcp_target("db:5432", false).unwrap();
        assert_eq!((t.host.as_str(), t.port, t.addr), ("db", 5432, None));
        let t = parse_tcp_target("[::1]:80", true).unwrap();
        assert_eq!(t.addr, Some("[::1]:80".parse().unwrap()));
        assert_eq!(t.to_string(), "[::1]:80");
        let t = parse_tcp_target("127.0.0.1:9", false).unwrap();
        assert_eq!(t.addr, Some("127.0.0.1:9".parse().unwrap()));
        for bad in [
            "db", "db:", ":80", "db:0", "db:70000", "::1:80", "[db]:80", "[::1]80",
        ] {
            assert!(parse_tcp_target(bad, false).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn urls() {
        assert!(check_url("http://api:8080/health").is_ok());
        assert!(check_url("https://[::1]/").is_ok());
        assert!(check_url("ftp://x/").is_err());
        assert!(check_url("http//x").is_err());
    }
}
