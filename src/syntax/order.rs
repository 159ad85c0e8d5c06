//! The canonical order of step clauses, for both printers (`print`, from
//! the tree, and `fmt`, from the source): the step's name, what it waits
//! for or runs with, how long, how often it retries, what a failure does.

use super::ast::{Action, Clause, ClauseKind, Script, Statement, Step};

/// Where a clause goes among a step's (or `defaults`') clauses; clauses of
/// the same rank keep their written order. `every` comes before `retry`,
/// so a `retry N` is never followed by a poll interval it would take as
/// its own delay (`retry 2 every 1s` is a retry schedule).
pub fn clause_rank(kind: &ClauseKind) -> u8 {
    match kind {
        ClauseKind::As(_) => 0,
        ClauseKind::Closed | ClauseKind::Gone | ClauseKind::By(_) => 1,
        // The request, then what its answer must be, then how TLS is set up;
        // `wait dns` shares ranks: its type, server, then value.
        ClauseKind::Method(_) => 2,
        ClauseKind::Header(_) => 3,
        ClauseKind::Data(_) => 4,
        ClauseKind::Follow(_) => 5,
        ClauseKind::Status(_) | ClauseKind::RecordType(_) => 6,
        ClauseKind::BodyContains(_)
        | ClauseKind::Contains(_)
        | ClauseKind::Matches(_)
        | ClauseKind::Server(_) => 7,
        ClauseKind::BodyMatches(_) | ClauseKind::Times(_) | ClauseKind::Value(_) => 8,
        ClauseKind::Json(_) => 9,
        ClauseKind::Ca(_) => 10,
        ClauseKind::Cert { .. } => 11,
        // `wait grpc api:50051 service shop.v1.Orders tls insecure`: what, then how.
        ClauseKind::Service(_) => 9,
        ClauseKind::Tls | ClauseKind::Insecure => 12,
        ClauseKind::Endpoint(_) => 13,
        ClauseKind::Region(_) => 14,
        ClauseKind::Env(_) => 15,
        ClauseKind::Cwd(_) => 16,
        ClauseKind::Timeout(_) => 17,
        ClauseKind::Every(_) => 18,
        ClauseKind::Retry(_) => 19,
        ClauseKind::OnFail(_) => 20,
    }
}

/// The clauses in the canonical order (a stable sort).
pub fn ordered(clauses: &[Clause]) -> Vec<&Clause> {
    let mut ordered: Vec<&Clause> = clauses.iter().collect();
    ordered.sort_by_key(|c| clause_rank(&c.kind));
    ordered
}

/// The tree with every clause list in the canonical order: what a printed
/// or formatted script parses back to.
pub fn canonical(script: &Script) -> Script {
    fn sort_step(step: &mut Step) {
        step.clauses.sort_by_key(|c| clause_rank(&c.kind));
        if let Action::Parallel { steps, .. } | Action::Any { steps, .. } = &mut step.action {
            steps.iter_mut().for_each(sort_step);
        }
    }
    let mut script = script.clone();
    for statement in &mut script.statements {
        match statement {
            Statement::Step(step) => sort_step(step),
            Statement::Defaults(d) => d.clauses.sort_by_key(|c| clause_rank(&c.kind)),
            Statement::Policy(_) | Statement::ZLayer(_) => {}
        }
    }
    script
}
