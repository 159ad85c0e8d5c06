//! `zinit lsp`

use super::error::CliError;
use clap::Args;

#[derive(Debug, Args)]
pub struct LspArgs {
    /// Accepted for clients that pass it (VS Code's language client does);
    /// standard input and output are the only transport.
    #[arg(long)]
    pub stdio: bool,
}

/// Serves until `exit`: 0 after `shutdown`, 1 without it.
pub fn execute(_args: LspArgs) -> Result<u8, CliError> {
    Ok(crate::lsp::serve_stdio())
}
