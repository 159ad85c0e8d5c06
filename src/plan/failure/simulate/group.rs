//! `--fail` inside a parallel group: one attempt of the group that holds
//! the failing step.

use super::{Effect, Sim};
use crate::plan::failure::Event;
use crate::plan::model::{PlanStep, millis_of};

impl Sim<'_> {
    /// One attempt of a group holding the failing step: members start
    /// together; a member failing for good cancels the others; the group's
    /// own timeout cuts everything short.
    pub(super) fn group_attempt(
        &mut self,
        group: &PlanStep,
        members: &[PlanStep],
        k: u64,
        of: u64,
        t: u64,
    ) -> (u64, Effect) {
        self.push(
            t,
            Event::AttemptStarted {
                step: group.id.clone(),
                attempt: k,
                of,
            },
        );
        let first_member_entry = self.entries.len();
        self.groups.push(group.id.clone());
        let ends: Vec<(u64, Effect)> = members.iter().map(|m| self.run_step(m, t)).collect();
        self.groups.pop();
        let failed_at = ends
            .iter()
            .filter(|(_, e)| e.ends_pass())
            .map(|(at, _)| *at)
            .min();
        let all_done = ends.iter().map(|(at, _)| *at).max().unwrap_or(t);
        let natural_end = failed_at.unwrap_or(all_done);
        let deadline = group.timeout.map(|d| t.saturating_add(millis_of(d)));
        let (end, timed_out) = match deadline {
            Some(deadline) if deadline < natural_end => (deadline, true),
            _ => (natural_end, false),
        };
        // What would have happened after the group ended never does.
        let mut member_entries = self.entries.split_off(first_member_entry);
        member_entries.retain(|e| e.at_ms <= end);
        member_entries.sort_by_key(|e| e.at_ms);
        self.entries.extend(member_entries);
        let failed = timed_out || failed_at.is_some();
        if failed && all_done > end {
            self.push(
                end,
                Event::SiblingsCancelled {
                    group: group.id.clone(),
                },
            );
        }
        if timed_out {
            let timeout_ms = deadline.unwrap_or(end).saturating_sub(t);
            self.push(
                end,
                Event::AttemptTimedOut {
                    step: group.id.clone(),
                    attempt: k,
                    of,
                    timeout_ms,
                },
            );
        }
        let exited = ends.iter().any(|(_, e)| *e == Effect::Exited);
        let effect = if exited && !timed_out {
            Effect::Exited
        } else if failed {
            Effect::Failed
        } else {
            ends.iter().fold(Effect::Ok, |acc, (_, e)| acc.and(*e))
        };
        (end, effect)
    }
}
