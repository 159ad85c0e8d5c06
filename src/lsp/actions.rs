//! Code actions: the fix of each diagnostic in the requested range, as
//! `check` offers it. A safe fix (`check --fix` applies it unasked) is the
//! preferred action.

use super::diagnostics::{check, to_lsp};
use super::position;
use crate::syntax::LineIndex;
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, Range, TextEdit, Uri, WorkspaceEdit,
};
use std::collections::HashMap;

pub fn code_actions(uri: &Uri, text: &str, range: Range) -> Vec<CodeActionOrCommand> {
    let lines = LineIndex::new(text);
    let wanted = position::span(&lines, range);
    check(text)
        .iter()
        .filter(|d| {
            let span = d.primary.span;
            span.start() <= wanted.end() && wanted.start() <= span.end()
        })
        .filter_map(|d| {
            let fix = d.fix.as_ref()?;
            let edits = fix
                .edits
                .iter()
                .map(|e| TextEdit::new(position::range(&lines, e.span), e.replacement.clone()))
                .collect();
            let action = CodeAction {
                title: fix.message.clone(),
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![to_lsp(uri, &lines, d)]),
                edit: Some(WorkspaceEdit {
                    changes: Some(HashMap::from([(uri.clone(), edits)])),
                    ..Default::default()
                }),
                is_preferred: Some(fix.is_safe()),
                ..Default::default()
            };
            Some(CodeActionOrCommand::CodeAction(action))
        })
        .collect()
}
