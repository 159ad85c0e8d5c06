//! Human output: miette's graphical report for each diagnostic, then a
//! summary line.

use super::{LineIndex, clamp, summary};
use crate::check::diagnostic::{Diagnostic, FileReport, Fix, Severity};
use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};
use std::fmt;

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
    for report in reports.iter().filter(|r| !r.diagnostics.is_empty()) {
        let source = Windowed {
            name: &report.file.name,
            lines: LineIndex::new(&report.file.text),
        };
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
    source: &'a Windowed<'a>,
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
/// message when it edits several places; a guess reads `unsafe fix: ...`.
fn describe_fix(fix: &Fix, text: &str) -> String {
    let kind = if fix.is_safe() { "fix" } else { "unsafe fix" };
    match fix.edits.as_slice() {
        [edit] if edit.replacement.is_empty() => {
            let removed = clamp(edit.span, text).slice(text).trim();
            format!("{kind}: remove `{removed}`")
        }
        [edit] => format!("{kind}: replace with `{}`", edit.replacement),
        _ => format!("{kind}: {}", fix.message),
    }
}

/// The file as miette reads it, one snippet at a time: each read is cut to
/// the lines around the span first (found with the line index), because
/// miette scans a source from its start on every read, which is quadratic
/// over a large file with many diagnostics.
struct Windowed<'t> {
    name: &'t str,
    lines: LineIndex<'t>,
}

impl SourceCode for Windowed<'_> {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let text = self.lines.text();
        let end = span.offset() + span.len();
        if end > text.len() {
            return Err(MietteError::OutOfBounds);
        }
        // One spare line each side: miette trims the context itself.
        let first_line = self
            .lines
            .line_of(span.offset())
            .saturating_sub(context_lines_before + 1);
        let last_line = self.lines.line_of(end) + context_lines_after + 1;
        let window_start = self.lines.line_start(first_line);
        let window = &text[window_start..self.lines.line_start(last_line + 1)];
        let local = SourceSpan::new((span.offset() - window_start).into(), span.len());
        let inner = window.read_span(&local, context_lines_before, context_lines_after)?;
        let inner_span = inner.span();
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.to_string(),
            inner.data(),
            SourceSpan::new(
                (inner_span.offset() + window_start).into(),
                inner_span.len(),
            ),
            inner.line() + first_line,
            inner.column(),
            inner.line_count() + first_line,
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windowed_reads_match_reading_the_whole_text() {
        let text = "retry restart\r\nwait tcp db:1\n\nrun 'ü €'\nparallel {\n  sleep 1s\n}\nlast";
        let windowed = Windowed {
            name: "x.zinit",
            lines: LineIndex::new(text),
        };
        for start in 0..=text.len() {
            for len in [0, 1, 5, 20] {
                let end = (start + len).min(text.len());
                if !text.is_char_boundary(start) || !text.is_char_boundary(end) {
                    continue;
                }
                let span = SourceSpan::new(start.into(), end - start);
                for (before, after) in [(0, 0), (1, 1), (2, 3)] {
                    let whole = text.read_span(&span, before, after).expect("in bounds");
                    let part = windowed.read_span(&span, before, after).expect("in bounds");
                    let at = format!("{start}+{len} ({before},{after})");
                    assert_eq!(part.data(), whole.data(), "{at}");
                    assert_eq!(part.span(), whole.span(), "{at}");
                    assert_eq!(part.line(), whole.line(), "{at}");
                    assert_eq!(part.column(), whole.column(), "{at}");
                    assert_eq!(part.line_count(), whole.line_count(), "{at}");
                    assert_eq!(part.name(), Some("x.zinit"));
                }
            }
        }
    }
}
