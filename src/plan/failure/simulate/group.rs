//! `--fail` inside a group: one attempt of the `parallel` or `any` group
//! that holds the failing step.

use super::{Effect, Group, Sim};
use crate::plan::failure::Event;
use crate::plan::model::{PlanAction, PlanStep, millis_of};

/// How the members of one group attempt ended, before the group decides.
struct Members {
    /// Where the members' entries start in `Sim::entries`.
    first_entry: usize,
    /// Each member's end and effect, in order.
    ends: Vec<(u64, Effect)>,
}

impl Members {
    /// When the last member would have ended.
    fn all_done(&self, t: u64) -> u64 {
        self.ends.iter().map(|(at, _)| *at).max().unwrap_or(t)
    }
}

impl Sim<'_> {
    /// One attempt of a group holding the failing step: members start
    /// together and the group's own timeout cuts everything short. In a
    /// `parallel`, a member failing for good cancels the others; in an
    /// `any`, the first to succeed wins and cancels the others, and the
    /// group fails when all have failed.
    pub(super) fn group_attempt(
        &mut self,
        group: &PlanStep,
        members: &[PlanStep],
        k: u64,
        of: u64,
        t: u64,
    ) -> (u64, Effect) {
        let any = matches!(group.action, PlanAction::Any { .. });
        let run = self.run_members(group, members, any, (k, of, t));
        let exited = run.ends.iter().any(|(_, e)| *e == Effect::Exited);
        if any {
            return self.any_end(group, members, &run, exited, (k, of, t));
        }
        let failed_at = run
            .ends
            .iter()
            .filter(|(_, e)| e.ends_pass())
            .map(|(at, _)| *at)
            .min();
        let natural_end = failed_at.unwrap_or(run.all_done(t));
        let (end, timed_out) = self.end_attempt(group, &run, (natural_end, None), (k, of, t));
        let effect = if exited && !timed_out {
            Effect::Exited
        } else if timed_out || failed_at.is_some() {
            Effect::Failed
        } else {
            run.ends.iter().fold(Effect::Ok, |acc, (_, e)| acc.and(*e))
        };
        (end, effect)
    }

    /// How an `any` attempt ends: at the first member to succeed, or when
    /// the last has failed.
    fn any_end(
        &mut self,
        group: &PlanStep,
        members: &[PlanStep],
        run: &Members,
        exited: bool,
        attempt: (u64, u64, u64),
    ) -> (u64, Effect) {
        let winner = run
            .ends
            .iter()
            .enumerate()
            .filter(|(_, (_, e))| !e.ends_pass())
            .min_by_key(|(_, (at, _))| *at)
            .map(|(i, &(at, effect))| (i, at, effect));
        let natural_end = winner.map_or(run.all_done(attempt.2), |(_, at, _)| at);
        let group_id = group.id.clone();
        let ending = match winner {
            Some((i, _, _)) => Event::MemberWon {
                group: group_id,
                step: members[i].id.clone(),
            },
            None => Event::AllMembersFailed { group: group_id },
        };
        let (end, timed_out) = self.end_attempt(group, run, (natural_end, Some(ending)), attempt);
        match winner {
            Some((_, _, effect)) if !timed_out => (end, effect),
            _ if exited && !timed_out => (end, Effect::Exited),
            _ => (end, Effect::Failed),
        }
    }

    /// Starts the group's attempt and runs every member from `t`.
    fn run_members(
        &mut self,
        group: &PlanStep,
        members: &[PlanStep],
        any: bool,
        (k, of, t): (u64, u64, u64),
    ) -> Members {
        self.push(
            t,
            Event::AttemptStarted {
                step: group.id.clone(),
                attempt: k,
                of,
            },
        );
        let first_entry = self.entries.len();
        self.groups.push(Group {
            id: group.id.clone(),
            any,
        });
        let ends = members.iter().map(|m| self.run_step(m, t)).collect();
        self.groups.pop();
        Members { first_entry, ends }
    }

    /// Ends the attempt at `natural_end` (with its `ending` event, if any)
    /// or at the group's deadline, if earlier: drops what the members would
    /// have done after it, and cancels those still running. Returns the end
    /// and whether it timed out.
    fn end_attempt(
        &mut self,
        group: &PlanStep,
        run: &Members,
        (natural_end, ending): (u64, Option<Event>),
        (k, of, t): (u64, u64, u64),
    ) -> (u64, bool) {
        let deadline = group.timeout.map(|d| t.saturating_add(millis_of(d)));
        let (end, timed_out) = match deadline {
            Some(deadline) if deadline < natural_end => (deadline, true),
            _ => (natural_end, false),
        };
        // What would have happened after the group ended never does.
        let mut member_entries = self.entries.split_off(run.first_entry);
        member_entries.retain(|e| e.at_ms <= end);
        member_entries.sort_by_key(|e| e.at_ms);
        self.entries.extend(member_entries);
        if let Some(ending) = ending.filter(|_| !timed_out) {
            self.push(end, ending);
        }
        if run.all_done(t) > end {
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
        (end, timed_out)
    }
}
