//! Sleeps that end on time: `sleep`, retry and policy delays.
//!
//! tokio's timer counts in whole milliseconds and rounds every deadline up,
//! so `sleep 1ms` took 2 ms. A timerfd armed with the absolute deadline on
//! the monotonic clock wakes the event loop through epoll at the
//! deadline itself (within the kernel's timer slack, 50 µs by default), at
//! no more cost than tokio's own timer and without a thread. Where no
//! timerfd can be had (descriptors ran out), tokio's timer is the fallback.

use nix::sys::time::TimeSpec;
use nix::sys::timerfd::{ClockId, Expiration, TimerFd, TimerFlags, TimerSetTimeFlags};
use nix::time::clock_gettime;
use std::os::fd::{AsFd, AsRawFd, RawFd};
use std::time::Duration;
use tokio::io::Interest;
use tokio::io::unix::AsyncFd;
use tokio::time::Instant;

/// Sleeps for `pause`, ending within a fraction of a millisecond of it.
pub async fn sleep(pause: Duration) {
    match Instant::now().checked_add(pause) {
        Some(deadline) => sleep_until(deadline).await,
        None => std::future::pending().await,
    }
}

/// Sleeps until `deadline`, ending within a fraction of a millisecond of it.
pub async fn sleep_until(deadline: Instant) {
    match arm(deadline) {
        Some(timer) => {
            // Readable once expired; an error (never seen) falls back below.
            if timer.readable().await.is_ok() {
                return;
            }
            tokio::time::sleep_until(deadline).await
        }
        None => tokio::time::sleep_until(deadline).await,
    }
}

struct Timer(TimerFd);

impl AsRawFd for Timer {
    fn as_raw_fd(&self) -> RawFd {
        self.0.as_fd().as_raw_fd()
    }
}

/// A timerfd that expires at `deadline` (its clock is the one `Instant` reads).
fn arm(deadline: Instant) -> Option<AsyncFd<Timer>> {
    let left = deadline.saturating_duration_since(Instant::now());
    let now = clock_gettime(nix::time::ClockId::CLOCK_MONOTONIC).ok()?;
    let at = now + TimeSpec::from_duration(left);
    let fd = TimerFd::new(
        ClockId::CLOCK_MONOTONIC,
        TimerFlags::TFD_NONBLOCK | TimerFlags::TFD_CLOEXEC,
    )
    .ok()?;
    // An expiration of zero would disarm the timer: a deadline already past
    // is one nanosecond after the clock's start, long gone.
    let at = if at == TimeSpec::new(0, 0) {
        TimeSpec::new(0, 1)
    } else {
        at
    };
    fd.set(
        Expiration::OneShot(at),
        TimerSetTimeFlags::TFD_TIMER_ABSTIME,
    )
    .ok()?;
    // SAFETY: the AsyncFd owns the TimerFd, so its descriptor stays open
    // (and the same) for as long as the AsyncFd lives.
    unsafe { AsyncFd::register_with_interest(Timer(fd), Interest::READABLE) }.ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block_on<F: Future>(f: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(f)
    }

    #[test]
    fn a_short_sleep_is_not_rounded_up_to_the_next_millisecond() {
        // The best of several, so a loaded machine's scheduling delays do
        // not count: tokio's timer never does better than 2 ms here.
        let best = block_on(async {
            let mut best = Duration::MAX;
            for _ in 0..20 {
                let start = std::time::Instant::now();
                sleep(Duration::from_millis(1)).await;
                best = best.min(start.elapsed());
            }
            best
        });
        assert!(best >= Duration::from_millis(1), "woke early: {best:?}");
        assert!(best < Duration::from_micros(1_800), "best of 20: {best:?}");
    }

    #[test]
    fn a_deadline_already_past_returns_at_once() {
        block_on(async {
            let past = Instant::now() - Duration::from_millis(5);
            tokio::time::timeout(Duration::from_secs(5), sleep_until(past))
                .await
                .expect("no wait for a past deadline");
        });
    }
}
