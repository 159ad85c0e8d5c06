//! Plan → effects: the tokio engine, one file per action.
//!
//! [`resolve::resolve_plan`] turns a compiled plan into a [`model::RunPlan`]
//! (every `${...}` resolved, every target checked) before anything runs;
//! [`execute`] then runs it on a single-threaded runtime (fast to start,
//! small, and the thread that forks children lives as long as zinit, which
//! `PR_SET_PDEATHSIG` needs), hands over to `-- CMD` and stops the services.

pub(crate) mod action;
pub mod engine;
pub mod event;
pub mod fmt;
pub mod handover;
pub mod lookup;
pub mod model;
pub mod process;
pub mod report;
pub mod resolve;
pub mod s3;
pub mod signals;

use engine::{Engine, InitOutcome};
use event::{Event, Reporter, RunOutcome};
use model::RunPlan;
use std::sync::Arc;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// Exit codes of `zinit run` (SPEC §3); CMD's own code otherwise.
pub const EXIT_OK: i32 = crate::exit::EXIT_OK as i32;
pub const EXIT_INIT_FAILED: i32 = crate::exit::EXIT_FAILED as i32;

/// How to run a plan.
#[derive(Debug, Clone)]
pub struct Options {
    /// `-- CMD ARGS...`: run after a successful init (empty: none).
    pub command: Vec<String>,
    /// Between SIGTERM and SIGKILL when stopping a process group.
    pub grace: Duration,
    /// zinit is the whole program (the CLI), not a library inside another
    /// one (a test binary): only then may it become a subreaper and reap
    /// every orphaned child, which would otherwise steal the statuses of
    /// children the host program waits for itself.
    pub whole_process: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            command: Vec::new(),
            grace: process::kill_grace(),
            whole_process: false,
        }
    }
}

/// A lock on data shared by the run's threads, taken even if a holder
/// panicked: the data are queues and flags, whole after any one update,
/// and a run must still stop its processes and say why.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Runs the init, then the command if given and the init succeeded, then
/// stops the services. Returns zinit's exit code.
pub fn execute(plan: &RunPlan, options: &Options, reporter: Arc<dyn Reporter>) -> i32 {
    let started = Instant::now();
    process::files::raise_open_file_limit();
    if let Err(why) = process::files::ensure_own_descriptors() {
        report::stderr_line(&format!("zinit: cannot start: {why}"));
        return EXIT_INIT_FAILED;
    }
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            let why = action::connect::io_reason(&e);
            report::stderr_line(&format!("zinit: cannot start the runtime: {why}"));
            return EXIT_INIT_FAILED;
        }
    };
    let (outcome, code) = runtime.block_on(run(plan, options, reporter.clone()));
    reporter.event(&Event::RunEnded {
        outcome,
        exit_code: code,
        elapsed_ms: fmt::millis(started.elapsed()),
    });
    reporter.finish();
    // Do not wait for idle blocking threads (host name lookups).
    runtime.shutdown_background();
    code
}

async fn run(plan: &RunPlan, options: &Options, reporter: Arc<dyn Reporter>) -> (RunOutcome, i32) {
    let command = &options.command;
    let signals = match signals::Signals::install() {
        Ok(s) => s,
        Err(e) => {
            report::stderr_line(&format!("zinit: cannot handle signals: {e}"));
            return (RunOutcome::Failed, EXIT_INIT_FAILED);
        }
    };
    if options.whole_process {
        process::reaper::start();
    }
    let engine = Engine::new(
        reporter.clone(),
        options.grace,
        signals.hurry.clone(),
        options.whole_process,
    );
    if !command.is_empty() || plan.steps.iter().any(|s| s.action.starts_processes()) {
        engine.containment().prepare_in_background();
    }
    let outcome = tokio::select! {
        outcome = engine.run_init(plan, &signals.cancel) => outcome,
        _ = engine.ticks() => unreachable!("ticks never end"),
    };
    let command_code = match outcome {
        InitOutcome::Ok if !command.is_empty() && !signals.cancel.is_cancelled() => {
            reporter.pause();
            engine.services().hand_over();
            let code =
                handover::run_command(command, &engine, &signals, |e| reporter.event(&e)).await;
            Some(code)
        }
        _ => None,
    };
    engine.stop_services().await;
    engine.containment().finish(engine.hurry()).await;
    match (command_code, outcome) {
        (Some(code), _) => (RunOutcome::Ok, code),
        // A signal during the init, or while a failed step or the services
        // were being stopped, decides the code: the run was interrupted.
        _ if signals.cancel.is_cancelled() => (RunOutcome::Interrupted, interrupted_code(&signals)),
        (None, InitOutcome::Failed { .. }) => (RunOutcome::Failed, EXIT_INIT_FAILED),
        (None, InitOutcome::Ok) => (RunOutcome::Ok, EXIT_OK),
        (None, InitOutcome::Interrupted) => (RunOutcome::Interrupted, interrupted_code(&signals)),
    }
}

/// 128 + the signal, as shells report it: 130 for SIGINT, 143 for SIGTERM,
/// 129 for SIGHUP, 131 for SIGQUIT.
fn interrupted_code(signals: &signals::Signals) -> i32 {
    128 + signals
        .received()
        .map_or(nix::sys::signal::Signal::SIGINT as i32, |s| s as i32)
}
