//! Byte offsets ↔ lines and columns, for every renderer and the language
//! server, so all of them agree on where a span is.
//!
//! Lines split at `\n`. Columns come in two units: characters (Unicode
//! scalar values; what `check` prints and SARIF's `unicodeCodePoints`
//! means) and UTF-16 code units (what LSP positions count). Every lookup is
//! O(log n + 1 KiB) whatever the line length: the number of characters and
//! UTF-16 units before every 1 KiB checkpoint is kept, so a 1 MB line with
//! thousands of diagnostics is not quadratic.

/// Bytes between checkpoints.
const STRIDE: usize = 1024;

/// A line and column, both 0-based; the column's unit depends on the call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

#[derive(Debug, Clone)]
pub struct LineIndex<'t> {
    text: &'t str,
    /// Byte offset of the start of each line.
    starts: Vec<usize>,
    /// For checkpoint `i` (at byte `i * STRIDE`, moved back to a character
    /// boundary): its byte offset, and the characters and UTF-16 units
    /// before it.
    checkpoints: Vec<(usize, usize, usize)>,
}

impl<'t> LineIndex<'t> {
    pub fn new(text: &'t str) -> Self {
        let starts = std::iter::once(0)
            .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1))
            .collect();
        let mut checkpoints = Vec::with_capacity(text.len() / STRIDE + 1);
        let (mut at, mut chars, mut utf16) = (0, 0, 0);
        for i in 0..=text.len() / STRIDE {
            let mut next = (i * STRIDE).min(text.len());
            while !text.is_char_boundary(next) {
                next -= 1;
            }
            let (c, u) = counts(&text[at..next]);
            (at, chars, utf16) = (next, chars + c, utf16 + u);
            checkpoints.push((at, chars, utf16));
        }
        LineIndex {
            text,
            starts,
            checkpoints,
        }
    }

    pub fn text(&self) -> &'t str {
        self.text
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// 0-based line holding `offset` (clamped to the text).
    pub fn line_of(&self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        self.starts.partition_point(|&start| start <= offset) - 1
    }

    /// Byte offset where 0-based `line` starts (the text's end past the last).
    pub fn line_start(&self, line: usize) -> usize {
        self.starts.get(line).copied().unwrap_or(self.text.len())
    }

    /// Byte offset where 0-based `line`'s text ends, before its `\n` (and a
    /// `\r` before that).
    pub fn line_end(&self, line: usize) -> usize {
        let end = match self.starts.get(line + 1) {
            Some(next) => next - 1,
            None => self.text.len(),
        };
        let start = self.line_start(line).min(end);
        if self.text[start..end].ends_with('\r') {
            end - 1
        } else {
            end
        }
    }

    /// `offset`, clamped into the text and moved back to a character boundary.
    pub fn floor(&self, offset: usize) -> usize {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
    }

    /// 0-based line and character column of `offset`.
    pub fn char_position(&self, offset: usize) -> Position {
        let offset = self.floor(offset);
        let line = self.line_of(offset);
        let column = self.before(offset).0 - self.before(self.starts[line]).0;
        Position { line, column }
    }

    /// 0-based line and UTF-16 column of `offset`, as LSP counts.
    pub fn utf16_position(&self, offset: usize) -> Position {
        let offset = self.floor(offset);
        let line = self.line_of(offset);
        let column = self.before(offset).1 - self.before(self.starts[line]).1;
        Position { line, column }
    }

    /// 1-based line and character column, as the renderers print them.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let p = self.char_position(offset);
        (p.line + 1, p.column + 1)
    }

    /// The byte offset of a character position; a column past the line's
    /// end gives the line's end, a line past the text the text's end.
    pub fn offset_of_char_position(&self, position: Position) -> usize {
        self.offset_in_line(position, |c| (1, c.len_utf8()))
    }

    /// The byte offset of a UTF-16 position (LSP); a column inside a
    /// surrogate pair gives the character's start.
    pub fn offset_of_utf16_position(&self, position: Position) -> usize {
        self.offset_in_line(position, |c| (c.len_utf16(), c.len_utf8()))
    }

    fn offset_in_line(&self, position: Position, width: impl Fn(char) -> (usize, usize)) -> usize {
        if position.line >= self.starts.len() {
            return self.text.len();
        }
        let start = self.starts[position.line];
        let end = self.line_end(position.line);
        let mut offset = start;
        let mut column = 0;
        for c in self.text[start..end].chars() {
            let (units, bytes) = width(c);
            if column + units > position.column {
                break;
            }
            column += units;
            offset += bytes;
        }
        offset
    }

    /// Characters and UTF-16 units before `offset` (a character boundary).
    fn before(&self, offset: usize) -> (usize, usize) {
        // Checkpoint `i` is at or before byte `i * STRIDE`, so at or before `offset`.
        let (at, chars, utf16) = self.checkpoints[offset / STRIDE];
        let (c, u) = counts(&self.text[at..offset]);
        (chars + c, utf16 + u)
    }
}

