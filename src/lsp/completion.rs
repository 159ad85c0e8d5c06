//! Completion from the words before the cursor (see [`super::context`]):
//! statements and actions at the start of a statement, the second word of
//! an action, `on-fail` values, script policies, the clauses the action
//! accepts and has not got yet, and `start` step ids where a service is
//! expected.

use super::context::{Cursor, cursor};
use super::docs::{self, ON_FAIL, POLICIES, STATEMENTS};
use super::items::item;
use super::position;
use super::steps::Analysis;
use crate::syntax::LineIndex;
use lsp_types::{CompletionItem, CompletionItemKind, CompletionResponse, Position};

pub fn complete(text: &str, at: Position) -> Option<CompletionResponse> {
    let lines = LineIndex::new(text);
    let cursor = cursor(text, position::offset(&lines, at));
    let items: Vec<CompletionItem> = candidates(text, &cursor)
        .into_iter()
        .filter(|item| item.label.starts_with(cursor.prefix))
        .collect();
    Some(CompletionResponse::Array(items))
}

fn candidates(text: &str, cursor: &Cursor) -> Vec<CompletionItem> {
    if cursor.expects_service() {
        return Analysis::new(text)
            .services()
            .iter()
            .map(|s| {
                item(
                    &s.plan.id,
                    CompletionItemKind::REFERENCE,
                    "a `start` step",
                    None,
                )
            })
            .collect();
    }
    match cursor.before.as_slice() {
        [] => first_words(),
        [first] if docs::second_words(first).next().is_some() => docs::second_words(first)
            .map(|d| {
                let second = d.words.split_once(' ').map_or(d.words, |(_, w)| w);
                item(second, CompletionItemKind::KEYWORD, d.form, Some(d.meaning))
            })
            .collect(),
        ["retry"] => values(POLICIES, "script policy"),
        [.., "on-fail"] => values(ON_FAIL, "on-fail"),
        words => super::clause_completion::clauses(words),
    }
}

/// The words that start a statement: `wait`, `run`, `s3`, `retry` ...
fn first_words() -> Vec<CompletionItem> {
    let mut items: Vec<CompletionItem> = Vec::new();
    for doc in STATEMENTS {
        let first = doc.words.split(' ').next().unwrap_or(doc.words);
        if items.iter().all(|i| i.label != first) {
            let (detail, meaning) = if first == doc.words {
                (doc.form, Some(doc.meaning))
            } else {
                ("an action", None)
            };
            items.push(item(first, CompletionItemKind::KEYWORD, detail, meaning));
        }
    }
    items
}

fn values(values: &[(&str, &str)], what: &str) -> Vec<CompletionItem> {
    values
        .iter()
        .map(|(value, meaning)| item(value, CompletionItemKind::ENUM_MEMBER, what, Some(meaning)))
        .collect()
}
