//! Text as the author wrote it: literal pieces and `${...}` references,
//! with where each was written. The parser builds it, the checker reports
//! on it, the plan keeps it and the engine resolves it — so it belongs to
//! none of those stages (the syntax tree re-exports it).

use crate::span::Span;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum CommandSpec {
    /// `"a shell string"`, run by `sh -c`.
    Shell(Text),
    /// `["./migrate", "up"]`, run without a shell.
    Argv { args: Box<[Text]>, span: Span },
}

impl CommandSpec {
    pub fn span(&self) -> Span {
        match self {
            CommandSpec::Shell(t) => t.span,
            CommandSpec::Argv { span, .. } => *span,
        }
    }
}

/// Text from a bare word or a quoted string, with `${...}` interpolation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Text {
    /// A boxed slice, not a `Vec`: a text is never grown once parsed, and
    /// every text of a tree is 8 bytes smaller without a capacity.
    pub parts: Box<[TextPart]>,
    pub quote: Quote,
    pub span: Span,
}

impl Text {
    /// The text when it holds no variables.
    pub fn literal(&self) -> Option<String> {
        let mut out = String::new();
        for part in &self.parts {
            match part {
                TextPart::Literal(s) => out.push_str(s),
                TextPart::Var(_) => return None,
            }
        }
        Some(out)
    }

    pub fn vars(&self) -> impl Iterator<Item = &VarRef> {
        self.parts.iter().filter_map(|p| match p {
            TextPart::Var(v) => Some(&**v),
            TextPart::Literal(_) => None,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Quote {
    Bare,
    Double,
    Single,
}

/// Literal text, held inline up to 24 bytes (most literals are shorter):
/// a heap string each would be a large script's most frequent allocation.
pub type Literal = compact_str::CompactString;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum TextPart {
    /// Literal text with escapes already decoded and `$$` turned into `$`.
    Literal(Literal),
    /// Boxed: a reference is rare and three times a literal's size, and
    /// every part of every text in a tree is as large as the largest kind.
    Var(Box<VarRef>),
}

/// `${NAME}`, `${NAME:-default}` or `${NAME:?message}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VarRef {
    pub name: String,
    pub fallback: Fallback,
    /// The whole `${...}`.
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Fallback {
    None,
    /// `:-default` (literal text)
    Default(String),
    /// `:?message`
    Error(String),
}
