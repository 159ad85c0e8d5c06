//! Output off the critical path. Reporters hand finished text to a [`Sink`]:
//! a bounded queue drained by a writer thread of its own, so a reader that
//! stops reading (`| (sleep 8; cat)`, an unread pipe, a terminal on Ctrl-S)
//! blocks that thread only, never the engine, its timeouts or its signals.
//! When the queue is full, lines are dropped and counted, and the count is
//! printed where they were missing (`zinit: … 1234 lines dropped`).
//!
//! A terminal sink also keeps the *live region*: the lines under the log
//! that are redrawn in place (one per running step). A new live frame
//! replaces the one not yet drawn, so it never queues up and is never
//! dropped; the writer knows what it drew last, so the redraw is always right.

use crate::run::lock;
use std::collections::VecDeque;
use std::io::Write;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// Lines (or multi-line messages) waiting at most; more are dropped.
pub const QUEUE_LINES: usize = 1024;
/// Bytes handed to one `write(2)`, so progress is seen while a slow reader drains.
const CHUNK: usize = 16 * 1024;
/// [`Sink::drain`] gives up when the writer made no progress for this long.
pub const STALL: Duration = Duration::from_millis(250);
/// ... and after this much in any case.
pub const DRAIN_MAX: Duration = Duration::from_secs(3);
/// After each write the writer lets lines gather this long before the next,
/// so a burst (10,000 steps ending) costs a wake-up per millisecond, not one
/// per line: each wake-up was a futex call on the engine's thread and a
/// context switch on the writer's, a quarter of zinit's CPU in that burst.
const LINGER: Duration = Duration::from_millis(1);
/// ... unless this many lines are waiting, so a fast reader never sees drops.
const LINGER_LINES: usize = QUEUE_LINES / 4;

/// Where a sink writes.
pub enum Target {
    /// Standard error, a live terminal: lines plus a live region.
    Terminal,
    /// Standard error, line by line.
    Stderr,
    /// Standard output, line by line.
    Stdout,
    /// A file (`--events FILE`, `/dev/fd/N`).
    File(std::fs::File),
}

#[derive(Clone)]
pub struct Sink {
    shared: Arc<Shared>,
}

struct Shared {
    state: Mutex<State>,
    changed: Condvar,
}

#[derive(Default)]
struct State {
    queue: VecDeque<Entry>,
    /// Lines in `queue` (drop notices do not count).
    lines: usize,
    /// A live frame not drawn yet.
    live: Option<Vec<String>>,
    /// The writer holds taken entries it has not finished writing.
    busy: bool,
    /// When the writer last took a batch or finished writing a chunk.
    progress: Option<Instant>,
    /// The writer waits on an empty queue: the next line must wake it.
    idle: bool,
    /// The writer lets lines gather ([`LINGER`]); a full enough queue or a
    /// drain ends that early.
    lingering: bool,
    /// Callers in [`Sink::drain`]: the writer tells them of its progress.
    drainers: usize,
    closed: bool,
}

enum Entry {
    Text(String),
    Dropped(u64),
}

impl Sink {
    /// Starts the writer thread. Falls back to writing nothing if the thread
    /// cannot start (output is never worth failing the run for).
    pub fn start(target: Target) -> Sink {
        Self::start_as(target, false)
    }

    /// A sink whose every line is a JSON event: its drop count is written
    /// as a `lines_dropped` event too, so the stream stays parseable.
    pub fn start_json(target: Target) -> Sink {
        Self::start_as(target, true)
    }

    fn start_as(target: Target, json: bool) -> Sink {
        let shared = Arc::new(Shared {
            state: Mutex::new(State::default()),
            changed: Condvar::new(),
        });
        let writer = Writer {
            shared: shared.clone(),
            out: target,
            drawn: Vec::new(),
            json,
        };
        let _ = std::thread::Builder::new()
            .name("zinit-output".into())
            .spawn(move || writer.run());
        Sink { shared }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        lock(&self.shared.state)
    }

    /// Queues `text` (one line, or several joined by `\n`) unless the queue is full.
    pub fn line(&self, text: String) {
        self.queue(text, false);
    }

