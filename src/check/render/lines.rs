//! Byte offset → line and column, in O(log n) per lookup: renderers look up
//! every diagnostic of a file, and a file may hold tens of thousands.
//! Agrees with `syntax::span::line_col`: lines split at `\n`, columns count
//! characters, both 1-based.

pub(crate) struct LineIndex<'t> {
    text: &'t str,
    /// Byte offset of the start of each line.
    starts: Vec<usize>,
}

impl<'t> LineIndex<'t> {
    pub fn new(text: &'t str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        LineIndex { text, starts }
    }

    pub fn text(&self) -> &'t str {
        self.text
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

    /// 1-based line and column, as `line_col` gives them.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_of(offset);
        let column = self.text[self.starts[line]..offset].chars().count() + 1;
        (line + 1, column)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::span::line_col;

    #[test]
    fn agrees_with_line_col_everywhere() {
        for text in [
            "",
            "a",
            "\n",
            "ab\ncd\r\n\nü€x\n",
            "no newline at end",
            "\n\n\nx",
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
    fn lines_and_starts() {
        let index = LineIndex::new("ab\ncd\n");
        assert_eq!(
            (index.line_of(0), index.line_of(3), index.line_of(6)),
            (0, 1, 2)
        );
        assert_eq!((index.line_start(1), index.line_start(9)), (3, 6));
    }
}
