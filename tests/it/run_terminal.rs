//! The hand-over in a real pseudo-terminal, under an interactive bash with
//! job control: CMD gets the terminal, zinit takes it back, and is never
//! stopped by SIGTTOU (`[1]+ Stopped`); exit codes pass through.

use nix::pty::openpty;
use std::io::{Read, Write};
use std::os::fd::OwnedFd;
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// An interactive `bash` on a new pseudo-terminal (its controlling
/// terminal, so job control is on); the terminal's output arrives on the channel.
struct Shell {
    child: std::process::Child,
    master: std::fs::File,
    output: mpsc::Receiver<Vec<u8>>,
    seen: String,
}

impl Shell {
    fn start() -> Shell {
        let pty = openpty(None, None).unwrap();
        let slave: OwnedFd = pty.slave;
        let mut cmd = Command::new("bash");
        cmd.args(["--norc", "--noprofile", "-i"])
            .env("PS1", "$ ")
            .env("TERM", "dumb")
            .env("ZINIT_KILL_GRACE_MS", "300")
            .stdin(Stdio::from(slave.try_clone().unwrap()))
            .stdout(Stdio::from(slave.try_clone().unwrap()))
            .stderr(Stdio::from(slave));
        // SAFETY: setsid and ioctl are async-signal-safe.
        unsafe {
            cmd.pre_exec(|| {
                nix::unistd::setsid()?;
                if nix::libc::ioctl(0, nix::libc::TIOCSCTTY, 0) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let child = cmd.spawn().unwrap();
        let master = std::fs::File::from(pty.master);
        let mut reader = master.try_clone().unwrap();
        let (tx, output) = mpsc::channel();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            // Ends with an error (EIO) once the shell has exited.
            while let Ok(n @ 1..) = reader.read(&mut buf) {
                if tx.send(buf[..n].to_vec()).is_err() {
                    break;
                }
            }
        });
        Shell {
            child,
            master,
            output,
            seen: String::new(),
        }
    }

    fn type_line(&mut self, line: &str) {
        self.master
            .write_all(format!("{line}\n").as_bytes())
            .unwrap();
    }

    /// Reads until `done` holds for what the terminal showed, or `limit`.
    fn read_until(&mut self, limit: Duration, done: impl Fn(&str) -> bool) -> bool {
        let end = Instant::now() + limit;
        while !done(&self.seen) {
            let left = end.saturating_duration_since(Instant::now());
            match self.output.recv_timeout(left) {
                Ok(bytes) => self.seen.push_str(&String::from_utf8_lossy(&bytes)),
                Err(_) => return done(&self.seen),
            }
        }
        true
    }
}

impl Drop for Shell {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The exit codes printed by `echo "rc=$?"` (the typed command line shows
/// `rc=$?`, never digits).
fn codes(seen: &str) -> Vec<i32> {
    seen.match_indices("rc=")
        .filter_map(|(i, _)| {
            let digits: String = seen[i + 3..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            digits.parse().ok()
        })
        .collect()
}

#[test]
fn the_hand_over_under_job_control_is_never_stopped_and_passes_codes_through() {
    let zinit = env!("CARGO_BIN_EXE_zinit");
    let mut shell = Shell::start();
    assert!(
        shell.read_until(Duration::from_secs(10), |s| s.contains("$ ")),
        "no prompt: {:?}",
        shell.seen
    );
    let mut expected = Vec::new();
    for round in 0..3 {
        shell.type_line(&format!(
            "{zinit} run -e 'sleep 1ms' -- sleep 0.1; echo \"rc=$?\""
        ));
        expected.push(0);
        let code = 3 + round;
        shell.type_line(&format!(
            "{zinit} run -e 'sleep 1ms' -- sh -c 'exit {code}'; echo \"rc=$?\""
        ));
        expected.push(code);
    }
    let all_in = shell.read_until(Duration::from_secs(30), |s| {
        codes(s).len() >= expected.len() || s.contains("Stopped")
    });
    let seen = shell.seen.clone();
    assert!(!seen.contains("Stopped"), "zinit was stopped:\n{seen}");
    assert!(all_in, "not every command ended:\n{seen}");
    assert_eq!(codes(&seen), expected, "{seen}");
    // The shell has its terminal back: it still answers.
    shell.type_line("echo \"rc=$((40 + 2))\"");
    assert!(
        shell.read_until(Duration::from_secs(10), |s| codes(s).contains(&42)),
        "the shell lost its terminal:\n{}",
        shell.seen
    );
}
