//! Formatting: the whole document through `zinit fmt`'s own [`format`],
//! so the editor and the command line lay a script out alike. A document
//! with syntax errors is left as it is (its diagnostics say why).

use super::position;
use crate::fmt::format;
use crate::syntax::{LineIndex, Span};
use lsp_types::TextEdit;

pub fn format_document(text: &str) -> Option<Vec<TextEdit>> {
    let formatted = format(text).ok()?;
    if formatted == text {
        return Some(Vec::new());
    }
    let lines = LineIndex::new(text);
    let whole = position::range(&lines, Span::new(0, text.len()));
    Some(vec![TextEdit::new(whole, formatted)])
}
