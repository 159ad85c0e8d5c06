//! Signals. During the init the first SIGINT, SIGTERM, SIGHUP or SIGQUIT
//! cancels everything (commands and services are stopped, exit 128 + N)
//! and a second one skips the grace period; SIGUSR1, SIGUSR2 and SIGWINCH
//! are ignored then. While the hand-over command runs all seven are
//! forwarded to its process group instead (as tini and dumb-init do), also
//! when zinit is PID 1, which the kernel gives no default actions.

use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;
use std::sync::Arc;
use std::sync::atomic::{AtomicI32, Ordering};
use tokio::signal::unix::{SignalKind, signal};
use tokio_util::sync::CancellationToken;

/// Stop the init (and are forwarded during the hand-over).
const STOPPING: [Signal; 4] = [
    Signal::SIGINT,
    Signal::SIGTERM,
    Signal::SIGHUP,
    Signal::SIGQUIT,
];
/// Only forwarded during the hand-over.
const PASSED_ON: [Signal; 3] = [Signal::SIGUSR1, Signal::SIGUSR2, Signal::SIGWINCH];

#[derive(Clone)]
pub struct Signals {
    /// Cancelled by the first stopping signal during the init.
    pub cancel: CancellationToken,
    /// Cancelled by the second: stop without grace.
    pub hurry: CancellationToken,
    /// The first signal received (0: none).
    received: Arc<AtomicI32>,
    /// The process group signals are forwarded to (0: none, handle them).
    forward_to: Arc<AtomicI32>,
}

impl Signals {
    /// Installs the handlers; must run inside the runtime.
    pub fn install() -> std::io::Result<Signals> {
        let signals = Signals {
            cancel: CancellationToken::new(),
            hurry: CancellationToken::new(),
            received: Arc::new(AtomicI32::new(0)),
            forward_to: Arc::new(AtomicI32::new(0)),
        };
        for sig in STOPPING.into_iter().chain(PASSED_ON) {
            let mut stream = signal(SignalKind::from_raw(sig as i32))?;
            let handler = signals.clone();
            tokio::spawn(async move {
                while stream.recv().await.is_some() {
                    handler.handle(sig);
                }
            });
        }
        Ok(signals)
    }

    fn handle(&self, sig: Signal) {
        let group = self.forward_to.load(Ordering::SeqCst);
        if group > 0 {
            let _ = killpg(Pid::from_raw(group), sig);
            return;
        }
        if !STOPPING.contains(&sig) {
            return;
        }
        if self
            .received
            .compare_exchange(0, sig as i32, Ordering::SeqCst, Ordering::SeqCst)
            .is_ok()
        {
            self.cancel.cancel();
        } else {
            self.hurry.cancel();
        }
    }

    /// The first signal that interrupted the init.
    pub fn received(&self) -> Option<Signal> {
        Signal::try_from(self.received.load(Ordering::SeqCst)).ok()
    }

    /// From now on, send the signals to this process group.
    pub fn forward_to(&self, pgid: u32) {
        self.forward_to.store(pgid as i32, Ordering::SeqCst);
    }

    pub fn stop_forwarding(&self) {
        self.forward_to.store(0, Ordering::SeqCst);
    }
}
