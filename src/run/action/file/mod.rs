//! `wait file PATH [gone]`: until the path exists (or no longer does).
//! Symbolic links are followed: a link to a missing file counts as gone.
//!
//! The kernel tells: inotify watches the nearest existing ancestor of the
//! path for the one name that leads to the path, so parents that do not
//! exist yet, renames and removals there, and that directory's own move or
//! removal are seen as they happen. Every look runs on a blocking thread with a bound
//! ([`look`]), so a hung network mount never holds up the engine; only
//! right after an event, on a local file system, is the path looked at in
//! place (what a hung mount cannot reach). Where
//! events cannot be trusted (no inotify instance or watch left, a network
//! file system) the wait polls at its `every`; a slow re-check
//! ([`RECHECK`]) also covers what inotify cannot see at all, such as a
//! symbolic link's target appearing elsewhere.

mod look;

use super::{Attempt, AttemptCtx};
use look::{Look, Watches};
use nix::sys::inotify::{AddWatchFlags, InitFlags, Inotify};
use std::os::fd::{AsFd, AsRawFd, RawFd};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::Interest;
use tokio::io::unix::AsyncFd;
use tokio::task::JoinHandle;

/// With events, the path is still looked at this often.
pub const RECHECK: Duration = Duration::from_secs(1);
/// A look still unanswered at the wait's timeout after this long is
/// reported as the file system's silence (a local look takes microseconds);
/// it goes on in the background while the step ends.
pub const SLOW_LOOK: Duration = Duration::from_millis(100);

pub async fn wait(ctx: &AttemptCtx<'_>, path: &Path, gone: bool) -> Attempt {
    let events = Inotify::init(InitFlags::IN_NONBLOCK | InitFlags::IN_CLOEXEC)
        .ok()
        .and_then(|inotify| {
            // SAFETY: the AsyncFd owns an Arc of the instance, so the
            // descriptor stays open (the same one) for as long as it lives.
            unsafe {
                AsyncFd::register_with_interest(Shared(Arc::new(inotify)), Interest::READABLE)
            }
            .ok()
        });
    wait_with(ctx, path, gone, events).await
}

/// The inotify instance, closed on a blocking thread: closing one waits
/// for the kernel's grace period (about 10 ms), which would delay the step's
/// end (and every other task) by as much on the engine's thread.
struct ClosedOffLoop(Option<AsyncFd<Shared>>);

impl ClosedOffLoop {
    fn close(&mut self) {
        if let Some(fd) = self.0.take() {
            let inotify = fd.into_inner();
            match tokio::runtime::Handle::try_current() {
                Ok(runtime) => drop(runtime.spawn_blocking(move || drop(inotify))),
                Err(_) => drop(inotify),
            }
        }
    }
}

impl Drop for ClosedOffLoop {
    fn drop(&mut self) {
        self.close();
    }
}

/// The next look: made in place, or running on a blocking thread since then.
enum Pending {
    Done(Look),
    Running(JoinHandle<Look>, Instant),
}

/// The inotify instance, shared with the blocking looks that place watches.
struct Shared(Arc<Inotify>);

impl AsRawFd for Shared {
    fn as_raw_fd(&self) -> RawFd {
        self.0.as_fd().as_raw_fd()
    }
}

