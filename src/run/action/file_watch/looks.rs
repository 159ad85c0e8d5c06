//! The looks of a run's file waits that might hang (on a file system not
//! known to be local), made by at most [`AT_ONCE`] blocking tasks that each
//! take looks from one queue until it is empty. A task per look made the
//! runtime start a thread for most of them (323 threads for 1,000 waits):
//! the next look was queued before the last thread was back in the pool.
//!
//! A look that has not answered after [`super::SLOW_LOOK`] gives up its
//! place ([`Asked::hung`]): another task takes the queue on, so a hung
//! mount holds one thread per hung look, never the other waits.

use super::look::{self, Look};
use crate::run::lock;
use nix::sys::inotify::Inotify;
use std::collections::VecDeque;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering::Relaxed};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;
use tokio::sync::oneshot;

/// Blocking tasks making looks at once, per run (not counting hung ones).
pub const AT_ONCE: usize = 4;

/// A task with nothing to do waits this long for another look before it
/// ends: waits starting one after another ask for looks as fast as one task
/// makes them, and a new task each time found no thread free in the pool.
const TAKER_LINGER: Duration = Duration::from_millis(20);

#[derive(Default)]
pub struct Looks {
    shared: Arc<Shared>,
}

#[derive(Default)]
struct Shared {
    state: Mutex<State>,
    queued: Condvar,
}

#[derive(Default)]
struct State {
    queue: VecDeque<Job>,
    /// Tasks taking looks off the queue, not counting those given up on.
    takers: usize,
    /// Of those, the ones waiting for a look to be queued.
    idle: usize,
}

struct Job {
    path: Arc<Path>,
    inotify: Option<Arc<Inotify>>,
    answer: oneshot::Sender<Look>,
    place: Arc<Place>,
}

/// Whether a job's task still holds one of the [`AT_ONCE`] places; read
/// and written under the state's lock only.
#[derive(Default)]
struct Place {
    taken: AtomicBool,
    answered: AtomicBool,
    given_up: AtomicBool,
}

/// A look asked for: its answer, and the means to say it hangs.
pub struct Asked {
    pub answer: oneshot::Receiver<Look>,
    place: Arc<Place>,
    shared: Arc<Shared>,
}

impl Looks {
    /// Queues a look at `path` (placing its watch with `inotify`).
    pub fn ask(&self, path: Arc<Path>, inotify: Option<Arc<Inotify>>) -> Asked {
        let (answer, receiver) = oneshot::channel();
        let place = Arc::new(Place::default());
        let mut state = lock(&self.shared.state);
        state.queue.push_back(Job {
            path,
            inotify,
            answer,
            place: Arc::clone(&place),
        });
        if state.idle > 0 {
            self.shared.queued.notify_one();
        } else {
            start_taker_if_room(&self.shared, &mut state);
        }
        drop(state);
        Asked {
            answer: receiver,
            place,
            shared: Arc::clone(&self.shared),
        }
    }
}

impl Asked {
    /// The look has not answered for long: its task leaves the count, and
    /// another takes the queue on if there is work. False while the look is
    /// still queued (ask again later).
    pub fn hung(&self) -> bool {
        let mut state = lock(&self.shared.state);
        let place = &self.place;
        // One still queued waits its turn; one answered or given up is done.
        if !place.taken.load(Relaxed) {
            return false;
        }
        if place.answered.load(Relaxed) || place.given_up.load(Relaxed) {
            return true;
        }
        place.given_up.store(true, Relaxed);
        state.takers -= 1;
        start_taker_if_room(&self.shared, &mut state);
        true
    }
}

fn start_taker_if_room(shared: &Arc<Shared>, state: &mut State) {
    if state.queue.is_empty() || state.takers >= AT_ONCE {
        return;
    }
    state.takers += 1;
    let shared = Arc::clone(shared);
    let started = tokio::runtime::Handle::try_current()
        .map(|runtime| drop(runtime.spawn_blocking(move || take_looks(&shared))));
    if started.is_err() {
        state.takers -= 1;
    }
}

/// One task: looks until the queue stays empty for [`TAKER_LINGER`], or
/// until its look hung and its place went to another task.
fn take_looks(shared: &Shared) {
    loop {
        let job = {
            let mut state = lock(&shared.state);
            loop {
                // A wait that ended meanwhile wants no answer.
                while state
                    .queue
                    .front()
                    .is_some_and(|job| job.answer.is_closed())
                {
                    state.queue.pop_front();
                }
                if let Some(job) = state.queue.pop_front() {
                    job.place.taken.store(true, Relaxed);
                    break job;
                }
                state.idle += 1;
                let (next, waited) = shared
                    .queued
                    .wait_timeout(state, TAKER_LINGER)
                    .unwrap_or_else(|poisoned| poisoned.into_inner());
                state = next;
                state.idle -= 1;
                if waited.timed_out() && state.queue.is_empty() {
                    state.takers -= 1;
                    return;
                }
            }
        };
        let look = look::look(&job.path, job.inotify.as_deref());
        let _ = job.answer.send(look);
        let _state = lock(&shared.state);
        job.place.answered.store(true, Relaxed);
        if job.place.given_up.load(Relaxed) {
            // Counted out when it hung; the others carry on.
            return;
        }
    }
}
