//! AST → Plan, and everything that reads a plan without running it.

pub mod env;
pub mod model;

pub use model::Plan;
