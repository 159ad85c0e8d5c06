//! The parser state and its low-level moves: blanks, comments, line
//! continuations, and the token at the cursor. Every position is a byte
//! offset into the original text and always sits on a char boundary, because
//! every stop character is ASCII.

use crate::syntax::ast::{Clause, Text, TextPart};
use crate::syntax::{Span, SyntaxError, Trivia};
use std::cell::Cell;

/// The error was recorded in `Parser::errors`; the caller recovers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Failed;

pub(crate) type PResult<T> = Result<T, Failed>;

pub(crate) struct Parser<'s> {
    pub src: &'s str,
    pub pos: usize,
    pub errors: Vec<SyntaxError>,
    /// Comments and blank lines, recorded only when `collect_trivia` is set.
    pub trivia: Trivia,
    pub collect_trivia: bool,
    /// Set when the current statement recorded an error it could parse past;
    /// such a statement is still left out of the tree.
    pub statement_failed: bool,
    pub scratch: Scratch,
    /// The last answers of `blank_end` and `word_end`, as `(from, to)`: a
    /// token is looked at several times before it is consumed (the end? a
    /// word? which keyword?), and each look would scan it again.
    last_blank: Cell<(usize, usize)>,
    last_word: Cell<(usize, usize)>,
}

/// Buffers reused from node to node. A large script holds hundreds of
/// thousands of small lists (clauses, text parts); collecting each in a
/// reused buffer and moving it out with `exact` allocates it once at its
/// final size, where pushing into a new `Vec` reserves room for four.
#[derive(Default)]
pub(crate) struct Scratch {
    pub clauses: Vec<Clause>,
    pub parts: Vec<TextPart>,
    pub literal: String,
    pub args: Vec<Text>,
}

/// The items of a scratch buffer, moved into a `Vec` of exactly their
/// number (none allocated when empty); the buffer keeps its room.
// Not `mem::take`, which would hand over the buffer with its spare room.
#[allow(clippy::drain_collect)]
pub(crate) fn exact<T>(buffer: &mut Vec<T>) -> Vec<T> {
    buffer.drain(..).collect()
}

/// What starts at the cursor (after blanks).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Token {
    /// End of file, newline or `;`.
    End,
    Open,
    Close,
    Quoted,
    Word,
}

impl<'s> Parser<'s> {
    pub fn new(src: &'s str) -> Self {
        let pos = if src.starts_with('\u{feff}') { 3 } else { 0 };
        Parser {
            src,
            pos,
            errors: Vec::new(),
            trivia: Trivia::default(),
            collect_trivia: false,
            statement_failed: false,
            scratch: Scratch::default(),
            last_blank: Cell::new((usize::MAX, 0)),
            last_word: Cell::new((usize::MAX, 0)),
        }
    }

