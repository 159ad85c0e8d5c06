//! The canonical order of step clauses: the step's name, what it waits
//! for or runs with, how long, how often it retries, what a failure does.

use crate::syntax::ast::ClauseKind;

/// Where a clause goes among a step's (or `defaults`') clauses; clauses of
/// the same rank keep their written order. `every` comes before `retry`,
/// so a `retry N` is never followed by a poll interval it would take as
/// its own delay (`retry 2 every 1s` is a retry schedule).
pub fn clause_rank(kind: &ClauseKind) -> u8 {
    match kind {
        ClauseKind::As(_) => 0,
        ClauseKind::Closed | ClauseKind::Gone => 1,
        ClauseKind::Status(_) => 2,
        ClauseKind::BodyContains(_) => 3,
        ClauseKind::Insecure => 4,
        ClauseKind::Endpoint(_) => 5,
        ClauseKind::Region(_) => 6,
        ClauseKind::Env(_) => 7,
        ClauseKind::Cwd(_) => 8,
        ClauseKind::Timeout(_) => 9,
        ClauseKind::Every(_) => 10,
        ClauseKind::Retry(_) => 11,
        ClauseKind::OnFail(_) => 12,
    }
}
