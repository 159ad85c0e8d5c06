//! `wait file PATH [gone]`: until the path exists (or no longer does).
//! Symbolic links are followed: a link to a missing file counts as gone.

use super::{AttemptCtx, Check, Probe, poll_until};
use std::path::Path;
use std::time::Duration;

pub async fn wait(ctx: &AttemptCtx<'_>, path: &Path, gone: bool) -> super::Attempt {
    poll_until(ctx, &mut FileCheck { path, gone }).await
}

struct FileCheck<'a> {
    path: &'a Path,
    gone: bool,
}

impl Check for FileCheck<'_> {
    async fn check(&mut self, _ctx: &AttemptCtx<'_>, _budget: Duration) -> Probe {
        // A direct stat: microseconds, where a hop to a worker thread
        // would cost more than the check itself at a 5ms poll. (A hung
        // network mount would hold the engine up; such paths are rare
        // readiness signals.)
        match (std::fs::metadata(self.path), self.gone) {
            (Ok(_), false) => Probe::Ready,
            (Ok(_), true) => Probe::not_yet(format!("{} exists", self.path.display())),
            (Err(e), true) if e.kind() == std::io::ErrorKind::NotFound => Probe::Ready,
            (Err(e), _) => Probe::not_yet(format!("{}: {}", self.path.display(), reason(&e))),
        }
    }

    fn pending(&self) -> &'static str {
        "file system check still pending"
    }
}

fn reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "not found".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}
