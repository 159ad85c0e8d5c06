//! `zinit run FILE [-- CMD ARGS...]`

use clap::{Args, ValueEnum};
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct RunArgs {
    /// The script; `-` reads standard input.
    pub file: Option<String>,
    /// Run this script text instead of a file (`;` separates statements).
    #[arg(short = 'e', long = "eval", value_name = "SCRIPT")]
    pub eval: Option<String>,
    /// `auto`: live progress on a terminal, plain lines otherwise.
    #[arg(long, value_enum, default_value_t = RunFormat::Auto)]
    pub format: RunFormat,
    /// Run after a successful init, services still up; zinit exits with its code.
    #[arg(last = true, value_name = "CMD")]
    pub command: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RunFormat {
    Auto,
    Plain,
    Json,
}

pub fn execute(_args: RunArgs) -> ExitCode {
    ExitCode::from(super::EXIT_USAGE)
}
