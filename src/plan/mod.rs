//! AST → Plan, and everything that reads a plan without running it.

pub mod compile;
pub mod duration;
pub mod env;
pub mod model;
pub mod text;
pub mod timing;

pub use compile::compile;
pub use model::Plan;
pub use timing::{PlanTiming, StepTiming, can_fail_pass, plan_timing};
