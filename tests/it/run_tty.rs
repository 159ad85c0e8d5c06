//! What a person sees: the real binary on a real pseudo-terminal of 80×24,
//! its output read by a terminal emulator (`vt100`), the screen compared
//! with snapshots. Digits are masked (times, ports), so the snapshots hold
//! the layout: live lines cut to the width, finished lines above them,
//! nothing left behind.

use crate::support;

use nix::pty::{Winsize, openpty};
use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;
use std::fs::File;
use std::io::Read;
use std::os::fd::OwnedFd;
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};
use support::cli::*;
use support::free_port;

const COLS: u16 = 80;
const ROWS: u16 = 24;
const SPINNER: [char; 10] = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/// zinit on the slave side of a new pty; the emulator reads the master.
struct Screen {
    child: Child,
    parser: vt100::Parser,
    chunks: mpsc::Receiver<Vec<u8>>,
}

impl Screen {
    fn run(script: &str) -> Screen {
        Screen::run_then(script, &[])
    }

    /// With `-- command...` after the script.
    fn run_then(script: &str, command: &[&str]) -> Screen {
        let size = Winsize {
            ws_row: ROWS,
            ws_col: COLS,
            ws_xpixel: 0,
            ws_ypixel: 0,
        };
        let pty = openpty(Some(&size), None).unwrap();
        let slave = |fd: &OwnedFd| Stdio::from(fd.try_clone().unwrap());
        let child = zinit()
            .env("TERM", "xterm-256color")
            .args(["run", "-e", script])
            .args(if command.is_empty() {
                &[][..]
            } else {
                &["--"][..]
            })
            .args(command)
            .stdin(slave(&pty.slave))
            .stdout(slave(&pty.slave))
            .stderr(slave(&pty.slave))
            .spawn()
            .unwrap();
        // Only the child holds the slave now: reads end when it exits.
        drop(pty.slave);
        let (send, chunks) = mpsc::channel();
        let mut master = File::from(pty.master);
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n @ 1..) = master.read(&mut buf) {
                if send.send(buf[..n].to_vec()).is_err() {
                    break;
                }
            }
        });
        Screen {
            child,
            parser: vt100::Parser::new(ROWS, COLS, 0),
            chunks,
        }
    }

    /// Feeds output to the emulator until `seen` holds for the screen (bounded).
    fn until(&mut self, what: &str, seen: impl Fn(&str) -> bool) -> String {
        let end = Instant::now() + Duration::from_secs(10);
        loop {
            let text = self.parser.screen().contents();
            if seen(&text) {
                return text;
            }
            let left = end.saturating_duration_since(Instant::now());
            assert!(!left.is_zero(), "never saw {what}; the screen:\n{text}");
            match self
                .chunks
                .recv_timeout(left.min(Duration::from_millis(50)))
            {
                Ok(bytes) => self.parser.process(&bytes),
                Err(mpsc::RecvTimeoutError::Timeout) => {}
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    let text = self.parser.screen().contents();
                    assert!(
                        seen(&text),
                        "output ended before {what}; the screen:\n{text}"
                    );
                    return text;
                }
            }
        }
    }

    /// Everything until zinit exits (bounded); its exit code.
    fn finish(&mut self) -> Option<i32> {
        let end = Instant::now() + Duration::from_secs(10);
        while let Ok(bytes) = self
            .chunks
            .recv_timeout(end.saturating_duration_since(Instant::now()))
        {
            self.parser.process(&bytes);
        }
        wait_exit(&mut self.child, Duration::from_secs(10))
    }

    /// The rows as the terminal shows them.
    fn rows(&self) -> Vec<String> {
        self.parser.screen().rows(0, COLS).collect()
    }
}

