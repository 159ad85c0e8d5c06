//! One thread checks every TCP wait of a run: the cadence driver.
//!
//! A wait registers its addresses, its goal (accepting, or refusing on every
//! address) and its `every`; the thread connects on the wait's cadence and
//! tells the wait when the goal is reached. Timeouts, cancellation and host
//! name lookups stay with the wait on the event loop ([`super::watch`]), so
//! the thread only ever connects.
//!
//! Why one thread and not the event loop: on a virtual machine every wake-up
//! costs tens of microseconds, and tokio's timer re-arms through an eventfd
//! and rounds every sleep up to the next millisecond. Why one and not one per
//! wait: a thousand threads starve the event loop that spawns them and cost
//! a wake-up each per cadence. Here deadlines sit on a grid of each cadence
//! (multiples of `every` since the thread started), so a thousand waits with
//! the same `every` cost one wake-up per cadence, as a hand-written loop
//! would, while each wait still keeps its own `every`.

mod thread;

use std::net::SocketAddr;
use std::os::unix::net::UnixStream;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub use thread::describe_errno;

/// What a wait is waiting for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Goal {
    /// One of the addresses accepts a connection (happy eyeballs: all are
    /// tried at once, the first to connect wins).
    Accepting,
    /// Every address answers that nothing listens (`wait tcp ... closed`).
    Refusing,
}

/// The last thing a check saw, kept as numbers so a check formats nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seen {
    Errno(SocketAddr, i32),
    NoAnswer(SocketAddr),
    Accepted(SocketAddr),
}

impl std::fmt::Display for Seen {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Seen::Errno(addr, errno) => write!(f, "{addr}: {}", describe_errno(*errno)),
            Seen::NoAnswer(addr) => write!(
                f,
                "{addr}: no answer within {}",
                crate::run::fmt::duration(super::connect::CONNECT_TIMEOUT)
            ),
            Seen::Accepted(addr) => write!(f, "{addr} accepts connections"),
        }
    }
}

/// What a wait and the thread share.
struct Shared {
    goal: Goal,
    every: Duration,
    /// Replaced when a host name resolves anew; empty: nothing to check.
    addrs: Mutex<Arc<[SocketAddr]>>,
    /// The wait ended (dropped): the thread forgets it at its next cadence.
    stopped: AtomicBool,
    /// Set by the thread once, with the address that decided it.
    reached: Mutex<Option<SocketAddr>>,
    notify: tokio::sync::Notify,
    last: Mutex<Option<Seen>>,
}

pub(super) use crate::run::lock;

/// Decided waits on their way from the thread to the event loop. The thread
/// wakes one dispatcher task per batch, and that task tells each wait from
/// the event loop's own thread, where a wake-up is a push on its run queue;
/// told from the poller's thread, each was a lock and an eventfd write, and
/// 1,000 ports opening at once kept both threads busy with them.
struct Outbox {
    reached: Mutex<Vec<Arc<Shared>>>,
    ready: tokio::sync::Notify,
}

impl Outbox {
    /// Hands `batch` over to the dispatcher.
    fn hand_over(&self, batch: &mut Vec<Arc<Shared>>) {
        lock(&self.reached).append(batch);
        self.ready.notify_one();
    }

    async fn dispatch(self: Arc<Self>) {
        loop {
            self.ready.notified().await;
            let batch = std::mem::take(&mut *lock(&self.reached));
            for shared in batch {
                shared.notify.notify_one();
            }
        }
    }
}

/// New waits for the thread, and whether it should end.
struct Inbox {
    new: Mutex<Vec<Arc<Shared>>>,
    shutdown: AtomicBool,
    /// A wake-up byte is already on its way (so a burst of waits writes one).
    wake_sent: AtomicBool,
}

struct Running {
    inbox: Arc<Inbox>,
    wake: UnixStream,
    thread: std::thread::JoinHandle<()>,
    /// The dispatcher task (none outside a runtime: the thread tells the
    /// waits itself).
    dispatcher: Option<tokio::task::JoinHandle<()>>,
}

