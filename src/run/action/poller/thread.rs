//! The poller's thread: buckets of waits by cadence, connects in flight,
//! and one `ppoll` that sleeps to the next deadline (nanosecond timeout, no
//! rounding) or until a connect in flight settles or a new wait arrives.

use super::{Goal, Inbox, Outbox, Seen, Shared, lock};
use crate::run::action::connect::{CONNECT_TIMEOUT, io_reason, settled};
use crate::run::process::files::{errno_is_out_of_files, tell_out_of_files_once};
use nix::errno::Errno;
use nix::poll::{PollFd, PollFlags, ppoll};
use nix::sys::time::TimeSpec;
use socket2::{Domain, Protocol, Socket, Type};
use std::io::Read;
use std::net::SocketAddr;
use std::os::fd::AsFd;
use std::os::unix::net::UnixStream;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

type Started = (Arc<Inbox>, UnixStream, std::thread::JoinHandle<()>);

pub(super) fn start(outbox: Option<Arc<Outbox>>) -> std::io::Result<Started> {
    let (wake_tx, wake_rx) = UnixStream::pair()?;
    wake_tx.set_nonblocking(true)?;
    wake_rx.set_nonblocking(true)?;
    let inbox = Arc::new(Inbox {
        new: Default::default(),
        shutdown: AtomicBool::new(false),
        wake_sent: AtomicBool::new(false),
    });
    let thread_inbox = Arc::clone(&inbox);
    let thread = std::thread::Builder::new()
        .name("zinit-poller".into())
        .stack_size(256 * 1024)
        .spawn(move || Poller::new(thread_inbox, wake_rx, outbox).run())?;
    Ok((inbox, wake_tx, thread))
}

/// One wait as the thread sees it.
struct Watch {
    shared: Arc<Shared>,
    round: Option<Round>,
    /// Reached or stopped: freed at its bucket's next cadence, once no
    /// connect of it is in flight (so a slot is never reused under one).
    done: bool,
}

/// One check of every address of a wait.
#[derive(Default)]
struct Round {
    in_flight: usize,
    total: usize,
    refused: usize,
    accepted: Option<SocketAddr>,
}

/// The waits sharing one `every`, all due at the same grid point.
struct Bucket {
    every: Duration,
    due: Instant,
    keys: Vec<usize>,
}

/// A connect that did not settle inside `connect(2)` (not loopback).
struct Connecting {
    key: usize,
    addr: SocketAddr,
    socket: Socket,
    give_up: Instant,
}

struct Poller {
    epoch: Instant,
    inbox: Arc<Inbox>,
    wake: UnixStream,
    watches: Vec<Option<Watch>>,
    free: Vec<usize>,
    buckets: Vec<Bucket>,
    connecting: Vec<Connecting>,
    /// `ppoll` saw the wake-up socket readable.
    wake_readable: bool,
    /// Waits decided in this pass, told together (see [`NOTIFY_BATCH`]).
    reached: Vec<Arc<Shared>>,
    /// Where they are handed to the event loop, if a dispatcher runs there.
    outbox: Option<Arc<Outbox>>,
}

/// Decided waits are told in batches of this many (and the rest at the end
/// of each pass, before the thread sleeps): the engine's thread then wakes
/// once per batch instead of once per wait. When 1,000 ports open at once,
/// a wake-up per wait cost more than the check that noticed it.
const NOTIFY_BATCH: usize = 64;

/// How starting a connect went.
enum Started1 {
    Settled(Result<(), i32>),
    InFlight(Socket),
}

/// `Errno` value for "no answer within the connect timeout".
const NO_ANSWER: i32 = -1;

impl Poller {
    fn new(inbox: Arc<Inbox>, wake: UnixStream, outbox: Option<Arc<Outbox>>) -> Self {
        Poller {
            epoch: Instant::now(),
            inbox,
            wake,
            watches: Vec::new(),
            free: Vec::new(),
            buckets: Vec::new(),
            connecting: Vec::new(),
            wake_readable: false,
            reached: Vec::new(),
            outbox,
        }
    }

    fn run(mut self) {
        loop {
            if self.inbox.shutdown.load(Ordering::Acquire) {
                return;
            }
            self.take_new();
            let now = Instant::now();
            for b in 0..self.buckets.len() {
                if self.buckets[b].due <= now {
                    self.tick(b, now);
                }
            }
            self.buckets.retain(|b| !b.keys.is_empty());
            self.give_up_slow(Instant::now());
            self.tell_reached();
            self.sleep();
        }
    }

