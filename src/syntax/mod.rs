//! Text → AST. Spans, the tree, and the nom parser that never aborts.

pub mod ast;
pub mod clauses;
pub mod codes;
pub mod error;
mod parser;
pub mod print;
pub mod source;
pub mod span;
pub mod walk;

pub use error::{Applicability, SyntaxError, SyntaxFix};
pub use parser::{MAX_PARALLEL_DEPTH, Parsed, parse};
pub use print::print;
pub use span::{Span, Spanned};

#[cfg(test)]
mod tests;
