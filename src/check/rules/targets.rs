//! The values an action names — `wait tcp` HOST:PORT, http(s) URLs,
//! s3://BUCKET/KEY, paths, commands — judged when written literally by the
//! same validators (`crate::values`) that `zinit run` applies once `${...}`
//! is resolved, and `wait dns` names, types, servers and values. Also
//! `insecure` where there is no TLS (W104: an http:// URL, a `wait grpc`
//! without `tls`).

use super::{Context, own};
use crate::check::codes::INSECURE_HTTP;
use crate::check::values::{Transfer, Value};
use crate::syntax::ast::{Action, ClauseKind, CommandSpec, Step, Text, TextPart};
use crate::syntax::clauses::Name;
use crate::values::Service;
use std::borrow::Cow;

pub(super) fn action(cx: &mut Context, step: &Step) {
    match &step.action {
        Action::WaitTcp { target } => {
            if let Some(v) = value(cx, "the `wait tcp` target", target) {
                let result = v.host_port().map(drop);
                cx.report(result);
            }
        }
        Action::WaitPostgres { target } => service(cx, Service::Postgres, target),
        Action::WaitRedis { target } => service(cx, Service::Redis, target),
        Action::WaitMysql { target } => service(cx, Service::Mysql, target),
        Action::WaitDns { name } => dns(cx, step, name),
        Action::WaitGrpc { target } => {
            if let Some(v) = value(cx, "the `wait grpc` target", target) {
                let result = v.grpc_target().map(drop);
                cx.report(result);
            }
        }
        Action::WaitHttp { url } => self::url(cx, "the `wait http` URL", url),
        Action::WaitFile { path } => self::path(cx, "the `wait file` path", path),
        Action::Run { command } | Action::Start { command } | Action::WaitExec { command } => {
            self::command(cx, step.action.name(), command)
        }
        Action::S3Pull {
            source,
            destination,
        } => s3(cx, Transfer::Pull, source, destination),
        Action::S3Push {
            source,
            destination,
        } => s3(cx, Transfer::Push, destination, source),
        Action::Sleep { .. }
        | Action::Parallel { .. }
        | Action::Any { .. }
        | Action::WaitLog { .. } => {}
    }
}

/// The value of `text` when it holds no variables.
pub(super) fn value<'t>(cx: &Context, what: &'t str, text: &'t Text) -> Option<Value<'t>> {
    Some(Value::new(what, text, literal(text)?, Some(cx.text)))
}

fn service(cx: &mut Context, service: Service, target: &Text) {
    if let Some(v) = value(cx, service.what(), target) {
        let result = v.service_target(service).map(drop);
        cx.report(result);
    }
}

/// The name, and the `value` as the step's `type` reads it (the type and
/// the server themselves are checked as clauses, wherever written).
fn dns(cx: &mut Context, step: &Step, name: &Text) {
    if let Some(v) = value(cx, "the `wait dns` name", name) {
        let result = v.dns_name();
        cx.report(result);
    }
    let Some(ClauseKind::Value(expected)) = own(step, Name::Value).map(|c| &c.kind) else {
        return;
    };
    let kind = match own(step, Name::Type).map(|c| &c.kind) {
        Some(ClauseKind::RecordType(t)) => match value(cx, "the `type`", t) {
            // A bad or unknown type is its own diagnostic (or a run-time matter).
            Some(v) => match v.record_type() {
                Ok(kind) => Some(kind),
                Err(_) => return,
            },
            None => return,
        },
        _ => None,
    };
    if let Some(v) = value(cx, "the `value`", expected) {
        let result = v.record_value(kind).map(drop);
        cx.report(result);
    }
}

/// `type T` and `server IP[:PORT]`, on a step or in `defaults`.
pub(super) fn record_type(cx: &mut Context, text: &Text) {
    if let Some(v) = value(cx, "the `type`", text) {
        let result = v.record_type().map(drop);
        cx.report(result);
    }
}

pub(super) fn dns_server(cx: &mut Context, text: &Text) {
    if let Some(v) = value(cx, "the `server`", text) {
        let result = v.dns_server().map(drop);
        cx.report(result);
    }
}

pub(super) fn url(cx: &mut Context, what: &str, text: &Text) {
    if let Some(v) = value(cx, what, text) {
        let result = v.http_url();
        cx.report(result);
    }
}

pub(super) fn path(cx: &mut Context, what: &str, text: &Text) {
    if let Some(v) = value(cx, what, text) {
        let result = v.path();
        cx.report(result);
    }
}

fn command(cx: &mut Context, action: &str, command: &CommandSpec) {
    match command {
        CommandSpec::Shell(text) => {
            if let Some(v) = value(cx, &format!("the `{action}` command"), text) {
                let result = v.shell();
                cx.report(result);
            }
        }
        CommandSpec::Argv { args, .. } => {
            let what = format!("the first element of the `{action}` argv list");
            if let Some(v) = args.first().and_then(|program| value(cx, &what, program)) {
                let result = v.program();
                cx.report(result);
            }
            let what = format!("an argument of the `{action}` argv list");
            for arg in args.iter().skip(1) {
                argument(cx, &what, arg);
            }
        }
    }
}

/// A value handed to the operating system as is: an argument, an `env` value.
pub(super) fn argument(cx: &mut Context, what: &str, text: &Text) {
    if let Some(v) = value(cx, what, text) {
        let result = v.argument();
        cx.report(result);
    }
}

fn s3(cx: &mut Context, transfer: Transfer, remote: &Text, local: &Text) {
    let remote = value(cx, transfer.what(true), remote);
    let local = value(cx, transfer.what(false), local);
    let result = transfer.check(remote.as_ref(), local.as_ref()).map(drop);
    cx.report(result);
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

pub(super) fn grpc_service(cx: &mut Context, name: &Text) {
    if let Some(v) = value(cx, "the gRPC service name", name) {
        let result = v.grpc_service();
        cx.report(result);
    }
}

/// W104 on `wait grpc`: plaintext unless `tls`, so `insecure` alone verifies
/// nothing. Which of the two was meant is a guess, so the help names both
/// and no fix is applied.
pub(super) fn insecure_without_tls(cx: &mut Context, step: &Step) {
    if !matches!(step.action, Action::WaitGrpc { .. }) || own(step, Name::Tls).is_some() {
        return;
    }
    let Some(insecure) = own(step, Name::Insecure) else {
        return;
    };
    cx.push(
        INSECURE_HTTP
            .at(insecure.span, "`insecure` has no effect without `tls`")
            .with_label("no TLS to verify")
            .with_secondary(step.head, "plaintext gRPC")
            .with_help(
                "`wait grpc` speaks plaintext unless `tls` is given: add `tls` to speak TLS \
                 without verifying the certificate, or remove `insecure`",
            ),
    );
}

/// The text when it holds no variables, borrowed in the common case of a
/// single literal part (no allocation per step on large scripts).
pub(super) fn literal(text: &Text) -> Option<Cow<'_, str>> {
    match &*text.parts {
        [] => Some(Cow::Borrowed("")),
        [TextPart::Literal(s)] => Some(Cow::Borrowed(s)),
        _ => text.literal().map(Cow::Owned),
    }
}
