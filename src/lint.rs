//! A loaded script checked as `zinit check` does: every diagnostic of
//! [`check`](crate::check), the invalid-UTF-8 error from loading, and with
//! `--max-duration` W105 from the plan. It sits above `check` and `plan`
//! because W105 needs the plan's timing; the command line, the test harness
//! and the language server all call it.

use crate::check::{CheckOptions, FileReport, from_syntax_error, sort};
use crate::input::LoadedScript;
use crate::syntax::ast::{Action, Script, Statement, Step};
use std::time::Duration;

/// Checks a loaded script; an invalid-UTF-8 error from loading joins the
/// other diagnostics.
pub fn check_loaded(loaded: LoadedScript, options: &CheckOptions) -> (FileReport, Script) {
    // The checker, then the lints that need the plan (W101, W103).
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

/// Checks one loaded script as `zinit check` does: every diagnostic, and
/// with a limit, W105 when the script's worst case is above it.
pub fn check_one(
    loaded: LoadedScript,
    options: &CheckOptions,
    max_duration: Option<Duration>,
) -> FileReport {
    check_one_with_tree(loaded, options, max_duration).0
}

/// [`check_one`], also handing back the tree, so the caller decides when
/// it is freed.
pub fn check_one_with_tree(
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
