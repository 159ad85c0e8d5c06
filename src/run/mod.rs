//! Plan → effects: the tokio engine, one file per action.
