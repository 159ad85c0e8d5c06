//! `zinit fmt [PATH...]`

use super::script::color_for;
use super::{CliError, EXIT_FAILED, EXIT_OK};
use crate::check::render::{Format, render};
use crate::check::{FileReport, from_syntax_error};
use crate::fmt::{format, unified_diff};
use crate::input::{self, INLINE_NAME, LoadedScript, STDIN_NAME};
use clap::Args;
use std::io::Write;

#[derive(Debug, Args)]
pub struct FmtArgs {
    /// Files or folders (searched for `*.zinit`); `-` reads standard input
    /// and writes the result to standard output.
    pub paths: Vec<String>,
    /// Format this script text and print it (`;` separates statements).
    #[arg(short = 'e', long = "eval", value_name = "SCRIPT")]
    pub eval: Option<String>,
    /// Change nothing: print a diff of what would change, exit 1 if anything would.
    #[arg(long)]
    pub check: bool,
}

pub fn execute(args: FmtArgs) -> Result<u8, CliError> {
    run(&args).map_err(CliError::Usage)
}

/// What formatting one file came to.
enum Outcome {
    Unchanged,
    Changed,
    /// Syntax errors: the file is left as it is.
    Invalid,
}

fn run(args: &FmtArgs) -> Result<u8, String> {
    let loaded = input::load_many(&args.paths, args.eval.as_deref()).map_err(|e| e.to_string())?;
    if loaded.is_empty() {
        let searched = match args.paths.is_empty() {
            true => ".".to_string(),
            false => args.paths.join(", "),
        };
        return Err(format!("no .zinit files found in {searched}"));
    }
    let mut code = EXIT_OK;
    for script in loaded {
        match format_one(script, args.check)? {
            Outcome::Unchanged => {}
            Outcome::Changed if !args.check => {}
            Outcome::Changed | Outcome::Invalid => code = EXIT_FAILED,
        }
    }
    Ok(code)
}

fn format_one(script: LoadedScript, check: bool) -> Result<Outcome, String> {
    let name = script.file.name.clone();
    let text = &script.file.text;
    let formatted = match (script.decode_error.clone(), format(text)) {
        (None, Ok(formatted)) => formatted,
        (decode_error, result) => {
            let mut diagnostics: Vec<_> = decode_error.into_iter().map(from_syntax_error).collect();
            diagnostics.extend(result.err().unwrap_or_default());
            let report = FileReport {
                file: script.file,
                diagnostics,
            };
            let color = color_for(&std::io::stderr());
            eprint!("{}", render(&[report], Format::Human, color));
            eprintln!("zinit: {name}: not formatted: it has syntax errors");
            return Ok(Outcome::Invalid);
        }
    };
    let to_stdout = name == STDIN_NAME || name == INLINE_NAME;
    let changed = formatted != **text;
    let mut stdout = std::io::stdout().lock();
    let written = if check {
        stdout.write_all(unified_diff(&name, text, &formatted).as_bytes())
    } else if to_stdout {
        stdout.write_all(formatted.as_bytes())
    } else if changed {
        std::fs::write(&name, &formatted).map_err(|e| format!("{name}: {e}"))?;
        Ok(())
    } else {
        Ok(())
    };
    written.map_err(|e| format!("cannot write the output: {e}"))?;
    Ok(if changed {
        Outcome::Changed
    } else {
        Outcome::Unchanged
    })
}
