//! AST → Plan, and everything that reads a plan without running it.

pub mod compile;
pub mod compose;
pub mod duration;
pub mod env;
pub mod failing;
pub mod failure;
pub mod json;
pub mod k8s;
pub mod lint;
pub mod model;
pub mod preview;
pub mod schedule;
pub mod services;
pub mod text;
pub mod timing;
pub mod translate;
pub mod zlayer;

pub use compile::{compile, compile_each, compile_each_in, script_policy};
pub use failing::can_fail_pass;
pub use lint::max_duration_lint;
pub use model::Plan;
pub use timing::{PlanTiming, StepTiming, plan_timing};

#[cfg(test)]
mod testing;
#[cfg(test)]
mod tests;
