//! `file:line:col: severity[code]: message`, one line per diagnostic, the
//! format compilers and editors' problem matchers understand.

use super::{LineIndex, Region, clamp};
use crate::check::diagnostic::FileReport;
use std::fmt::Write;

pub(super) fn render(reports: &[FileReport]) -> String {
    let mut out = String::new();
    // A file without diagnostics needs no line table (a clean 10 MB file is the common case).
    for report in reports.iter().filter(|r| !r.diagnostics.is_empty()) {
        let lines = LineIndex::new(&report.file.text);
        for d in &report.diagnostics {
            let at = Region::of(clamp(d.primary.span, lines.text()), &lines);
            // A message never spans lines here, so one diagnostic stays one line.
            let message = d.message.replace(['\r', '\n'], " ");
            let _ = writeln!(
                out,
                "{}:{}:{}: {}[{}]: {}",
                report.file.name,
                at.start_line,
                at.start_column,
                d.severity.as_str(),
                d.code,
                message
            );
        }
    }
    out
}
