//! `zinit check [PATH...]`

use super::script::color_for;
use super::{CliError, EXIT_FAILED, EXIT_OK};
use crate::check::render::{Format, render};
use crate::check::{CheckOptions, FileReport, Severity};
use crate::input;
use crate::lint::{check_one, check_one_with_tree, parse_max_duration};
use crate::syntax::ast::Script;
use clap::{Args, ValueEnum};
use std::io::Write;

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
    #[command(flatten)]
    pub fix: super::fix::FixArgs,
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

impl From<CheckFormat> for Format {
    fn from(format: CheckFormat) -> Self {
        match format {
            CheckFormat::Human => Format::Human,
            CheckFormat::Short => Format::Short,
            CheckFormat::Json => Format::Json,
            CheckFormat::Sarif => Format::Sarif,
            CheckFormat::Github => Format::Github,
        }
    }
}

/// The exit code: 0 clean, 1 errors (or warnings with `--deny warnings`).
pub fn execute(args: CheckArgs) -> Result<u8, CliError> {
    let env = if args.env.vars.is_empty() && args.env.files.is_empty() {
        None
    } else {
        Some(args.env.load().map_err(CliError::Usage)?)
    };
    let options = CheckOptions { env };
    let max_duration = args
        .max_duration
        .as_deref()
        .map(parse_max_duration)
        .transpose()
        .map_err(CliError::Usage)?;
    let loaded = input::load_many(&args.paths, args.eval.as_deref())?;
    if loaded.is_empty() {
        let searched = if args.paths.is_empty() {
            ".".to_string()
        } else {
            args.paths.join(", ")
        };
        return Err(CliError::usage(format!(
            "no .zinit files found in {searched}"
        )));
    }
    let mut fixes_pending = false;
    let loaded = if args.fix.wanted().map_err(CliError::Usage)? {
        let check = |script| check_one(script, &options, max_duration);
        let fixed = super::fix::fix_files(loaded, &args.fix, check).map_err(CliError::Usage)?;
        fixes_pending = args.fix.diff && fixed.changed;
        fixed.scripts
    } else {
        loaded
    };
    let (reports, trees): (Vec<FileReport>, Vec<Script>) = loaded
        .into_iter()
        .map(|script| check_one_with_tree(script, &options, max_duration))
        .unzip();
    let format = Format::from(args.format);
    let color = format == Format::Human && color_for(&std::io::stdout());
    let report = render(&reports, format, color);
    // With `--diff`, the diff is the output; what would remain goes aside.
    let written = if args.fix.diff {
        std::io::stderr().lock().write_all(report.as_bytes())
    } else {
        let mut stdout = std::io::stdout().lock();
        stdout
            .write_all(report.as_bytes())
            .and_then(|()| stdout.flush())
    };
    match written {
        // `zinit check | head`: the reader has what it wanted; the exit code still tells.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        Err(e) => return Err(CliError::usage(format!("cannot write the report: {e}"))),
        Ok(()) => {}
    }
    let code = match fixes_pending {
        true => EXIT_FAILED,
        false => exit_code(&reports, args.deny == Some(Deny::Warnings)),
    };
    // The process ends now. Freeing a large script's hundreds of thousands
    // of nodes one by one took a sixth of `zinit check` on a 10 MB file;
    // the OS takes the memory back at once.
    std::mem::forget(trees);
    std::mem::forget(reports);
    Ok(code)
}

fn exit_code(reports: &[FileReport], deny_warnings: bool) -> u8 {
    let mut severities = reports
        .iter()
        .flat_map(|r| &r.diagnostics)
        .map(|d| d.severity);
    let failing = |s: Severity| s == Severity::Error || (deny_warnings && s == Severity::Warning);
    if severities.any(failing) {
        EXIT_FAILED
    } else {
        EXIT_OK
    }
}
