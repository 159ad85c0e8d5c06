//! Byte spans ↔ LSP ranges through the one line index. LSP counts columns
//! in UTF-16 code units, the tree in bytes; every conversion of the server
//! goes through here.

use crate::syntax::{LineIndex, Span};
use lsp_types::{Position, Range};

/// The LSP position of a byte offset (clamped into the text).
pub fn position(lines: &LineIndex, offset: usize) -> Position {
    let p = lines.utf16_position(offset);
    Position::new(saturate(p.line), saturate(p.column))
}

pub fn range(lines: &LineIndex, span: Span) -> Range {
    Range::new(
        position(lines, span.start()),
        position(lines, span.end().max(span.start())),
    )
}

/// The byte offset of an LSP position: a column past the line's end is the
/// line's end, a line past the text the text's end, a column inside a
/// surrogate pair the character's start.
pub fn offset(lines: &LineIndex, position: Position) -> usize {
    lines.offset_of_utf16_position(crate::syntax::Position {
        line: position.line as usize,
        column: position.character as usize,
    })
}

pub fn span(lines: &LineIndex, range: Range) -> Span {
    let start = offset(lines, range.start);
    Span::new(start, offset(lines, range.end).max(start))
}

fn saturate(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_columns_round_trip() {
        let text = "a ü😀 b\nx\n";
        let lines = LineIndex::new(text);
        let b = text.find('b').unwrap();
        // `a`, space, `ü` (1 unit), the emoji (2 units), space.
        assert_eq!(position(&lines, b), Position::new(0, 6));
        assert_eq!(offset(&lines, Position::new(0, 6)), b);
        // Inside the surrogate pair: the emoji's start.
        let emoji = text.find('😀').unwrap();
        assert_eq!(offset(&lines, Position::new(0, 4)), emoji);
        assert_eq!(
            offset(&lines, Position::new(0, 99)),
            text.find('\n').unwrap()
        );
        assert_eq!(offset(&lines, Position::new(1, 0)), text.find('x').unwrap());
        assert_eq!(offset(&lines, Position::new(7, 0)), text.len());
    }
}
