//! `run CMD`: run to completion in its own process group, output streamed
//! live and its tail kept for the failure. When the command ends (or times
//! out, or is cancelled) whatever is left of its group is stopped: a step
//! leaves nothing running (background services are what `start` is for).

use super::{Attempt, AttemptCtx};
use crate::run::model::CommandLine;
use crate::run::process::contain::Containment;
use crate::run::process::output::{ChildOutput, Tail};
use crate::run::process::{self, ProcessGroup, Stopped, describe_status, stop_draining};

pub async fn run(ctx: &AttemptCtx<'_>, line: &CommandLine) -> Attempt {
    let mut group = match spawn(ctx.resources.containment(), line) {
        Ok(group) => group,
        Err(reason) => return Attempt::failed(reason),
    };
    let mut output = ChildOutput::new(group.child.stdout.take(), group.child.stderr.take());
    let mut tail = Tail::default();
    enum End {
        Exited(std::io::Result<std::process::ExitStatus>),
        TimedOut,
        Cancelled,
    }
    let end = loop {
        tokio::select! {
            biased;
            _ = ctx.cancel.cancelled() => break End::Cancelled,
            _ = ctx.deadline_reached() => break End::TimedOut,
            Some((stream, text)) = output.next(), if !output.is_done() => {
                tail.push(&text);
                ctx.resources.output(&ctx.step.id, stream, text);
            }
            status = group.wait() => break End::Exited(status),
        }
    };
    let engine = ctx.resources;
    let stopped = stop_draining(
        &mut group,
        &mut output,
        engine.grace(),
        engine.hurry(),
        |stream, text| {
            tail.push(&text);
            engine.output(&ctx.step.id, stream, text);
        },
    )
    .await;
    match end {
        End::Cancelled => Attempt::Cancelled,
        End::TimedOut => Attempt::TimedOut {
            reason: format!(
                "timed out after {}; {}",
                ctx.timeout_text(),
                match stopped {
                    Stopped::Killed => "killed (SIGKILL) after ignoring SIGTERM",
                    _ => "stopped with SIGTERM",
                }
            ),
            tail: tail.lines(),
        },
        End::Exited(Ok(status)) if status.success() => Attempt::Ok,
        End::Exited(Ok(status)) => Attempt::Failed {
            reason: describe_status(&status),
            tail: tail.lines(),
        },
        End::Exited(Err(e)) => Attempt::Failed {
            reason: format!("lost track of the command: {e}"),
            tail: tail.lines(),
        },
    }
}

/// Spawns in a new process group and containment scope, with a clear
/// reason when that fails.
pub fn spawn(containment: &Containment, line: &CommandLine) -> Result<ProcessGroup, String> {
    if let Some(cwd) = &line.cwd {
        if !cwd.is_dir() {
            return Err(format!("cwd {}: not a directory", cwd.display()));
        }
    }
    ProcessGroup::spawn(process::command(line), containment.scope()).map_err(|e| {
        let why = match e.kind() {
            std::io::ErrorKind::NotFound => "not found".to_string(),
            std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
            _ => e.to_string(),
        };
        format!("cannot run `{}`: {why}", line.argv[0])
    })
}