impl Drop for Screen {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The screen as lines (rows the terminal wrapped joined again), with
/// times and numbers masked as `#` and spinner frames as `*`, trailing
/// blank lines dropped: what stays the same from run to run.
fn masked(screen: &vt100::Screen) -> String {
    let mut lines: Vec<String> = vec![String::new()];
    for (i, row) in screen.rows(0, COLS).enumerate() {
        let line = lines.last_mut().unwrap();
        line.push_str(&row);
        if !screen.row_wrapped(i as u16) {
            let done = std::mem::take(line).trim_end().to_string();
            *lines.last_mut().unwrap() = mask(&done);
            lines.push(String::new());
        }
    }
    let last = lines
        .iter()
        .rposition(|l| !l.is_empty())
        .map_or(0, |i| i + 1);
    lines[..last].join("\n")
}

/// `12ms`, `1.5s`, `1m05s`, `8080` → `#`.
fn mask(line: &str) -> String {
    let mut out = String::new();
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        if SPINNER.contains(&c) {
            out.push('*');
        } else if c.is_ascii_digit() {
            // Digits and dots, then a unit; `1m05s` goes on after the unit.
            loop {
                while chars.next_if(|n| n.is_ascii_digit() || *n == '.').is_some() {}
                let mut unit = false;
                while chars.next_if(|n| matches!(n, 'm' | 's')).is_some() {
                    unit = true;
                }
                if !unit || chars.peek().is_none_or(|n| !n.is_ascii_digit()) {
                    break;
                }
            }
            out.push('#');
        } else {
            out.push(c);
        }
    }
    out
}

const LONG_ID: &str = "wait-for-the-service-whose-name-is-long-enough-to-need-cutting";

#[test]
fn live_lines_fit_80_columns_and_finished_lines_stay_above() {
    let port = free_port();
    let script = format!(
        "run 'echo hello from a step; printf \"\\033[2J\\033[H\"' as greet\n\
         wait tcp 127.0.0.1:{port} timeout 1500ms on-fail continue as {LONG_ID}"
    );
    let mut screen = Screen::run(&script);
    let live = screen.until("the live line", |t| {
        t.contains("wait tcp") && t.contains('…')
    });
    let rows = screen.rows();
    let at = rows
        .iter()
        .position(|r| r.contains(LONG_ID.split_at(30).0))
        .unwrap();
    // Cut to the width, on one row that does not wrap onto the next.
    assert!(rows[at].ends_with('…'), "{live}");
    assert!(rows[at].chars().count() < usize::from(COLS), "{live}");
    assert!(
        !screen.parser.screen().row_wrapped(at as u16),
        "the live line wrapped:\n{live}"
    );
    assert!(
        rows[at + 1].trim().is_empty(),
        "the live line wrapped:\n{live}"
    );
    insta::assert_snapshot!("tty_live_line", masked(screen.parser.screen()));

    assert_eq!(screen.finish(), Some(0));
    let rows = screen.rows();
    let text = rows.join("\n");
    assert!(!text.contains(SPINNER), "a spinner frame was left:\n{text}");
    // The child's clear-screen was shown, not obeyed: its greeting is still there.
    assert!(text.contains("hello from a step"), "{text}");
    insta::assert_snapshot!("tty_finished", masked(screen.parser.screen()));
}

#[test]
fn ctrl_c_leaves_no_spinner_behind() {
    let mut screen = Screen::run("sleep 30s as nap");
    screen.until("the live line", |t| {
        t.contains("nap") && t.contains(SPINNER)
    });
    kill(Pid::from_raw(screen.child.id() as i32), Signal::SIGINT).unwrap();
    assert_eq!(screen.finish(), Some(130));
    let text = screen.rows().join("\n");
    assert!(!text.contains(SPINNER), "a spinner frame was left:\n{text}");
    assert!(text.contains("interrupted after"), "{text}");
    insta::assert_snapshot!("tty_interrupted", masked(screen.parser.screen()));
}

#[test]
fn the_live_display_is_gone_before_the_command_writes() {
    let mut screen = Screen::run_then(
        "sleep 300ms as settle",
        // The announcement of the command is written by zinit's writer
        // thread, the command's own output straight to the terminal: give
        // the writer a head start so the order on screen is fixed.
        &["sh", "-c", "sleep 0.5; echo the command speaks"],
    );
    assert_eq!(screen.finish(), Some(0));
    let text = masked(screen.parser.screen());
    assert!(!text.contains('*'), "a live line was left:\n{text}");
    insta::assert_snapshot!("tty_hand_over", text);
}
