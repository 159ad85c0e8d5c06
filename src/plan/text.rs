//! Plan values as text for previews and exports: resolved against an
//! environment when possible, else as written with `${...}`.

use super::duration;
use super::env::{Env, resolve};
use super::model::{CommandPlan, HttpRequest, PlanAction, millis_of};
use crate::text::{CommandSpec, Fallback, Quote, Text, TextPart};

/// The text as the script wrote it, `${...}` included (`$` in literal parts
/// is shown as is: this is for reading, not for re-parsing).
pub fn written(text: &Text) -> String {
    text.parts.iter().map(written_part).collect()
}

fn written_part(part: &TextPart) -> String {
    match part {
        TextPart::Literal(s) => s.to_string(),
        TextPart::Var(var) => {
            let fallback = match &var.fallback {
                Fallback::None => String::new(),
                Fallback::Default(d) => format!(":-{d}"),
                Fallback::Error(m) => format!(":?{m}"),
            };
            format!("${{{}{fallback}}}", var.name)
        }
    }
}

/// Each variable resolved where the env allows, else left as written; URL
/// passwords masked ([`crate::secret`]): this is what previews print.
pub fn shown(text: &Text, env: &Env) -> String {
    let text: String = text
        .parts
        .iter()
        .map(|part| {
            let single = Text {
                parts: Box::new([part.clone()]),
                quote: text.quote,
                span: text.span,
            };
            resolve(&single, env).unwrap_or_else(|_| written_part(part))
        })
        .collect();
    crate::secret::redact_urls(&text).into_owned()
}

/// An `env` value as previews show it: [`crate::secret::MASK`], unless it
/// is only `${...}` references that are still unresolved (they name
/// variables and hold no value, so they are shown as written).
pub fn env_value(text: &Text, env: &Env) -> String {
    let only_vars = text.parts.iter().all(|p| matches!(p, TextPart::Var(_)));
    let unresolved = text.parts.iter().all(|part| {
        let single = Text {
            parts: Box::new([part.clone()]),
            quote: text.quote,
            span: text.span,
        };
        resolve(&single, env).is_err()
    });
    if only_vars && unresolved && !text.parts.is_empty() {
        written(text)
    } else {
        crate::secret::MASK.to_string()
    }
}

/// A command as it would be written: `"sh string"` or `["argv", "list"]`.
pub fn command(command: &CommandPlan, env: &Env) -> String {
    match &command.command {
        CommandSpec::Shell(text) => quoted(text, env),
        CommandSpec::Argv { args, .. } => {
            let args: Vec<String> = args.iter().map(|a| quoted(a, env)).collect();
            format!("[{}]", args.join(", "))
        }
    }
}

/// A string in the quotes it was written with: `'raw'` stays raw, anything
/// else is shown double-quoted with escapes.
fn quoted(text: &Text, env: &Env) -> String {
    match text.quote {
        Quote::Single => format!("'{}'", crate::secret::redact_urls(&written(text))),
        Quote::Double | Quote::Bare => format!("{:?}", shown(text, env)),
    }
}

/// The step's main argument (SPEC §5 `target`): a command's text unquoted
/// (argv joined by spaces; the JSON `command` keeps the list); `None` for a
/// group.
pub fn target(action: &PlanAction, env: &Env) -> Option<String> {
    Some(match action {
        PlanAction::WaitTcp { target, .. } => shown(target, env),
        PlanAction::WaitHttp { url, .. } => shown(url, env),
        PlanAction::WaitFile { path, .. } => shown(path, env),
        PlanAction::WaitLog { service, .. } => service.id.clone(),
        PlanAction::WaitPostgres { target }
        | PlanAction::WaitRedis { target }
        | PlanAction::WaitMysql { target } => shown(target, env),
        PlanAction::WaitDns { name, .. } => shown(name, env),
        PlanAction::WaitGrpc(grpc) => shown(&grpc.target, env),
        PlanAction::Run(c) | PlanAction::Start(c) | PlanAction::WaitExec(c) => match &c.command {
            CommandSpec::Shell(text) => shown(text, env),
            CommandSpec::Argv { args, .. } => args
                .iter()
                .map(|a| shown(a, env))
                .collect::<Vec<_>>()
                .join(" "),
        },
        PlanAction::Sleep { duration } => duration::exact(millis_of(*duration)),
        PlanAction::S3Pull {
            source,
            destination,
            ..
        }
        | PlanAction::S3Push {
            source,
            destination,
            ..
        } => format!("{} to {}", shown(source, env), shown(destination, env)),
        PlanAction::Parallel { .. } | PlanAction::Any { .. } => return None,
    })
}

/// How a `wait http` asks, for the preview: `method POST`, the headers and
/// body as written (never resolved: they may carry a secret), `follow 3`.
pub fn http_request(request: &HttpRequest) -> Vec<String> {
    // The default (GET) goes unsaid, like `follow 0`; the JSON has both.
    let mut parts = Vec::new();
    if request.method() != "GET" {
        parts.push(format!("method {}", request.method()));
    }
    let shown = |t: &Text| crate::secret::redact_urls(&written(t)).into_owned();
    parts.extend(
        request
            .headers
            .iter()
            .map(|h| format!("header {:?}", shown(h))),
    );
    if let Some(data) = &request.data {
        parts.push(format!("data {:?}", shown(data)));
    }
    if request.follow > 0 {
        parts.push(format!("follow {}", request.follow));
    }
    parts
}

/// What a `wait http`'s answer must hold besides `status` and `body
/// contains`, and whom it trusts, for the preview.
pub fn http_answer(request: &HttpRequest) -> Vec<String> {
    let mut parts = Vec::new();
    if let Some(re) = &request.body_matches {
        parts.push(format!("body matches {:?}", written(re)));
    }
    for check in &request.json {
        parts.push(match &check.equals {
            Some(v) if v.quote == Quote::Double => {
                format!("json {} == {:?}", written(&check.pointer), written(v))
            }
            Some(v) => format!("json {} == {}", written(&check.pointer), written(v)),
            None => format!("json {} exists", written(&check.pointer)),
        });
    }
    if let Some(ca) = &request.ca {
        parts.push(format!("ca {}", written(ca)));
    }
    if let Some((cert, key)) = &request.cert {
        parts.push(format!("cert {} key {}", written(cert), written(key)));
    }
    parts
}
