//! `file:line:col: severity[code]: message`, one line per diagnostic, the
//! format compilers and editors' problem matchers understand.

use super::{LineIndex, Region, clamp};
use crate::check::diagnostic::{Diagnostic, FileReport};

pub(super) fn render(reports: &[FileReport]) -> String {
    let mut out = String::new();
    // A file without diagnostics needs no line table (a clean 10 MB file is the common case).
    for report in reports.iter().filter(|r| !r.diagnostics.is_empty()) {
        let lines = LineIndex::new(&report.file.text);
        for d in &report.diagnostics {
            out.push_str(&line(&report.file.name, &lines, d));
            out.push('\n');
        }
    }
    out
}

/// `file:line:col: severity[code]: message`, without the newline.
pub(super) fn line(name: &str, lines: &LineIndex, d: &Diagnostic) -> String {
    let at = Region::of(clamp(d.primary.span, lines.text()), lines);
    // A message never spans lines here, so one diagnostic stays one line.
    let message = d.message.replace(['\r', '\n'], " ");
    format!(
        "{name}:{}:{}: {}[{}]: {message}",
        at.start_line,
        at.start_column,
        d.severity.as_str(),
        d.code,
    )
}
