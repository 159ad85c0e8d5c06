//! Groups: a `parallel` or `any` without steps (E116, E145), and what makes
//! no sense inside an `any`: a `start` (E146), whose service a losing member
//! would leave behind, and a member's own `on-fail` (E147), since a member
//! that fails only loses the race.

use super::{Context, own};
use crate::check::codes::{EMPTY_ANY, EMPTY_PARALLEL, ON_FAIL_IN_ANY, START_IN_ANY};
use crate::syntax::Span;
use crate::syntax::ast::{Action, Step};
use crate::syntax::clauses::Name;

pub(super) fn group(cx: &mut Context, step: &Step) {
    let (Some(steps), Some(body)) = (step.action.members(), step.action.body()) else {
        return;
    };
    let any = matches!(step.action, Action::Any { .. });
    if steps.is_empty() {
        let (code, help) = match any {
            true => (
                EMPTY_ANY,
                "put the ways to be ready inside the braces (`any { wait tcp a:1; wait tcp b:1 }`), or remove the group",
            ),
            false => (
                EMPTY_PARALLEL,
                "put the steps to run at once inside the braces, or remove the group",
            ),
        };
        let message = format!("this `{}` group has no steps", step.action.name());
        cx.push(
            code.at(body, message)
                .with_label("empty body")
                .with_help(help),
        );
    }
    if !any {
        return;
    }
    for member in steps {
        if let Some(on_fail) = own(member, Name::OnFail) {
            let removal = cx.removal(on_fail.span);
            cx.push(
                ON_FAIL_IN_ANY
                    .at(on_fail.span, "`on-fail` on a member of an `any` group has no effect")
                    .with_label("a member that fails only loses")
                    .with_secondary(step.head, "the group that decides")
                    .with_help(
                        "the group fails when all its members have failed; to go on then, put `on-fail` on the group: `any on-fail warn { ... }`",
                    )
                    .with_unsafe_fix("remove `on-fail`", removal, ""),
            );
        }
    }
    let mut starts = Vec::new();
    starts_within(steps, &mut starts);
    for start in starts {
        cx.push(
            START_IN_ANY
                .at(start, "a service cannot be started inside an `any` group")
                .with_label("started inside `any`")
                .with_secondary(step.head, "in this group")
                .with_help(
                    "a `start` succeeds at once, so it would always win, and a losing member's service would be left running; start the service before the group and wait for it inside",
                ),
        );
    }
}

/// The heads of the `start` steps among `steps` and their groups' members,
/// except inside a nested `any` (which reports its own).
fn starts_within(steps: &[Step], out: &mut Vec<Span>) {
    for step in steps {
        match &step.action {
            Action::Start { .. } => out.push(step.head),
            Action::Parallel { steps, .. } => starts_within(steps, out),
            _ => {}
        }
    }
}
