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
    pub fix: Option<SyntaxFix>,
}

/// How sure a fix is (ruff's `Applicability`). `check --fix` applies safe
/// fixes only; `--unsafe-fixes` and editors may offer the others.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// Certain: the script means after the edit what its author meant before
    /// (a missing unit `30` → `30s`, a repeated clause removed, one close
    /// keyword guess).
    Safe,
    /// A guess: likely, but it may change what the script does.
    Unsafe,
}

impl Applicability {
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
        }
    }
}

/// Replace `span` with `replacement`.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxFix {
    pub span: Span,
    pub replacement: String,
    pub applicability: Applicability,
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

    pub fn with_safe_fix(self, span: Span, replacement: impl Into<String>) -> Self {
        self.with_fix(Applicability::Safe, span, replacement)
    }

    pub fn with_unsafe_fix(self, span: Span, replacement: impl Into<String>) -> Self {
        self.with_fix(Applicability::Unsafe, span, replacement)
    }

    pub fn with_fix(
        mut self,
        applicability: Applicability,
        span: Span,
        replacement: impl Into<String>,
    ) -> Self {
        self.fix = Some(SyntaxFix {
            span,
            replacement: replacement.into(),
            applicability,
        });
        self
    }
}
