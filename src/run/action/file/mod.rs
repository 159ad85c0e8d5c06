//! `wait file PATH [gone]`: until the path exists (or no longer does).
//! Symbolic links are followed: a link to a missing file counts as gone.
//!
//! The kernel tells: inotify watches the nearest existing ancestor of the
//! path for the one name that leads to the path, so parents that do not
//! exist yet, renames and removals there, and that directory's own move or
//! removal are seen as they happen. The run's file waits share one inotify
//! instance ([`super::file_watch`]). A look whose file system is not known
//! to be local runs on a blocking thread ([`look`]), at most
//! [`super::file_watch::looks::AT_ONCE`] at a time, so a hung network
//! mount never holds up the engine; once a look found a local file system
//! (what a hung mount is not), the next is made in place. Where events cannot be trusted (no inotify instance or
//! watch left, a network file system) the wait polls at its `every`; a slow
//! re-check ([`RECHECK`]) also covers what inotify cannot see at all, such
//! as a symbolic link's target appearing elsewhere.

use super::file_watch::look::{self, Look};
use super::file_watch::{Hub, Listening, SLOW_LOOK};
use super::{Attempt, AttemptCtx};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Notify;

/// With events, the path is still looked at this often.
pub const RECHECK: Duration = Duration::from_secs(1);

pub async fn wait(ctx: &AttemptCtx<'_>, path: &Path, gone: bool) -> Attempt {
    let entered = ctx.resources.file_waits().enter();
    wait_with(ctx, path, gone, entered.hub.clone()).await
}

/// The wait itself; `events: None` polls (the fallback, also tested alone).
async fn wait_with(
    ctx: &AttemptCtx<'_>,
    path: &Path,
    gone: bool,
    mut events: Option<Arc<Hub>>,
) -> Attempt {
    let path: Arc<Path> = match std::path::absolute(path) {
        Ok(p) => p.into(),
        Err(e) => return Attempt::failed(format!("{}: {e}", path.display())),
    };
    let woken = Arc::new(Notify::new());
    // Held, not read: dropping it stops listening.
    let mut listening: Option<Listening>;
    let mut last = String::from("file system check still pending");
    let mut local = false;
    loop {
        let inotify = events.as_ref().map(|hub| hub.inotify());
        let look = if local {
            look::look(&path, inotify.as_deref())
        } else {
            match look_off_loop(ctx, &path, inotify, &last).await {
                Ok(look) => look,
                Err(ended) => return ended,
            }
        };
        match (&look.exists, gone) {
            (Ok(true), false) | (Ok(false), true) => return Attempt::Ok,
            (Ok(true), true) => last = format!("{} exists", path.display()),
            (Ok(false), false) => last = format!("{}: not found", path.display()),
            (Err(why), _) => last = format!("{}: {why}", path.display()),
        }
        local = look.local;
        let mut pause = match (&events, &look.no_events) {
            (Some(_), None) => RECHECK.max(ctx.step.poll),
            _ => ctx.step.poll,
        };
        match (&events, look.watch) {
            // The new listener first, so a watch kept is never let go between.
            (Some(hub), Some((watch, name))) => match hub.listen(watch, name, &woken) {
                Some(now) => listening = Some(now),
                None => {
                    // Removed by another wait as this look placed it.
                    listening = None;
                    pause = ctx.step.poll;
                }
            },
            // Watching failed (watches exhausted): poll from now on.
            (Some(_), None) if look.no_events.is_some() => {
                listening = None;
                events = None;
            }
            _ => listening = None,
        }
        tokio::select! {
            biased;
            _ = ctx.cancel.cancelled() => return Attempt::Cancelled,
            _ = ctx.deadline_reached() => return ctx.timed_out(Some(&last)),
            _ = woken.notified(), if listening.is_some() => {}
            _ = tokio::time::sleep(pause) => {}
        }
    }
}

/// One look on a blocking thread, among at most
/// [`super::file_watch::looks::AT_ONCE`] of the run's; `Err` when the step
/// ended meanwhile.
async fn look_off_loop(
    ctx: &AttemptCtx<'_>,
    path: &Arc<Path>,
    inotify: Option<Arc<nix::sys::inotify::Inotify>>,
    last: &str,
) -> Result<Look, Attempt> {
    let since = Instant::now();
    let mut asked = ctx
        .resources
        .file_waits()
        .looks
        .ask(Arc::clone(path), inotify);
    let mut check_at = since + SLOW_LOOK;
    let mut counted_out = false;
    loop {
        tokio::select! {
            biased;
            _ = ctx.cancel.cancelled() => return Err(Attempt::Cancelled),
            _ = ctx.deadline_reached() => {
                let silent = since.elapsed();
                let mut why = last.to_string();
                if silent >= SLOW_LOOK {
                    why = format!(
                        "{}: no answer from the file system for {} (a hung mount?)",
                        path.display(),
                        crate::run::fmt::duration(silent)
                    );
                }
                return Err(ctx.timed_out(Some(&why)));
            }
            look = &mut asked.answer => {
                return look.map_err(|_| {
                    Attempt::failed(format!(
                        "{}: the look at the file system failed",
                        path.display()
                    ))
                });
            }
            _ = tokio::time::sleep_until(check_at.into()), if !counted_out => {
                counted_out = asked.hung();
                check_at += SLOW_LOOK;
            }
        }
    }
}

/// The directories that would be watched for `path`, for tests.
#[cfg(test)]
fn watched_dirs(path: &Path) -> Vec<std::path::PathBuf> {
    look::nearest_to_watch(path)
        .map(|(dir, _)| dir)
        .into_iter()
        .collect()
}

#[cfg(test)]
mod tests;
