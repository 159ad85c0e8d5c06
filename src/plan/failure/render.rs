//! The `--fail` timeline as text.

use super::{Event, Outcome, Timeline};
use crate::plan::duration::human;
use crate::plan::model::OnFail;
use std::fmt::Write;

pub fn render_text(timeline: &Timeline) -> String {
    let mut out = format!(
        "timeline when `{}` fails on every attempt (every other step succeeds as early as it can):\n\n",
        timeline.step
    );
    let offsets: Vec<String> = timeline
        .entries
        .iter()
        .map(|e| format!("+{}", human(e.at_ms)))
        .collect();
    let width = offsets.iter().map(String::len).max().unwrap_or(0);
    for (entry, offset) in timeline.entries.iter().zip(&offsets) {
        let _ = writeln!(
            out,
            "  {offset:>width$}  {}",
            describe(&entry.event, entry.pass)
        );
    }
    let outcome = match timeline.outcome {
        Outcome::Fails { after_ms } => format!("init fails after {}", human(after_ms)),
        Outcome::SucceedsWithWarning { after_ms } => {
            format!("init succeeds with a warning after {}", human(after_ms))
        }
        Outcome::Succeeds { after_ms } => format!(
            "init succeeds after {} (the failure is ignored: on-fail continue)",
            human(after_ms)
        ),
        Outcome::SucceedsByAnotherMember { after_ms } => format!(
            "init succeeds after {} (another member of its `any` group succeeds)",
            human(after_ms)
        ),
    };
    let _ = writeln!(out, "\n{outcome}");
    out
}

fn describe(event: &Event, pass: u64) -> String {
    match event {
        Event::PassStarted { of } => format!("pass {pass}/{of} starts"),
        Event::StepDone { step } => format!("{step}: done"),
        Event::AttemptStarted { step, attempt, of } => {
            format!("{step}: attempt {attempt}/{of} starts")
        }
        Event::AttemptTimedOut {
            step,
            attempt,
            of,
            timeout_ms,
        } => format!(
            "{step}: attempt {attempt}/{of} times out after {}",
            human(*timeout_ms)
        ),
        Event::AttemptFailed { step, attempt, of } => {
            format!("{step}: attempt {attempt}/{of} fails")
        }
        Event::RetryDelay { step, delay_ms } => {
            format!("{step}: waits {} before retrying", human(*delay_ms))
        }
        Event::AttemptsElided { step, from, to } => {
            format!("{step}: attempts {from}-{to} fail the same way, with their delays")
        }
        Event::GaveUp {
            step,
            on_fail,
            group,
            any,
        } => {
            let decision = match (on_fail, group) {
                (OnFail::Fail, Some(group)) if *any => {
                    format!("fail: it loses; group `{group}` goes on with its other members")
                }
                (OnFail::Fail, None) => "fail: the pass ends".to_string(),
                (OnFail::Fail, Some(group)) => format!("fail: group `{group}` fails"),
                (OnFail::Warn, _) => "warn: logs a warning and goes on".to_string(),
                (OnFail::Continue, _) => "continue: goes on silently".to_string(),
            };
            format!("{step}: failed for good; on-fail {decision}")
        }
        Event::ServiceExited { step } => {
            format!("{step}: the service exits; that fails the pass, whatever its on-fail")
        }
        Event::SiblingsCancelled { group } => {
            format!("{group}: cancels the members still running")
        }
        Event::MemberWon { group, step } => {
            format!("{group}: `{step}` succeeds first, so the group succeeds")
        }
        Event::AllMembersFailed { group } => {
            format!("{group}: every member failed, so the group fails")
        }
        Event::PassFailed => format!("pass {pass} failed"),
        Event::PolicyDelay {
            delay_ms,
            next_pass,
        } => format!(
            "script policy: waits {} before pass {next_pass}",
            human(*delay_ms)
        ),
        Event::PassesElided { from, to } => {
            format!("passes {from}-{to} fail the same way, with their delays")
        }
    }
}

/// The timeline as pretty JSON, with a final newline.
pub fn render_json(timeline: &Timeline) -> String {
    // Plain structs of strings and numbers always serialize.
    let mut out = serde_json::to_string_pretty(timeline).unwrap_or_default();
    out.push('\n');
    out
}
