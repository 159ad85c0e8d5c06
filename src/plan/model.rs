//! The compiled plan: every default resolved, every id unique. The preview,
//! the JSON and ZLayer exports and the engine all read this model, and the
//! delay schedules below are the only place delays are computed, so what
//! `zinit plan` prints is what `zinit run` sleeps.

use crate::syntax::Span;
use crate::syntax::ast::{CommandSpec, OnFail, StatusItem, Text};
use std::time::Duration;

#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub steps: Vec<PlanStep>,
    pub policy: ScriptPolicy,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PlanStep {
    /// Unique across the whole plan, parallel members included.
    pub id: String,
    pub action: PlanAction,
    /// Bounds one attempt. `None` where the action has no attempt to bound
    /// (`sleep`, `start`, a `parallel` group without an explicit timeout).
    pub timeout: Option<Duration>,
    pub on_fail: OnFail,
    pub retry: StepRetry,
    /// Poll interval of a wait (unused by other actions).
    pub poll: Duration,
    /// Where the step was written.
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum PlanAction {
    WaitTcp {
        /// `HOST:PORT`, split when resolved (it may hold `${...}`).
        target: Text,
        closed: bool,
    },
    WaitHttp {
        url: Text,
        status: StatusSet,
        body_contains: Option<Text>,
        insecure: bool,
    },
    WaitFile {
        path: Text,
        gone: bool,
    },
    /// `HOST:PORT` or `postgres://...`, checked when resolved.
    WaitPostgres {
        target: Text,
    },
    /// `HOST:PORT` or `redis://...`, checked when resolved.
    WaitRedis {
        target: Text,
    },
    /// Until the command exits 0, re-run every `poll`.
    WaitExec(CommandPlan),
    Run(CommandPlan),
    Start(CommandPlan),
    Sleep {
        duration: Duration,
    },
    S3Pull {
        /// `s3://BUCKET/KEY`
        source: Text,
        destination: Text,
        endpoint: Option<Text>,
        region: Option<Text>,
    },
    S3Push {
        source: Text,
        /// `s3://BUCKET/KEY`
        destination: Text,
        endpoint: Option<Text>,
        region: Option<Text>,
    },
    Parallel {
        steps: Vec<PlanStep>,
    },
}

impl PlanAction {
    /// The `action` field of the plan JSON (SPEC §5).
    pub fn kind(&self) -> &'static str {
        match self {
            PlanAction::WaitTcp { .. } => "wait_tcp",
            PlanAction::WaitHttp { .. } => "wait_http",
            PlanAction::WaitFile { .. } => "wait_file",
            PlanAction::WaitPostgres { .. } => "wait_postgres",
            PlanAction::WaitRedis { .. } => "wait_redis",
            PlanAction::WaitExec(_) => "wait_exec",
            PlanAction::Run(_) => "run",
            PlanAction::Start(_) => "start",
            PlanAction::Sleep { .. } => "sleep",
            PlanAction::S3Pull { .. } => "s3_pull",
            PlanAction::S3Push { .. } => "s3_push",
            PlanAction::Parallel { .. } => "parallel",
        }
    }

    pub fn is_wait(&self) -> bool {
        matches!(
            self,
            PlanAction::WaitTcp { .. }
                | PlanAction::WaitHttp { .. }
                | PlanAction::WaitFile { .. }
                | PlanAction::WaitPostgres { .. }
                | PlanAction::WaitRedis { .. }
                | PlanAction::WaitExec(_)
        )
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct CommandPlan {
    pub command: CommandSpec,
    pub env: Vec<(String, Text)>,
    pub cwd: Option<Text>,
}

/// Accepted HTTP statuses: a union of inclusive ranges.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusSet {
    pub ranges: Vec<(u16, u16)>,
}

impl StatusSet {
    /// The default: any 2xx.
    pub fn success() -> Self {
        StatusSet {
            ranges: vec![(200, 299)],
        }
    }

    pub fn from_items(items: impl IntoIterator<Item = StatusItem>) -> Self {
        let ranges = items
            .into_iter()
            .map(|item| match item {
                StatusItem::Code(c) => (c, c),
                StatusItem::Range(lo, hi) => (lo, hi),
                // Saturating: a class digit the checker rejected must not panic here.
                StatusItem::Class(d) => (
                    d.saturating_mul(100),
                    d.saturating_mul(100).saturating_add(99),
                ),
            })
            .collect();
        StatusSet { ranges }
    }

    pub fn contains(&self, status: u16) -> bool {
        self.ranges
            .iter()
            .any(|&(lo, hi)| lo <= status && status <= hi)
    }
}

/// A step's own retries, after which `on-fail` decides.
#[derive(Debug, Clone, PartialEq)]
pub struct StepRetry {
    /// Attempts after the first.
    pub retries: u32,
    pub delay: Delay,
}

impl StepRetry {
    pub fn none() -> Self {
        StepRetry {
            retries: 0,
            delay: Delay::Fixed(DEFAULT_STEP_RETRY_DELAY),
        }
    }

    /// The largest possible delay before each retry, in order.
    pub fn delays(&self) -> Vec<Duration> {
        self.delay.schedule(self.retries)
    }
}

/// `retry N` on a step without `every` or `backoff` waits this long between attempts.
pub const DEFAULT_STEP_RETRY_DELAY: Duration = Duration::from_secs(1);
/// `retry restart` re-runs the script after this pause.
pub const RESTART_DELAY: Duration = Duration::from_millis(100);

#[derive(Debug, Clone, PartialEq)]
pub enum Delay {
    Fixed(Duration),
    Backoff(Backoff),
}

impl Delay {
    /// The largest possible delays before retries 1..=n. Allocates one entry
    /// per retry: for counts that may be huge, use [`Delay::runs`].
    pub fn schedule(&self, n: u32) -> Vec<Duration> {
        (0..n).map(|i| self.nth(i, 1.0)).collect()
    }

    /// The largest possible delays before retries 1..=n as runs of equal
    /// delays, so that `retry 4000000000` costs a few entries, not gigabytes.
    /// Every delay comes from [`Delay::nth`]; only past
    /// [`EXACT_SCHEDULE_TERMS`] delays that have not settled yet (a factor
    /// barely above 1) are bounded from above instead of enumerated.
    pub fn runs(&self, n: u32) -> Vec<DelayRun> {
        let mut runs = Vec::new();
        match self {
            Delay::Fixed(d) => push_run(&mut runs, *d, n),
            Delay::Backoff(b) => {
                let mut i = 0;
                while i < n {
                    if i >= EXACT_SCHEDULE_TERMS {
                        push_run(&mut runs, b.upper_bound_from(i), n - i);
                        break;
                    }
                    let delay = b.nth(i, 1.0);
                    if b.is_settled_at(i) {
                        push_run(&mut runs, delay, n - i);
                        break;
                    }
                    push_run(&mut runs, delay, 1);
                    i += 1;
                }
            }
        }
        runs
    }

    /// The sum of the largest possible delays before retries 1..=n, saturating.
    pub fn total(&self, n: u32) -> Duration {
        Duration::from_millis(runs_total_ms(&self.runs(n)))
    }

    /// The delay before retry `i` (0-based). `jitter_draw` in `[0, 1]` picks
    /// where inside the jitter band the delay falls; 1.0 is the largest.
    pub fn nth(&self, i: u32, jitter_draw: f64) -> Duration {
        match self {
            Delay::Fixed(d) => *d,
            Delay::Backoff(b) => b.nth(i, jitter_draw),
        }
    }
}

/// Delays enumerated one by one before [`Delay::runs`] bounds the rest.
pub const EXACT_SCHEDULE_TERMS: u32 = 100_000;

/// `count` consecutive retries that each wait `delay`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DelayRun {
    pub delay: Duration,
    pub count: u32,
}

