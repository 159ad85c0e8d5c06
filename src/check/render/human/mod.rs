//! Human output: miette's graphical report for each diagnostic, then a
//! summary line. Bounded whatever the input: at most [`MAX_PER_FILE`]
//! reports per file (then a count of the rest), long lines cropped around
//! the label, and a diagnostic miette cannot draw falls back to its
//! one-line short form.

mod source;

use super::{LineIndex, clamp, short, summary};
use crate::check::diagnostic::{Diagnostic, FileReport, Fix, Severity};
use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceCode};
use source::{Cropped, Windowed, shows_whole};
use std::fmt;

/// Fixed, so output (and snapshots) do not depend on the terminal.
const WIDTH: usize = 100;
/// Past this many diagnostics in one file, the rest are counted, not drawn.
pub const MAX_PER_FILE: usize = 200;

pub(super) fn render(reports: &[FileReport], color: bool) -> String {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(WIDTH)
        .with_context_lines(1)
        .without_syntax_highlighting();
    let mut out = String::new();
    for report in reports.iter().filter(|r| !r.diagnostics.is_empty()) {
        let lines = LineIndex::new(&report.file.text);
        let name = report.file.name.as_str();
        for diagnostic in report.diagnostics.iter().take(MAX_PER_FILE) {
            let mut drawn = String::new();
            if draw(&handler, &mut drawn, diagnostic, name, &lines).is_ok() {
                out.push_str(&drawn);
            } else {
                out.push_str(&short::line(name, &lines, diagnostic));
            }
            out.push('\n');
        }
        let rest = report.diagnostics.len().saturating_sub(MAX_PER_FILE);
        if rest > 0 {
            out.push_str(&format!(
                "… and {rest} more in {name} (`zinit check --format short` lists every one)\n\n"
            ));
        }
    }
    out.push_str(&summary(reports));
    out.push('\n');
    out
}

/// One diagnostic, from the file's lines when they are short enough, else
/// from its primary line cropped around the label.
fn draw(
    handler: &GraphicalReportHandler,
    out: &mut String,
    diagnostic: &Diagnostic,
    name: &str,
    lines: &LineIndex,
) -> fmt::Result {
    let text = lines.text();
    let primary = clamp(diagnostic.primary.span, text);
    let secondary: Vec<_> = diagnostic
        .secondary
        .iter()
        .map(|l| (clamp(l.span, text), l.message.clone()))
        .collect();
    let spans: Vec<_> = std::iter::once(primary)
        .chain(secondary.iter().map(|(span, _)| *span))
        .collect();
    let primary_label = diagnostic.primary.message.clone();
    if shows_whole(lines, &spans) {
        let labels = std::iter::once(LabeledSpan::new_primary_with_span(primary_label, primary))
            .chain(
                secondary
                    .into_iter()
                    .map(|(span, message)| LabeledSpan::new_with_span(message, span)),
            )
            .collect();
        let source = Windowed { name, lines };
        return handler.render_report(out, &shown(diagnostic, text, &source, labels, Vec::new()));
    }
    let source = Cropped::around(name, lines, primary);
    let mut labels = Vec::new();
    let mut elsewhere = Vec::new();
    if let Some(span) = source.map(primary) {
        labels.push(LabeledSpan::new_primary_with_span(primary_label, span));
    }
    for (span, message) in secondary {
        match source.map(span) {
            Some(mapped) => labels.push(LabeledSpan::new_with_span(message, mapped)),
            None => {
                let (line, column) = lines.line_col(span.start());
                let what = message.unwrap_or_else(|| "see".into());
                elsewhere.push(format!("{what}: {name}:{line}:{column}"));
            }
        }
    }
    handler.render_report(out, &shown(diagnostic, text, &source, labels, elsewhere))
}

fn shown<'a>(
    diagnostic: &'a Diagnostic,
    text: &'a str,
    source: &'a dyn SourceCode,
    labels: Vec<LabeledSpan>,
    elsewhere: Vec<String>,
) -> Shown<'a> {
    Shown {
        diagnostic,
        text,
        source,
        labels,
        elsewhere,
    }
}

/// A diagnostic of the model seen through miette's trait.
struct Shown<'a> {
    diagnostic: &'a Diagnostic,
    text: &'a str,
    source: &'a dyn SourceCode,
    labels: Vec<LabeledSpan>,
    /// Secondary labels off the cropped line, as `message: file:line:col`.
    elsewhere: Vec<String>,
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
        let text = self
            .diagnostic
            .fix
            .as_ref()
            .map(|fix| describe_fix(fix, self.text));
        let lines: Vec<String> = self
            .diagnostic
            .help
            .iter()
            .cloned()
            .chain(self.elsewhere.iter().cloned())
            .chain(text)
            .collect();
        (!lines.is_empty()).then(|| Box::new(lines.join("\n")) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }
}

/// `fix: replace with `30s``, `fix: remove `insecure``, or the fix's own
/// message when it edits several places; a guess reads `unsafe fix: ...`.
fn describe_fix(fix: &Fix, text: &str) -> String {
    let kind = if fix.is_safe() { "fix" } else { "unsafe fix" };
    match fix.edits.as_slice() {
        [edit] if edit.replacement.is_empty() => {
            let removed = clamp(edit.span, text).slice(text).trim();
            // A removal can span a whole file; name at most its start.
            match removed.char_indices().nth(60) {
                Some((cut, _)) => format!("{kind}: remove `{}…`", &removed[..cut]),
                None => format!("{kind}: remove `{removed}`"),
            }
        }
        [edit] => format!("{kind}: replace with `{}`", edit.replacement),
        _ => format!("{kind}: {}", fix.message),
    }
}
