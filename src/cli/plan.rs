//! `zinit plan FILE`

use clap::{Args, ValueEnum};
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct PlanArgs {
    /// The script; `-` reads standard input.
    pub file: Option<String>,
    /// Plan this script text instead of a file (`;` separates statements).
    #[arg(short = 'e', long = "eval", value_name = "SCRIPT")]
    pub eval: Option<String>,
    #[arg(long, value_enum, default_value_t = PlanFormat::Text)]
    pub format: PlanFormat,
    /// Preview the timeline when this step (by id) fails on every attempt.
    #[arg(long, value_name = "STEP")]
    pub fail: Option<String>,
    #[command(flatten)]
    pub env: super::args::EnvArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PlanFormat {
    Text,
    Json,
    Zlayer,
}

pub fn execute(_args: PlanArgs) -> ExitCode {
    ExitCode::from(super::EXIT_USAGE)
}
