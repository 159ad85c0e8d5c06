//! One diagnostic model, many outputs. Every renderer reads only
//! [`FileReport`]s, so `zinit check`, `zinit plan`/`run` and editors agree
//! on what a diagnostic says.

mod github;
mod human;
mod json;
mod sarif;
mod short;

use super::diagnostic::{FileReport, Severity};
use crate::syntax::LineIndex;
use crate::syntax::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// miette's graphical report, with a summary line.
    Human,
    /// `file:line:col: severity[code]: message`, one per line.
    Short,
    /// A stable JSON array, one object per diagnostic.
    Json,
    /// SARIF 2.1.0, as GitHub code scanning accepts it.
    Sarif,
    /// GitHub Actions workflow commands (`::error file=...::message`).
    Github,
}

/// Renders every diagnostic of every report. `color` only affects `Human`.
pub fn render(reports: &[FileReport], format: Format, color: bool) -> String {
    match format {
        Format::Human => human::render(reports, color),
        Format::Short => short::render(reports),
        Format::Json => json::render(reports),
        Format::Sarif => sarif::render(reports),
        Format::Github => github::render(reports),
    }
}

/// `2 errors, 1 warning in 3 files`, or `no problems in 3 files`.
pub fn summary(reports: &[FileReport]) -> String {
    let count = |severity| {
        reports
            .iter()
            .flat_map(|r| &r.diagnostics)
            .filter(|d| d.severity == severity)
            .count()
    };
    let (errors, warnings) = (count(Severity::Error), count(Severity::Warning));
    let files = plural(reports.len(), "file");
    match (errors, warnings) {
        (0, 0) => format!("no problems in {files}"),
        (e, 0) => format!("{} in {files}", plural(e, "error")),
        (0, w) => format!("{} in {files}", plural(w, "warning")),
        (e, w) => format!(
            "{}, {} in {files}",
            plural(e, "error"),
            plural(w, "warning")
        ),
    }
}

fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// A span's 1-based start and end positions (the end is the position just
/// after the last character, as SARIF and editors expect).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Region {
    pub start_line: usize,
    pub start_column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

impl Region {
    pub fn of(span: Span, lines: &LineIndex) -> Self {
        let (start_line, start_column) = lines.line_col(span.start());
        let (end_line, end_column) = lines.line_col(span.end().max(span.start()));
        Region {
            start_line,
            start_column,
            end_line,
            end_column,
        }
    }
}

/// The span clamped into `text` and onto character boundaries, so a span
/// from a stale or lossy source can never make a renderer panic.
pub(crate) fn clamp(span: Span, text: &str) -> Span {
    let floor = |mut i: usize| {
        i = i.min(text.len());
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let start = floor(span.start());
    let end = floor(span.end()).max(start);
    Span::new(start, end)
}

#[cfg(test)]
mod tests;
