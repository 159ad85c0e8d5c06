//! Waiting until an IP address accepts connections, checked from a
//! dedicated thread.
//!
//! Why a thread: on a virtual machine every wake-up of a process costs tens
//! of microseconds, and polling on the event loop costs two of them per check
//! (tokio's timer re-arms through an eventfd) plus a rounding of every sleep
//! up to the next millisecond. A thread that sleeps to absolute deadlines and
//! connects with a handful of system calls halves the cost of waiting, so a
//! wait can check every few milliseconds (readiness noticed at once) and
//! still use well under 1% of a core. Only literal addresses are watched
//! this way; host names keep the event-loop path, which re-resolves them.

use super::connect::{CONNECT_TIMEOUT, io_reason, settled};
use super::{Attempt, AttemptCtx};
use socket2::{Domain, Protocol, Socket, Type};
use std::net::SocketAddr;
use std::os::fd::AsFd;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::thread::Thread;
use std::time::{Duration, Instant};

/// `last_errno` before any check failed, and for a connect that got no answer.
const NO_ERRNO: i32 = 0;
const NO_ANSWER: i32 = -1;

struct Shared {
    stop: AtomicBool,
    /// The errno of the last failed check, so a timeout can name it without
    /// formatting a message on every check.
    last_errno: AtomicI32,
}

/// Stops the watching thread when the wait ends for any reason, including
/// the attempt's future being dropped (timeout, cancellation, a sibling's
/// failure in a parallel group).
struct StopOnDrop {
    shared: Arc<Shared>,
    thread: Thread,
}

impl Drop for StopOnDrop {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::Release);
        self.thread.unpark();
    }
}

/// How watching an address ended.
pub enum Watch {
    Accepting,
    /// The attempt ended first (timed out, cancelled).
    Ended(Attempt),
    /// No thread could be started: poll on the event loop instead.
    Unavailable,
}

/// Waits until `addr` accepts a connection. The first check runs inline, so
/// an already-satisfied wait (or a thousand of them in a parallel group)
/// starts no thread.
pub async fn until_accepting(ctx: &AttemptCtx<'_>, addr: SocketAddr) -> Watch {
    let limit = CONNECT_TIMEOUT.min(ctx.remaining());
    let first = tokio::select! {
        biased;
        _ = ctx.cancel.cancelled() => return Watch::Ended(Attempt::Cancelled),
        first = super::connect::connect(addr, limit) => first,
    };
    if first.is_ok() {
        return Watch::Accepting;
    }
    let shared = Arc::new(Shared {
        stop: AtomicBool::new(false),
        last_errno: AtomicI32::new(NO_ERRNO),
    });
    let (ready_tx, ready_rx) = tokio::sync::oneshot::channel();
    let poll = ctx.step.poll;
    let worker = Arc::clone(&shared);
    let handle = std::thread::Builder::new()
        .name("zinit-watch".into())
        .stack_size(64 * 1024)
        .spawn(move || {
            if watch(addr, poll, &worker) {
                let _ = ready_tx.send(());
            }
        })
        .ok();
    let Some(handle) = handle else {
        return Watch::Unavailable;
    };
    let _stop = StopOnDrop {
        shared: Arc::clone(&shared),
        thread: handle.thread().clone(),
    };
    let deadline = ctx.deadline_reached();
    tokio::select! {
        biased;
        _ = ctx.cancel.cancelled() => Watch::Ended(Attempt::Cancelled),
        _ = deadline => Watch::Ended(ctx.timed_out(Some(&format!(
            "{addr}: {}",
            describe(shared.last_errno.load(Ordering::Acquire))
        )))),
        ready = ready_rx => match ready {
            Ok(()) => Watch::Accepting,
            Err(_) => Watch::Ended(Attempt::failed(format!("{addr}: the watching thread stopped"))),
        },
    }
}

/// Checks every `poll` (measured between starts, so the cadence does not
/// drift) until a connect succeeds (`true`) or the wait is stopped (`false`).
fn watch(addr: SocketAddr, poll: Duration, shared: &Shared) -> bool {
    let mut next = Instant::now() + poll;
    loop {
        loop {
            if shared.stop.load(Ordering::Acquire) {
                return false;
            }
            let now = Instant::now();
            if now >= next {
                break;
            }
            std::thread::park_timeout(next - now);
        }
        match connect(addr, CONNECT_TIMEOUT) {
            Ok(()) => return true,
            Err(errno) => shared.last_errno.store(errno, Ordering::Release),
        }
        // After a slow check (a dropped SYN), start the cadence again rather
        // than checking several times in a row to catch up.
        next = (next + poll).max(Instant::now());
    }
}

