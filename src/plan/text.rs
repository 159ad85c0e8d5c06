//! Plan values as text for previews and exports: resolved against an
//! environment when possible, else as written with `${...}`.

use super::duration;
use super::env::{Env, resolve};
use super::model::{CommandPlan, PlanAction, millis_of};
use crate::syntax::ast::{CommandSpec, Fallback, Text, TextPart};

/// The text as the script wrote it, `${...}` included (`$` in literal parts
/// is shown as is: this is for reading, not for re-parsing).
pub fn written(text: &Text) -> String {
    let mut out = String::new();
    for part in &text.parts {
        match part {
            TextPart::Literal(s) => out.push_str(s),
            TextPart::Var(var) => {
                out.push_str("${");
                out.push_str(&var.name);
                match &var.fallback {
                    Fallback::None => {}
                    Fallback::Default(d) => {
                        out.push_str(":-");
                        out.push_str(d);
                    }
                    Fallback::Error(m) => {
                        out.push_str(":?");
                        out.push_str(m);
                    }
                }
                out.push('}');
            }
        }
    }
    out
}

/// The resolved text, or the written one when a variable is unset.
pub fn shown(text: &Text, env: &Env) -> String {
    resolve(text, env).unwrap_or_else(|_| written(text))
}

/// A command as it would be written: `"sh string"` or `["argv", "list"]`.
pub fn command(command: &CommandPlan, env: &Env) -> String {
    match &command.command {
        CommandSpec::Shell(text) => format!("{:?}", shown(text, env)),
        CommandSpec::Argv { args, .. } => {
            let args: Vec<String> = args
                .iter()
                .map(|a| format!("{:?}", shown(a, env)))
                .collect();
            format!("[{}]", args.join(", "))
        }
    }
}

/// The step's main argument (SPEC §5 `target`): a command's text unquoted
/// (argv joined by spaces; the JSON `command` keeps the list); `None` for a
/// parallel group.
pub fn target(action: &PlanAction, env: &Env) -> Option<String> {
    Some(match action {
        PlanAction::WaitTcp { target, .. } => shown(target, env),
        PlanAction::WaitHttp { url, .. } => shown(url, env),
        PlanAction::WaitFile { path, .. } => shown(path, env),
        PlanAction::Run(c) | PlanAction::Start(c) => match &c.command {
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
        PlanAction::Parallel { .. } => return None,
    })
}
