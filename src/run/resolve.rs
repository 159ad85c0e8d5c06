//! Plan → [`RunPlan`]: every `${...}` resolved against the environment and
//! every resolved target checked, all before anything runs. The run stops
//! with all the diagnostics at once (exit 2) rather than failing at step 7
//! of a half-initialised container.

use super::model::{
    CommandLine, DnsWait, GrpcWait, HttpWait, LineMatcher, LogWait, RunAction, RunPlan, RunStep,
    S3Transfer, ServiceWait, TcpTarget,
};
use crate::check::Diagnostic;
use crate::check::values::{Transfer, Value, Verdict};
use crate::plan::Plan;
use crate::plan::env::{Env, resolve};
use crate::plan::model::{CommandPlan, GrpcPlan, LogPattern, PlanAction, PlanStep, ServiceRef};
use crate::text::{CommandSpec, Text};
use crate::values::Service;
use std::borrow::Cow;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

mod http;

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
            PlanAction::WaitTcp { target, closed, by } => {
                let value = self.value("the `wait tcp` target", target)?;
                let host_port = self.judged(value.host_port())?;
                let target = TcpTarget {
                    addr: host_port.ip.map(|ip| SocketAddr::new(ip, host_port.port)),
                    host: host_port.host,
                    port: host_port.port,
                    closed: *closed,
                };
                match by {
                    Some(service) => RunAction::WaitTcpBy {
                        target,
                        service: service.id.clone(),
                    },
                    None => RunAction::WaitTcp(target),
                }
            }
            PlanAction::WaitLog {
                service,
                pattern,
                times,
            } => RunAction::WaitLog(self.log_wait(step, service, pattern.as_ref(), *times)?),
            PlanAction::WaitHttp {
                url,
                status,
                body_contains,
                insecure,
                request,
            } => {
                let url = self.value("the `wait http` URL", url);
                let url = url.and_then(|url| self.judged(url.http_url()).map(|()| url));
                let body_contains = self.optional(body_contains);
                // Judged even when the URL is not, so all problems show at once.
                let call = self.http_call(request);
                RunAction::WaitHttp(HttpWait {
                    url: url?.value.into_owned(),
                    status: status.clone(),
                    body_contains: body_contains?,
                    insecure: *insecure,
                    call: call?,
                })
            }
            PlanAction::WaitFile { path, gone } => {
                let path = self.value("the `wait file` path", path)?;
                self.judged(path.path())?;
                RunAction::WaitFile {
                    path: PathBuf::from(path.value.into_owned()),
                    gone: *gone,
                }
            }
            PlanAction::WaitPostgres { target } => self.service(Service::Postgres, target)?,
            PlanAction::WaitRedis { target } => self.service(Service::Redis, target)?,
            PlanAction::WaitMysql { target } => self.service(Service::Mysql, target)?,
            PlanAction::WaitDns {
                name,
                record_type,
                server,
                value,
            } => self.dns(name, record_type, server, value)?,
            PlanAction::WaitGrpc(grpc) => RunAction::WaitGrpc(self.grpc(grpc)?),
            PlanAction::WaitExec(c) => RunAction::WaitExec(self.command("wait exec", c)?),
            PlanAction::Run(c) => RunAction::Run(self.command("run", c)?),
            PlanAction::Start(c) => RunAction::Start(self.command("start", c)?),
            PlanAction::Sleep { duration } => RunAction::Sleep(*duration),
            PlanAction::S3Pull {
                source,
                destination,
                endpoint,
                region,
            } => {
                RunAction::S3Pull(self.s3(Transfer::Pull, source, destination, endpoint, region)?)
            }
            PlanAction::S3Push {
                source,
                destination,
                endpoint,
                region,
            } => {
                RunAction::S3Push(self.s3(Transfer::Push, destination, source, endpoint, region)?)
            }
            PlanAction::Parallel { steps } => RunAction::Parallel(self.steps(steps)),
            PlanAction::Any { steps } => RunAction::Any(self.steps(steps)),
        };
        Some(RunStep::from_plan(step, action))
    }

    fn s3(
        &mut self,
        transfer: Transfer,
        object: &Text,
        path: &Text,
        endpoint: &Option<Text>,
        region: &Option<Text>,
    ) -> Option<S3Transfer> {
        let object = self.value(transfer.what(true), object);
        let path = self.value(transfer.what(false), path);
        let endpoint = match endpoint {
            Some(url) => {
                let url = self.value("the `endpoint` URL", url);
                url.and_then(|url| self.judged(url.http_url()).map(|()| Some(url)))
            }
            None => Some(None),
        };
        let region = self.optional(region);
        let (object, path) = (object?, path?);
        let object = self.judged(transfer.check(Some(&object), Some(&path)))??;
        Some(S3Transfer {
            object,
            path: PathBuf::from(path.value.into_owned()),
            endpoint: endpoint?.map(|url| url.value.into_owned()),
            region: region?,
        })
    }

    fn log_wait(
        &mut self,
        step: &PlanStep,
        service: &ServiceRef,
        pattern: Option<&LogPattern>,
        times: u64,
    ) -> Option<LogWait> {
        let Some(pattern) = pattern else {
            // The checker's E133; a plan built without it still runs nothing unchecked.
            self.diagnostics.push(
                crate::check::codes::LOG_PATTERN
                    .at(step.head, "`wait log` says nothing to look for"),
            );
            return None;
        };
        let matcher = match pattern {
            LogPattern::Contains(text) => LineMatcher::Contains(self.text(text)?),
            LogPattern::Matches(text) => {
                let value = self.value("the `matches` pattern", text)?;
                LineMatcher::Matches(self.judged(value.regex())?)
            }
        };
        Some(LogWait {
            service: service.id.clone(),
            matcher: Arc::new(matcher),
            times,
        })
    }

    fn service(&mut self, service: Service, target: &Text) -> Option<RunAction> {
        let value = self.value(service.what(), target)?;
        let checked = self.judged(value.service_target(service))?;
        Some(RunAction::WaitService(ServiceWait {
            service,
            target: checked,
            shown: crate::secret::redact_urls(&value.value).into_owned(),
        }))
    }

    /// Every part judged, so all its problems are reported at once.
    fn dns(
        &mut self,
        name: &Text,
        record_type: &Option<Text>,
        server: &Option<Text>,
        value: &Option<Text>,
    ) -> Option<RunAction> {
        let name = self.judge("the `wait dns` name", name, |v| v.dns_name());
        let record_type = match record_type {
            Some(t) => self
                .value("the `type`", t)
                .and_then(|v| self.judged(v.record_type()))
                .map(Some),
            None => Some(None),
        };
        let server = match server {
            Some(s) => self
                .value("the `server`", s)
                .and_then(|v| self.judged(v.dns_server()))
                .map(Some),
            None => Some(None),
        };
        let (name, record_type, server) = (name?, record_type?, server?);
        let (value, value_text) = match value {
            Some(v) => {
                let value = self.value("the `value`", v)?;
                let parsed = self.judged(value.record_value(record_type))?;
                (Some(parsed), Some(value.value.into_owned()))
            }
            None => (None, None),
        };
        Some(RunAction::WaitDns(DnsWait {
            name,
            record_type,
            server,
            value,
            value_text,
        }))
    }

    fn grpc(&mut self, plan: &GrpcPlan) -> Option<GrpcWait> {
        let target = self.value("the `wait grpc` target", &plan.target);
        let target = target.and_then(|v| self.judged(v.grpc_target()));
        let service = match &plan.service {
            Some(name) => Some(self.judge("the gRPC service name", name, |v| v.grpc_service())?),
            None => Some(String::new()),
        };
        Some(GrpcWait {
            address: target?,
            service: service?,
            tls: plan.tls,
            insecure: plan.insecure,
        })
    }

    /// `Some(None)` when absent, `None` when it does not resolve.
    fn optional(&mut self, text: &Option<Text>) -> Option<Option<String>> {
        match text {
            Some(t) => self.text(t).map(Some),
            None => Some(None),
        }
    }

    /// A command with every part judged, so all its problems are reported
    /// at once (as `check` does for literals).
    fn command(&mut self, action: &str, plan: &CommandPlan) -> Option<CommandLine> {
        let command = match &plan.command {
            CommandSpec::Shell(text) => {
                let what = format!("the `{action}` command");
                let command = self.judge(&what, text, |v| v.shell());
                command.map(|s| (vec!["sh".into(), "-c".into(), s.clone()], Some(s)))
            }
            CommandSpec::Argv { args, .. } => {
                let what = format!("the first element of the `{action}` argv list");
                let program = args
                    .first()
                    .and_then(|program| self.judge(&what, program, |v| v.program()));
                let what = format!("an argument of the `{action}` argv list");
                let rest: Vec<Option<String>> = (args.iter().skip(1))
                    .map(|arg| self.judge(&what, arg, |v| v.argument()))
                    .collect();
                let argv: Option<Vec<String>> = std::iter::once(program).chain(rest).collect();
                argv.map(|argv| (argv, None))
            }
        };
        let env: Vec<Option<(String, String)>> = (plan.env.iter())
            .map(|(key, value)| {
                let what = format!("the `env` value of `{key}`");
                let value = self.judge(&what, value, |v| v.argument())?;
                Some((key.clone(), value))
            })
            .collect();
        let cwd = match &plan.cwd {
            Some(dir) => Some(self.judge("the `cwd` directory", dir, |v| v.path())?.into()),
            None => None,
        };
        let (argv, shell) = command?;
        Some(CommandLine {
            argv,
            env: env.into_iter().collect::<Option<_>>()?,
            cwd,
            shell,
        })
    }

    /// The resolved value of `text` once `verdict` accepts it; `None` when it
    /// does not resolve or is rejected (the diagnostic is recorded).
    fn judge(
        &mut self,
        what: &str,
        text: &Text,
        verdict: impl FnOnce(&Value<'_>) -> Verdict<()>,
    ) -> Option<String> {
        let value = self.value(what, text)?;
        self.judged(verdict(&value))?;
        Some(value.value.into_owned())
    }

    /// The resolved value of `text`, ready to be judged by a validator.
    fn value<'t>(&mut self, what: &'t str, text: &'t Text) -> Option<Value<'t>> {
        let value = self.text(text)?;
        Some(Value::new(what, text, Cow::Owned(value), None))
    }

    /// The verdict's value, or `None` with its diagnostic recorded.
    fn judged<T>(&mut self, verdict: Verdict<T>) -> Option<T> {
        verdict.map_err(|d| self.diagnostics.push(*d)).ok()
    }

    fn text(&mut self, text: &Text) -> Option<String> {
        // Report every unresolved variable of the text, not only the first.
        let mut failed = false;
        for var in text.vars() {
            let one = Text {
                parts: Box::new([crate::text::TextPart::Var(Box::new(var.clone()))]),
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
