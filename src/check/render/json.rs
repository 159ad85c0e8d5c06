//! A stable JSON array, one object per diagnostic, for tools:
//! `{file, code, severity, message, span, start, end, labels, help, fix}`,
//! where `fix` is `{message, applicability: "safe"|"unsafe", edits}`.
//! Positions are 1-based; `end` is the position just after the span.

use super::{LineIndex, Region, clamp};
use crate::check::diagnostic::{Diagnostic, FileReport, Label};
use crate::syntax::Span;
use serde::Serialize;

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    file: &'a str,
    code: &'a str,
    severity: &'a str,
    message: &'a str,
    span: Span,
    start: Position,
    end: Position,
    labels: Vec<JsonLabel<'a>>,
    help: Option<&'a str>,
    fix: Option<JsonFix<'a>>,
}

#[derive(Serialize)]
struct Position {
    line: usize,
    column: usize,
}

#[derive(Serialize)]
struct JsonLabel<'a> {
    primary: bool,
    message: Option<&'a str>,
    span: Span,
    start: Position,
    end: Position,
}

#[derive(Serialize)]
struct JsonFix<'a> {
    message: &'a str,
    /// `safe` (certain; `check --fix` applies it) or `unsafe` (a guess).
    applicability: &'static str,
    edits: Vec<JsonEdit<'a>>,
}

#[derive(Serialize)]
struct JsonEdit<'a> {
    start: usize,
    end: usize,
    replacement: &'a str,
}

pub(super) fn render(reports: &[FileReport]) -> String {
    let items: Vec<JsonDiagnostic> = reports
        .iter()
        .filter(|report| !report.diagnostics.is_empty())
        .flat_map(|report| {
            let lines = LineIndex::new(&report.file.text);
            report
                .diagnostics
                .iter()
                .map(move |d| diagnostic(&report.file.name, &lines, d))
        })
        .collect();
    let mut out = serde_json::to_string_pretty(&items).unwrap_or_default();
    out.push('\n');
    out
}

fn diagnostic<'a>(file: &'a str, lines: &LineIndex, d: &'a Diagnostic) -> JsonDiagnostic<'a> {
    let text = lines.text();
    let span = clamp(d.primary.span, text);
    let (start, end) = positions(span, lines);
    let labels = std::iter::once((&d.primary, true))
        .chain(d.secondary.iter().map(|l| (l, false)))
        .map(|(label, primary)| self::label(lines, label, primary))
        .collect();
    let fix = d.fix.as_ref().map(|fix| JsonFix {
        message: &fix.message,
        applicability: fix.applicability.as_str(),
        edits: fix
            .edits
            .iter()
            .map(|e| {
                let span = clamp(e.span, text);
                JsonEdit {
                    start: span.start(),
                    end: span.end(),
                    replacement: &e.replacement,
                }
            })
            .collect(),
    });
    JsonDiagnostic {
        file,
        code: d.code,
        severity: d.severity.as_str(),
        message: &d.message,
        span,
        start,
        end,
        labels,
        help: d.help.as_deref(),
        fix,
    }
}

fn label<'a>(lines: &LineIndex, label: &'a Label, primary: bool) -> JsonLabel<'a> {
    let span = clamp(label.span, lines.text());
    let (start, end) = positions(span, lines);
    JsonLabel {
        primary,
        message: label.message.as_deref(),
        span,
        start,
        end,
    }
}

fn positions(span: Span, lines: &LineIndex) -> (Position, Position) {
    let r = Region::of(span, lines);
    (
        Position {
            line: r.start_line,
            column: r.start_column,
        },
        Position {
            line: r.end_line,
            column: r.end_column,
        },
    )
}
