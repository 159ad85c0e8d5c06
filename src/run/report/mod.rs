//! Reporters: live progress on a terminal ([`tty`]), timestamped lines
//! otherwise ([`plain`]), one JSON event per line ([`json`]). Human output
//! goes to standard error, so standard output stays the hand-over command's;
//! JSON events go to standard output, for `| jq`.

pub mod json;
pub mod plain;
pub mod text;
pub mod tty;

use super::event::Reporter;
use std::io::{IsTerminal, Write};
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Live lines on a terminal, plain lines otherwise.
    Auto,
    Plain,
    Json,
}

/// The reporter for `format`, looking at standard error and `NO_COLOR`/`TERM`.
pub fn reporter(format: Format) -> Arc<dyn Reporter> {
    match format {
        Format::Json => Arc::new(json::JsonReporter::new()),
        Format::Plain => Arc::new(plain::PlainReporter::new()),
        Format::Auto if live_terminal() => Arc::new(tty::TtyReporter::new(colors_wanted())),
        Format::Auto => Arc::new(plain::PlainReporter::new()),
    }
}

/// Standard error is a terminal that can redraw lines.
fn live_terminal() -> bool {
    std::io::stderr().is_terminal() && std::env::var("TERM").map_or(true, |t| t != "dumb")
}

/// `NO_COLOR` set to anything non-empty turns colors off (https://no-color.org).
fn colors_wanted() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Writes one line to standard error; a closed stream is not zinit's problem.
pub fn stderr_line(line: &str) {
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "{line}");
}

/// Writes text (already line-terminated) to standard error.
pub fn stderr_text(text: &str) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(text.as_bytes());
}
