//! Errors the parser reports. The parser never stops at the first one: it
//! recovers at the next statement and returns every error with the tree.

use super::span::Span;

#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxError {
    /// Stable code, e.g. `E001`; documented in the book's error index.
    pub code: &'static str,
    pub message: String,
    pub span: Span,
    /// Text for the primary label, e.g. "expected a duration here".
    pub label: Option<String>,
    /// Extra places worth pointing at, e.g. the opening `{` of an unclosed block.
    pub secondary: Vec<(Span, String)>,
    pub help: Option<String>,
    /// A known fix: replace `span` with the text.
    pub fix: Option<(Span, String)>,
}

impl SyntaxError {
    pub fn new(code: &'static str, span: Span, message: impl Into<String>) -> Self {
        SyntaxError {
            code,
            message: message.into(),
            span,
            label: None,
            secondary: Vec::new(),
            help: None,
            fix: None,
        }
    }

    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn with_secondary(mut self, span: Span, label: impl Into<String>) -> Self {
        self.secondary.push((span, label.into()));
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_fix(mut self, span: Span, replacement: impl Into<String>) -> Self {
        self.fix = Some((span, replacement.into()));
        self
    }
}