/// The wait itself; `events: None` polls (the fallback, also tested alone).
async fn wait_with(
    ctx: &AttemptCtx<'_>,
    path: &Path,
    gone: bool,
    events: Option<AsyncFd<Shared>>,
) -> Attempt {
    let mut events = ClosedOffLoop(events);
    let path: Arc<Path> = match std::path::absolute(path) {
        Ok(p) => p.into(),
        Err(e) => return Attempt::failed(format!("{}: {e}", path.display())),
    };
    let deadline = ctx.deadline_reached();
    tokio::pin!(deadline);
    let mut watches = Watches::default();
    let mut last = String::from("file system check still pending");
    let mut next: Option<Pending> = None;
    loop {
        let inotify = events.0.as_ref().map(|fd| Arc::clone(&fd.get_ref().0));
        let running = next.take().unwrap_or_else(|| {
            let (path, previous) = (Arc::clone(&path), watches.clone());
            let handle = tokio::task::spawn_blocking(move || {
                look::look(&path, inotify.as_deref(), previous)
            });
            Pending::Running(handle, Instant::now())
        });
        let look = match running {
            Pending::Done(look) => look,
            Pending::Running(mut handle, since) => tokio::select! {
                biased;
                _ = ctx.cancel.cancelled() => return Attempt::Cancelled,
                _ = &mut deadline => {
                    let silent = since.elapsed();
                    if silent >= SLOW_LOOK {
                        last = format!(
                            "{}: no answer from the file system for {} (a hung mount?)",
                            path.display(),
                            crate::run::fmt::duration(silent)
                        );
                    }
                    return ctx.timed_out(Some(&last));
                }
                look = &mut handle => match look {
                    Ok(look) => look,
                    Err(_) => {
                        return Attempt::failed(format!(
                            "{}: the look at the file system failed",
                            path.display()
                        ));
                    }
                },
            },
        };
        match (&look.exists, gone) {
            (Ok(true), false) | (Ok(false), true) => return Attempt::Ok,
            (Ok(true), true) => last = format!("{} exists", path.display()),
            (Ok(false), false) => last = format!("{}: not found", path.display()),
            (Err(why), _) => last = format!("{}: {why}", path.display()),
        }
        let local = look.local;
        watches = look.watches;
        if look.no_events.is_some() && watches.names.is_empty() {
            // Watching failed (watches exhausted): poll from now on.
            events.close();
        }
        let pause = match (&events.0, &look.no_events) {
            (Some(_), None) => RECHECK.max(ctx.step.poll),
            _ => ctx.step.poll,
        };
        tokio::select! {
            biased;
            _ = ctx.cancel.cancelled() => return Attempt::Cancelled,
            _ = &mut deadline => return ctx.timed_out(Some(&last)),
            _ = relevant_event(events.0.as_ref(), &watches) => {
                // On a local file system a look costs microseconds and
                // cannot hang: the change is seen without a thread hop.
                if local {
                    let inotify = events.0.as_ref().map(|fd| &*fd.get_ref().0);
                    next = Some(Pending::Done(look::look(&path, inotify, watches.clone())));
                }
            }
            _ = tokio::time::sleep(pause) => {}
        }
    }
}

/// Resolves at the first event that may change whether the path exists:
/// the name on the way to the path in a watched directory, a watched
/// directory itself moved or removed, or lost events. Never without inotify.
async fn relevant_event(events: Option<&AsyncFd<Shared>>, watches: &Watches) {
    let Some(fd) = events else {
        return std::future::pending().await;
    };
    let itself = AddWatchFlags::IN_DELETE_SELF | AddWatchFlags::IN_MOVE_SELF;
    loop {
        let Ok(mut guard) = fd.readable().await else {
            return std::future::pending().await;
        };
        let read = guard.try_io(|inner| {
            inner
                .get_ref()
                .0
                .read_events()
                .map_err(std::io::Error::from)
        });
        let Ok(read) = read else { continue };
        match read {
            Ok(events) => {
                let relevant = events.iter().any(|e| {
                    e.mask.contains(AddWatchFlags::IN_Q_OVERFLOW)
                        || watches.names.get(&e.wd).is_some_and(|name| {
                            e.mask.intersects(itself) || e.name.as_ref() == Some(name)
                        })
                });
                if relevant {
                    return;
                }
            }
            Err(_) => return std::future::pending().await,
        }
    }
}

/// The directories that would be watched for `path`, for tests.
#[cfg(test)]
fn watched_dirs(path: &Path) -> Vec<std::path::PathBuf> {
    let inotify = Inotify::init(InitFlags::IN_CLOEXEC).expect("inotify");
    look::look(path, Some(&inotify), Watches::default())
        .watches
        .dirs
}

#[cfg(test)]
mod tests;
