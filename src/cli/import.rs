//! `zinit import SERVICE.yaml`: a ZLayer service spec's `init` + `errors`
//! as a `.zinit` script on standard output.

use super::{EXIT_OK, EXIT_USAGE};
use crate::plan::zlayer::import;
use clap::Args;
use std::io::{Read, Write};
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// A ZLayer service spec (or a deployment spec with one service); `-` reads standard input.
    pub file: String,
}

pub fn execute(args: ImportArgs) -> ExitCode {
    let mut yaml = String::new();
    let read = if args.file == "-" {
        std::io::stdin().read_to_string(&mut yaml).map(|_| ())
    } else {
        std::fs::read_to_string(&args.file).map(|text| yaml = text)
    };
    if let Err(e) = read {
        eprintln!("zinit: {}: {e}", args.file);
        return ExitCode::from(EXIT_USAGE);
    }
    match import(&yaml) {
        Ok(script) => {
            // A closed pipe is not an error.
            let _ = std::io::stdout().lock().write_all(script.as_bytes());
            ExitCode::from(EXIT_OK)
        }
        // `FILE:LINE:COL: message` when the error has a place, as compilers write it.
        Err(e) if e.at.is_some() => {
            eprintln!("zinit: {}:{e}", args.file);
            ExitCode::from(EXIT_USAGE)
        }
        Err(e) => {
            eprintln!("zinit: {}: {e}", args.file);
            ExitCode::from(EXIT_USAGE)
        }
    }
}
