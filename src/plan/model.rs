//! The compiled plan: every default resolved, every id unique. The preview,
//! the JSON and ZLayer exports and the engine all read this model, and its
//! delay schedules ([`super::schedule`], re-exported here) are the only
//! place delays are computed, so what `zinit plan` prints is what `zinit
//! run` sleeps.

pub use super::schedule::{
    Backoff, Delay, DelayRun, EXACT_SCHEDULE_TERMS, millis_of, millis_saturating, runs_total_ms,
};
use crate::span::Span;
use crate::text::{CommandSpec, Text};
use std::time::Duration;

#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub steps: Vec<PlanStep>,
    pub policy: ScriptPolicy,
    /// Settings only `--format zlayer` uses (`zlayer on-panic ...`).
    pub zlayer: ZLayerSettings,
}

/// What the script says for ZLayer alone; zinit's own run ignores it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ZLayerSettings {
    pub on_panic: Option<PanicAction>,
}

pub use crate::panic_action::PanicAction;

#[derive(Debug, Clone, PartialEq)]
pub struct PlanStep {
    /// Unique across the whole plan, parallel members included.
    pub id: String,
    pub action: PlanAction,
    /// Bounds one attempt. `None` where the action has no attempt to bound
    /// (`sleep`, `start`, a `parallel` group without an explicit timeout).
    pub timeout: Option<Duration>,
    pub on_fail: OnFail,
    /// Where the `on-fail` in force was written (the step's own clause or a
    /// `defaults`); `None` for the built-in `fail`.
    pub on_fail_span: Option<Span>,
    /// Where the `timeout` and `every` in force were written, likewise.
    pub timeout_span: Option<Span>,
    pub poll_span: Option<Span>,
    pub retry: StepRetry,
    /// Poll interval of a wait (unused by other actions).
    pub poll: Duration,
    /// Where the step was written, and its action keywords (`wait tcp`).
    pub span: Span,
    pub head: Span,
}

/// What a step that failed for good does to its pass (ZLayer `FailureAction`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum OnFail {
    /// End the pass (or fail the enclosing group).
    Fail,
    /// Log a warning and go on.
    Warn,
    /// Go on silently.
    Continue,
}

impl OnFail {
    pub fn as_str(self) -> &'static str {
        match self {
            OnFail::Fail => "fail",
            OnFail::Warn => "warn",
            OnFail::Continue => "continue",
        }
    }
}

/// What a `wait http` sends and, besides `status` and `body contains`,
/// expects; each value is checked again once `${...}` is resolved.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct HttpRequest {
    /// As written; `GET` when absent.
    pub method: Option<String>,
    /// `Name: value`, in the order sent: `defaults`' first (less the names
    /// the step gives itself), then the step's own.
    pub headers: Vec<Text>,
    pub data: Option<Text>,
    pub body_matches: Option<Text>,
    /// Every check must hold.
    pub json: Vec<JsonCheck>,
    pub ca: Option<Text>,
    /// Client certificate and its key.
    pub cert: Option<(Text, Text)>,
    /// Redirects followed at most (0: a 3xx is the answer).
    pub follow: u32,
}

impl HttpRequest {
    pub fn method(&self) -> &str {
        self.method.as_deref().unwrap_or("GET")
    }
}

