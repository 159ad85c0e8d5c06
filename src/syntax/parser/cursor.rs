//! The parser state and its low-level moves: blanks, comments, line
//! continuations, and the token at the cursor. Every position is a byte
//! offset into the original text and always sits on a char boundary, because
//! every stop character is ASCII.

use crate::syntax::{Span, SyntaxError};

/// The error was recorded in `Parser::errors`; the caller recovers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Failed;

pub(crate) type PResult<T> = Result<T, Failed>;

pub(crate) struct Parser<'s> {
    pub src: &'s str,
    pub pos: usize,
    pub errors: Vec<SyntaxError>,
    /// Set when the current statement recorded an error it could parse past;
    /// such a statement is still left out of the tree.
    pub statement_failed: bool,
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
            statement_failed: false,
        }
    }

    pub fn rest(&self) -> &'s str {
        &self.src[self.pos..]
    }

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
    pub fn blank_end(&self) -> usize {
        let mut at = self.pos;
        loop {
            match self.src.as_bytes().get(at) {
                Some(b' ' | b'\t' | b'\r') => at += 1,
                Some(b'\\') => match continuation_len(&self.src[at..]) {
                    Some(len) => at += len,
                    None => return at,
                },
                // A `#` where a token could start opens a comment; inside a
                // word it is literal (the word scanner consumes it).
                Some(b'#') => at += line_len(&self.src[at..]),
                _ => return at,
            }
        }
    }

    pub fn skip_blank(&mut self) {
        self.pos = self.blank_end();
    }

    /// Like `skip_blank`, but newlines and `;` are skipped too.
    pub fn skip_separators(&mut self) {
        loop {
            self.skip_blank();
            match self.byte() {
                Some(b'\n' | b';') => self.pos += 1,
                _ => return,
            }
        }
    }

    /// Like `skip_blank`, but newlines are skipped too (inside `[...]`).
    pub fn skip_blank_lines(&mut self) {
        loop {
            self.skip_blank();
            match self.byte() {
                Some(b'\n') => self.pos += 1,
                _ => return,
            }
        }
    }

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
    pub fn at_statement_end(&self) -> bool {
        matches!(self.peek(), Token::End | Token::Close)
    }

    /// The bare word at the cursor, without consuming it.
    pub fn peek_word(&self) -> Option<(Span, &'s str)> {
        if self.peek() != Token::Word {
            return None;
        }
        let start = self.blank_end();
        let end = word_end(self.src, start);
        Some((Span::new(start, end), &self.src[start..end]))
    }

    /// Consume the bare word `keyword` if it is next.
    pub fn accept_keyword(&mut self, keyword: &str) -> Option<Span> {
        match self.peek_word() {
            Some((span, word)) if word == keyword => {
                self.pos = span.end;
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
            Token::Word => word_end(self.src, start),
        };
        Span::new(start, end)
    }

    /// "`word`", "end of line", ... for "found ..." in messages.
    pub fn describe_found(&self) -> String {
        let span = self.token_span();
        match self.src.as_bytes().get(span.start) {
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

/// Keep quoted user text short in messages; cut at a char boundary.
pub(crate) fn shorten(text: &str) -> String {
    const MAX: usize = 40;
    match text.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
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
    while let Some(&b) = bytes.get(i) {
        match b {
            b' ' | b'\t' | b'\r' | b'\n' | b';' | b'{' | b'}' | b'"' | b'\'' => break,
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
            b'\\' if continuation_len(&src[i..]).is_some() => break,
            _ => i += 1,
        }
    }
    i
}

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
