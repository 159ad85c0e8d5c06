//! Unit tests of the stages that read a plan, on plans built by hand.

mod compile;
mod delays;
mod failure;
mod failure_groups;
mod lint;
mod timing;
