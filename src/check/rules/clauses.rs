//! Which clauses belong to which action (E102), and clauses given twice
//! (E101).

use super::Context;
use super::names::{Name, Set};
use crate::check::codes::{MISPLACED_CLAUSE, REPEATED_CLAUSE};
use crate::syntax::ast::{Action, Clause, DefaultsStmt, Step};

use Name::*;

const WAIT_TCP: Set = Set::of(&[As, Timeout, OnFail, Retry, Every, Closed]);
const WAIT_HTTP: Set = Set::of(&[
    As,
    Timeout,
    OnFail,
    Retry,
    Every,
    Status,
    BodyContains,
    Insecure,
]);
const WAIT_FILE: Set = Set::of(&[As, Timeout, OnFail, Retry, Every, Gone]);
const RUN: Set = Set::of(&[As, Timeout, OnFail, Retry, Env, Cwd]);
/// A started service runs until the script's work is done: no attempt to time out.
const START: Set = Set::of(&[As, OnFail, Retry, Env, Cwd]);
/// A pause cannot fail, so only its name is settable.
const SLEEP: Set = Set::of(&[As]);
const S3: Set = Set::of(&[As, Timeout, OnFail, Retry, Endpoint, Region]);
const PARALLEL: Set = Set::of(&[As, Timeout, OnFail]);
/// Defaults name no step.
const DEFAULTS: Set = Set::all_but(As);

const ACTIONS: &[(&str, Set)] = &[
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

fn accepted(action: &Action) -> Set {
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

pub(super) fn accepts(action: &Action, name: Name) -> bool {
    accepted(action).contains(name)
}

pub(super) fn step(cx: &mut Context, step: &Step) {
    let accepted = accepted(&step.action);
    for clause in &step.clauses {
        let name = Name::of(&clause.kind);
        if !accepted.contains(name) {
            let action = step.action.name();
            let help = format!(
                "{}`{action}` accepts: {}",
                hint(name, &step.action),
                accepted.listed()
            );
            let message = format!("`{}` does not belong to `{action}`", name.keyword());
            misplaced(cx, clause, &message, help);
        }
    }
    repeated(cx, &step.clauses);
}

pub(super) fn defaults(cx: &mut Context, defaults: &DefaultsStmt) {
    for clause in &defaults.clauses {
        let name = Name::of(&clause.kind);
        if !DEFAULTS.contains(name) {
            let help = format!(
                "name each step with its own `as`; `defaults` accepts: {}",
                DEFAULTS.listed()
            );
            let message = format!("`{}` cannot be a default", name.keyword());
            misplaced(cx, clause, &message, help);
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
            .with_unsafe_fix(format!("remove `{keyword}`"), removal, ""),
    );
}

/// Each clause at most once, except `env` (its pairs add up).
fn repeated(cx: &mut Context, clauses: &[Clause]) {
    let mut first: [Option<&Clause>; super::names::COUNT] = [None; super::names::COUNT];
    for clause in clauses {
        let name = Name::of(&clause.kind);
        if name == Env {
            continue;
        }
        let Some(first) = first[name.index()] else {
            first[name.index()] = Some(clause);
            continue;
        };
        report_repeat(
            cx,
            name.keyword(),
            clause.span,
            first.span,
            "each clause may appear once per step; keep the one you mean",
        );
    }
}

/// Where a misplaced clause does belong, or what was probably meant.
fn hint(name: Name, action: &Action) -> String {
    match (name, action) {
        (Every, _) => "`every` alone is the poll interval of a wait; for a delay between \
                       retries write `retry N every D`. "
            .to_string(),
        (Timeout, Action::Start { .. }) => {
            "a started service runs until the script's work is done, so it has no timeout. "
                .to_string()
        }
        (Timeout | OnFail | Retry, Action::Sleep { .. }) => {
            "a pause cannot fail or time out. ".to_string()
        }
        _ => {
            let owners: Vec<String> = ACTIONS
                .iter()
                .filter(|(_, accepted)| accepted.contains(name))
                .map(|(action, _)| format!("`{action}`"))
                .collect();
            if owners.is_empty() {
                String::new()
            } else {
                format!("`{}` belongs to {}. ", name.keyword(), owners.join(" or "))
            }
        }
    }
}

/// E101 at the repeat, pointing back at the first, with the repeat's removal as the fix.
pub(super) fn report_repeat(
    cx: &mut Context,
    keyword: &str,
    span: crate::syntax::Span,
    first: crate::syntax::Span,
    help: &str,
) {
    let removal = cx.removal(span);
    cx.push(
        REPEATED_CLAUSE
            .at(span, format!("`{keyword}` is given more than once"))
            .with_label("repeated here")
            .with_secondary(first, "first given here")
            .with_help(help)
            .with_safe_fix(format!("remove the repeated `{keyword}`"), removal, ""),
    );
}
