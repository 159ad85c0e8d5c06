//! Byte spans into the source text.

use serde::Serialize;

/// A half-open byte range `start..end` into the source text.
///
/// Held as `u32`: every node of a tree carries spans, and a 10 MB script
/// has millions of them (issue #11). No text zinit reads is near 4 GiB
/// ([`crate::input::MAX_SCRIPT_BYTES`] is 64 MiB; the language server
/// would need a 4 GiB message).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, PartialOrd, Ord)]
pub struct Span {
    start: u32,
    end: u32,
}

/// An offset as a span holds it (past 4 GiB, which no text reaches, the
/// last offset it can hold rather than a panic).
const fn offset(at: usize) -> u32 {
    if at > u32::MAX as usize {
        u32::MAX
    } else {
        at as u32
    }
}

impl Span {
    pub const fn new(start: usize, end: usize) -> Self {
        Span {
            start: offset(start),
            end: offset(end),
        }
    }

    pub const fn empty(at: usize) -> Self {
        Span::new(at, at)
    }

    pub const fn start(&self) -> usize {
        self.start as usize
    }

    pub const fn end(&self) -> usize {
        self.end as usize
    }

    pub const fn len(&self) -> usize {
        (self.end - self.start) as usize
    }

    pub const fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    pub fn contains(&self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    pub fn slice<'a>(&self, source: &'a str) -> &'a str {
        &source[self.start()..self.end()]
    }
}

impl From<Span> for miette::SourceSpan {
    fn from(span: Span) -> Self {
        miette::SourceSpan::new(span.start().into(), span.len())
    }
}

/// A value together with the span it was written at.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

impl<T> Spanned<T> {
    pub fn new(value: T, span: Span) -> Self {
        Spanned { value, span }
    }
}
