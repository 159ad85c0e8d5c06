//! Loading and checking one script for the commands that go on to use it
//! (`plan`, `run`): diagnostics go to standard error, and an invalid script
//! stops the command with exit code 2.

use super::{CliError, EXIT_USAGE};
use crate::check::render::{Format, render};
use crate::check::{CheckOptions, Diagnostic, FileReport, SourceFile};
use crate::input;
use crate::lint::check_loaded;
use crate::syntax::ast::Script;
use std::io::IsTerminal;

/// A script that checked without errors (warnings were printed).
#[derive(Debug, Clone)]
pub struct Prepared {
    pub file: SourceFile,
    pub script: Script,
    /// The warnings, already printed.
    pub diagnostics: Vec<Diagnostic>,
}

/// Loads (`-e TEXT`, a path, or `-` for stdin), checks, and prints any
/// diagnostics to standard error. Exit code 2 when the script cannot be read
/// or has errors.
pub fn prepare(
    path: Option<&str>,
    eval: Option<&str>,
    options: &CheckOptions,
) -> Result<Prepared, CliError> {
    let loaded = input::load_one(path, eval)?;
    let (report, script) = check_loaded(loaded, options);
    print_diagnostics(&report);
    if report.diagnostics.iter().any(Diagnostic::is_error) {
        return Err(CliError::Reported(EXIT_USAGE));
    }
    Ok(Prepared {
        file: report.file,
        script,
        diagnostics: report.diagnostics,
    })
}

/// A report's diagnostics, in the human format, on standard error.
pub fn print_diagnostics(report: &FileReport) {
    if !report.diagnostics.is_empty() {
        let text = render(
            std::slice::from_ref(report),
            Format::Human,
            color_for(&std::io::stderr()),
        );
        crate::run::report::stderr_text(&text);
    }
}

/// Colour only on a terminal, and never when `NO_COLOR` is set (non-empty).
pub fn color_for(stream: &impl IsTerminal) -> bool {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    stream.is_terminal() && !no_color
}
