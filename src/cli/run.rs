//! `zinit run FILE [-- CMD ARGS...]`

use super::args::EnvArgs;
use super::error::shell_quote;
use super::script::{prepare, print_diagnostics};
use super::{CliError, EXIT_FAILED, EXIT_USAGE};
use crate::check::{CheckOptions, FileReport};
use crate::plan::env::Env;
use crate::run::report::{self, reporter_with};
use crate::run::resolve::resolve_plan;
use clap::{Args, ValueEnum};

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
    #[command(flatten)]
    pub env: EnvArgs,
    /// Words after the script without `--`: refused, never ignored (the
    /// `--` was likely forgotten).
    #[arg(value_name = "ARGS", hide = true, allow_hyphen_values = true)]
    pub stray: Vec<String>,
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
/// process environment with `--env`/`--env-file` on top (exit 2 on an
/// unset variable or a bad resolved target, before anything runs), then
/// runs it.
pub fn execute(args: RunArgs) -> Result<u8, CliError> {
    refuse_stray_words(&args)?;
    // The overrides hold for interpolation and for every command zinit
    // starts, so they go into zinit's own environment, which children
    // inherit. Nothing else runs yet: the engine's threads start below.
    let overrides = args.env.load().map_err(CliError::Usage)?;
    for (key, value) in overrides.vars() {
        // SAFETY: no other thread exists yet (the runtime starts in `run::execute`).
        unsafe { std::env::set_var(key, value) };
    }
    // Variables are resolved below, against the real environment, so the
    // checker leaves them alone.
    let prepared = prepare(
        args.file.as_deref(),
        args.eval.as_deref(),
        &CheckOptions::default(),
    )?;
    let plan = crate::plan::compile(&prepared.script);
    let plan = match resolve_plan(&plan, &Env::from_process()) {
        Ok(plan) => plan,
        Err(diagnostics) => {
            print_diagnostics(&FileReport {
                file: prepared.file,
                diagnostics,
            });
            return Err(CliError::Reported(EXIT_USAGE));
        }
    };
    let events = args
        .events
        .as_deref()
        .map(open_events)
        .transpose()
        .map_err(CliError::Usage)?;
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
    Ok(u8::try_from(code).unwrap_or(EXIT_FAILED))
}

/// `zinit run -e 'wait tcp db:5432' ./server` would wait and exit without
/// starting the server: a word next to `-e`, or after the script, must
/// come after `--`. The message shows the command line that was meant.
fn refuse_stray_words(args: &RunArgs) -> Result<(), CliError> {
    let (script, words): (String, Vec<&String>) = match (&args.eval, &args.file) {
        (Some(eval), file) => (
            format!("-e {}", shell_quote(eval)),
            file.iter().chain(&args.stray).collect(),
        ),
        (None, Some(file)) => (shell_quote(file), args.stray.iter().collect()),
        (None, None) => return Ok(()),
    };
    let Some(first) = words.first() else {
        return Ok(());
    };
    let what = match (&args.eval, &args.file) {
        (Some(_), Some(_)) => "with -e, the script is the inline text; to run the file, drop -e",
        (Some(_), None) => "with -e, the script is the inline text",
        _ => "only one script is run",
    };
    let meant: Vec<String> = words
        .iter()
        .map(|w| shell_quote(w))
        .chain(args.command.iter().map(|w| shell_quote(w)))
        .collect();
    Err(CliError::usage(format!(
        "unexpected `{first}` after the script ({what}); to run a command after a \
         successful init, put it after `--`:\n    zinit run {script} -- {}",
        meant.join(" ")
    )))
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
