//! The engine: passes under the script policy ([`pass`]), steps with their
//! retries and on-fail ([`step`]), parallel groups ([`group`]). It owns what
//! a run shares: the reporter, the services, the HTTP clients, the jitter
//! source and the kill grace period.

mod group;
mod pass;
mod step;

pub use pass::InitOutcome;

use super::action::resources::Resources;
use crate::plan::model::Delay;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio_util::sync::CancellationToken;

use super::event::Reporter;

pub struct Engine {
    /// What the actions share; the engine's own code reaches it through `Deref`.
    resources: Resources,
    rng: Mutex<fastrand::Rng>,
}

impl std::ops::Deref for Engine {
    type Target = Resources;

    fn deref(&self) -> &Resources {
        &self.resources
    }
}

impl Engine {
    /// `grace`: between SIGTERM and SIGKILL when stopping a process group;
    /// `hurry`: when cancelled (a second Ctrl-C), stop with SIGKILL at once;
    /// `whole_process`: see [`crate::run::Options::whole_process`].
    pub fn new(
        reporter: Arc<dyn Reporter>,
        grace: Duration,
        hurry: CancellationToken,
        whole_process: bool,
    ) -> Self {
        Engine {
            resources: Resources::new(reporter, grace, hurry, whole_process),
            rng: Mutex::new(fastrand::Rng::new()),
        }
    }

    /// The delay before retry `i` (0-based): exactly the plan's schedule,
    /// with a uniform draw inside the jitter band when there is one.
    pub fn delay(&self, delay: &Delay, i: u32) -> Duration {
        let draw = match delay {
            Delay::Backoff(b) if b.jitter_pct > 0.0 => self.rng.lock().expect("rng lock").f64(),
            _ => 1.0,
        };
        delay.nth(i, draw)
    }

    /// Sleeps `pause` unless cancelled or, during the init, a service exits.
    async fn pause(&self, pause: Duration, cancel: &CancellationToken) -> Paused {
        tokio::select! {
            biased;
            _ = cancel.cancelled() => Paused::Cancelled,
            exit = self.services.exited() => Paused::ServiceExited(exit),
            _ = super::action::precise::sleep(pause) => Paused::Done,
        }
    }

    /// Sends `tick` to the reporter about every 100ms, forever (for live displays).
    pub async fn ticks(&self) {
        let reporter = self.reporter();
        if !reporter.wants_ticks() {
            return std::future::pending().await;
        }
        let mut interval = tokio::time::interval(Duration::from_millis(100));
        interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
        loop {
            interval.tick().await;
            reporter.tick();
        }
    }
}

enum Paused {
    Done,
    Cancelled,
    ServiceExited(super::action::service::ServiceExit),
}
