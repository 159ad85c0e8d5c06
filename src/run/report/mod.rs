//! Reporters: live progress on a terminal ([`tty`]), timestamped lines
//! otherwise ([`plain`]), one JSON event per line ([`json`]). Human output
//! goes to standard error, so standard output stays the hand-over command's;
//! JSON events go to standard output, for `| jq`, or to `--events FILE`.
//! Every reporter writes through a [`sink::Sink`], never from the engine's
//! thread, and every text passes [`crate::secret`]'s redaction first.

pub mod json;
pub mod plain;
pub mod sink;
pub mod text;
pub mod tty;
pub mod width;

use super::event::{Event, Reporter};
use sink::{Sink, Target};
use std::io::{IsTerminal, Write};
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Live lines on a terminal, plain lines otherwise.
    Auto,
    Plain,
    Json,
}

/// How a run reports.
#[derive(Debug, Default)]
pub struct Settings {
    pub format: Option<Format>,
    /// `--quiet`: human output shows only warnings and failures.
    pub quiet: bool,
    /// `--events FILE`: the JSON events, whatever the format.
    pub events: Option<std::fs::File>,
}

/// The reporter for `format`, looking at standard error and `NO_COLOR`/`TERM`.
pub fn reporter(format: Format) -> Arc<dyn Reporter> {
    reporter_with(Settings {
        format: Some(format),
        ..Settings::default()
    })
}

pub fn reporter_with(settings: Settings) -> Arc<dyn Reporter> {
    let quiet = settings.quiet;
    let main: Arc<dyn Reporter> = match settings.format.unwrap_or(Format::Auto) {
        Format::Json => Arc::new(json::JsonReporter::new(Sink::start_json(Target::Stdout))),
        Format::Plain => Arc::new(plain::PlainReporter::new(quiet)),
        Format::Auto if live_terminal() => Arc::new(tty::TtyReporter::new(colors_wanted(), quiet)),
        Format::Auto => Arc::new(plain::PlainReporter::new(quiet)),
    };
    let all = match settings.events {
        None => main,
        Some(file) => Arc::new(Tee(vec![
            main,
            Arc::new(json::JsonReporter::new(Sink::start_json(Target::File(
                file,
            )))),
        ])),
    };
    Arc::new(Redact(all))
}

/// Every output sees events with their secrets masked, whatever it prints.
struct Redact(Arc<dyn Reporter>);

impl Reporter for Redact {
    fn event(&self, event: &Event) {
        self.0.event(&event.redacted());
    }
    fn tick(&self) {
        self.0.tick();
    }
    fn wants_ticks(&self) -> bool {
        self.0.wants_ticks()
    }
    fn pause(&self) {
        self.0.pause();
    }
    fn finish(&self) {
        self.0.finish();
    }
}

/// Every event to each reporter, in order.
struct Tee(Vec<Arc<dyn Reporter>>);

impl Reporter for Tee {
    fn event(&self, event: &Event) {
        self.0.iter().for_each(|r| r.event(event));
    }
    fn tick(&self) {
        self.0.iter().for_each(|r| r.tick());
    }
    fn wants_ticks(&self) -> bool {
        self.0.iter().any(|r| r.wants_ticks())
    }
    fn pause(&self) {
        self.0.iter().for_each(|r| r.pause());
    }
    fn finish(&self) {
        self.0.iter().for_each(|r| r.finish());
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

/// Writes one line to standard error, synchronously: for messages before or
/// outside a run, where nothing waits on a timer.
pub fn stderr_line(line: &str) {
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "{line}");
}

/// Writes text (already line-terminated) to standard error.
pub fn stderr_text(text: &str) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(text.as_bytes());
}
