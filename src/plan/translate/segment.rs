//! The script a zinit container runs: the steps the platform cannot run
//! itself, as the author wrote them (statement by statement, so values,
//! quoting and `${...}` stay as written), with every policy and the
//! `defaults` that reach them. A step whose derived id would change
//! because other steps are no longer beside it gets its id written out
//! (`as ID`), so the ids zinit reports in the container are the plan's.

use crate::plan::compile;
use crate::plan::model::PlanStep;
use crate::syntax::ast::{Script, Statement};
use crate::syntax::parse;

/// `keep`: indexes of the plan's top-level steps this script runs.
pub fn segment_script(
    script: &Script,
    plan_steps: &[PlanStep],
    source: &str,
    keep: &[usize],
    header: &str,
) -> String {
    let first = write(script, source, keep, header, &[]);
    let kept: Vec<&PlanStep> = keep.iter().map(|&i| &plan_steps[i]).collect();
    let written = compile(&parse(&first).script);
    let mut insertions = Vec::new();
    id_fixes(
        &kept,
        &written.steps.iter().collect::<Vec<_>>(),
        &mut insertions,
    );
    if insertions.is_empty() {
        return first;
    }
    insertions.sort();
    write(script, source, keep, header, &insertions)
}

/// `(offset in source, text)` to insert where a step's id must be written.
fn id_fixes(wanted: &[&PlanStep], written: &[&PlanStep], out: &mut Vec<(usize, String)>) {
    for (want, got) in wanted.iter().zip(written) {
        if want.id != got.id {
            // A group's clauses stand before its body.
            let at = match want.action.members() {
                Some(_) => want.head.end(),
                None => want.span.end(),
            };
            out.push((at, format!(" as {}", want.id)));
        }
        if let (Some(w), Some(g)) = (want.action.members(), got.action.members()) {
            id_fixes(
                &w.iter().collect::<Vec<_>>(),
                &g.iter().collect::<Vec<_>>(),
                out,
            );
        }
    }
}

fn write(
    script: &Script,
    source: &str,
    keep: &[usize],
    header: &str,
    insertions: &[(usize, String)],
) -> String {
    let last_kept = keep.iter().max().copied();
    let mut out = String::from(header);
    let mut step_index = 0;
    for statement in &script.statements {
        let wanted = match statement {
            Statement::Policy(_) => true,
            // A ZLayer setting that zinit's own run ignores (reported).
            Statement::ZLayer(_) => false,
            // A `defaults` reaches only the steps after it.
            Statement::Defaults(_) => last_kept.is_some_and(|last| step_index <= last),
            Statement::Step(_) => {
                step_index += 1;
                keep.contains(&(step_index - 1))
            }
        };
        if wanted {
            let span = statement.span();
            let mut at = span.start();
            for (offset, text) in insertions {
                if *offset > span.start() && *offset <= span.end() {
                    out.push_str(&source[at..*offset]);
                    out.push_str(text);
                    at = *offset;
                }
            }
            out.push_str(&source[at..span.end()]);
            out.push('\n');
        }
    }
    out
}
