//! `zinit run FILE [-- CMD ARGS...]`

use super::script::{color_for, prepare};
use super::{EXIT_FAILED, EXIT_USAGE};
use crate::check::render::{Format, render};
use crate::check::{CheckOptions, FileReport};
use crate::plan::env::Env;
use crate::run::report::{self, reporter_with};
use crate::run::resolve::resolve_plan;
use clap::{Args, ValueEnum};
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct RunArgs {
    /// The script; `-` reads standard input.
    pub file: Option<String>,
    /// Run this script text instead of a file (`;` separates statements).
    #[arg(short = 'e', long = "eval", value_name = "SCRIPT")]
    pub eval: Option<String>,
    /// `auto`: live progress on a terminal, plain lines otherwise.
    #[arg(long, value_enum, default_value_t = RunFormat::Auto)]
    pub format: RunFormat,
    /// Show only warnings and failures (no progress, no command output).
    #[arg(short = 'q', long)]
    pub quiet: bool,
    /// Also write the JSON events to FILE (or `/dev/fd/N`), whatever `--format` shows.
    #[arg(long, value_name = "FILE")]
    pub events: Option<std::path::PathBuf>,
    /// Run after a successful init, services still up; zinit exits with its code.
    #[arg(last = true, value_name = "CMD")]
    pub command: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RunFormat {
    Auto,
    Plain,
    Json,
}

/// Checks the script (exit 2 on errors), resolves `${...}` against the
/// process environment (exit 2 on an unset variable or a bad resolved
/// target, before anything runs), then runs it.
pub fn execute(args: RunArgs) -> ExitCode {
    // Variables are resolved below, against the real environment, so the
    // checker leaves them alone.
    let prepared = match prepare(
        args.file.as_deref(),
        args.eval.as_deref(),
        &CheckOptions::default(),
    ) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let plan = crate::plan::compile(&prepared.script);
    let plan = match resolve_plan(&plan, &Env::from_process()) {
        Ok(plan) => plan,
        Err(diagnostics) => {
            let reports = [FileReport {
                file: prepared.file,
                diagnostics,
            }];
            let text = render(&reports, Format::Human, color_for(&std::io::stderr()));
            report::stderr_text(&text);
            return ExitCode::from(EXIT_USAGE);
        }
    };
    let events = match args.events.as_deref().map(open_events) {
        Some(Err(message)) => {
            report::stderr_line(&format!("zinit: {message}"));
            return ExitCode::from(EXIT_USAGE);
        }
        Some(Ok(file)) => Some(file),
        None => None,
    };
    let format = match args.format {
        RunFormat::Auto => report::Format::Auto,
        RunFormat::Plain => report::Format::Plain,
        RunFormat::Json => report::Format::Json,
    };
    let options = crate::run::Options {
        command: args.command,
        whole_process: true,
        ..Default::default()
    };
    let settings = report::Settings {
        format: Some(format),
        quiet: args.quiet,
        events,
    };
    let code = crate::run::execute(&plan, &options, reporter_with(settings));
    // Exit codes are 0–255; anything else (impossible from a real process) is a failure.
    ExitCode::from(u8::try_from(code).unwrap_or(EXIT_FAILED))
}

/// `--events FILE`: created or truncated. `/dev/fd/N` is the open
/// descriptor N itself (duplicated, not reopened: `3>>log` keeps appending).
fn open_events(path: &std::path::Path) -> Result<std::fs::File, String> {
    let fd = path
        .to_str()
        .and_then(|p| p.strip_prefix("/dev/fd/"))
        .and_then(|n| n.parse::<std::os::fd::RawFd>().ok());
    if let Some(fd) = fd {
        // SAFETY: F_DUPFD_CLOEXEC reads no memory and fails with EBADF on a closed fd.
        let copy = unsafe { nix::libc::fcntl(fd, nix::libc::F_DUPFD_CLOEXEC, 0) };
        if copy < 0 {
            let e = std::io::Error::last_os_error();
            return Err(format!("--events {}: {e}", path.display()));
        }
        // SAFETY: `copy` is a new descriptor that nothing else owns.
        return Ok(unsafe { std::os::fd::FromRawFd::from_raw_fd(copy) });
    }
    std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .open(path)
        .map_err(|e| format!("--events {}: {e}", path.display()))
}
