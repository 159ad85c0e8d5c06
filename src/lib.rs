//! zinit: a small declarative language for container init and test-harness
//! orchestration.
//!
//! Data flows one way: text → [`syntax`] (AST + syntax errors) → [`check`]
//! (diagnostics) → [`plan`] (compiled plan, preview, exports) → [`run`]
//! (the engine). [`input`] reads scripts (bounded), [`lint`] checks one as
//! `zinit check` does; [`cli`] wires the stages to the command line. [`values`]
//! (what makes a HOST:PORT, URL, s3:// location, path or command valid)
//! depends on none of them, so every stage judges a value the same way.

pub mod check;
pub mod cli;
pub mod cores;
pub mod exit;
pub mod fmt;
pub mod input;
pub mod lint;
pub mod lsp;
pub mod pages;
pub mod panic_action;
pub mod plan;
pub mod run;
pub mod secret;
pub mod span;
pub mod syntax;
pub mod text;
pub mod values;
