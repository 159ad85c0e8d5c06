//! zinit: a small declarative language for container init and test-harness
//! orchestration.
//!
//! Data flows one way: text → [`syntax`] (AST + syntax errors) → [`check`]
//! (diagnostics) → [`plan`] (compiled plan, preview, exports) → [`run`]
//! (the engine). [`cli`] wires the stages to the command line.

pub mod check;
pub mod cli;
pub mod lsp;
pub mod plan;
pub mod run;
pub mod syntax;
