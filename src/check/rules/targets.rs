//! The values an action names — `wait tcp` HOST:PORT, http(s) URLs,
//! s3://BUCKET/KEY, paths, commands — judged when written literally by the
//! same validators (`crate::values`) that `zinit run` applies once `${...}`
//! is resolved. Also `insecure` where there is no TLS (W104).

use super::{Context, own};
use crate::check::codes::INSECURE_HTTP;
use crate::check::values::{Transfer, Value};
use crate::syntax::ast::{Action, CommandSpec, Step, Text, TextPart};
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

/// The text when it holds no variables, borrowed in the common case of a
/// single literal part (no allocation per step on large scripts).
pub(super) fn literal(text: &Text) -> Option<Cow<'_, str>> {
    match text.parts.as_slice() {
        [] => Some(Cow::Borrowed("")),
        [TextPart::Literal(s)] => Some(Cow::Borrowed(s)),
        _ => text.literal().map(Cow::Owned),
    }
}
