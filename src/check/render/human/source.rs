//! The file as miette reads it. miette scans a source from its start on
//! every read, shows whole lines, and panics past visual column 65,535, so
//! it is never handed the file itself: either a window of whole lines
//! found with the line index ([`Windowed`]), or, when a line is too long to
//! show, one line cropped around the label ([`Cropped`]). Both report
//! lines and character columns from the [`LineIndex`], as every other
//! format does.

use crate::syntax::{LineIndex, Span};
use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

/// Lines longer than this (in bytes) are cropped rather than shown whole.
pub const MAX_LINE: usize = 400;
/// A label over more lines than this is cropped to its first line.
pub const MAX_LABEL_LINES: usize = 12;
/// How much of a long line is shown before a label, and at most in all, in
/// columns as miette draws them (a tab is four).
const CROP_BEFORE: usize = 40;
const CROP_WIDTH: usize = 90;
const TAB_WIDTH: usize = 4;
const ELLIPSIS: &str = "…";

/// Whether miette may show these spans from the file's own lines: every
/// line they (and one line of context each side) touch is short, and no
/// span covers many lines.
pub fn shows_whole(lines: &LineIndex, spans: &[Span]) -> bool {
    spans.iter().all(|span| {
        let first = lines.line_of(span.start());
        let last = lines.line_of(span.end());
        last - first <= MAX_LABEL_LINES
            && (first.saturating_sub(1)..=last + 1)
                .filter(|&line| line < lines.line_count())
                .all(|line| lines.line_end(line) - lines.line_start(line) <= MAX_LINE)
    })
}

/// Whole lines of the file, cut to the lines around each read.
pub struct Windowed<'a, 't> {
    pub name: &'a str,
    pub lines: &'a LineIndex<'t>,
}

impl SourceCode for Windowed<'_, '_> {
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
        // miette counts the column in bytes; the other formats count characters.
        let column = match context_lines_before {
            0 => self.lines.char_position(span.offset()).column,
            _ => inner.column(),
        };
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.to_string(),
            inner.data(),
            SourceSpan::new(
                (inner_span.offset() + window_start).into(),
                inner_span.len(),
            ),
            inner.line() + first_line,
            column,
            inner.line_count() + first_line,
        )))
    }
}

/// One long line cropped around a span, with `…` where it was cut. Its
/// offsets are its own: [`Cropped::map`] turns a file span into one.
pub struct Cropped<'a> {
    name: &'a str,
    text: String,
    /// 0-based line in the file.
    line: usize,
    /// Byte offset in the file of the text after the leading `…`.
    start: usize,
    end: usize,
    /// Length of the leading `…` (0 when the line's start is shown).
    prefix: usize,
    /// Character column in the file of `start`.
    column: usize,
}

impl<'a> Cropped<'a> {
    /// The line holding `span.start`, cropped around the span.
    pub fn around(name: &'a str, lines: &LineIndex, span: Span) -> Self {
        let line = lines.line_of(span.start());
        let (line_start, line_end) = (lines.line_start(line), lines.line_end(line));
        let at = span.start().clamp(line_start, line_end);
        let text = lines.text();
        let width = |c: char| if c == '\t' { TAB_WIDTH } else { 1 };
        let mut start = at;
        let mut used = 0;
        for c in text[line_start..at].chars().rev() {
            used += width(c);
            if used > CROP_BEFORE {
                break;
            }
            start -= c.len_utf8();
        }
        let mut end = at;
        used = text[start..at].chars().map(width).sum();
        for c in text[at..line_end].chars() {
            used += width(c);
            if used > CROP_WIDTH {
                break;
            }
            end += c.len_utf8();
        }
        let prefix = if start > line_start { ELLIPSIS } else { "" };
        let suffix = if end < line_end { ELLIPSIS } else { "" };
        let text = format!("{prefix}{}{suffix}", &text[start..end]);
        Cropped {
            name,
            text,
            line,
            start,
            end,
            prefix: prefix.len(),
            column: lines.char_position(start).column,
        }
    }

    /// `span` in this text's offsets, cut to what is shown; `None` when it
    /// does not start on the shown part.
    pub fn map(&self, span: Span) -> Option<SourceSpan> {
        if span.start() < self.start || span.start() > self.end {
            return None;
        }
        let end = span.end().clamp(span.start(), self.end);
        let offset = self.prefix + span.start() - self.start;
        Some(SourceSpan::new(offset.into(), end - span.start()))
    }
}

impl SourceCode for Cropped<'_> {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner =
            self.text
                .as_str()
                .read_span(span, context_lines_before, context_lines_after)?;
        let column = match context_lines_before {
            0 => {
                let shown = self.text.get(self.prefix..span.offset()).unwrap_or("");
                self.column + shown.chars().count()
            }
            _ => 0,
        };
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.to_string(),
            inner.data(),
            inner.span().to_owned(),
            self.line,
            column,
            inner.line_count() + self.line,
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windowed_reads_match_reading_the_whole_text() {
        let text = "retry restart\r\nwait tcp db:1\n\nrun 'ü €'\nparallel {\n  sleep 1s\n}\nlast";
        let lines = LineIndex::new(text);
        let windowed = Windowed {
            name: "x.zinit",
            lines: &lines,
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
                    if before > 0 || text.is_ascii() {
                        assert_eq!(part.column(), whole.column(), "{at}");
                    }
                    assert_eq!(part.line_count(), whole.line_count(), "{at}");
                    assert_eq!(part.name(), Some("x.zinit"));
                }
            }
        }
    }

    #[test]
    fn a_long_line_is_cropped_around_the_span() {
        let text = format!(
            "sleep 1s\n{}ü wait x{}\n",
            "\t".repeat(70_000),
            "y".repeat(5000)
        );
        let lines = LineIndex::new(&text);
        let at = text.find("wait").unwrap();
        let span = Span::new(at, at + 6);
        assert!(!shows_whole(&lines, &[span]));
        let cropped = Cropped::around("x", &lines, span);
        assert!(
            cropped.text.len() < 4 * CROP_WIDTH,
            "{}",
            cropped.text.len()
        );
        assert!(cropped.text.starts_with(ELLIPSIS) && cropped.text.ends_with(ELLIPSIS));
        let mapped = cropped.map(span).expect("on the shown part");
        assert_eq!(
            &cropped.text[mapped.offset()..mapped.offset() + mapped.len()],
            "wait x"
        );
        let read = cropped.read_span(&mapped, 0, 0).unwrap();
        // Line 2, column as characters: 70,000 tabs, `ü`, a space.
        assert_eq!((read.line(), read.column()), (1, 70_002));
        assert!(cropped.map(Span::new(10, 11)).is_none());
    }
}
