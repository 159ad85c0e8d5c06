//! What the `wait file` steps of a run share: one inotify instance, read by
//! one task that tells each wait of the events on the name it watches, and
//! the queue of looks that might hang ([`looks`]).
//!
//! One instance per run, not per wait: the kernel allows 128 instances per
//! user by default, so a run of 1,000 file waits fell back to polling
//! after the first 128 (with 323 threads and 5 s of CPU over a 3 s wait).
//! Waits on the same directory share its watch descriptor (the kernel
//! gives the same one for the same inode), counted here, and removed when
//! the last of them lets it go.

pub mod look;
pub mod looks;

use crate::run::lock;
use nix::sys::inotify::{AddWatchFlags, InitFlags, Inotify, WatchDescriptor};
use std::collections::{HashMap, HashSet};
use std::ffi::OsString;
use std::os::fd::{AsFd, AsRawFd, RawFd};
use std::sync::{Arc, Mutex};
use tokio::io::Interest;
use tokio::io::unix::AsyncFd;
use tokio::sync::Notify;
use tokio::task::JoinHandle;

/// A look still unanswered after this long gives its place among the
/// blocking looks to others; one unanswered at the wait's timeout is
/// reported as the file system's silence (a local look takes
/// microseconds). It goes on in the background while the step ends.
pub const SLOW_LOOK: std::time::Duration = std::time::Duration::from_millis(100);

/// Per run. The instance is opened by the first file wait and closed
/// (off the engine's thread) when the last one running ends, as a wait's
/// own used to be: closing one takes the kernel's grace period, about
/// 10 ms, which an instance left open until exit added to every run's end.
#[derive(Default)]
pub struct FileWaits {
    current: Mutex<Current>,
    pub(super) looks: looks::Looks,
}

#[derive(Default)]
struct Current {
    hub: Option<(Arc<Hub>, JoinHandle<()>)>,
    /// File waits running.
    waits: usize,
}

impl FileWaits {
    /// A file wait starts (inside the runtime): the run's inotify hub,
    /// `None` where no instance can be had (the wait polls).
    pub(super) fn enter(&self) -> Entered<'_> {
        let mut current = lock(&self.current);
        current.waits += 1;
        if current.hub.is_none() {
            if let Some(hub) = Hub::new() {
                let hub = Arc::new(hub);
                let reader = tokio::spawn(Arc::clone(&hub).read());
                current.hub = Some((hub, reader));
            }
        }
        let hub = current.hub.as_ref().map(|(hub, _)| Arc::clone(hub));
        Entered { waits: self, hub }
    }
}

/// A file wait running; dropping it ends the hub with the last one.
pub(super) struct Entered<'a> {
    waits: &'a FileWaits,
    pub hub: Option<Arc<Hub>>,
}

impl Drop for Entered<'_> {
    fn drop(&mut self) {
        let mut current = lock(&self.waits.current);
        current.waits -= 1;
        if current.waits == 0 {
            if let Some((_, reader)) = current.hub.take() {
                // The reader's future, and with it the hub, is dropped on
                // the runtime, which closes the instance on a blocking thread.
                reader.abort();
            }
        }
    }
}

impl Drop for FileWaits {
    fn drop(&mut self) {
        if let Some((_, reader)) = lock(&self.current).hub.take() {
            reader.abort();
        }
    }
}

/// The inotify instance and who listens to which watch.
pub(super) struct Hub {
    fd: Option<AsyncFd<Shared>>,
    watches: Mutex<Watchers>,
}

#[derive(Default)]
struct Watchers {
    by_watch: HashMap<WatchDescriptor, Watch>,
    /// Descriptors this hub removed: one handed out by a look racing the
    /// removal is stale, and the wait looks again.
    removed: HashSet<WatchDescriptor>,
    next_id: u64,
}

/// The waits listening on one watch, by the name each waits on there: an
/// event is a lookup, not a look at every wait on the directory (1,000
/// waits on one directory each woken by its own file).
#[derive(Default)]
struct Watch {
    by_name: HashMap<OsString, Vec<Listener>>,
}

impl Watch {
    fn all(&self) -> impl Iterator<Item = &Listener> {
        self.by_name.values().flatten()
    }
}

struct Listener {
    id: u64,
    woken: Arc<Notify>,
}

/// The instance, shared with the blocking looks that place watches.
struct Shared(Arc<Inotify>);

impl AsRawFd for Shared {
    fn as_raw_fd(&self) -> RawFd {
        self.0.as_fd().as_raw_fd()
    }
}

