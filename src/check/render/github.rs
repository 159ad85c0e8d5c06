//! GitHub Actions workflow commands: each diagnostic becomes an annotation
//! on the pull request (`::error file=F,line=L,...,title=CODE::message`).

use super::{LineIndex, Region, clamp};
use crate::check::diagnostic::FileReport;
use std::fmt::Write;

pub(super) fn render(reports: &[FileReport]) -> String {
    let mut out = String::new();
    for report in reports.iter().filter(|r| !r.diagnostics.is_empty()) {
        let lines = LineIndex::new(&report.file.text);
        for d in &report.diagnostics {
            let at = Region::of(clamp(d.primary.span, lines.text()), &lines);
            let mut message = d.message.clone();
            if let Some(help) = &d.help {
                message.push_str("\nhelp: ");
                message.push_str(help);
            }
            let _ = writeln!(
                out,
                "::{} file={},line={},col={},endLine={},endColumn={},title={}::{}",
                d.severity.as_str(),
                escape_property(&report.file.name),
                at.start_line,
                at.start_column,
                at.end_line,
                at.end_column,
                escape_property(d.code),
                escape_data(&message)
            );
        }
    }
    out
}

/// The message part: `%`, CR and LF would end or corrupt the command.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A `key=value` property: additionally `:` and `,`, which delimit properties.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_follow_the_runner_rules() {
        assert_eq!(escape_data("50% a\r\nb: c,d"), "50%25 a%0D%0Ab: c,d");
        assert_eq!(escape_property("C:\\a,b%"), "C%3A\\a%2Cb%25");
    }
}
