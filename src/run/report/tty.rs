//! On a terminal: one live line per running step (spinner, elapsed /
//! timeout, attempt n of m), cut to the terminal's width; finished steps
//! and output printed above them, and a summary at the end. Colors unless
//! `NO_COLOR`. The live region is drawn by the [`Sink`]'s writer thread.

use super::sink::{Sink, Target};
use super::text::{Line, Tone, describe};
use super::width::terminal_safe;
use crate::run::event::{Event, Reporter, StepOutcome};
use crate::run::fmt::{duration, elapsed};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Live lines at most; more running steps are counted on one extra line.
const MAX_LIVE: usize = 12;
const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

pub struct TtyReporter {
    state: Mutex<Tty>,
}

struct Tty {
    sink: Sink,
    colors: bool,
    quiet: bool,
    /// Running steps, in start order.
    running: Vec<Running>,
    /// False once the hand-over command has the terminal.
    live: bool,
    started: Instant,
    counts: Counts,
}

struct Running {
    id: String,
    what: String,
    started: Instant,
    timeout: Option<Duration>,
    attempt: u32,
    attempts: u32,
    /// Waiting before the next attempt: since when, how long.
    retry: Option<(Instant, Duration)>,
}

#[derive(Default)]
struct Counts {
    ok: usize,
    warned: usize,
    failed: usize,
}

impl TtyReporter {
    pub fn new(colors: bool, quiet: bool) -> Self {
        TtyReporter {
            state: Mutex::new(Tty {
                sink: Sink::start(Target::Terminal),
                colors,
                quiet,
                running: Vec::new(),
                live: true,
                started: Instant::now(),
                counts: Counts::default(),
            }),
        }
    }
}

impl Reporter for TtyReporter {
    fn event(&self, event: &Event) {
        let mut tty = self.state.lock().expect("tty lock");
        tty.event(event);
    }

    fn tick(&self) {
        self.state.lock().expect("tty lock").refresh();
    }

    fn wants_ticks(&self) -> bool {
        true
    }

    /// Clears the live region and waits (bounded) until it is gone from
    /// the screen, so the hand-over command starts on a clean terminal.
    fn pause(&self) {
        let mut tty = self.state.lock().expect("tty lock");
        tty.running.clear();
        tty.refresh();
        tty.live = false;
        tty.sink.drain();
    }

    fn finish(&self) {
        let mut tty = self.state.lock().expect("tty lock");
        tty.running.clear();
        tty.refresh();
        tty.sink.close();
    }
}

impl Tty {
    fn event(&mut self, event: &Event) {
        match event {
            Event::StepStarted {
                step,
                action,
                detail,
                attempts,
                timeout_ms,
                ..
            } => self.running.push(Running {
                id: step.clone(),
                what: terminal_safe(&format!("{} {detail}", action.replace('_', " "))),
                started: Instant::now(),
                timeout: timeout_ms.map(Duration::from_millis),
                attempt: 1,
                attempts: *attempts,
                retry: None,
            }),
            Event::AttemptStarted { step, attempt, .. } => {
                if let Some(r) = self.running.iter_mut().find(|r| &r.id == step) {
                    r.attempt = *attempt;
                    r.retry = None;
                    r.started = Instant::now();
                }
            }
            Event::RetryScheduled { step, delay_ms, .. } => {
                if let Some(r) = self.running.iter_mut().find(|r| &r.id == step) {
                    r.retry = Some((Instant::now(), Duration::from_millis(*delay_ms)));
                }
            }
            Event::StepEnded { step, outcome, .. } => {
                self.running.retain(|r| &r.id != step);
                match outcome {
                    StepOutcome::Ok => self.counts.ok += 1,
                    StepOutcome::Warned | StepOutcome::Continued => self.counts.warned += 1,
                    StepOutcome::Failed => self.counts.failed += 1,
                    StepOutcome::Cancelled | StepOutcome::Lost => {}
                }
            }
            Event::Output { step, line, .. } => {
                if !self.quiet {
                    let prefix = self.paint(Tone::Info, &format!("{step} │"));
                    self.print(&format!("{prefix} {}", terminal_safe(line)));
                }
                return;
            }
            Event::RunEnded { .. } => {
                self.running.clear();
                self.refresh();
            }
            _ => {}
        }
        if let Some(line) = describe(event) {
            let shown = !self.quiet || line.tone.is_notable();
            if shown && (!line.live || !self.live) {
                let text = self.render(&line, event);
                self.print(&text);
            }
        }
        self.refresh();
    }

    fn render(&self, line: &Line, event: &Event) -> String {
        let symbol = match line.tone {
            Tone::Good => "✓",
            Tone::Warn => "!",
            Tone::Bad => "✗",
            Tone::Info => "·",
        };
        let mut text = format!(
            "{} {}",
            self.paint(line.tone, symbol),
            terminal_safe(&line.text)
        );
        if let Event::RunEnded { .. } = event {
            let c = &self.counts;
            text.push_str(&format!(
                " — steps: {} ok, {} failed, {} went on after failing",
                c.ok, c.failed, c.warned
            ));
        }
        for out in &line.tail {
            let out = terminal_safe(out);
            text.push_str(&format!("\n    {} {out}", self.paint(Tone::Info, "│")));
        }
        text
    }

    fn print(&self, text: &str) {
        self.sink.line(text.to_string());
    }

    fn paint(&self, tone: Tone, text: &str) -> String {
        if !self.colors {
            return text.to_string();
        }
        let code = match tone {
            Tone::Good => "32",
            Tone::Warn => "33",
            Tone::Bad => "31",
            Tone::Info => "2",
        };
        format!("\x1b[{code}m{text}\x1b[0m")
    }

    /// One live line per running step (up to [`MAX_LIVE`], plus a line
    /// counting the rest); none in `--quiet` or once the command runs.
    fn refresh(&mut self) {
        if self.quiet || !self.live {
            return;
        }
        let frame = SPINNER[(self.started.elapsed().as_millis() / 100) as usize % SPINNER.len()];
        let mut lines: Vec<String> = self
            .running
            .iter()
            .take(MAX_LIVE)
            .map(|step| self.status(step, frame))
            .collect();
        if self.running.len() > MAX_LIVE {
            lines.push(format!(
                "  … and {} more running",
                self.running.len() - MAX_LIVE
            ));
        }
        self.sink.live(lines);
    }

    fn status(&self, step: &Running, frame: &str) -> String {
        let spinner = self.paint(Tone::Good, frame);
        let mut text = format!(
            "{spinner} {}  {}  ",
            step.id,
            self.paint(Tone::Info, &step.what)
        );
        match step.retry {
            Some((since, delay)) => text.push_str(&format!(
                "retry in {}",
                elapsed(delay.saturating_sub(since.elapsed()))
            )),
            None => {
                text.push_str(&elapsed(step.started.elapsed()));
                if let Some(t) = step.timeout {
                    text.push_str(&format!(" / {}", duration(t)));
                }
            }
        }
        if step.attempts > 1 {
            text.push_str(&format!("  attempt {} of {}", step.attempt, step.attempts));
        }
        text
    }
}