fn push_run(runs: &mut Vec<DelayRun>, delay: Duration, count: u32) {
    if count == 0 {
        return;
    }
    match runs.last_mut() {
        Some(last) if last.delay == delay => last.count = last.count.saturating_add(count),
        _ => runs.push(DelayRun { delay, count }),
    }
}

/// The sum of the runs in milliseconds, saturating.
pub fn runs_total_ms(runs: &[DelayRun]) -> u64 {
    runs.iter().fold(0u64, |sum, run| {
        sum.saturating_add(millis_of(run.delay).saturating_mul(u64::from(run.count)))
    })
}

/// Whole milliseconds of a duration, saturating at `u64::MAX`.
pub fn millis_of(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

/// Exponential backoff: `initial × factor^i`, capped at `max`, then
/// stretched by up to `jitter_pct` percent.
#[derive(Debug, Clone, PartialEq)]
pub struct Backoff {
    pub initial: Duration,
    pub max: Duration,
    pub factor: f64,
    pub jitter_pct: f64,
}

impl Backoff {
    pub fn nth(&self, i: u32, jitter_draw: f64) -> Duration {
        let max_ms = self.max.as_millis() as f64;
        let grown = self.grown_ms(i);
        let base = if grown.is_finite() {
            grown.min(max_ms)
        } else {
            max_ms
        };
        let jittered = base * (1.0 + self.jitter_pct / 100.0 * jitter_draw.clamp(0.0, 1.0));
        millis_saturating(jittered)
    }

    /// `initial × factor^i` before the cap.
    fn grown_ms(&self, i: u32) -> f64 {
        let initial_ms = self.initial.as_millis() as f64;
        initial_ms * self.factor.powi(i.min(i32::MAX as u32) as i32)
    }

    /// True when every delay from retry `i` on equals the delay before retry `i`.
    fn is_settled_at(&self, i: u32) -> bool {
        let grown = self.grown_ms(i);
        if !grown.is_finite() || grown == 0.0 || self.factor == 1.0 {
            return true;
        }
        if self.factor > 1.0 {
            return grown >= self.max.as_millis() as f64;
        }
        // Shrinking towards zero: settled once it rounds to nothing.
        (0.0..1.0).contains(&self.factor) && self.nth(i, 1.0).is_zero()
    }

    /// A delay no smaller than any delay from retry `i` on.
    fn upper_bound_from(&self, i: u32) -> Duration {
        if (0.0..=1.0).contains(&self.factor) {
            self.nth(i, 1.0)
        } else {
            let cap = self.max.as_millis() as f64 * (1.0 + self.jitter_pct.max(0.0) / 100.0);
            millis_saturating(cap)
        }
    }
}

/// Milliseconds as a `Duration`, saturating instead of overflowing.
pub fn millis_saturating(ms: f64) -> Duration {
    if !ms.is_finite() || ms >= u64::MAX as f64 {
        Duration::from_millis(u64::MAX)
    } else if ms <= 0.0 {
        Duration::ZERO
    } else {
        Duration::from_millis(ms.round() as u64)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyKind {
    None,
    Restart,
    Backoff,
}

impl PolicyKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PolicyKind::None => "none",
            PolicyKind::Restart => "restart",
            PolicyKind::Backoff => "backoff",
        }
    }
}

