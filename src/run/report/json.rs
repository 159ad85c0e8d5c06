//! `--format json` and `--events FILE`: every event as one JSON object per
//! line, with `t_ms` (milliseconds since zinit started the run, to the
//! microsecond) and `ts` (RFC 3339 UTC wall time). Schema: the book's
//! "Run events" page.

use super::sink::Sink;
use crate::run::event::{Event, Reporter};
use crate::run::fmt::timestamp;
use serde::Serialize;
use std::time::Instant;

pub struct JsonReporter {
    started: Instant,
    sink: Sink,
}

impl JsonReporter {
    pub fn new(sink: Sink) -> Self {
        JsonReporter {
            started: Instant::now(),
            sink,
        }
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
        // One queued line per event: lines never interleave. Only command
        // output may be dropped when the reader falls behind.
        if let Ok(text) = serde_json::to_string(&line) {
            match event {
                Event::Output { .. } => self.sink.line(text),
                _ => self.sink.line_kept(text),
            }
        }
    }

    fn finish(&self) {
        self.sink.close();
    }
}
