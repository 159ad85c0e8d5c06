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

/// Writes the scripts of a layout's zinit units, each from the same script
/// (indexed once: a script of 40,000 steps in 5,000 segments was walked
/// whole for each of them).
pub struct Segmenter<'a> {
    script: &'a Script,
    plan_steps: &'a [PlanStep],
    source: &'a str,
    statements: Statements,
}

impl<'a> Segmenter<'a> {
    pub fn new(script: &'a Script, plan_steps: &'a [PlanStep], source: &'a str) -> Self {
        Segmenter {
            script,
            plan_steps,
            source,
            statements: Statements::of(script),
        }
    }

    /// `keep`: indexes of the plan's top-level steps this script runs.
    pub fn script(&self, keep: &[usize], header: &str) -> String {
        let wanted = self.statements.wanted(keep);
        let first = self.write(&wanted, header, &[]);
        let kept: Vec<&PlanStep> = keep.iter().map(|&i| &self.plan_steps[i]).collect();
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
        self.write(&wanted, header, &insertions)
    }

    /// The statements `wanted`, with `insertions` (sorted by offset).
    fn write(&self, wanted: &[usize], header: &str, insertions: &[(usize, String)]) -> String {
        let mut out = String::from(header);
        for &at in wanted {
            let span = self.script.statements[at].span();
            let mut from = span.start();
            let first = insertions.partition_point(|(offset, _)| *offset <= span.start());
            for (offset, text) in insertions[first..]
                .iter()
                .take_while(|(offset, _)| *offset <= span.end())
            {
                out.push_str(&self.source[from..*offset]);
                out.push_str(text);
                from = *offset;
            }
            out.push_str(&self.source[from..span.end()]);
            out.push('\n');
        }
        out
    }
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

/// Where each statement is, for writing one segment without walking the
/// whole script: the top-level steps', and the policies' and `defaults`'
/// (with the number of steps before each).
struct Statements {
    steps: Vec<usize>,
    policies: Vec<usize>,
    /// Each `defaults`, with the number of steps before it.
    defaults: Vec<(usize, usize)>,
}

impl Statements {
    fn of(script: &Script) -> Statements {
        let (mut steps, mut policies, mut defaults) = (Vec::new(), Vec::new(), Vec::new());
        for (at, statement) in script.statements.iter().enumerate() {
            match statement {
                Statement::Step(_) => steps.push(at),
                Statement::Policy(_) => policies.push(at),
                Statement::Defaults(_) => defaults.push((at, steps.len())),
                // A ZLayer setting that zinit's own run ignores (reported).
                Statement::ZLayer(_) => {}
            }
        }
        Statements {
            steps,
            policies,
            defaults,
        }
    }

    fn wanted(&self, keep: &[usize]) -> Vec<usize> {
        let last_kept = keep.iter().max().copied();
        let mut wanted: Vec<usize> = keep.iter().map(|&step| self.steps[step]).collect();
        wanted.extend(&self.policies);
        let reached = |steps_before: usize| last_kept.is_some_and(|last| steps_before <= last);
        wanted.extend(
            self.defaults
                .iter()
                .filter(|&&(_, steps_before)| reached(steps_before))
                .map(|&(at, _)| at),
        );
        wanted.sort_unstable();
        wanted
    }
}
