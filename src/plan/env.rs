//! Environment resolution lives in `check::env` (the checker reports
//! unresolved variables, and a stage may not reach forward into `plan`);
//! re-exported here so `crate::plan::env::Env` keeps working.

pub use crate::check::env::{Env, Unresolved, resolve};
