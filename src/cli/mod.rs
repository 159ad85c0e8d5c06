//! The command line: one file per command.

pub mod args;
pub mod check;
pub mod completions;
pub mod error;
pub mod fix;
pub mod fmt;
pub mod import;
pub mod lsp;
pub mod man;
pub mod plan;
pub mod run;
pub mod script;

pub use crate::exit::{EXIT_FAILED, EXIT_OK, EXIT_USAGE};
pub use error::CliError;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(
    name = "zinit",
    version,
    about = "Container init and test-harness orchestration: wait, run, start, hand over."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Parse and lint scripts; report every diagnostic of every file.
    Check(check::CheckArgs),
    /// Dry-run: the compiled plan, its schedule and best/worst case. No network, no commands.
    Plan(plan::PlanArgs),
    /// Execute a script, then optionally hand over to `-- CMD ARGS...`.
    Run(run::RunArgs),
    /// Rewrite scripts in the canonical layout, keeping every comment.
    Fmt(fmt::FmtArgs),
    /// Turn a ZLayer service spec's `init` and `errors` into a `.zinit` script.
    Import(import::ImportArgs),
    /// Language server on standard input and output (LSP 3.17).
    Lsp(lsp::LspArgs),
    /// Shell completion script on standard output: `zinit completions bash > /etc/bash_completion.d/zinit`.
    Completions(completions::CompletionsArgs),
    /// Manual page (roff) on standard output: `zinit man | man -l -`.
    Man(man::ManArgs),
}

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_USAGE } else { EXIT_OK };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let result = match cli.command {
        Command::Check(args) => check::execute(args),
        Command::Plan(args) => plan::execute(args),
        Command::Run(args) => run::execute(args),
        Command::Import(args) => import::execute(args),
        Command::Lsp(args) => lsp::execute(args),
        Command::Fmt(args) => fmt::execute(args),
        Command::Completions(args) => completions::execute(args),
        Command::Man(args) => man::execute(args),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(error) => error.report(),
    }
}

/// Writes generated text to standard output; a reader that went away early
/// (`zinit man | head`) is not an error.
fn write_stdout(bytes: &[u8]) -> Result<(), CliError> {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(CliError::usage(format!(
            "cannot write to standard output: {e}"
        ))),
        _ => Ok(()),
    }
}
