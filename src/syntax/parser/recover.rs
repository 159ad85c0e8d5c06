//! Error recovery: after an error, skip to where the next statement starts.

use super::cursor::{Parser, closing_quote, continuation_len, line_len};

impl Parser<'_> {
    /// Skip to the end of the current statement: a newline or `;` outside any
    /// `{...}`, or the `}` closing the enclosing block (left for the caller).
    /// Quotes and comments are respected, so a `;` in a string does not stop it.
    pub fn recover(&mut self) {
        let mut depth = 0usize;
        while let Some(b) = self.byte() {
            match b {
                b'\n' | b';' if depth == 0 => return,
                b'}' if depth == 0 => return,
                b'{' => {
                    depth += 1;
                    self.pos += 1;
                }
                b'}' => {
                    depth -= 1;
                    self.pos += 1;
                }
                b'"' | b'\'' => {
                    self.pos = match closing_quote(self.src, self.pos) {
                        Some(close) => close + 1,
                        None => self.pos + line_len(self.rest()),
                    }
                }
                b'#' if self.after_blank() => {
                    let end = self.pos + line_len(self.rest());
                    if self.collect_trivia {
                        self.note_comment(self.pos, end);
                    }
                    self.pos = end;
                }
                b'\\' => self.pos += continuation_len(self.rest()).unwrap_or(1),
                _ => self.pos += self.rest().chars().next().map_or(1, char::len_utf8),
            }
        }
    }

    /// Skip a whole `{...}` block starting at the cursor (at `{`), nested
    /// blocks included, without parsing it. Returns whether it was closed.
    pub fn skip_block(&mut self) -> bool {
        let mut depth = 0usize;
        while let Some(b) = self.byte() {
            match b {
                b'{' => depth += 1,
                b'}' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        self.pos += 1;
                        return true;
                    }
                }
                b'"' | b'\'' => {
                    if let Some(close) = closing_quote(self.src, self.pos) {
                        self.pos = close;
                    }
                }
                b'#' if self.after_blank() => {
                    self.pos += line_len(self.rest());
                    continue;
                }
                _ => {}
            }
            self.pos += self.rest().chars().next().map_or(1, char::len_utf8);
        }
        false
    }

    /// Whether the cursor is at the start of a line, after whitespace or
    /// after a token that ends by itself (`; { } ]`), where a `#` opens a
    /// comment — as `blank_end` reads it, so that a `\` ending such a
    /// comment continues nothing (`run ["a"]#c \` once swallowed the next
    /// line).
    fn after_blank(&self) -> bool {
        self.src[..self.pos]
            .bytes()
            .next_back()
            .is_none_or(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n' | b';' | b'{' | b'}' | b']'))
    }
}