    /// The next grid point of `every` after `now`.
    fn grid_after(&self, every: Duration, now: Instant) -> Instant {
        let since = now.duration_since(self.epoch).as_nanos();
        let step = every.as_nanos().max(1);
        let ticks = since / step + 1;
        let nanos = u64::try_from(ticks * step).unwrap_or(u64::MAX);
        self.epoch + Duration::from_nanos(nanos)
    }

    /// Takes the waits registered since the last call. Costs nothing when
    /// none came (no system call, no lock): a wait is pushed before the
    /// flag is raised, and the byte that goes with the flag wakes `ppoll`.
    fn take_new(&mut self) {
        let flagged = self.inbox.wake_sent.swap(false, Ordering::AcqRel);
        if !flagged && !std::mem::take(&mut self.wake_readable) {
            return;
        }
        let mut drain = [0u8; 64];
        while matches!((&self.wake).read(&mut drain), Ok(n) if n > 0) {}
        let new = std::mem::take(&mut *lock(&self.inbox.new));
        let now = Instant::now();
        for shared in new {
            let every = shared.every;
            let watch = Watch {
                shared,
                round: None,
                done: false,
            };
            let key = match self.free.pop() {
                Some(key) => {
                    self.watches[key] = Some(watch);
                    key
                }
                None => {
                    self.watches.push(Some(watch));
                    self.watches.len() - 1
                }
            };
            match self.buckets.iter_mut().find(|b| b.every == every) {
                Some(bucket) => bucket.keys.push(key),
                None => {
                    let due = self.grid_after(every, now);
                    self.buckets.push(Bucket {
                        every,
                        due,
                        keys: vec![key],
                    });
                }
            }
        }
    }

    /// One cadence of a bucket: forget ended waits, check the others.
    fn tick(&mut self, b: usize, now: Instant) {
        let mut keys = std::mem::take(&mut self.buckets[b].keys);
        keys.retain(|&key| {
            let watch = self.watches[key].as_mut().expect("a live key");
            if watch.shared.stopped.load(Ordering::Acquire) {
                watch.done = true;
            }
            if watch.done && watch.round.is_none() {
                self.watches[key] = None;
                self.free.push(key);
                return false;
            }
            true
        });
        for &key in &keys {
            let watch = self.watches[key].as_ref().expect("a live key");
            if !watch.done && watch.round.is_none() {
                self.start_round(key, now);
            }
        }
        let bucket = &mut self.buckets[b];
        bucket.keys = keys;
        let every = bucket.every;
        let next = bucket.due + every;
        // After a slow cadence (a loaded machine), join the grid again
        // rather than checking several times in a row to catch up.
        self.buckets[b].due = if next > now {
            next
        } else {
            self.grid_after(every, now)
        };
    }

    fn start_round(&mut self, key: usize, now: Instant) {
        let addrs = Arc::clone(&lock(
            &self.watches[key].as_ref().expect("live").shared.addrs,
        ));
        if addrs.is_empty() {
            return;
        }
        let mut round = Round {
            total: addrs.len(),
            ..Round::default()
        };
        for &addr in addrs.iter() {
            match start_connect(addr) {
                Started1::Settled(result) => self.note(key, &mut round, addr, result),
                Started1::InFlight(socket) => {
                    round.in_flight += 1;
                    self.connecting.push(Connecting {
                        key,
                        addr,
                        socket,
                        give_up: now + CONNECT_TIMEOUT,
                    });
                }
            }
        }
        self.watches[key].as_mut().expect("live").round = Some(round);
        self.end_round_if_settled(key);
    }

    /// Counts one settled connect of a round.
    fn note(&mut self, key: usize, round: &mut Round, addr: SocketAddr, result: Result<(), i32>) {
        let seen = match result {
            Ok(()) => {
                round.accepted.get_or_insert(addr);
                Seen::Accepted(addr)
            }
            Err(errno) if errno == Errno::ECONNREFUSED as i32 => {
                round.refused += 1;
                Seen::Errno(addr, errno)
            }
            Err(NO_ANSWER) => Seen::NoAnswer(addr),
            Err(errno) => {
                if errno_is_out_of_files(errno) {
                    tell_out_of_files_once();
                }
                Seen::Errno(addr, errno)
            }
        };
        let watch = self.watches[key].as_ref().expect("live");
        // In a `closed` wait a refusal is the good news; the reason kept for
        // a timeout is what stood in the way.
        let keep = match watch.shared.goal {
            Goal::Accepting => !matches!(seen, Seen::Accepted(_)),
            Goal::Refusing => !matches!(seen, Seen::Errno(_, e) if e == Errno::ECONNREFUSED as i32),
        };
        if keep {
            *lock(&watch.shared.last) = Some(seen);
        }
    }

