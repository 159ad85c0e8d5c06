//! `zinit check [PATH...]`

use clap::{Args, ValueEnum};
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files or folders (searched for `*.zinit`); `-` reads standard input.
    pub paths: Vec<String>,
    /// Check this script text instead of files (`;` separates statements).
    #[arg(short = 'e', long = "eval", value_name = "SCRIPT")]
    pub eval: Option<String>,
    #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
    pub format: CheckFormat,
    /// `--deny warnings`: exit 1 when there are warnings.
    #[arg(long, value_enum)]
    pub deny: Option<Deny>,
    /// Warn when a script's worst case is longer than this (e.g. `5m`).
    #[arg(long, value_name = "DURATION")]
    pub max_duration: Option<String>,
    #[command(flatten)]
    pub env: super::args::EnvArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    Human,
    Short,
    Json,
    Sarif,
    Github,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Deny {
    Warnings,
}

pub fn execute(_args: CheckArgs) -> ExitCode {
    ExitCode::from(super::EXIT_USAGE)
}
