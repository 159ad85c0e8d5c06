//! The steps of a document, each with what the plan made of it: its id,
//! resolved settings and timing. Symbols, hover, completion and definition
//! all read the script through this one walk.

use crate::plan::model::{PlanAction, PlanStep};
use crate::plan::{StepTiming, compile, plan_timing};
use crate::syntax::ast::{Script, Statement, Step};

/// One step as written, and as planned.
pub struct StepInfo<'a> {
    pub step: &'a Step,
    pub plan: &'a PlanStep,
    pub timing: &'a StepTiming,
    pub members: Vec<StepInfo<'a>>,
}

/// A parsed document and its plan (compiled even when the script has
/// errors: the compiler takes any tree).
pub struct Analysis {
    pub script: Script,
    pub plan: crate::plan::Plan,
    pub timing: crate::plan::PlanTiming,
}

impl Analysis {
    pub fn new(text: &str) -> Self {
        let script = crate::syntax::parse(text).script;
        let plan = compile(&script);
        let timing = plan_timing(&plan);
        Analysis {
            script,
            plan,
            timing,
        }
    }

    /// The top-level steps, in order, members nested.
    pub fn steps(&self) -> Vec<StepInfo<'_>> {
        let steps = self.script.statements.iter().filter_map(|s| match s {
            Statement::Step(step) => Some(step),
            _ => None,
        });
        pair(steps, &self.plan.steps, &self.timing.steps)
    }

    /// Every step, depth first (a group before its members).
    pub fn all_steps(&self) -> Vec<StepInfo<'_>> {
        let mut out = Vec::new();
        let mut pending = self.steps();
        pending.reverse();
        while let Some(mut info) = pending.pop() {
            let members = std::mem::take(&mut info.members);
            out.push(info);
            pending.extend(members.into_iter().rev());
        }
        out
    }

    /// The ids of the `start` steps: the services a reference can name.
    pub fn services(&self) -> Vec<StepInfo<'_>> {
        self.all_steps()
            .into_iter()
            .filter(|s| matches!(s.plan.action, PlanAction::Start(_)))
            .collect()
    }

    /// The innermost step whose text holds `offset`.
    pub fn step_at(&self, offset: usize) -> Option<StepInfo<'_>> {
        self.all_steps()
            .into_iter()
            .rev()
            .find(|s| s.step.span.start() <= offset && offset <= s.step.span.end())
    }
}

/// The compiler plans every step of the tree in order, so the two walks
/// line up one to one (members past its depth limit are left out by both).
fn pair<'a>(
    steps: impl Iterator<Item = &'a Step>,
    planned: &'a [PlanStep],
    timings: &'a [StepTiming],
) -> Vec<StepInfo<'a>> {
    steps
        .zip(planned.iter().zip(timings))
        .map(|(step, (plan, timing))| {
            let members = match (step.action.members(), plan.action.members()) {
                (Some(steps), Some(planned)) => pair(steps.iter(), planned, &timing.members),
                _ => Vec::new(),
            };
            StepInfo {
                step,
                plan,
                timing,
                members,
            }
        })
        .collect()
}
