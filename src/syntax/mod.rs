//! Text → AST. Spans, the tree, and the nom parser that never aborts.

pub mod ast;
pub mod error;
pub mod source;
pub mod span;

pub use error::SyntaxError;
pub use span::{Span, Spanned};
