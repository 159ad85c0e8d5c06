//! Plan → [`RunPlan`]: every `${...}` resolved against the environment and
//! every resolved target checked, all before anything runs. The run stops
//! with all the diagnostics at once (exit 2) rather than failing at step 7
//! of a half-initialised container.

use super::model::{CommandLine, HttpWait, RunAction, RunPlan, RunStep, S3Transfer, TcpTarget};
use crate::check::Diagnostic;
use crate::check::values::{Transfer, Value, Verdict};
use crate::plan::Plan;
use crate::plan::env::{Env, resolve};
use crate::plan::model::{CommandPlan, PlanAction, PlanStep};
use crate::syntax::ast::{CommandSpec, Text};
use std::borrow::Cow;
use std::net::SocketAddr;
use std::path::PathBuf;

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
                let value = self.value("the `wait tcp` target", target)?;
                let host_port = self.judged(value.host_port())?;
                RunAction::WaitTcp(TcpTarget {
                    addr: host_port.ip.map(|ip| SocketAddr::new(ip, host_port.port)),
                    host: host_port.host,
                    port: host_port.port,
                    closed: *closed,
                })
            }
            PlanAction::WaitHttp {
                url,
                status,
                body_contains,
                insecure,
            } => {
                let url = self.value("the `wait http` URL", url)?;
                self.judged(url.http_url())?;
                let body_contains = match body_contains {
                    Some(t) => Some(self.text(t)?),
                    None => None,
                };
                RunAction::WaitHttp(HttpWait {
                    url: url.value.into_owned(),
                    status: status.clone(),
                    body_contains,
                    insecure: *insecure,
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

    /// `Some(None)` when absent, `None` when it does not resolve.
    fn optional(&mut self, text: &Option<Text>) -> Option<Option<String>> {
        match text {
            Some(t) => self.text(t).map(Some),
            None => Some(None),
        }
    }

    fn command(&mut self, action: &str, plan: &CommandPlan) -> Option<CommandLine> {
        let what = match &plan.command {
            CommandSpec::Shell(_) => format!("the `{action}` command"),
            CommandSpec::Argv { .. } => format!("the first element of the `{action}` argv list"),
        };
        let (argv, shell) = match &plan.command {
            CommandSpec::Shell(text) => {
                let command = self.value(&what, text)?;
                self.judged(command.shell())?;
                let s = command.value.into_owned();
                (vec!["sh".into(), "-c".into(), s.clone()], Some(s))
            }
            CommandSpec::Argv { args, .. } => {
                let program = args.first().and_then(|program| self.value(&what, program));
                let argv: Vec<String> = args.iter().skip(1).filter_map(|a| self.text(a)).collect();
                let program = program?;
                self.judged(program.program())?;
                if argv.len() + 1 != args.len() {
                    return None;
                }
                let mut all = vec![program.value.into_owned()];
                all.extend(argv);
                (all, None)
            }
        };
        let mut env = Vec::with_capacity(plan.env.len());
        for (key, value) in &plan.env {
            env.push((key.clone(), self.text(value)?));
        }
        let cwd = match &plan.cwd {
            Some(dir) => {
                let dir = self.value("the `cwd` directory", dir)?;
                self.judged(dir.path())?;
                Some(PathBuf::from(dir.value.into_owned()))
            }
            None => None,
        };
        Some(CommandLine {
            argv,
            env,
            cwd,
            shell,
        })
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
                parts: vec![crate::syntax::ast::TextPart::Var(var.clone())],
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