    /// Queues `text` even when the queue is full: for what zinit itself
    /// reports (a step started, failed, ended), which a plan bounds in
    /// number, so a flood of command output never hides the outcome.
    pub fn line_kept(&self, text: String) {
        self.queue(text, true);
    }

    fn queue(&self, text: String, keep: bool) {
        let mut state = self.state();
        if state.lines >= QUEUE_LINES && !keep {
            match state.queue.back_mut() {
                Some(Entry::Dropped(n)) => *n += 1,
                _ => state.queue.push_back(Entry::Dropped(1)),
            }
            return;
        }
        state.lines += 1;
        state.queue.push_back(Entry::Text(text));
        // A line behind others, or one while the writer lingers, is taken
        // with them: no wake-up, no system call per line.
        let wake = state.idle || (state.lingering && state.lines >= LINGER_LINES);
        if wake {
            state.idle = false;
            state.lingering = false;
        }
        drop(state);
        if wake {
            self.shared.changed.notify_all();
        }
    }

    /// Replaces the live region (terminal sinks only) with `lines`.
    pub fn live(&self, lines: Vec<String>) {
        self.state().live = Some(lines);
        self.shared.changed.notify_all();
    }

    /// Waits until everything queued is written, or the writer made no
    /// progress for [`STALL`] (counted from its last progress, so a writer
    /// stuck since long before the call is given up on at once), or
    /// [`DRAIN_MAX`] passed. Never hangs on a stalled reader.
    pub fn drain(&self) {
        let started = Instant::now();
        let mut state = self.state();
        state.drainers += 1;
        state.lingering = false;
        self.shared.changed.notify_all();
        while (!state.queue.is_empty() || state.live.is_some() || state.busy)
            && started.elapsed() < DRAIN_MAX
        {
            let stuck = state.busy && state.progress.is_some_and(|at| at.elapsed() >= STALL);
            if stuck {
                break;
            }
            let (next, _) = self
                .shared
                .changed
                .wait_timeout(state, Duration::from_millis(20))
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            state = next;
        }
        state.drainers -= 1;
    }

    /// Drains, then lets the writer thread end.
    pub fn close(&self) {
        self.drain();
        let mut state = self.state();
        state.closed = true;
        state.lingering = false;
        drop(state);
        self.shared.changed.notify_all();
    }
}

struct Writer {
    shared: Arc<Shared>,
    out: Target,
    /// Lines of the live region on screen now (terminal only).
    drawn: Vec<String>,
    /// Every line is a JSON event (see [`Sink::start_json`]).
    json: bool,
}

impl Writer {
    fn run(mut self) {
        loop {
            let (entries, live) = {
                let mut state = self.lock();
                while state.queue.is_empty() && state.live.is_none() && !state.closed {
                    state.idle = true;
                    state = self
                        .shared
                        .changed
                        .wait(state)
                        .unwrap_or_else(|poisoned| poisoned.into_inner());
                }
                state.idle = false;
                if state.queue.is_empty() && state.live.is_none() {
                    return;
                }
                state.busy = true;
                state.progress = Some(Instant::now());
                state.lines = 0;
                (std::mem::take(&mut state.queue), state.live.take())
            };
            let text = self.compose(entries, live);
            for chunk in line_chunks(text.as_bytes(), CHUNK) {
                // A closed or broken stream is not zinit's problem: keep draining.
                let _ = self.out.write_all(chunk);
                let mut state = self.lock();
                state.progress = Some(Instant::now());
                self.tell_drainers(&state);
            }
            let mut state = self.lock();
            state.busy = false;
            self.tell_drainers(&state);
            self.linger(state);
        }
    }

    /// Waits up to [`LINGER`] for more lines, unless closing or draining.
    fn linger(&self, mut state: MutexGuard<'_, State>) {
        let until = Instant::now() + LINGER;
        state.lingering = state.drainers == 0 && !state.closed && state.lines < LINGER_LINES;
        while state.lingering {
            let left = until.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            state = self
                .shared
                .changed
                .wait_timeout(state, left)
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .0;
        }
        state.lingering = false;
    }

