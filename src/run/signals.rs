//! SIGINT and SIGTERM. During the init the first one cancels everything
//! (commands and services are stopped, exit 130/143) and a second one
//! skips the grace period; while the hand-over command runs they are
//! forwarded to its process group instead.

use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;
use std::sync::Arc;
use std::sync::atomic::{AtomicI32, Ordering};
use tokio::signal::unix::{SignalKind, signal};
use tokio_util::sync::CancellationToken;

#[derive(Clone)]
pub struct Signals {
    /// Cancelled by the first SIGINT/SIGTERM during the init.
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
        let mut interrupt = signal(SignalKind::interrupt())?;
        let mut terminate = signal(SignalKind::terminate())?;
        let handler = signals.clone();
        tokio::spawn(async move {
            loop {
                let sig = tokio::select! {
                    Some(()) = interrupt.recv() => Signal::SIGINT,
                    Some(()) = terminate.recv() => Signal::SIGTERM,
                    else => return,
                };
                handler.handle(sig);
            }
        });
        Ok(signals)
    }

    fn handle(&self, sig: Signal) {
        let group = self.forward_to.load(Ordering::SeqCst);
        if group > 0 {
            let _ = killpg(Pid::from_raw(group), sig);
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

    /// From now on, send SIGINT/SIGTERM to this process group.
    pub fn forward_to(&self, pgid: u32) {
        self.forward_to.store(pgid as i32, Ordering::SeqCst);
    }

    pub fn stop_forwarding(&self) {
        self.forward_to.store(0, Ordering::SeqCst);
    }
}
