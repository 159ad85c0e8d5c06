//! Human output: miette's graphical report for each diagnostic, then a
//! summary line.

use super::{clamp, summary};
use crate::check::diagnostic::{Diagnostic, FileReport, Fix, Severity};
use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource};
use std::fmt;
use std::sync::Arc;

/// Fixed, so output (and snapshots) do not depend on the terminal.
const WIDTH: usize = 100;

pub(super) fn render(reports: &[FileReport], color: bool) -> String {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(WIDTH)
        .without_syntax_highlighting();
    let mut out = String::new();
    for report in reports {
        let source = NamedSource::new(report.file.name.clone(), Arc::clone(&report.file.text));
        for diagnostic in &report.diagnostics {
            let shown = Shown {
                diagnostic,
                source: &source,
                text: &report.file.text,
            };
            // Writing into a String cannot fail.
            let _ = handler.render_report(&mut out, &shown);
            out.push('\n');
        }
    }
    out.push_str(&summary(reports));
    out.push('\n');
    out
}

/// A diagnostic of the model seen through miette's trait.
struct Shown<'a> {
    diagnostic: &'a Diagnostic,
    source: &'a NamedSource<Arc<str>>,
    text: &'a str,
}

impl fmt::Debug for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.diagnostic, f)
    }
}

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.diagnostic.message)
    }
}

impl std::error::Error for Shown<'_> {}

impl miette::Diagnostic for Shown<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        // `error[E012]`: the severity in words, not only the `×`/`⚠` glyph.
        let d = self.diagnostic;
        Some(Box::new(format!("{}[{}]", d.severity.as_str(), d.code)))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diagnostic.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        let fix = self
            .diagnostic
            .fix
            .as_ref()
            .map(|fix| describe_fix(fix, self.text));
        let lines: Vec<String> = self.diagnostic.help.iter().cloned().chain(fix).collect();
        (!lines.is_empty()).then(|| Box::new(lines.join("\n")) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let primary = &self.diagnostic.primary;
        let primary = LabeledSpan::new_primary_with_span(
            primary.message.clone(),
            clamp(primary.span, self.text),
        );
        let secondary = self.diagnostic.secondary.iter().map(|label| {
            LabeledSpan::new_with_span(label.message.clone(), clamp(label.span, self.text))
        });
        Some(Box::new(std::iter::once(primary).chain(secondary)))
    }
}

/// `fix: replace with `30s``, `fix: remove `insecure``, or the fix's own
/// message when it edits several places.
fn describe_fix(fix: &Fix, text: &str) -> String {
    match fix.edits.as_slice() {
        [edit] if edit.replacement.is_empty() => {
            let removed = clamp(edit.span, text).slice(text).trim();
            format!("fix: remove `{removed}`")
        }
        [edit] => format!("fix: replace with `{}`", edit.replacement),
        _ => format!("fix: {}", fix.message),
    }
}
