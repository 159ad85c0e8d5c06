//! Which clauses belong to which action (E102), and clauses given twice
//! (E101).

use super::Context;
use crate::check::codes::{MISPLACED_CLAUSE, REPEATED_CLAUSE};
use crate::syntax::ast::{Action, Clause, DefaultsStmt, Step};

const WAIT_TCP: &[&str] = &["as", "timeout", "on-fail", "retry", "every", "closed"];
const WAIT_HTTP: &[&str] = &[
    "as",
    "timeout",
    "on-fail",
    "retry",
    "every",
    "status",
    "body contains",
    "insecure",
];
const WAIT_FILE: &[&str] = &["as", "timeout", "on-fail", "retry", "every", "gone"];
const RUN: &[&str] = &["as", "timeout", "on-fail", "retry", "env", "cwd"];
/// A started service runs until the script's work is done: no attempt to time out.
const START: &[&str] = &["as", "on-fail", "retry", "env", "cwd"];
/// A pause cannot fail, so only its name is settable.
const SLEEP: &[&str] = &["as"];
const S3: &[&str] = &["as", "timeout", "on-fail", "retry", "endpoint", "region"];
const PARALLEL: &[&str] = &["as", "timeout", "on-fail"];

/// Every clause but `as` (defaults name no step).
const DEFAULTS: &[&str] = &[
    "timeout",
    "on-fail",
    "retry",
    "every",
    "env",
    "cwd",
    "closed",
    "gone",
    "insecure",
    "status",
    "body contains",
    "endpoint",
    "region",
];

const ACTIONS: &[(&str, &[&str])] = &[
    ("wait tcp", WAIT_TCP),
    ("wait http", WAIT_HTTP),
    ("wait file", WAIT_FILE),
    ("run", RUN),
    ("start", START),
    ("sleep", SLEEP),
    ("s3 pull", S3),
    ("s3 push", S3),
    ("parallel", PARALLEL),
];

fn accepted(action: &Action) -> &'static [&'static str] {
    match action {
        Action::WaitTcp { .. } => WAIT_TCP,
        Action::WaitHttp { .. } => WAIT_HTTP,
        Action::WaitFile { .. } => WAIT_FILE,
        Action::Run { .. } => RUN,
        Action::Start { .. } => START,
        Action::Sleep { .. } => SLEEP,
        Action::S3Pull { .. } | Action::S3Push { .. } => S3,
        Action::Parallel { .. } => PARALLEL,
    }
}

pub(super) fn accepts(action: &Action, keyword: &str) -> bool {
    accepted(action).contains(&keyword)
}

pub(super) fn step(cx: &mut Context, step: &Step) {
    let name = step.action.name();
    for clause in &step.clauses {
        let keyword = clause.kind.keyword();
        if !accepts(&step.action, keyword) {
            let help = format!(
                "{}`{name}` accepts: {}",
                hint(keyword, &step.action),
                list(accepted(&step.action))
            );
            misplaced(
                cx,
                clause,
                &format!("`{keyword}` does not belong to `{name}`"),
                help,
            );
        }
    }
    repeated(cx, &step.clauses);
}

pub(super) fn defaults(cx: &mut Context, defaults: &DefaultsStmt) {
    for clause in &defaults.clauses {
        let keyword = clause.kind.keyword();
        if !DEFAULTS.contains(&keyword) {
            let help = format!(
                "name each step with its own `as`; `defaults` accepts: {}",
                list(DEFAULTS)
            );
            misplaced(
                cx,
                clause,
                &format!("`{keyword}` cannot be a default"),
                help,
            );
        }
    }
    repeated(cx, &defaults.clauses);
}

fn misplaced(cx: &mut Context, clause: &Clause, message: &str, help: String) {
    let keyword = clause.kind.keyword();
    let removal = cx.removal(clause.span);
    cx.push(
        MISPLACED_CLAUSE
            .at(clause.span, message)
            .with_label("not accepted here")
            .with_help(help)
            .with_fix(format!("remove `{keyword}`"), removal, ""),
    );
}

/// Each clause at most once, except `env` (its pairs add up).
fn repeated(cx: &mut Context, clauses: &[Clause]) {
    for (i, clause) in clauses.iter().enumerate() {
        let keyword = clause.kind.keyword();
        if keyword == "env" {
            continue;
        }
        if let Some(first) = clauses[..i].iter().find(|c| c.kind.keyword() == keyword) {
            let removal = cx.removal(clause.span);
            cx.push(
                REPEATED_CLAUSE
                    .at(clause.span, format!("`{keyword}` is given more than once"))
                    .with_label("repeated here")
                    .with_secondary(first.span, "first given here")
                    .with_help("each clause may appear once per step; keep the one you mean")
                    .with_fix(format!("remove the repeated `{keyword}`"), removal, ""),
            );
        }
    }
}

/// Where a misplaced clause does belong, or what was probably meant.
fn hint(keyword: &str, action: &Action) -> String {
    match (keyword, action) {
        ("every", _) => "`every` alone is the poll interval of a wait; for a delay between \
                         retries write `retry N every D`. "
            .to_string(),
        ("timeout", Action::Start { .. }) => {
            "a started service runs until the script's work is done, so it has no timeout. "
                .to_string()
        }
        ("timeout" | "on-fail" | "retry", Action::Sleep { .. }) => {
            "a pause cannot fail or time out. ".to_string()
        }
        _ => {
            let owners: Vec<&str> = ACTIONS
                .iter()
                .filter(|(_, clauses)| clauses.contains(&keyword))
                .map(|(name, _)| *name)
                .collect();
            match owners.as_slice() {
                [] => String::new(),
                owners => format!("`{keyword}` belongs to {}. ", quoted(owners, " or ")),
            }
        }
    }
}

fn list(keywords: &[&str]) -> String {
    quoted(keywords, ", ")
}

fn quoted(words: &[&str], separator: &str) -> String {
    words
        .iter()
        .map(|w| format!("`{w}`"))
        .collect::<Vec<_>>()
        .join(separator)
}
