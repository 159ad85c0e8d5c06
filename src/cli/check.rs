//! `zinit check [PATH...]`

use super::input::{self, LoadedScript};
use super::script::{check_loaded, color_for};
use super::{EXIT_FAILED, EXIT_OK, EXIT_USAGE};
use crate::check::render::{Format, render};
use crate::check::{CheckOptions, FileReport, Severity, sort};
use crate::syntax::ast::{Action, Script, Statement, Step};
use clap::{Args, ValueEnum};
use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

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

pub fn execute(args: CheckArgs) -> ExitCode {
    match run(&args) {
        Ok(code) => ExitCode::from(code),
        Err(message) => {
            eprintln!("zinit: {message}");
            ExitCode::from(EXIT_USAGE)
        }
    }
}

/// The exit code, or a usage/I/O error message (exit 2).
fn run(args: &CheckArgs) -> Result<u8, String> {
    let env = if args.env.vars.is_empty() && args.env.files.is_empty() {
        None
    } else {
        Some(args.env.load()?)
    };
    let options = CheckOptions { env };
    let max_duration = args
        .max_duration
        .as_deref()
        .map(parse_max_duration)
        .transpose()?;
    let loaded = input::load_many(&args.paths, args.eval.as_deref()).map_err(|e| e.to_string())?;
    if loaded.is_empty() {
        let searched = if args.paths.is_empty() {
            ".".to_string()
        } else {
            args.paths.join(", ")
        };
        return Err(format!("no .zinit files found in {searched}"));
    }
    let mut fixes_pending = false;
    let loaded = if args.fix.wanted()? {
        let check = |script| check_one(script, &options, max_duration);
        let fixed = super::fix::fix_files(loaded, &args.fix, check)?;
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
    written.map_err(|e| format!("cannot write the report: {e}"))?;
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

/// Checks one loaded script as `zinit check` does: every diagnostic, and
/// with a limit, W105 when the script's worst case is above it.
pub fn check_one(
    loaded: LoadedScript,
    options: &CheckOptions,
    max_duration: Option<Duration>,
) -> FileReport {
    check_one_with_tree(loaded, options, max_duration).0
}

/// `check_one`, also handing back the tree, so `zinit check` decides when
/// it is freed.
fn check_one_with_tree(
    loaded: LoadedScript,
    options: &CheckOptions,
    max_duration: Option<Duration>,
) -> (FileReport, Script) {
    let (mut report, script) = check_loaded(loaded, options);
    let has_errors = report.diagnostics.iter().any(|d| d.is_error());
    if let (Some(limit), false) = (max_duration, has_errors) {
        let plan = crate::plan::compile(&script);
        let timing = crate::plan::plan_timing(&plan);
        // The statements, without leading or trailing comments.
        let statements = match (script.statements.first(), script.statements.last()) {
            (Some(first), Some(last)) => first.span().to(last.span()),
            _ => script.span,
        };
        let lint = crate::plan::max_duration_lint(&plan, &timing, limit, statements);
        report.diagnostics.extend(lint);
        sort(&mut report.diagnostics);
    }
    (report, script)
}

/// `--max-duration D`, read with the language's own duration syntax.
pub fn parse_max_duration(value: &str) -> Result<Duration, String> {
    let source = format!("sleep {value}");
    let parsed = crate::syntax::parse(&source);
    let invalid = |why: &str| format!("--max-duration `{value}`: {why}");
    if let Some(error) = parsed.errors.first() {
        return Err(invalid(&error.message));
    }
    match parsed.script.statements.as_slice() {
        [
            Statement::Step(Step {
                action: Action::Sleep { duration },
                clauses,
                ..
            }),
        ] if clauses.is_empty() && duration.span.slice(&source) == value => duration
            .millis
            .map(Duration::from_millis)
            .ok_or_else(|| invalid("too large")),
        _ => Err(invalid("expected a duration such as `5m`")),
    }
}
