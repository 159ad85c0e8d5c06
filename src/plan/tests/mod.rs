//! Unit tests of the stages that read a plan, on plans built by hand.

mod delays;
mod failure;
mod timing;