impl Hub {
    fn new() -> Option<Hub> {
        let inotify = Inotify::init(InitFlags::IN_NONBLOCK | InitFlags::IN_CLOEXEC).ok()?;
        // SAFETY: the AsyncFd owns an Arc of the instance, so the descriptor
        // stays open (the same one) for as long as it lives.
        let fd = unsafe {
            AsyncFd::register_with_interest(Shared(Arc::new(inotify)), Interest::READABLE)
        }
        .ok()?;
        Some(Hub {
            fd: Some(fd),
            watches: Mutex::default(),
        })
    }

    pub(super) fn inotify(&self) -> Arc<Inotify> {
        let fd = self
            .fd
            .as_ref()
            .expect("the instance lives as long as the hub");
        Arc::clone(&fd.get_ref().0)
    }

    /// Tells `woken` of every event that may change whether `name` under the
    /// directory of `watch` exists. `None`: the descriptor was removed after
    /// the look placed it; look again.
    pub(super) fn listen(
        self: &Arc<Self>,
        watch: WatchDescriptor,
        name: OsString,
        woken: &Arc<Notify>,
    ) -> Option<Listening> {
        let mut watches = lock(&self.watches);
        if watches.removed.contains(&watch) {
            return None;
        }
        watches.next_id += 1;
        let id = watches.next_id;
        let listeners = watches.by_watch.entry(watch).or_default();
        listeners
            .by_name
            .entry(name.clone())
            .or_default()
            .push(Listener {
                id,
                woken: Arc::clone(woken),
            });
        Some(Listening {
            hub: Arc::clone(self),
            watch,
            name,
            id,
        })
    }

    /// Reads events as they come and wakes the waits they concern.
    async fn read(self: Arc<Self>) {
        let Some(fd) = self.fd.as_ref() else { return };
        let itself =
            AddWatchFlags::IN_DELETE_SELF | AddWatchFlags::IN_MOVE_SELF | AddWatchFlags::IN_IGNORED;
        loop {
            let Ok(mut guard) = fd.readable().await else {
                return;
            };
            let read = guard.try_io(|inner| {
                inner
                    .get_ref()
                    .0
                    .read_events()
                    .map_err(std::io::Error::from)
            });
            let events = match read {
                Ok(Ok(events)) => events,
                Ok(Err(_)) => return,
                Err(_would_block) => continue,
            };
            let watches = lock(&self.watches);
            for event in &events {
                if event.mask.contains(AddWatchFlags::IN_Q_OVERFLOW) {
                    // Events were lost: every wait looks again.
                    let all = watches.by_watch.values().flat_map(Watch::all);
                    all.for_each(|l| l.woken.notify_one());
                    continue;
                }
                let Some(watch) = watches.by_watch.get(&event.wd) else {
                    continue;
                };
                if event.mask.intersects(itself) {
                    watch.all().for_each(|l| l.woken.notify_one());
                } else if let Some(named) = event.name.as_ref().and_then(|n| watch.by_name.get(n)) {
                    named.iter().for_each(|l| l.woken.notify_one());
                }
            }
        }
    }
}

impl Drop for Hub {
    /// Closes the instance on a blocking thread: closing one waits for the
    /// kernel's grace period (about 10 ms), which would delay the run's end
    /// (and every other task) by as much on the engine's thread.
    fn drop(&mut self) {
        if let Some(fd) = self.fd.take() {
            let inotify = fd.into_inner();
            match tokio::runtime::Handle::try_current() {
                Ok(runtime) => drop(runtime.spawn_blocking(move || drop(inotify))),
                Err(_) => drop(inotify),
            }
        }
    }
}

/// One wait listening on one watch; dropping it stops listening, and
/// removes the watch when nobody else listens on it.
pub(super) struct Listening {
    hub: Arc<Hub>,
    watch: WatchDescriptor,
    name: OsString,
    id: u64,
}

impl Drop for Listening {
    fn drop(&mut self) {
        let mut watches = lock(&self.hub.watches);
        let Some(watch) = watches.by_watch.get_mut(&self.watch) else {
            return;
        };
        if let Some(named) = watch.by_name.get_mut(&self.name) {
            named.retain(|l| l.id != self.id);
            if named.is_empty() {
                watch.by_name.remove(&self.name);
            }
        }
        if watch.by_name.is_empty() {
            watches.by_watch.remove(&self.watch);
            // Under the lock, so that a look racing this removal is told
            // its descriptor is stale. inotify_rm_watch does not walk a
            // path: it cannot hang on a mount.
            let _ = self.hub.inotify().rm_watch(self.watch);
            watches.removed.insert(self.watch);
        }
    }
}

#[cfg(test)]
impl FileWaits {
    /// The instance is open (some file wait is running, or one did not let go).
    pub(super) fn is_open(&self) -> bool {
        lock(&self.current).hub.is_some()
    }
}
