//! Loading and checking one script for the commands that go on to use it
//! (`plan`, `run`): diagnostics go to standard error, and an invalid script
//! stops the command with exit code 2.

use super::EXIT_USAGE;
use super::input::{self, LoadedScript};
use crate::check::render::{Format, render};
use crate::check::{CheckOptions, Diagnostic, FileReport, SourceFile, from_syntax_error, sort};
use crate::syntax::ast::Script;
use std::io::IsTerminal;
use std::process::ExitCode;

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
) -> Result<Prepared, ExitCode> {
    let loaded = input::load_one(path, eval).map_err(|e| {
        eprintln!("zinit: {e}");
        ExitCode::from(EXIT_USAGE)
    })?;
    let (report, script) = check_loaded(loaded, options);
    if !report.diagnostics.is_empty() {
        let reports = std::slice::from_ref(&report);
        eprint!(
            "{}",
            render(reports, Format::Human, color_for(&std::io::stderr()))
        );
    }
    if report.diagnostics.iter().any(Diagnostic::is_error) {
        return Err(ExitCode::from(EXIT_USAGE));
    }
    Ok(Prepared {
        file: report.file,
        script,
        diagnostics: report.diagnostics,
    })
}

/// Checks a loaded script; an invalid-UTF-8 error from loading joins the
/// other diagnostics.
pub fn check_loaded(loaded: LoadedScript, options: &CheckOptions) -> (FileReport, Script) {
    let checked = crate::plan::lint::check_text(&loaded.file.text, options);
    let mut diagnostics = checked.diagnostics;
    if let Some(error) = loaded.decode_error {
        diagnostics.push(from_syntax_error(error));
        sort(&mut diagnostics);
    }
    let report = FileReport {
        file: loaded.file,
        diagnostics,
    };
    (report, checked.script)
}

/// Colour only on a terminal, and never when `NO_COLOR` is set (non-empty).
pub fn color_for(stream: &impl IsTerminal) -> bool {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    stream.is_terminal() && !no_color
}
