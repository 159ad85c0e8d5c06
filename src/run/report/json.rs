//! `--format json`: every event as one JSON object per line on standard
//! output, with `t_ms` (milliseconds since zinit started the run, to the
//! microsecond) and `ts` (RFC 3339 UTC wall time). Schema: the book's
//! "Run events" page.

use crate::run::event::{Event, Reporter};
use crate::run::fmt::timestamp;
use serde::Serialize;
use std::io::Write;
use std::time::Instant;

pub struct JsonReporter {
    started: Instant,
}

impl JsonReporter {
    pub fn new() -> Self {
        JsonReporter {
            started: Instant::now(),
        }
    }
}

impl Default for JsonReporter {
    fn default() -> Self {
        Self::new()
    }
}

#[derive(Serialize)]
struct Line<'a> {
    #[serde(flatten)]
    event: &'a Event,
    t_ms: f64,
    ts: String,
}

impl Reporter for JsonReporter {
    fn event(&self, event: &Event) {
        let micros = self.started.elapsed().as_micros() as f64;
        let line = Line {
            event,
            t_ms: micros / 1000.0,
            ts: timestamp(),
        };
        let Ok(mut text) = serde_json::to_string(&line) else {
            return;
        };
        text.push('\n');
        // One write per event: lines never interleave; a closed pipe is ignored.
        let _ = std::io::stdout().lock().write_all(text.as_bytes());
    }
}