    #[inline]
    pub fn rest(&self) -> &'s str {
        &self.src[self.pos..]
    }

    #[inline]
    pub fn byte(&self) -> Option<u8> {
        self.src.as_bytes().get(self.pos).copied()
    }

    /// Record an error that leaves the token stream in sync: parsing goes on,
    /// but the statement is dropped.
    pub fn soft(&mut self, error: SyntaxError) {
        self.statement_failed = true;
        self.errors.push(error);
    }

    /// Record an error after which the statement cannot be followed.
    pub fn fail<T>(&mut self, error: SyntaxError) -> PResult<T> {
        self.errors.push(error);
        Err(Failed)
    }

    /// Where the next token starts: after spaces, tabs, `\r`, line
    /// continuations and comments (a newline or `;` is itself a token).
    /// Peeking never moves the cursor, so `pos` stays right after the last
    /// consumed token and node spans never take in trailing blanks.
    #[inline]
    pub fn blank_end(&self) -> usize {
        let (from, to) = self.last_blank.get();
        if from == self.pos {
            return to;
        }
        let to = blank_end(self.src, self.pos);
        self.last_blank.set((self.pos, to));
        to
    }

    /// `word_end(self.src, start)`, remembered for the next look.
    #[inline]
    pub fn word_end(&self, start: usize) -> usize {
        let (from, to) = self.last_word.get();
        if from == start {
            return to;
        }
        let to = word_end(self.src, start);
        self.last_word.set((start, to));
        to
    }

    #[inline]
    pub fn skip_blank(&mut self) {
        self.pos = self.blank_end();
    }

    /// Like `skip_blank`, but newlines and `;` are skipped too.
    pub fn skip_separators(&mut self) {
        let mut line_start = None;
        loop {
            let end = self.blank_end();
            if self.collect_trivia {
                self.note_blank(end, line_start == Some(self.pos));
            }
            self.pos = end;
            match self.byte() {
                Some(b'\n') => {
                    self.pos += 1;
                    line_start = Some(self.pos);
                }
                Some(b';') => self.pos += 1,
                _ => return,
            }
        }
    }

    /// Like `skip_blank`, but newlines are skipped too (inside `[...]`).
    pub fn skip_blank_lines(&mut self) {
        loop {
            let end = self.blank_end();
            if self.collect_trivia {
                self.note_blank(end, false);
            }
            self.pos = end;
            match self.byte() {
                Some(b'\n') => self.pos += 1,
                _ => return,
            }
        }
    }

    /// The blanks from the cursor to `end` are skipped: record the comment
    /// among them (it runs to `end`, the end of its line), or, when they
    /// fill a line from its start, that the line is empty.
    fn note_blank(&mut self, end: usize, at_line_start: bool) {
        let blanks = &self.src.as_bytes()[self.pos..end];
        // Blanks hold spaces, tabs, `\r` and `\`-newlines: a `#` opens the comment.
        if let Some(hash) = memchr::memchr(b'#', blanks) {
            self.note_comment(self.pos + hash, end);
        } else if at_line_start
            && self.src.as_bytes().get(end) == Some(&b'\n')
            && blanks.iter().all(|b| matches!(b, b' ' | b'\t' | b'\r'))
        {
            self.trivia.blank_lines.push(self.pos);
        }
    }

    /// A comment from `start` to the end of its line at `end`.
    pub fn note_comment(&mut self, start: usize, end: usize) {
        let text = self.src[start..end].trim_end_matches('\r');
        self.trivia
            .comments
            .push(Span::new(start, start + text.len()));
    }

    #[inline]
    pub fn peek(&self) -> Token {
        match self.src.as_bytes().get(self.blank_end()) {
            None | Some(b'\n' | b';') => Token::End,
            Some(b'{') => Token::Open,
            Some(b'}') => Token::Close,
            Some(b'"' | b'\'') => Token::Quoted,
            Some(_) => Token::Word,
        }
    }

    /// The statement ends here: end of file, newline, `;` or a `}`.
    #[inline]
    pub fn at_statement_end(&self) -> bool {
        matches!(self.peek(), Token::End | Token::Close)
    }

    /// The bare word at the cursor, without consuming it.
    #[inline]
    pub fn peek_word(&self) -> Option<(Span, &'s str)> {
        if self.peek() != Token::Word {
            return None;
        }
        let start = self.blank_end();
        let end = self.word_end(start);
        Some((Span::new(start, end), &self.src[start..end]))
    }

    /// Consume the bare word `keyword` if it is next.
    #[inline]
    pub fn accept_keyword(&mut self, keyword: &str) -> Option<Span> {
        match self.peek_word() {
            Some((span, word)) if word == keyword => {
                self.pos = span.end();
                Some(span)
            }
            _ => None,
        }
    }

    /// The span of the token at the cursor (for "found ..." errors).
    pub fn token_span(&self) -> Span {
        let start = self.blank_end();
        let end = match self.peek() {
            Token::End => start + usize::from(self.src.as_bytes().get(start) == Some(&b';')),
            Token::Open | Token::Close => start + 1,
            Token::Quoted => quoted_end(self.src, start),
            Token::Word => self.word_end(start),
        };
        Span::new(start, end)
    }

    /// "`word`", "end of line", ... for "found ..." in messages.
    pub fn describe_found(&self) -> String {
        let span = self.token_span();
        match self.src.as_bytes().get(span.start()) {
            None => "end of file".into(),
            Some(b'\n') => "end of line".into(),
            Some(b';') => "`;`".into(),
            _ => format!("`{}`", shorten(span.slice(self.src))),
        }
    }

    /// "expected X, found Y" at the token under the cursor.
    pub fn expected(&self, code: &'static str, what: &str) -> SyntaxError {
        let found = self.describe_found();
        let span = self.token_span();
        SyntaxError::new(code, span, format!("expected {what}, found {found}"))
            .with_label(format!("expected {what}"))
    }
}

