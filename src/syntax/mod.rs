//! Text → AST. Spans, the tree, and the nom parser that never aborts.

pub mod ast;
pub mod clauses;
pub mod codes;
pub mod error;
pub mod line_index;
pub mod order;
mod parser;
pub mod print;
pub mod source;
pub use crate::span;
pub mod trivia;
pub mod walk;

pub use error::{Applicability, SyntaxError, SyntaxFix};
pub use line_index::{LineIndex, Position};
pub use parser::{MAX_PARALLEL_DEPTH, Parsed, is_step_id, is_var_name, parse, parse_with_trivia};
pub(crate) use parser::{blank_end, closing_quote, line_len, word_end};
pub use print::print;
pub use span::{Span, Spanned};
pub use trivia::Trivia;

#[cfg(test)]
mod tests;