    /// Only a drain waits on the writer's progress; nobody else needs the
    /// system call a notification costs.
    fn tell_drainers(&self, state: &State) {
        if state.drainers > 0 {
            self.shared.changed.notify_all();
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        lock(&self.shared.state)
    }

    /// The bytes for one batch: on a terminal, the old live region cleared,
    /// the lines, and the live region drawn again, cut to the width.
    fn compose(&mut self, entries: VecDeque<Entry>, live: Option<Vec<String>>) -> String {
        let terminal = matches!(self.out, Target::Terminal);
        let mut text = String::new();
        if terminal && !self.drawn.is_empty() {
            // The cursor rests at the start of the line under the region.
            text.push_str(&format!("\x1b[{}A\r\x1b[J", self.drawn.len()));
        }
        for entry in entries {
            match entry {
                Entry::Text(line) => text.push_str(&line),
                Entry::Dropped(n) if self.json => text.push_str(&dropped_event(n)),
                Entry::Dropped(n) => text.push_str(&dropped_notice(n)),
            }
            text.push('\n');
        }
        if terminal {
            if let Some(live) = live {
                let (width, height) = terminal_size();
                self.drawn = live
                    .iter()
                    .take(usize::from(height.saturating_sub(1)).max(1))
                    .map(|l| super::width::fit(l, usize::from(width.saturating_sub(1))))
                    .collect();
            }
            for line in &self.drawn {
                text.push_str(line);
                text.push('\n');
            }
        }
        text
    }
}

/// `bytes` in pieces of about `size`, each ending at a newline when one is
/// in reach, so another writer to the same stream (the hand-over command)
/// can only come between whole lines.
fn line_chunks(bytes: &[u8], size: usize) -> impl Iterator<Item = &[u8]> {
    let mut rest = bytes;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let window = &rest[..rest.len().min(size)];
        let end = match window.iter().rposition(|&b| b == b'\n') {
            Some(i) if window.len() < rest.len() => i + 1,
            _ => window.len(),
        };
        let (chunk, tail) = rest.split_at(end);
        rest = tail;
        Some(chunk)
    })
}

pub fn dropped_notice(n: u64) -> String {
    let lines = if n == 1 { "line" } else { "lines" };
    format!("zinit: … {n} {lines} dropped (the output was not read fast enough)")
}

/// The drop count in a JSON stream (`--format json`, `--events`).
pub fn dropped_event(n: u64) -> String {
    serde_json::json!({ "event": "lines_dropped", "lines": n }).to_string()
}

/// Columns and rows of the terminal on standard error (80×24 if unknown).
pub fn terminal_size() -> (u16, u16) {
    let mut size = nix::libc::winsize {
        ws_row: 0,
        ws_col: 0,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    // SAFETY: TIOCGWINSZ only writes a `winsize` into the pointer given.
    let ok = unsafe { nix::libc::ioctl(2, nix::libc::TIOCGWINSZ, &mut size) } == 0;
    if ok && size.ws_col > 0 && size.ws_row > 0 {
        (size.ws_col, size.ws_row)
    } else {
        (80, 24)
    }
}

impl Target {
    /// Straight to the file descriptor: the standard library's stdout lock
    /// is never held by a thread stuck in `write(2)`, so exiting cannot hang.
    fn write_all(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        use std::os::fd::BorrowedFd;
        let fd = match self {
            Target::Terminal | Target::Stderr => 2,
            Target::Stdout => 1,
            Target::File(f) => return f.write_all(bytes),
        };
        // SAFETY: fds 1 and 2 stay open for the life of the process.
        let fd = unsafe { BorrowedFd::borrow_raw(fd) };
        let mut rest = bytes;
        while !rest.is_empty() {
            match nix::unistd::write(fd, rest) {
                Ok(0) => return Err(std::io::ErrorKind::WriteZero.into()),
                Ok(n) => rest = &rest[n..],
                Err(nix::errno::Errno::EINTR) => {}
                Err(e) => return Err(e.into()),
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
