//! A child's output: split into lines as it arrives, with bounded memory
//! whatever the command prints (no newline for a gigabyte included), and the
//! last lines kept for the failure message.

use crate::run::event::Stream;
use std::collections::VecDeque;
use tokio::io::{AsyncRead, AsyncReadExt};
use tokio::process::{ChildStderr, ChildStdout};

/// A line longer than this is cut into pieces of this size.
pub const MAX_LINE_BYTES: usize = 4096;
/// Lines kept for the failure tail.
pub const TAIL_LINES: usize = 20;

/// Reads lines from one pipe.
pub struct LineReader<R> {
    pipe: Option<R>,
    buf: Box<[u8]>,
    /// Bytes read but not yet returned: `buf[start..end]`.
    start: usize,
    end: usize,
}

impl<R: AsyncRead + Unpin> LineReader<R> {
    pub fn new(pipe: Option<R>) -> Self {
        LineReader {
            pipe,
            buf: vec![0; MAX_LINE_BYTES * 2].into_boxed_slice(),
            start: 0,
            end: 0,
        }
    }

    /// The stream ended and every line was returned.
    pub fn is_done(&self) -> bool {
        self.pipe.is_none() && self.start == self.end
    }

    /// The next line (without its `\n` / `\r\n`), or `None` at end of
    /// stream. A read error ends the stream. Cancel-safe: bytes already read
    /// stay in the buffer.
    pub async fn next_line(&mut self) -> Option<String> {
        loop {
            if let Some(line) = self.take_line(false) {
                return Some(line);
            }
            let Some(pipe) = self.pipe.as_mut() else {
                return self.take_line(true);
            };
            if self.start > 0 {
                self.buf.copy_within(self.start..self.end, 0);
                self.end -= self.start;
                self.start = 0;
            }
            let end = self.end;
            match pipe.read(&mut self.buf[end..]).await {
                Ok(0) | Err(_) => self.pipe = None,
                Ok(n) => self.end += n,
            }
        }
    }

    /// A complete line, a piece of `MAX_LINE_BYTES` of a longer one, or at
    /// end of stream whatever is left.
    fn take_line(&mut self, at_eof: bool) -> Option<String> {
        let pending = &self.buf[self.start..self.end];
        if pending.is_empty() {
            return None;
        }
        let (len, skip) = match memchr(pending) {
            Some(i) if i <= MAX_LINE_BYTES => (i, 1),
            _ if pending.len() >= MAX_LINE_BYTES => (char_boundary(pending, MAX_LINE_BYTES), 0),
            _ if at_eof => (pending.len(), 0),
            _ => return None,
        };
        let mut line = &pending[..len];
        if skip == 1 && line.last() == Some(&b'\r') {
            line = &line[..line.len() - 1];
        }
        let text = String::from_utf8_lossy(line).into_owned();
        self.start += len + skip;
        Some(text)
    }
}

/// `at`, or up to 3 bytes before it so that a UTF-8 character is not cut
/// in two (bytes that are not UTF-8 are cut where they are).
fn char_boundary(bytes: &[u8], at: usize) -> usize {
    let continuation = |b: u8| b & 0b1100_0000 == 0b1000_0000;
    (at.saturating_sub(3)..=at)
        .rev()
        .find(|&i| i == bytes.len() || !continuation(bytes[i]))
        .filter(|&i| i > 0)
        .unwrap_or(at)
}

fn memchr(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == b'\n')
}

/// Both output streams of a child, line by line as they come.
pub struct ChildOutput {
    stdout: LineReader<ChildStdout>,
    stderr: LineReader<ChildStderr>,
}

impl ChildOutput {
    pub fn new(stdout: Option<ChildStdout>, stderr: Option<ChildStderr>) -> Self {
        ChildOutput {
            stdout: LineReader::new(stdout),
            stderr: LineReader::new(stderr),
        }
    }

    /// Both streams reached their end.
    pub fn is_done(&self) -> bool {
        self.stdout.is_done() && self.stderr.is_done()
    }

    /// The next line of either stream; `None` once both ended. Cancel-safe.
    pub async fn next(&mut self) -> Option<(Stream, String)> {
        // Lines already buffered come without touching the pipe, so charge
        // each to the task's budget: a flood of output then yields to the
        // timers and signals every few lines instead of every megabyte.
        tokio::task::consume_budget().await;
        loop {
            let (stream, line) = tokio::select! {
                line = self.stdout.next_line(), if !self.stdout.is_done() => (Stream::Stdout, line),
                line = self.stderr.next_line(), if !self.stderr.is_done() => (Stream::Stderr, line),
                else => return None,
            };
            if let Some(line) = line {
                return Some((stream, line));
            }
        }
    }
}

/// The last [`TAIL_LINES`] lines of a command's output, both streams interleaved.
#[derive(Debug, Default, Clone)]
pub struct Tail {
    lines: VecDeque<String>,
}

impl Tail {
    pub fn push(&mut self, line: &str) {
        if self.lines.len() == TAIL_LINES {
            self.lines.pop_front();
        }
        self.lines.push_back(line.to_string());
    }

    pub fn lines(&self) -> Vec<String> {
        self.lines.iter().cloned().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn lines_of(input: &[u8]) -> Vec<String> {
        let mut reader = LineReader::new(Some(input));
        let mut out = Vec::new();
        while let Some(line) = reader.next_line().await {
            out.push(line);
        }
        out
    }

    #[tokio::test]
    async fn splits_lines_and_keeps_the_last_partial_one() {
        assert_eq!(lines_of(b"a\r\nb\n\nc").await, ["a", "b", "", "c"]);
        assert!(lines_of(b"").await.is_empty());
    }

    #[tokio::test]
    async fn cuts_long_lines_into_bounded_pieces() {
        let long = vec![b'x'; MAX_LINE_BYTES * 3 + 10];
        let lines = lines_of(&long).await;
        assert_eq!(lines.len(), 4);
        assert!(lines.iter().all(|l| l.len() <= MAX_LINE_BYTES));
        assert_eq!(lines.iter().map(String::len).sum::<usize>(), long.len());
    }

    #[tokio::test]
    async fn long_lines_are_never_cut_inside_a_character() {
        // 4095 ASCII bytes then "é" (2 bytes) straddling the limit.
        let mut long = vec![b'x'; MAX_LINE_BYTES - 1];
        long.extend_from_slice("é€😀".repeat(2000).as_bytes());
        let lines = lines_of(&long).await;
        assert!(
            lines.iter().all(|l| !l.contains('\u{fffd}')),
            "a character was cut"
        );
        assert!(lines.iter().all(|l| l.len() <= MAX_LINE_BYTES));
        assert_eq!(lines.concat().as_bytes(), &long[..]);
        assert_eq!(lines[0].len(), MAX_LINE_BYTES - 1);
    }

    #[test]
    fn tail_keeps_only_the_last_lines() {
        let mut tail = Tail::default();
        for i in 0..100 {
            tail.push(&i.to_string());
        }
        let lines = tail.lines();
        assert_eq!(lines.len(), TAIL_LINES);
        assert_eq!(lines.last().unwrap(), "99");
        assert_eq!(lines[0], (100 - TAIL_LINES).to_string());
    }
}