    /// Decides a round once nothing of it is in flight (or, when waiting
    /// for a listener, as soon as one address accepted).
    fn end_round_if_settled(&mut self, key: usize) {
        let watch = self.watches[key].as_mut().expect("live");
        let Some(round) = &watch.round else { return };
        let decided = match watch.shared.goal {
            Goal::Accepting => round.accepted,
            Goal::Refusing if round.in_flight == 0 && round.refused == round.total => {
                lock(&watch.shared.addrs).first().copied()
            }
            Goal::Refusing => None,
        };
        if let Some(addr) = decided {
            *lock(&watch.shared.reached) = Some(addr);
            self.reached.push(Arc::clone(&watch.shared));
            watch.done = true;
        }
        if round.in_flight == 0 || watch.done {
            watch.round = None;
            if watch.done {
                // Its other connects in flight are of no use any more.
                self.connecting.retain(|c| c.key != key);
            }
        }
        if self.reached.len() >= NOTIFY_BATCH {
            self.tell_reached();
        }
    }

    /// Wakes the waits decided since the last call.
    fn tell_reached(&mut self) {
        if self.reached.is_empty() {
            return;
        }
        match &self.outbox {
            Some(outbox) => outbox.hand_over(&mut self.reached),
            None => {
                for shared in self.reached.drain(..) {
                    shared.notify.notify_one();
                }
            }
        }
    }

    fn settle(&mut self, i: usize, result: Result<(), i32>) {
        let c = self.connecting.swap_remove(i);
        let Some(mut round) = self.watches[c.key].as_mut().and_then(|w| w.round.take()) else {
            return;
        };
        round.in_flight -= 1;
        self.note(c.key, &mut round, c.addr, result);
        self.watches[c.key].as_mut().expect("live").round = Some(round);
        self.end_round_if_settled(c.key);
    }

    fn give_up_slow(&mut self, now: Instant) {
        let mut i = 0;
        while i < self.connecting.len() {
            if self.connecting[i].give_up <= now {
                self.settle(i, Err(NO_ANSWER));
            } else {
                i += 1;
            }
        }
    }

    /// Sleeps until the next cadence, a connect's time limit, a connect
    /// settling, or a new wait.
    fn sleep(&mut self) {
        let next = self
            .buckets
            .iter()
            .map(|b| b.due)
            .chain(self.connecting.iter().map(|c| c.give_up))
            .min();
        let timeout =
            next.map(|at| TimeSpec::from_duration(at.saturating_duration_since(Instant::now())));
        let ready: Vec<bool> = {
            let mut fds = Vec::with_capacity(1 + self.connecting.len());
            fds.push(PollFd::new(self.wake.as_fd(), PollFlags::POLLIN));
            fds.extend(
                self.connecting
                    .iter()
                    .map(|c| PollFd::new(c.socket.as_fd(), PollFlags::POLLOUT)),
            );
            match ppoll(&mut fds, timeout, None) {
                Ok(0) | Err(_) => return,
                Ok(_) => fds
                    .iter()
                    .enumerate()
                    .map(|(i, fd)| {
                        let ready = fd.revents().is_some_and(|r| !r.is_empty());
                        if i == 0 {
                            self.wake_readable |= ready;
                        }
                        ready
                    })
                    .skip(1)
                    .collect(),
            }
        };
        // Backwards, so swap_remove leaves the indexes still to visit alone.
        for i in (0..ready.len()).rev() {
            if ready[i] {
                let result = settled(&self.connecting[i].socket)
                    .unwrap_or(Err(std::io::ErrorKind::TimedOut.into()))
                    .map_err(errno);
                self.settle(i, result);
            }
        }
    }
}

fn errno(e: std::io::Error) -> i32 {
    e.raw_os_error().unwrap_or(NO_ANSWER)
}

/// Starts a non-blocking connect; loopback connects settle inside
/// `connect(2)`, so a check there costs a handful of system calls.
fn start_connect(addr: SocketAddr) -> Started1 {
    let socket = match Socket::new(
        Domain::for_address(addr),
        Type::STREAM.nonblocking().cloexec(),
        Some(Protocol::TCP),
    ) {
        Ok(socket) => socket,
        Err(e) => return Started1::Settled(Err(errno(e))),
    };
    match socket.connect(&addr.into()) {
        Ok(()) => return Started1::Settled(Ok(())),
        Err(e) if e.raw_os_error() == Some(Errno::EINPROGRESS as i32) => {}
        Err(e) => return Started1::Settled(Err(errno(e))),
    }
    match settled(&socket) {
        Some(done) => Started1::Settled(done.map_err(errno)),
        None => Started1::InFlight(socket),
    }
}

/// An errno from a check in words.
pub fn describe_errno(errno: i32) -> String {
    io_reason(&std::io::Error::from_raw_os_error(errno))
}
