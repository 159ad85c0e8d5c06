//! Explicit step ids must be unique across the script, parallel members
//! included (E100). Derived ids never clash: the plan suffixes them.

use super::Context;
use crate::check::codes::DUPLICATE_ID;
use crate::syntax::Spanned;
use crate::syntax::ast::{ClauseKind, Literal, Step};
use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};

/// `ids`: every explicit id in source order (see [`collect`]).
pub(super) fn duplicates(cx: &mut Context, ids: &[&Spanned<Literal>]) {
    let mut first_at: HashMap<&str, &Spanned<Literal>> = HashMap::with_capacity(ids.len());
    let mut repeats = Vec::new();
    for id in ids {
        match first_at.get(id.value.as_str()) {
            Some(first) => repeats.push((*id, *first)),
            None => {
                first_at.insert(&id.value, id);
            }
        }
    }
    // Suggested renames must not clash with any id, nor with each other.
    let mut taken: HashSet<String> = HashSet::new();
    if !repeats.is_empty() {
        taken.extend(first_at.keys().map(|id| id.to_string()));
    }
    // Where each id's search for a free suffix goes on, so many repeats of
    // one id stay linear.
    let mut next_suffix: HashMap<&str, u64> = HashMap::new();
    for (id, first) in repeats {
        let suffix = next_suffix.entry(&id.value).or_insert(2);
        let free = (*suffix..)
            .map(|n| (n, format!("{}-{n}", id.value)))
            .find(|(_, candidate)| !taken.contains(candidate))
            .map(|(n, candidate)| {
                *suffix = n + 1;
                candidate
            })
            .unwrap_or_default();
        taken.insert(free.clone());
        cx.push(
            DUPLICATE_ID
                .at(
                    id.span,
                    format!("step id `{}` is used more than once", id.value),
                )
                .with_label("used again here")
                .with_secondary(first.span, "first used here")
                .with_help(
                    "step ids name steps in plans, logs and `--fail`, so each must be unique",
                )
                .with_unsafe_fix(format!("rename it `{free}`"), id.span, free),
        );
    }
}

/// The explicit ids in source order: the first `as` of each step (a second
/// `as` is a repeated clause, reported on its own).
pub(super) fn collect<'a>(step: &'a Step, ids: &mut Vec<&'a Spanned<Literal>>) {
    let id = step.clauses.iter().find_map(|c| match &c.kind {
        ClauseKind::As(name) => Some(name),
        _ => None,
    });
    ids.extend(id);
    if let Some(steps) = step.action.members() {
        for member in steps {
            collect(member, ids);
        }
    }
}
