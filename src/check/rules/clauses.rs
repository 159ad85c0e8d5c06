//! Which clauses belong to which action (E102), and clauses given twice
//! (E101).

use super::Context;
use crate::check::codes::{MISPLACED_CLAUSE, REPEATED_CLAUSE, REPEATED_ENV_KEY};
use crate::syntax::ast::{Action, Clause, ClauseKind, DefaultsStmt, EnvPair, Step};
use crate::syntax::clauses::{self, ACTIONS, DEFAULTS, EVERY_HINT, Name, REPEATABLE, clauses_of};
use std::collections::HashMap;

pub(super) fn step(cx: &mut Context, step: &Step) {
    let accepted = clauses_of(&step.action).accepts;
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
            let own = if name == Name::As {
                "name each step with its own `as`".to_string()
            } else {
                format!("`{}` belongs on the one step it is for", name.keyword())
            };
            let help = format!("{own}; `defaults` accepts: {}", DEFAULTS.listed());
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

/// Each clause at most once, except the repeatable ones the clause table
/// names (`env` pairs add up, each key once; `header`s and `json` checks add up).
fn repeated(cx: &mut Context, clauses: &[Clause]) {
    let mut env_keys = Vec::new();
    let mut first: [Option<&Clause>; clauses::COUNT] = [None; clauses::COUNT];
    for clause in clauses {
        let name = Name::of(&clause.kind);
        if let ClauseKind::Env(pairs) = &clause.kind {
            env_keys.extend(pairs);
        }
        if REPEATABLE.contains(name) {
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
    repeated_env_keys(cx, &env_keys);
}

/// E118: an `env` key given twice in one statement, where which value the
/// command gets would be a guess. (A step's own key over a `defaults` one
/// is no repeat: the step's wins.)
fn repeated_env_keys(cx: &mut Context, pairs: &[&EnvPair]) {
    let mut first: HashMap<&str, &EnvPair> = HashMap::with_capacity(pairs.len());
    for pair in pairs {
        let key = pair.key.value.as_str();
        let Some(earlier) = first.get(key) else {
            first.insert(key, pair);
            continue;
        };
        cx.push(
            REPEATED_ENV_KEY
                .at(pair.key.span, format!("`env` key `{key}` is given twice"))
                .with_label("given again here")
                .with_secondary(earlier.key.span, "first given here")
                .with_help("each key gets one value per step; keep the pair you mean"),
        );
    }
}

/// Where a misplaced clause does belong, or why it cannot.
fn hint(name: Name, action: &Action) -> String {
    let row = clauses_of(action);
    if let Some((_, why)) = row.refuses.iter().find(|(set, _)| set.contains(name)) {
        return format!("{why}. ");
    }
    if name == Name::Every {
        return format!("{EVERY_HINT}. ");
    }
    let owners: Vec<String> = ACTIONS
        .iter()
        .filter(|row| row.accepts.contains(name))
        .map(|row| format!("`{}`", row.action))
        .collect();
    if owners.is_empty() {
        String::new()
    } else {
        format!("`{}` belongs to {}. ", name.keyword(), owners.join(" or "))
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
