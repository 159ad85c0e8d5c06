//! The output and what it owes the source: the comments not yet written,
//! where the source has been read up to, and whether a line is open.

use super::INDENT;
use crate::syntax::{Span, Trivia};

pub(super) struct Writer<'s> {
    pub src: &'s str,
    pub out: String,
    comments: &'s [Span],
    blank_lines: &'s [usize],
    /// The source has been written up to here (a statement's or comment's end).
    pub read: usize,
    /// The last output line has text and no newline yet.
    line_open: bool,
    /// Something was written in the current block since it opened, so a
    /// blank line before the next thing is kept.
    block_has_items: bool,
}

impl<'s> Writer<'s> {
    pub fn new(src: &'s str, trivia: &'s Trivia) -> Self {
        Writer {
            src,
            out: String::with_capacity(src.len() + src.len() / 8),
            comments: &trivia.comments,
            blank_lines: &trivia.blank_lines,
            read: 0,
            line_open: false,
            block_has_items: false,
        }
    }

    pub fn push(&mut self, text: &str) {
        self.out.push_str(text);
        self.line_open = true;
    }

    /// Start a line at `indent` for what starts at `at` in the source: end
    /// the open line, then write the comments before `at` on their own
    /// lines, keeping one blank line where the source has one or more.
    pub fn start_line(&mut self, at: usize, indent: usize) {
        self.end_line(at);
        self.own_line_comments(at, indent);
        self.blank_line_before(at);
        self.indent(indent);
        self.block_has_items = true;
    }

    /// End the open line, with the comment that trails it in the source (the
    /// next comment, if it comes before `limit` on the line read last).
    pub fn end_line(&mut self, limit: usize) {
        if !self.line_open {
            return;
        }
        // A word ending in `\` at the end of a line would continue it.
        if self.out.ends_with('\\') {
            self.out.push(';');
        }
        if let Some(&comment) = self.comments.first()
            && comment.start() < limit
            && (comment.start() < self.read || !self.src[self.read..comment.start()].contains('\n'))
        {
            self.out.push(' ');
            self.out.push_str(comment.slice(self.src).trim_end());
            self.comments = &self.comments[1..];
            self.read = self.read.max(comment.end());
        }
        self.out.push('\n');
        self.line_open = false;
    }

    /// Every comment before `limit`, each on its own line at `indent`.
    pub fn own_line_comments(&mut self, limit: usize, indent: usize) {
        while let Some(&comment) = self.comments.first()
            && comment.start() < limit
        {
            self.end_line(comment.start());
            self.blank_line_before(comment.start());
            self.indent(indent);
            self.out.push_str(comment.slice(self.src).trim_end());
            self.out.push('\n');
            self.line_open = false;
            self.comments = &self.comments[1..];
            self.read = self.read.max(comment.end());
            self.block_has_items = true;
        }
    }

    /// A new block (a group body) opens: no blank line at its top.
    pub fn open_block(&mut self) -> bool {
        std::mem::replace(&mut self.block_has_items, false)
    }

    /// Close a block whose body is indented one level deeper than
    /// `indent`: the comments left before `close` (its closing bracket in
    /// the source) go in the body, then `closer` on a line of its own.
    pub fn close_block(
        &mut self,
        close: usize,
        indent: usize,
        outer_has_items: bool,
        closer: &str,
    ) {
        self.end_line(close);
        self.own_line_comments(close, indent + INDENT);
        self.block_has_items = outer_has_items;
        self.indent(indent);
        self.push(closer);
    }

    fn blank_line_before(&mut self, at: usize) {
        let first_after = self.blank_lines.partition_point(|&b| b < self.read);
        self.blank_lines = &self.blank_lines[first_after..];
        let blank = self.blank_lines.first().is_some_and(|&b| b < at);
        if blank && self.block_has_items && self.read < at {
            self.out.push('\n');
        }
    }

    /// Indent a new line (the caller has ended the last one).
    fn indent(&mut self, indent: usize) {
        self.out.extend(std::iter::repeat_n(' ', indent));
    }
}
