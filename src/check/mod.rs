//! AST → diagnostics: syntax errors, semantic checks and lints, and the
//! renderers that print them.

pub mod codes;
pub mod diagnostic;
pub mod env;
pub mod render;

pub use diagnostic::{Diagnostic, FileReport, Label, Severity, SourceFile};
