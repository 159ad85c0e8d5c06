//! `zinit import SERVICE.yaml`: a ZLayer service spec's `init` + `errors`
//! as a `.zinit` script on standard output.

use super::{CliError, EXIT_OK};
use crate::input::{STDIN_NAME, read_limited};
use crate::plan::zlayer::import;
use clap::Args;
use std::io::Write;

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// A ZLayer service spec (or a deployment spec with one service); `-` reads standard input.
    pub file: String,
}

pub fn execute(args: ImportArgs) -> Result<u8, CliError> {
    let bytes = if args.file == "-" {
        read_limited(std::io::stdin().lock(), STDIN_NAME)?
    } else {
        let file = std::fs::File::open(&args.file)
            .map_err(|e| CliError::usage(format!("{}: {e}", args.file)))?;
        read_limited(file, &args.file)?
    };
    let yaml = String::from_utf8(bytes)
        .map_err(|e| CliError::usage(format!("{}: not UTF-8 text: {e}", args.file)))?;
    match import(&yaml) {
        Ok(script) => {
            // A closed pipe is not an error.
            let _ = std::io::stdout().lock().write_all(script.as_bytes());
            Ok(EXIT_OK)
        }
        // `FILE:LINE:COL: message` when the error has a place, as compilers write it.
        Err(e) if e.at.is_some() => Err(CliError::usage(format!("{}:{e}", args.file))),
        Err(e) => Err(CliError::usage(format!("{}: {e}", args.file))),
    }
}
