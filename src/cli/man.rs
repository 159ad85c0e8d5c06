//! `zinit man [COMMAND]`: a manual page (roff) on standard output, made by
//! clap_mangen from the argument definitions, so it lists exactly the flags
//! zinit takes: `zinit man > zinit.1`, `zinit man run > zinit-run.1`, or
//! `zinit man | man -l -` to read it.

use super::error::CliError;
use clap::{Args, CommandFactory};

#[derive(Debug, Args)]
pub struct ManArgs {
    /// The page of one command (`zinit-run(1)`); without it, zinit(1).
    pub command: Option<String>,
}

pub fn execute(args: ManArgs) -> Result<u8, CliError> {
    let zinit = super::Cli::command();
    let (page, title) = match &args.command {
        None => (zinit, "zinit".to_string()),
        Some(name) => {
            let names: Vec<String> = zinit
                .get_subcommands()
                .map(|c| c.get_name().to_string())
                .collect();
            let Some(sub) = zinit.find_subcommand(name).cloned() else {
                return Err(CliError::usage(format!(
                    "`{name}` is not a zinit command; one of: {}",
                    names.join(", ")
                )));
            };
            // The page is named as git names its pages: zinit-run(1).
            let title = format!("zinit-{}", sub.get_name());
            let bin_name = format!("zinit {}", sub.get_name());
            let sub = sub
                .name(title.clone())
                .bin_name(bin_name)
                .version(env!("CARGO_PKG_VERSION"));
            (sub, title)
        }
    };
    let mut out = Vec::new();
    clap_mangen::Man::new(page)
        .title(title)
        .render(&mut out)
        .map_err(|e| CliError::usage(format!("cannot render the manual page: {e}")))?;
    super::write_stdout(&out)?;
    Ok(super::EXIT_OK)
}