/// One connection attempt, closed at once: `Err(errno)` when refused, or
/// `Err(NO_ANSWER)` when nothing answered within `limit`.
fn connect(addr: SocketAddr, limit: Duration) -> Result<(), i32> {
    let errno = |e: std::io::Error| e.raw_os_error().unwrap_or(NO_ANSWER);
    let socket = Socket::new(
        Domain::for_address(addr),
        Type::STREAM.nonblocking(),
        Some(Protocol::TCP),
    )
    .map_err(errno)?;
    match socket.connect(&addr.into()) {
        Ok(()) => return Ok(()),
        Err(e) if e.raw_os_error() == Some(nix::errno::Errno::EINPROGRESS as i32) => {}
        Err(e) => return Err(errno(e)),
    }
    // Loopback connects are settled inside connect(2); others are waited for.
    if let Some(done) = settled(&socket) {
        return done.map_err(errno);
    }
    let mut fds = [nix::poll::PollFd::new(
        socket.as_fd(),
        nix::poll::PollFlags::POLLOUT,
    )];
    let timeout = nix::poll::PollTimeout::try_from(limit).unwrap_or(nix::poll::PollTimeout::MAX);
    match nix::poll::poll(&mut fds, timeout) {
        Ok(0) => Err(NO_ANSWER),
        Ok(_) => settled(&socket)
            .unwrap_or(Err(std::io::ErrorKind::TimedOut.into()))
            .map_err(errno),
        Err(e) => Err(e as i32),
    }
}

fn describe(errno: i32) -> String {
    match errno {
        NO_ERRNO => "no check finished yet".into(),
        NO_ANSWER => format!(
            "no answer within {}",
            crate::run::fmt::duration(CONNECT_TIMEOUT)
        ),
        errno => io_reason(&std::io::Error::from_raw_os_error(errno)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::TcpListener;

    fn shared() -> Arc<Shared> {
        Arc::new(Shared {
            stop: AtomicBool::new(false),
            last_errno: AtomicI32::new(NO_ERRNO),
        })
    }

    /// A loopback port nothing listens on (bound, read, released).
    fn closed_port() -> SocketAddr {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("addr")
    }

    #[test]
    fn notices_a_listener_that_opens_late_and_remembers_the_refusals() {
        let addr = closed_port();
        let state = shared();
        let worker = Arc::clone(&state);
        let watcher = std::thread::spawn(move || watch(addr, Duration::from_millis(2), &worker));
        std::thread::sleep(Duration::from_millis(30));
        assert_eq!(
            state.last_errno.load(Ordering::Acquire),
            nix::errno::Errno::ECONNREFUSED as i32,
            "refusals are recorded for the timeout message"
        );
        let _listener = TcpListener::bind(addr).expect("rebind the port");
        assert!(watcher.join().expect("watcher"), "the open port is noticed");
    }

    #[test]
    fn stopping_ends_the_thread_promptly_even_with_a_long_poll() {
        let state = shared();
        let worker = Arc::clone(&state);
        let addr = closed_port();
        let (done_tx, done_rx) = std::sync::mpsc::channel();
        let watcher = std::thread::spawn(move || {
            let found = watch(addr, Duration::from_secs(60), &worker);
            let _ = done_tx.send(found);
        });
        // Let it reach its 60s sleep before the wait ends.
        std::thread::sleep(Duration::from_millis(20));
        drop(StopOnDrop {
            shared: Arc::clone(&state),
            thread: watcher.thread().clone(),
        });
        let found = done_rx
            .recv_timeout(Duration::from_secs(5))
            .expect("the thread ends at once, not after its 60s poll");
        assert!(!found);
        watcher.join().expect("watcher");
    }

    #[test]
    fn a_timeout_names_the_last_error() {
        assert_eq!(
            describe(nix::errno::Errno::ECONNREFUSED as i32),
            "connection refused"
        );
        assert_eq!(describe(NO_ERRNO), "no check finished yet");
        assert!(describe(NO_ANSWER).starts_with("no answer within"));
    }
}
