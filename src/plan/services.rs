//! E130: `wait log SERVICE` and `by SERVICE` name a `start` step that comes
//! before them in the script (in a group, an earlier member counts: the
//! wait waits for it to start). Step ids, derived ones
//! included, are the compiler's, so this is a lint on the plan.

use super::model::{PlanAction, PlanStep, ServiceRef};
use crate::check::Diagnostic;
use crate::check::codes::UNKNOWN_SERVICE;
use crate::syntax::ast::{Action, ClauseKind, Statement, Step};
use std::collections::{HashMap, HashSet};

/// Whether these statements name a service anywhere (else the plan need
/// not be compiled).
pub fn names_services(statements: &[Statement]) -> bool {
    fn names(step: &Step) -> bool {
        matches!(step.action, Action::WaitLog { .. })
            || step
                .clauses
                .iter()
                .any(|c| matches!(c.kind, ClauseKind::By(_)))
            || step
                .action
                .members()
                .is_some_and(|steps| steps.iter().any(names))
    }
    statements.iter().any(|s| match s {
        Statement::Step(s) => names(s),
        _ => false,
    })
}

/// Services named in one help text at most; more are counted.
const LISTED: usize = 8;
/// The nearest earlier `start` steps a misspelt name is compared with: a
/// script of 20,000 services and as many misspelt references would
/// otherwise compare every pair.
const COMPARED: usize = 1_000;

/// Every reference that names no earlier `start` step. One pass in source
/// order: a reference before a later `start` of its name is still unknown.
pub fn unknown_services(steps: &[PlanStep]) -> Vec<Diagnostic> {
    let mut all = Vec::new();
    flatten(steps, &mut all);
    let mut first_with_id: HashMap<&str, &PlanStep> = HashMap::new();
    for step in &all {
        first_with_id.entry(step.id.as_str()).or_insert(step);
    }
    let mut started: HashSet<&str> = HashSet::new();
    let mut starts: Vec<&str> = Vec::new();
    let mut out = Vec::new();
    for step in &all {
        if let Some((reference, clause)) = reference(step) {
            if !started.contains(reference.id.as_str()) {
                let same_id = first_with_id.get(reference.id.as_str()).copied();
                out.push(diagnostic(same_id, &starts, reference, clause));
            }
        }
        if matches!(step.action, PlanAction::Start(_)) && started.insert(step.id.as_str()) {
            starts.push(step.id.as_str());
        }
    }
    out
}

/// Steps in source order, a group before its members.
fn flatten<'a>(steps: &'a [PlanStep], out: &mut Vec<&'a PlanStep>) {
    for step in steps {
        out.push(step);
        if let Some(members) = step.action.members() {
            flatten(members, out);
        }
    }
}

/// The service a step names, and how it names it.
pub fn reference(step: &PlanStep) -> Option<(&ServiceRef, &'static str)> {
    match &step.action {
        PlanAction::WaitLog { service, .. } => Some((service, "wait log")),
        PlanAction::WaitTcp { by: Some(by), .. } => Some((by, "by")),
        _ => None,
    }
}

/// E130 for `reference`; `same_id`: the first step with its id, if any;
/// `starts`: the services started before it, in order.
fn diagnostic(
    same_id: Option<&PlanStep>,
    starts: &[&str],
    reference: &ServiceRef,
    how: &str,
) -> Diagnostic {
    let id = &reference.id;
    let d = UNKNOWN_SERVICE
        .at(
            reference.span,
            format!("`{how} {id}` names no `start` step before it"),
        )
        .with_label("no such service here");
    match same_id {
        Some(step) if matches!(step.action, PlanAction::Start(_)) => d
            .with_secondary(step.span, "started only after the wait")
            .with_help(format!(
                "move `start ... as {id}` above this step: a wait can only watch a \
                 service that has been started"
            )),
        Some(step) => d
            .with_secondary(step.span, format!("a `{}` step", step.action.kind()))
            .with_help(format!(
                "`{id}` is not a `start` step; {how} names the id of a service (`start CMD as NAME`)"
            )),
        None => match closest(id, starts) {
            Some(guess) => d
                .with_help(format!("did you mean `{guess}`?"))
                .with_unsafe_fix(format!("use `{guess}`"), reference.span, guess),
            None if starts.is_empty() => d.with_help(
                "start the service first and name it: `start CMD as NAME`, then \
                 `wait log NAME ...`",
            ),
            None => d.with_help(format!(
                "the services started before this step: {}",
                listed(starts)
            )),
        },
    }
}

/// The earlier service whose name is nearest `id`, among the
/// [`COMPARED`] nearest starts.
fn closest<'a>(id: &str, starts: &[&'a str]) -> Option<&'a str> {
    let nearest = &starts[starts.len().saturating_sub(COMPARED)..];
    super::compile::closest_id(id, nearest.iter().copied())
}

/// `a`, `b`, … and N more.
fn listed(starts: &[&str]) -> String {
    let mut text = starts
        .iter()
        .take(LISTED)
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ");
    if starts.len() > LISTED {
        text.push_str(&format!(" and {} more", starts.len() - LISTED));
    }
    text
}

#[cfg(test)]
mod tests {
    use crate::plan::compile;
    use crate::syntax::parse;

    fn codes(source: &str) -> Vec<&'static str> {
        let plan = compile(&parse(source).script);
        super::unknown_services(&plan.steps)
            .iter()
            .map(|d| d.code)
            .collect()
    }

    #[test]
    fn references_inside_any_groups_are_checked() {
        let group = "any {\n  wait log web contains x\n  wait tcp 127.0.0.1:1 by web\n}";
        assert_eq!(codes(group), ["E130", "E130"]);
        assert!(codes(&format!("start \"srv\" as web\n{group}")).is_empty());
    }
}