/// `word` as one of `keywords`, if it is one. Looked up for nearly every
/// token, so the first byte is compared before the rest.
#[inline]
pub(crate) fn find_keyword<'k>(word: &str, keywords: &[&'k str]) -> Option<&'k str> {
    let first = word.as_bytes().first();
    keywords
        .iter()
        .find(|k| k.as_bytes().first() == first && **k == word)
        .copied()
}

/// Keep quoted user text short in messages; cut at a char boundary.
pub(crate) fn shorten(text: &str) -> String {
    const MAX: usize = 40;
    match text.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

/// Where the next token starts from `at`: after spaces, tabs, `\r`, line
/// continuations and comments.
pub(crate) fn blank_end(src: &str, mut at: usize) -> usize {
    loop {
        match src.as_bytes().get(at) {
            Some(b' ' | b'\t' | b'\r') => at += 1,
            Some(b'\\') => match continuation_len(&src[at..]) {
                Some(len) => at += len,
                None => return at,
            },
            // A `#` where a token could start opens a comment; inside a
            // word it is literal (the word scanner consumes it).
            Some(b'#') => at += line_len(&src[at..]),
            _ => return at,
        }
    }
}

/// Bytes up to (not including) the next newline.
pub(crate) fn line_len(rest: &str) -> usize {
    rest.find('\n').unwrap_or(rest.len())
}

/// `rest` starts with `\`: the length of a line continuation (`\`, blanks,
/// newline), or `None` if the `\` is not the last non-blank char of its line.
pub(crate) fn continuation_len(rest: &str) -> Option<usize> {
    let after = rest.strip_prefix('\\')?;
    let blanks = after.len() - after.trim_start_matches([' ', '\t', '\r']).len();
    match after.as_bytes().get(blanks) {
        Some(b'\n') => Some(1 + blanks + 1),
        None => Some(1 + blanks),
        Some(_) => None,
    }
}

/// End of the bare word starting at `start`. A word stops at whitespace, `;`,
/// `{`, `}`, a quote or a line continuation; a closed `${...}` inside it is
/// taken whole, so `${A:-a b}` and `${X}` in a block do not split it.
pub(crate) fn word_end(src: &str, start: usize) -> usize {
    let bytes = src.as_bytes();
    let mut i = start;
    // Once a `${` finds no `}` before the end of the line, no later one on
    // that line can: stop looking, so a line of `${${${...` stays linear.
    let mut closes_possible = true;
    loop {
        while bytes.get(i).is_some_and(|&b| !WORD_SPECIAL[usize::from(b)]) {
            i += 1;
        }
        let Some(&b) = bytes.get(i) else { break };
        match b {
            b'$' if bytes.get(i + 1) == Some(&b'{') => {
                i += 2;
                let close = if closes_possible {
                    interpolation_close(&src[i..])
                } else {
                    None
                };
                match close {
                    Some(close) => i += close + 1,
                    None => closes_possible = false,
                }
            }
            b'$' => i += 1,
            b'\\' if continuation_len(&src[i..]).is_none() => i += 1,
            _ => break,
        }
    }
    i
}

/// The bytes `word_end` stops at: the ones that end a word, and `$` and `\`,
/// which may.
const WORD_SPECIAL: [bool; 256] = {
    let mut table = [false; 256];
    let special = b" \t\r\n;{}\"'$\\";
    let mut i = 0;
    while i < special.len() {
        table[special[i] as usize] = true;
        i += 1;
    }
    table
};

/// Offset of the `}` that closes a `${` whose body starts `rest`, if it is on
/// the same line.
pub(crate) fn interpolation_close(rest: &str) -> Option<usize> {
    let close = rest.find(['}', '\n'])?;
    (rest.as_bytes()[close] == b'}').then_some(close)
}

/// End of the quoted string starting at `start` (after its closing quote), or
/// the end of the line when it is not closed.
pub(crate) fn quoted_end(src: &str, start: usize) -> usize {
    match closing_quote(src, start) {
        Some(close) => close + 1,
        None => start + line_len(&src[start..]),
    }
}

/// Offset of the closing quote of the string opened at `start`, on the same line.
pub(crate) fn closing_quote(src: &str, start: usize) -> Option<usize> {
    let bytes = src.as_bytes();
    let quote = *bytes.get(start)?;
    let mut i = start + 1;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\n' => return None,
            b'\\' if quote == b'"' => {
                if bytes.get(i + 1) == Some(&b'\n') {
                    return None;
                }
                i += 2;
            }
            _ if b == quote => return Some(i),
            _ => i += 1,
        }
    }
    None
}
