//! `zinit completions bash|zsh|fish`: the shell's completion script, made
//! by clap_complete from the same definition that parses the arguments, so
//! it can never fall behind a new flag.

use super::error::CliError;
use clap::{Args, CommandFactory, ValueEnum};
use clap_complete::Shell;

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to write the completion script for.
    #[arg(value_enum)]
    pub shell: CompletionShell,
}

/// The shells whose scripts are tested (`bash -n`, `zsh -n`, `fish -n`).
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum CompletionShell {
    Bash,
    Zsh,
    Fish,
}

impl From<CompletionShell> for Shell {
    fn from(shell: CompletionShell) -> Shell {
        match shell {
            CompletionShell::Bash => Shell::Bash,
            CompletionShell::Zsh => Shell::Zsh,
            CompletionShell::Fish => Shell::Fish,
        }
    }
}

/// Writes the script to standard output.
pub fn execute(args: CompletionsArgs) -> Result<u8, CliError> {
    let mut command = super::Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(Shell::from(args.shell), &mut command, "zinit", &mut out);
    super::write_stdout(&out)?;
    Ok(super::EXIT_OK)
}
