//! AST → diagnostics: syntax errors, semantic checks and lints, and the
//! renderers that print them.

pub mod diagnostic;

pub use diagnostic::{Diagnostic, FileReport, Label, Severity, SourceFile};