/// What happens when a pass of the script fails (ZLayer `errors.on_init_failure`).
#[derive(Debug, Clone, PartialEq)]
pub struct ScriptPolicy {
    pub kind: PolicyKind,
    /// Passes after the first.
    pub retries: u32,
    pub delay: Delay,
}

impl ScriptPolicy {
    pub fn none() -> Self {
        ScriptPolicy {
            kind: PolicyKind::None,
            retries: 0,
            delay: Delay::Fixed(Duration::ZERO),
        }
    }

    /// The largest possible delay before each re-run, in order.
    pub fn delays(&self) -> Vec<Duration> {
        self.delay.schedule(self.retries)
    }
}

/// Default timeout of one attempt of a wait.
pub const DEFAULT_WAIT_TIMEOUT: Duration = Duration::from_secs(30);
/// Default timeout of one attempt of `run` and `s3`.
pub const DEFAULT_TASK_TIMEOUT: Duration = Duration::from_secs(300);
/// Default poll interval of a wait: short, because a refused loopback
/// connect or a `stat` costs microseconds and users want readiness noticed
/// at once. The engine asks an HTTP server that answers, but not yet as
/// expected, at most every `HTTP_ANSWERED_POLL_FLOOR`.
pub const DEFAULT_POLL: Duration = Duration::from_millis(5);
/// `wait exec` runs a process per check, so it checks less often (SPEC §6).
pub const DEFAULT_EXEC_POLL: Duration = Duration::from_secs(1);
pub const HTTP_ANSWERED_POLL_FLOOR: Duration = Duration::from_millis(100);
/// `retry backoff` defaults (script policy and step retries alike).
pub const DEFAULT_BACKOFF_INITIAL: Duration = Duration::from_secs(1);
pub const DEFAULT_BACKOFF_MAX: Duration = Duration::from_secs(60);
pub const DEFAULT_BACKOFF_FACTOR: f64 = 2.0;
/// `retry restart` / `retry backoff` without a count.
pub const DEFAULT_POLICY_RETRIES: u32 = 3;