fn counts(text: &str) -> (usize, usize) {
    if text.is_ascii() {
        return (text.len(), text.len());
    }
    text.chars()
        .fold((0, 0), |(c, u), ch| (c + 1, u + ch.len_utf16()))
}

/// 1-based line and column (in characters) of a byte offset. For many
/// lookups in one text, build a [`LineIndex`] once.
pub fn line_col(source: &str, offset: usize) -> (usize, usize) {
    LineIndex::new(source).line_col(offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The obvious O(n) answer, to compare against.
    fn line_col(text: &str, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &text[..offset];
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        (
            before.matches('\n').count() + 1,
            before[line_start..].chars().count() + 1,
        )
    }

    #[test]
    fn agrees_with_line_col_everywhere() {
        let long = format!("{}ü{}\n€x", "a".repeat(STRIDE - 1), "b".repeat(3 * STRIDE));
        for text in [
            "",
            "a",
            "\n",
            "ab\ncd\r\n\nü€x\n",
            "no newline at end",
            "\n\n\nx",
            long.as_str(),
        ] {
            let index = LineIndex::new(text);
            for offset in 0..=text.len() + 2 {
                assert_eq!(
                    index.line_col(offset),
                    line_col(text, offset),
                    "{text:?} @ {offset}"
                );
            }
        }
    }

    #[test]
    fn utf16_and_char_columns_round_trip() {
        // `ü` is one unit, `😀` two UTF-16 units and one character.
        let text = "run 'ü😀x'\r\nsleep 1s";
        let index = LineIndex::new(text);
        let x = text.find('x').unwrap();
        assert_eq!(index.char_position(x), Position { line: 0, column: 7 });
        assert_eq!(index.utf16_position(x), Position { line: 0, column: 8 });
        for offset in (0..=text.len()).filter(|&o| text.is_char_boundary(o)) {
            let expected = offset.min(index.line_end(index.line_of(offset)));
            let back_c = index.offset_of_char_position(index.char_position(offset));
            let back_u = index.offset_of_utf16_position(index.utf16_position(offset));
            assert_eq!((back_c, back_u), (expected, expected), "@ {offset}");
        }
        // Inside the surrogate pair: the emoji's start.
        let emoji = text.find('😀').unwrap();
        assert_eq!(
            index.offset_of_utf16_position(Position { line: 0, column: 7 }),
            emoji
        );
        assert_eq!(
            index.offset_of_char_position(Position { line: 9, column: 0 }),
            text.len()
        );
        assert_eq!(index.line_end(0), text.find('\r').unwrap());
    }

    #[test]
    fn lines_and_starts() {
        let index = LineIndex::new("ab\ncd\n");
        assert_eq!(
            (index.line_of(0), index.line_of(3), index.line_of(6)),
            (0, 1, 2)
        );
        assert_eq!((index.line_start(1), index.line_start(9)), (3, 6));
        assert_eq!(index.line_count(), 3);
    }
}
