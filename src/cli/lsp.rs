//! `zinit lsp`

use clap::Args;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct LspArgs {
    /// Accepted for clients that pass it (VS Code's language client does);
    /// standard input and output are the only transport.
    #[arg(long)]
    pub stdio: bool,
}

pub fn execute(_args: LspArgs) -> ExitCode {
    let code = crate::lsp::serve_stdio();
    ExitCode::from(u8::try_from(code).unwrap_or(1))
}