/// The run's TCP poller: started by the first wait that needs it, ended
/// when the run's resources are dropped.
#[derive(Default)]
pub struct TcpPoller {
    running: Mutex<Option<Running>>,
    /// Starting the thread failed once: waits poll on the event loop.
    unavailable: AtomicBool,
}

impl TcpPoller {
    /// Starts watching `addrs` (may be empty until a name resolves). `None`
    /// when the thread cannot be started: the caller polls by itself.
    pub fn watch(&self, goal: Goal, every: Duration, addrs: Vec<SocketAddr>) -> Option<Watching> {
        if self.unavailable.load(Ordering::Relaxed) {
            return None;
        }
        let shared = Arc::new(Shared {
            goal,
            every: every.max(Duration::from_micros(100)),
            addrs: Mutex::new(addrs.into()),
            stopped: AtomicBool::new(false),
            reached: Mutex::new(None),
            notify: tokio::sync::Notify::new(),
            last: Mutex::new(None),
        });
        let mut running = lock(&self.running);
        if running.is_none() {
            let runtime = tokio::runtime::Handle::try_current().ok();
            let outbox = runtime.as_ref().map(|_| {
                Arc::new(Outbox {
                    reached: Mutex::new(Vec::new()),
                    ready: tokio::sync::Notify::new(),
                })
            });
            match thread::start(outbox.clone()) {
                Ok((inbox, wake, thread)) => {
                    let dispatcher = runtime
                        .zip(outbox)
                        .map(|(runtime, outbox)| runtime.spawn(outbox.dispatch()));
                    *running = Some(Running {
                        inbox,
                        wake,
                        thread,
                        dispatcher,
                    })
                }
                Err(_) => {
                    self.unavailable.store(true, Ordering::Relaxed);
                    return None;
                }
            }
        }
        let run = running.as_ref().expect("started above");
        lock(&run.inbox.new).push(Arc::clone(&shared));
        wake(&run.inbox, &run.wake);
        Some(Watching { shared })
    }

    /// The poller's thread, if started (for tests that count threads).
    #[cfg(test)]
    fn started(&self) -> bool {
        lock(&self.running).is_some()
    }
}

fn wake(inbox: &Inbox, mut wake: &UnixStream) {
    use std::io::Write;
    if !inbox.wake_sent.swap(true, Ordering::AcqRel) {
        // A full socket already holds a wake-up; nothing is lost.
        let _ = wake.write(&[1]);
    }
}

impl Drop for TcpPoller {
    fn drop(&mut self) {
        if let Some(run) = lock(&self.running).take() {
            if let Some(dispatcher) = &run.dispatcher {
                dispatcher.abort();
            }
            run.inbox.shutdown.store(true, Ordering::Release);
            run.inbox.wake_sent.store(false, Ordering::Release);
            wake(&run.inbox, &run.wake);
            let _ = run.thread.join();
        }
    }
}

/// A registered wait; dropping it stops the checks.
pub struct Watching {
    shared: Arc<Shared>,
}

impl Watching {
    /// Resolves once the goal is reached, with the address that decided it.
    pub async fn reached(&self) -> SocketAddr {
        loop {
            let notified = self.shared.notify.notified();
            if let Some(addr) = *lock(&self.shared.reached) {
                return addr;
            }
            notified.await;
        }
    }

    /// New addresses for the next checks (a name resolved again, or failed:
    /// empty).
    pub fn set_addresses(&self, addrs: Vec<SocketAddr>) {
        *lock(&self.shared.addrs) = addrs.into();
    }

    /// What the last check saw, in words.
    pub fn last(&self) -> Option<String> {
        lock(&self.shared.last).map(|seen| seen.to_string())
    }
}

impl Drop for Watching {
    fn drop(&mut self) {
        self.shared.stopped.store(true, Ordering::Release);
    }
}

#[cfg(test)]
mod tests;
