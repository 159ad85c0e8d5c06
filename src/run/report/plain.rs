//! Not on a terminal (CI logs, `docker logs`): one timestamped line per
//! event worth telling, no escape codes, on standard error. Output of
//! commands and services is prefixed with the step id.

use super::stderr_line;
use super::text::{Tone, describe};
use crate::run::event::{Event, Reporter};
use crate::run::fmt::timestamp;

#[derive(Default)]
pub struct PlainReporter;

impl PlainReporter {
    pub fn new() -> Self {
        PlainReporter
    }
}

impl Reporter for PlainReporter {
    fn event(&self, event: &Event) {
        if let Event::Output { step, line, .. } = event {
            stderr_line(&format!("{} {step} | {line}", timestamp()));
            return;
        }
        let Some(line) = describe(event) else {
            return;
        };
        let level = match line.tone {
            Tone::Info | Tone::Good => "",
            Tone::Warn => "warning: ",
            Tone::Bad => "error: ",
        };
        let mut text = format!("{} zinit: {level}{}", timestamp(), line.text);
        if !line.tail.is_empty() {
            text.push_str("\n  last output:");
            for out in &line.tail {
                text.push_str("\n  | ");
                text.push_str(out);
            }
        }
        stderr_line(&text);
    }
}
