//! E130: `wait log SERVICE` and `by SERVICE` name a `start` step that comes
//! before them in the script (in a group, an earlier member counts: the
//! wait waits for it to start). Step ids, derived ones
//! included, are the compiler's, so this is a lint on the plan.

use super::model::{PlanAction, PlanStep, ServiceRef};
use crate::check::Diagnostic;
use crate::check::codes::UNKNOWN_SERVICE;
use crate::syntax::ast::{Action, ClauseKind, Statement, Step};

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

/// Every reference that names no earlier `start` step.
pub fn unknown_services(steps: &[PlanStep]) -> Vec<Diagnostic> {
    let mut all = Vec::new();
    flatten(steps, &mut all);
    let mut out = Vec::new();
    for (at, step) in all.iter().enumerate() {
        let Some((reference, clause)) = reference(step) else {
            continue;
        };
        let earlier =
            |s: &&PlanStep| s.id == reference.id && matches!(s.action, PlanAction::Start(_));
        if all[..at].iter().any(earlier) {
            continue;
        }
        out.push(diagnostic(&all, at, reference, clause));
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

fn diagnostic(all: &[&PlanStep], at: usize, reference: &ServiceRef, how: &str) -> Diagnostic {
    let id = &reference.id;
    let mut d = UNKNOWN_SERVICE
        .at(
            reference.span,
            format!("`{how} {id}` names no `start` step before it"),
        )
        .with_label("no such service here");
    let same_id = all.iter().find(|s| s.id == *id);
    let starts: Vec<&str> = all[..at]
        .iter()
        .filter(|s| matches!(s.action, PlanAction::Start(_)))
        .map(|s| s.id.as_str())
        .collect();
    match same_id {
        Some(step) if matches!(step.action, PlanAction::Start(_)) => {
            d = d
                .with_secondary(step.span, "started only after the wait")
                .with_help(format!(
                    "move `start ... as {id}` above this step: a wait can only watch a \
                     service that has been started"
                ));
        }
        Some(step) => {
            d = d
                .with_secondary(step.span, format!("a `{}` step", step.action.kind()))
                .with_help(format!(
                    "`{id}` is not a `start` step; {how} names the id of a service (`start CMD as NAME`)"
                ));
        }
        None => {
            let close = starts
                .iter()
                .map(|s| (strsim::levenshtein(id, s), *s))
                .filter(|(distance, s)| *distance <= (s.chars().count() / 3).max(2))
                .min_by_key(|(distance, _)| *distance);
            d = match close {
                Some((_, guess)) => d
                    .with_help(format!("did you mean `{guess}`?"))
                    .with_unsafe_fix(format!("use `{guess}`"), reference.span, guess),
                None if starts.is_empty() => d.with_help(
                    "start the service first and name it: `start CMD as NAME`, then \
                     `wait log NAME ...`",
                ),
                None => d.with_help(format!(
                    "the services started before this step: {}",
                    starts
                        .iter()
                        .map(|s| format!("`{s}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            };
        }
    }
    d
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
