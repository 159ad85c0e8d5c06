//! Hover: a duration spelt out (`1m30s = 90 s`), the doc of the keyword
//! under the cursor, and for a step what the plan made of it: id, resolved
//! timeout, on-fail, retries, best and worst case.

use super::clause_completion::clause_doc;
use super::context::cursor;
use super::docs;
use super::position;
use super::steps::{Analysis, StepInfo};
use crate::lint::parse_max_duration;
use crate::plan::duration::human;
use crate::plan::model::millis_of;
use crate::plan::preview::retries_cell;
use crate::syntax::LineIndex;
use crate::syntax::ast::{Action, Statement, Step};
use crate::syntax::clauses::Name;
use lsp_types::{Hover, HoverContents, MarkupContent, MarkupKind, Position};

pub fn hover(text: &str, at: Position) -> Option<Hover> {
    let lines = LineIndex::new(text);
    let offset = position::offset(&lines, at);
    let word = cursor(text, offset);
    let analysis = Analysis::new(text);
    let mut sections = Vec::new();
    if let Some(millis) = duration(word.word) {
        sections.push(format!("`{}` = {}", word.word, seconds(millis)));
    }
    match analysis.step_at(offset) {
        Some(info) => {
            if info.step.head.start() <= offset && offset <= info.step.head.end() {
                sections.extend(docs::statement(info.step.action.name()).map(docs::markdown));
            }
            let clause = info
                .step
                .clauses
                .iter()
                .find(|c| c.keyword.start() <= offset && offset <= c.keyword.end());
            if let Some(clause) = clause {
                sections.push(clause_doc(Name::of(&clause.kind).info()));
            }
            sections.push(settings(&info));
        }
        None => sections.extend(statement_doc(&analysis, offset)),
    }
    if sections.is_empty() {
        return None;
    }
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: sections.join("\n\n---\n\n"),
        }),
        range: Some(position::range(&lines, word.word_span)),
    })
}

/// The doc of a `retry` policy or `defaults` statement under the cursor.
fn statement_doc(analysis: &Analysis, offset: usize) -> Option<String> {
    let keyword = analysis.script.statements.iter().find_map(|s| {
        match s {
            Statement::Policy(p) => Some((p.keyword, "retry")),
            Statement::Defaults(d) => Some((d.keyword, "defaults")),
            Statement::ZLayer(z) => Some((z.keyword, "zlayer")),
            Statement::Step(_) => None,
        }
        .filter(|(span, _)| span.start() <= offset && offset <= span.end())
    })?;
    docs::statement(keyword.1).map(docs::markdown)
}

/// What the plan resolved for the step.
fn settings(info: &StepInfo) -> String {
    let StepInfo { plan, timing, .. } = info;
    let mut lines = vec![format!("**{}** `{}`", info.step.action.name(), plan.id)];
    if !is_group_or_pause(info.step) {
        let timeout = plan
            .timeout
            .map_or("none".to_string(), |t| human(millis_of(t)));
        lines.push(format!("- timeout: {timeout}"));
        lines.push(format!("- on-fail: {}", plan.on_fail.as_str()));
        lines.push(format!("- retries: {}", retries_cell(plan, timing)));
    }
    lines.push(format!(
        "- best case: {}, worst case: {}",
        human(millis_of(timing.best)),
        human(millis_of(timing.worst))
    ));
    lines.join("\n")
}

fn is_group_or_pause(step: &Step) -> bool {
    matches!(
        step.action,
        Action::Parallel { .. } | Action::Any { .. } | Action::Sleep { .. }
    )
}

/// The milliseconds of a word that is a duration, read as
/// `--max-duration` reads one: by zinit's own parser.
fn duration(word: &str) -> Option<u64> {
    let duration = parse_max_duration(word).ok()?;
    Some(millis_of(duration))
}

/// `90 s`, `1.5 s`, `0.25 s`.
fn seconds(millis: u64) -> String {
    format!("{} s", millis as f64 / 1000.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_spelt_out() {
        assert_eq!(duration("1m30s").map(seconds).as_deref(), Some("90 s"));
        assert_eq!(duration("250ms").map(seconds).as_deref(), Some("0.25 s"));
        assert_eq!(duration("1.5s").map(seconds).as_deref(), Some("1.5 s"));
        assert_eq!(duration("30"), None);
        assert_eq!(duration("db:5432"), None);
    }
}
