//! `-- CMD ARGS...`: after a successful init, run the real command with the
//! services still up and hand it zinit's standard streams. It runs in its own
//! process group, which also becomes the terminal's foreground group when
//! zinit has the terminal, so an interactive CMD reads the keyboard and gets
//! Ctrl-C itself; the signals sent to zinit (`docker stop`, `docker kill -s
//! HUP`) are forwarded (see [`super::signals`]).

use super::engine::Engine;
use super::event::Event;
use super::process::{ProcessGroup, describe_status, exit_code, prepare_child};
use super::signals::Signals;
use nix::unistd::{Pid, getpgrp, tcgetpgrp, tcsetpgrp};
use std::io::IsTerminal;
use std::os::fd::AsFd;
use tokio::process::Command;

/// The shell's code for a command that cannot be found.
pub const NOT_FOUND: i32 = 127;
/// The shell's code for a command found but not executable.
pub const NOT_EXECUTABLE: i32 = 126;

/// Runs CMD to its end and returns zinit's exit code: CMD's code, or 128 + N
/// when a signal N killed it. What CMD leaves running when it ends is
/// stopped (SIGTERM, grace, SIGKILL), like a step's leftovers.
pub async fn run_command(
    argv: &[String],
    engine: &Engine,
    signals: &Signals,
    emit: impl Fn(Event),
) -> i32 {
    let terminal = foreground_terminal();
    let mut cmd = Command::new(&argv[0]);
    cmd.args(&argv[1..]).process_group(0);
    prepare_child(&mut cmd);
    if terminal {
        take_terminal_in_child(&mut cmd);
    }
    let mut group = match ProcessGroup::spawn(cmd, engine.containment().scope()) {
        Ok(group) => group,
        Err(e) => {
            let (code, why) = match e.kind() {
                std::io::ErrorKind::NotFound => (NOT_FOUND, "not found".to_string()),
                std::io::ErrorKind::PermissionDenied => {
                    (NOT_EXECUTABLE, "permission denied".to_string())
                }
                _ => (NOT_EXECUTABLE, e.to_string()),
            };
            super::report::stderr_line(&format!("zinit: cannot run `{}`: {why}", argv[0]));
            emit(Event::CommandEnded {
                exit_code: code,
                signal: None,
            });
            return code;
        }
    };
    let pid = group.pid();
    signals.forward_to(pid);
    // A signal that came between the end of the init and now is passed on too.
    if let Some(sig) = signals.received() {
        let _ = nix::sys::signal::killpg(Pid::from_raw(pid as i32), sig);
    }
    if terminal {
        // Also from here: whichever of parent and child runs first wins the
        // race, and the loser is in the background by then.
        without_sigttou(|| {
            let _ = tcsetpgrp(std::io::stdin().as_fd(), Pid::from_raw(pid as i32));
        });
    }
    emit(Event::CommandStarted {
        argv: argv.to_vec(),
        pid,
    });
    let status = group.wait().await;
    signals.stop_forwarding();
    if terminal {
        without_sigttou(|| {
            let _ = tcsetpgrp(std::io::stdin().as_fd(), getpgrp());
        });
    }
    group.stop(engine.grace(), engine.hurry()).await;
    match status {
        Ok(status) => {
            use std::os::unix::process::ExitStatusExt;
            let code = exit_code(&status);
            if status.signal().is_some() {
                super::report::stderr_line(&format!(
                    "zinit: `{}` {}",
                    argv[0],
                    describe_status(&status)
                ));
            }
            emit(Event::CommandEnded {
                exit_code: code,
                signal: status.signal(),
            });
            code
        }
        Err(e) => {
            super::report::stderr_line(&format!("zinit: lost track of `{}`: {e}", argv[0]));
            1
        }
    }
}

/// Whether zinit's standard input is a terminal whose foreground group is zinit's.
fn foreground_terminal() -> bool {
    let stdin = std::io::stdin();
    stdin.is_terminal() && tcgetpgrp(stdin.as_fd()).is_ok_and(|g| g == getpgrp())
}

/// In the child, before exec: become the terminal's foreground group.
/// SIGTTOU is blocked meanwhile (a background group may not change the
/// foreground group otherwise) and unblocked before exec.
fn take_terminal_in_child(cmd: &mut Command) {
    // SAFETY: sigprocmask, getpid and tcsetpgrp are async-signal-safe.
    unsafe {
        cmd.pre_exec(|| {
            let mut ttou = nix::sys::signal::SigSet::empty();
            ttou.add(nix::sys::signal::Signal::SIGTTOU);
            nix::sys::signal::sigprocmask(
                nix::sys::signal::SigmaskHow::SIG_BLOCK,
                Some(&ttou),
                None,
            )?;
            // The raw descriptor: `std::io::stdin()` may allocate, which a forked child must not.
            // SAFETY: descriptor 0 stays open for the duration of the call.
            let stdin = std::os::fd::BorrowedFd::borrow_raw(0);
            let _ = tcsetpgrp(stdin, nix::unistd::getpid());
            nix::sys::signal::sigprocmask(
                nix::sys::signal::SigmaskHow::SIG_UNBLOCK,
                Some(&ttou),
                None,
            )?;
            Ok(())
        });
    }
}

/// Runs `f` with SIGTTOU blocked in this thread: a process in a background
/// group that changes the terminal's foreground group is otherwise stopped
/// by it (`[1]+ Stopped` in an interactive shell).
fn without_sigttou(f: impl FnOnce()) {
    use nix::sys::signal::{SigSet, SigmaskHow, Signal, pthread_sigmask};
    let mut ttou = SigSet::empty();
    ttou.add(Signal::SIGTTOU);
    let mut old = SigSet::empty();
    if pthread_sigmask(SigmaskHow::SIG_BLOCK, Some(&ttou), Some(&mut old)).is_ok() {
        f();
        let _ = pthread_sigmask(SigmaskHow::SIG_SETMASK, Some(&old), None);
    }
}
