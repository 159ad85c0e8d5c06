//! Not on a terminal (CI logs, `docker logs`): one timestamped line per
//! event worth telling, no escape codes (a child's are shown as `^[`), on
//! standard error. Output of commands and services is prefixed with the step id.

use super::sink::{Sink, Target};
use super::text::{Tone, describe};
use super::width::visible_controls;
use crate::run::event::{Event, Reporter};
use crate::run::fmt::timestamp;

pub struct PlainReporter {
    sink: Sink,
    quiet: bool,
}

impl PlainReporter {
    pub fn new(quiet: bool) -> Self {
        PlainReporter {
            sink: Sink::start(Target::Stderr),
            quiet,
        }
    }
}

impl Reporter for PlainReporter {
    fn event(&self, event: &Event) {
        if let Event::Output { step, line, .. } = event {
            if !self.quiet {
                let line = visible_controls(line);
                self.sink.line(format!("{} {step} | {line}", timestamp()));
            }
            return;
        }
        let Some(line) = describe(event) else {
            return;
        };
        if self.quiet && !line.tone.is_notable() {
            return;
        }
        let level = match line.tone {
            Tone::Info | Tone::Good => "",
            Tone::Warn => "warning: ",
            Tone::Bad => "error: ",
        };
        // One event, one line: a newline in a command's text shows as `^J`.
        let mut text = format!(
            "{} zinit: {level}{}",
            timestamp(),
            visible_controls(&line.text)
        );
        if !line.tail.is_empty() {
            text.push_str("\n  last output:");
            for out in &line.tail {
                text.push_str("\n  | ");
                text.push_str(&visible_controls(out));
            }
        }
        // zinit's own lines are kept; only command output may be dropped.
        self.sink.line_kept(text);
    }

    fn finish(&self) {
        self.sink.close();
    }
}