/// `json POINTER == VALUE` (`equals` is VALUE as written) or `json POINTER exists`.
#[derive(Debug, Clone, PartialEq)]
pub struct JsonCheck {
    pub pointer: Text,
    pub equals: Option<Text>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum PlanAction {
    WaitTcp {
        /// `HOST:PORT`, split when resolved (it may hold `${...}`).
        target: Text,
        closed: bool,
        /// `by SERVICE`: the listener must be the service's.
        by: Option<ServiceRef>,
    },
    WaitHttp {
        url: Text,
        status: StatusSet,
        body_contains: Option<Text>,
        insecure: bool,
        /// The request and answer settings of SPEC §6 (`method`, `header` ...),
        /// boxed: most steps are not `wait http`.
        request: Box<HttpRequest>,
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
    /// `HOST:PORT` or `mysql://...`, checked when resolved.
    WaitMysql {
        target: Text,
    },
    /// Until the name resolves (to `value`, if given).
    WaitDns {
        name: Text,
        /// `None`: A or AAAA.
        record_type: Option<Text>,
        /// `None`: the system resolver.
        server: Option<Text>,
        value: Option<Text>,
    },
    WaitGrpc(GrpcPlan),
    /// Until the command exits 0, re-run every `poll`.
    WaitExec(CommandPlan),
    /// Until `times` lines of the service's output match (never polled).
    WaitLog {
        service: ServiceRef,
        /// `None` only in a tree the checker rejected (E133).
        pattern: Option<LogPattern>,
        times: u64,
    },
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
    /// Members at once; the first to succeed wins, the others are cancelled.
    Any {
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
            PlanAction::WaitMysql { .. } => "wait_mysql",
            PlanAction::WaitDns { .. } => "wait_dns",
            PlanAction::WaitGrpc(_) => "wait_grpc",
            PlanAction::WaitExec(_) => "wait_exec",
            PlanAction::WaitLog { .. } => "wait_log",
            PlanAction::Run(_) => "run",
            PlanAction::Start(_) => "start",
            PlanAction::Sleep { .. } => "sleep",
            PlanAction::S3Pull { .. } => "s3_pull",
            PlanAction::S3Push { .. } => "s3_push",
            PlanAction::Parallel { .. } => "parallel",
            PlanAction::Any { .. } => "any",
        }
    }

    /// The members of a group (`parallel`, `any`); `None` for other actions.
    pub fn members(&self) -> Option<&[PlanStep]> {
        match self {
            PlanAction::Parallel { steps } | PlanAction::Any { steps } => Some(steps),
            _ => None,
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
                | PlanAction::WaitMysql { .. }
                | PlanAction::WaitDns { .. }
                | PlanAction::WaitGrpc(_)
                | PlanAction::WaitExec(_)
                | PlanAction::WaitLog { .. }
        )
    }

    /// A wait that checks again every `poll` (`wait log` sees each line as
    /// it is printed instead).
    pub fn polls(&self) -> bool {
        self.is_wait() && !matches!(self, PlanAction::WaitLog { .. })
    }
}

/// `wait grpc HOST:PORT [service NAME] [tls] [insecure]`.
#[derive(Debug, Clone, PartialEq)]
pub struct GrpcPlan {
    /// `HOST:PORT`, checked when resolved.
    pub target: Text,
    /// `None`: the server as a whole (the empty service name on the wire).
    pub service: Option<Text>,
    pub tls: bool,
    pub insecure: bool,
}

/// A `start` step named by `wait log SERVICE` or `by SERVICE`.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceRef {
    pub id: String,
    /// Where the reference is written.
    pub span: Span,
}

/// What `wait log` counts: lines that contain a text, or match a regular
/// expression (compiled when resolved: it may hold `${...}`).
#[derive(Debug, Clone, PartialEq)]
pub enum LogPattern {
    Contains(Text),
    Matches(Text),
}

impl LogPattern {
    /// `contains` / `matches`, as written.
    pub fn keyword(&self) -> &'static str {
        match self {
            LogPattern::Contains(_) => "contains",
            LogPattern::Matches(_) => "matches",
        }
    }

    pub fn text(&self) -> &Text {
        match self {
            LogPattern::Contains(t) | LogPattern::Matches(t) => t,
        }
    }
}

/// `times` without the clause.
pub const DEFAULT_LOG_TIMES: u64 = 1;

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

    /// Attempts in all: the first plus the retries.
    pub fn attempts(&self) -> u64 {
        u64::from(self.retries) + 1
    }
}

/// Between SIGTERM and SIGKILL when a command's process group is stopped
/// (a timeout, a cancel, the end of a pass). The plan's worst case counts
/// it for every step that runs commands, and the engine waits exactly this
/// long (unless `ZINIT_KILL_GRACE_MS` shortens it, for tests).
pub const STOP_GRACE: Duration = Duration::from_secs(5);

/// `retry N` on a step without `every` or `backoff` waits this long between attempts.
pub const DEFAULT_STEP_RETRY_DELAY: Duration = Duration::from_secs(1);
/// `retry restart` re-runs the script after this pause.
pub const RESTART_DELAY: Duration = Duration::from_millis(100);

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

    /// Passes in all: the first plus the re-runs.
    pub fn passes(&self) -> u64 {
        u64::from(self.retries) + 1
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
/// A protocol wait's server (postgres, mysql, redis, grpc, dns) that
/// answered "not yet" is asked again no sooner than this, whatever `every`
/// says: at most 200 questions a second to a starting server (each costs
/// PostgreSQL a process), while readiness is still noticed within a few
/// milliseconds (issue #9: a median of 10 ms or less). `every` lengthens it.
pub const ANSWERED_POLL_FLOOR: Duration = Duration::from_millis(5);
/// `retry backoff` defaults (script policy and step retries alike).
pub const DEFAULT_BACKOFF_INITIAL: Duration = Duration::from_secs(1);
pub const DEFAULT_BACKOFF_MAX: Duration = Duration::from_secs(60);
pub const DEFAULT_BACKOFF_FACTOR: f64 = 2.0;
/// `retry restart` / `retry backoff` without a count.
pub const DEFAULT_POLICY_RETRIES: u32 = 3;
