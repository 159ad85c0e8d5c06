//! The one integration-test crate: every module drives the library or the
//! real binary (`support::cli`), sharing one set of helpers.

mod harness;
mod support;

mod book;
mod book_highlight;
mod check_bounds;
mod check_cli;
mod check_fix;
mod check_fixes;
mod check_limits;
mod clause_table;
mod editors;
mod fixtures;
mod fmt_cli;
mod fmt_layout;
mod fmt_props;
mod import_props;
mod lsp;
mod module_cycles;
mod plan_cli;
mod plan_fixtures;
mod plan_import;
mod plan_json;
mod plan_zlayer;
mod run_bounds;
mod run_cli;
mod run_contain;
mod run_http;
mod run_output;
mod run_pid1;
mod run_policy;
mod run_process;
mod run_protocol;
mod run_s3;
mod run_s3_cancel;
mod run_s3_cli;
mod run_signals;
mod run_terminal;
mod run_tty;
mod run_usage;
mod run_wait;
mod syntax_props;
mod textmate;
mod tree_sitter_grammar;
mod values_props;
