//! Unit tests of the stages that read a plan, on plans built by hand.

mod compile;
mod delays;
mod failing;
mod failure;
mod failure_groups;
mod lint;
mod shares;
mod timing;

use crate::plan::failure::{Event, Timeline};

/// A timeline as (offset, pass, event) triples, easy to compare.
fn events(timeline: &Timeline) -> Vec<(u64, u64, Event)> {
    timeline
        .entries
        .iter()
        .map(|e| (e.at_ms, e.pass, e.event.clone()))
        .collect()
}

fn s(id: &str) -> String {
    id.to_string()
}
