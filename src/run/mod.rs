//! Plan → effects: the tokio engine, one file per action.
pub mod s3;
