//! What the tree leaves out: comments and blank lines. The parser collects
//! them beside the tree only when asked (`parse_with_trivia`), for the
//! formatter; `parse` pays nothing for them.

use super::Span;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Trivia {
    /// Every comment, from its `#` to the end of its line (without a `\r`),
    /// in source order.
    pub comments: Vec<Span>,
    /// The start of every empty line (blanks only) between statements, in
    /// source order.
    pub blank_lines: Vec<usize>,
}

impl Trivia {
    pub(crate) fn extend(&mut self, other: Trivia) {
        self.comments.extend(other.comments);
        self.blank_lines.extend(other.blank_lines);
    }
}
