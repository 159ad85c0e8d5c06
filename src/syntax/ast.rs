//! The syntax tree. Every node carries the byte span it was parsed from.
//!
//! The parser is generous: every clause parses on every step, and the checker
//! decides which clauses belong to which action, so one misplaced clause gives
//! one precise diagnostic instead of a cascade of syntax errors.

use super::span::{Span, Spanned};
pub use crate::panic_action::PanicAction;
pub use crate::text::{CommandSpec, Fallback, Literal, Quote, Text, TextPart, VarRef};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Script {
    pub statements: Vec<Statement>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Statement {
    /// `retry none|restart N|backoff N ...` at the top level: the script policy.
    Policy(PolicyStmt),
    /// `defaults CLAUSES`: default clauses for the steps after it.
    Defaults(DefaultsStmt),
    /// `zlayer on-panic ACTION`: a ZLayer setting zinit does not run, carried
    /// so that `zinit import` → `plan --format zlayer` keeps it.
    ZLayer(ZLayerStmt),
    Step(Step),
}

impl Statement {
    pub fn span(&self) -> Span {
        match self {
            Statement::Policy(p) => p.span,
            Statement::Defaults(d) => d.span,
            Statement::ZLayer(z) => z.span,
            Statement::Step(s) => s.span,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ZLayerStmt {
    /// The `zlayer` keyword.
    pub keyword: Span,
    /// `on-panic`, the one setting today.
    pub setting: Span,
    pub on_panic: Spanned<PanicAction>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PolicyStmt {
    pub kind: PolicyKind,
    /// The `retry` keyword.
    pub keyword: Span,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum PolicyKind {
    None,
    /// `restart [N]`
    Restart {
        count: Option<Spanned<u64>>,
    },
    /// `backoff [N] [initial D] [max D] [factor F] [jitter P%]`, options in any order.
    Backoff {
        count: Option<Spanned<u64>>,
        options: Vec<BackoffOption>,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BackoffOption {
    pub kind: BackoffOptionKind,
    /// The option keyword (`initial`, `max`, ...).
    pub keyword: Span,
    /// Keyword and value.
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum BackoffOptionKind {
    Initial(DurationLit),
    Max(DurationLit),
    Factor(Spanned<f64>),
    /// Percent, as written (`25%` is 25.0).
    Jitter(Spanned<f64>),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DefaultsStmt {
    pub clauses: Box<[Clause]>,
    pub keyword: Span,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Step {
    pub action: Action,
    /// The action keywords, e.g. `wait tcp` or `run`.
    pub head: Span,
    pub clauses: Box<[Clause]>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Action {
    WaitTcp {
        target: Text,
    },
    WaitHttp {
        url: Text,
    },
    WaitFile {
        path: Text,
    },
    /// `wait postgres HOST:PORT|postgres://...`
    WaitPostgres {
        target: Text,
    },
    /// `wait redis HOST:PORT|redis://...`
    WaitRedis {
        target: Text,
    },
    /// `wait mysql HOST:PORT|mysql://...`
    WaitMysql {
        target: Text,
    },
    /// `wait dns NAME`: until NAME resolves (with `type`, `server`, `value`).
    WaitDns {
        name: Text,
    },
    /// `wait grpc HOST:PORT`: the standard health check answers SERVING.
    WaitGrpc {
        target: Text,
    },
    /// `wait exec CMD`: until CMD exits 0.
    WaitExec {
        command: CommandSpec,
    },
    /// `wait log SERVICE contains STR|matches RE [times N]`: the pattern
    /// and count are clauses.
    WaitLog {
        service: Spanned<Literal>,
    },
    Run {
        command: CommandSpec,
    },
    Start {
        command: CommandSpec,
    },
    Sleep {
        duration: DurationLit,
    },
    /// `s3 pull s3://BUCKET/KEY to PATH`. The texts are boxed: two of
    /// them would make every step of a script 48 bytes larger.
    S3Pull {
        source: Box<Text>,
        destination: Box<Text>,
    },
    /// `s3 push PATH to s3://BUCKET/KEY`
    S3Push {
        source: Box<Text>,
        destination: Box<Text>,
    },
    Parallel {
        steps: Vec<Step>,
        body: Span,
    },
    /// `any { STEPS }`: members at once, the first success wins.
    Any {
        steps: Vec<Step>,
        body: Span,
    },
}

impl Action {
    /// The stable action name used in plans and diagnostics.
    pub fn name(&self) -> &'static str {
        match self {
            Action::WaitTcp { .. } => "wait tcp",
            Action::WaitHttp { .. } => "wait http",
            Action::WaitFile { .. } => "wait file",
            Action::WaitPostgres { .. } => "wait postgres",
            Action::WaitRedis { .. } => "wait redis",
            Action::WaitMysql { .. } => "wait mysql",
            Action::WaitDns { .. } => "wait dns",
            Action::WaitGrpc { .. } => "wait grpc",
            Action::WaitExec { .. } => "wait exec",
            Action::WaitLog { .. } => "wait log",
            Action::Run { .. } => "run",
            Action::Start { .. } => "start",
            Action::Sleep { .. } => "sleep",
            Action::S3Pull { .. } => "s3 pull",
            Action::S3Push { .. } => "s3 push",
            Action::Parallel { .. } => "parallel",
            Action::Any { .. } => "any",
        }
    }

    /// The members of a group (`parallel`, `any`); `None` for other actions.
    pub fn members(&self) -> Option<&[Step]> {
        match self {
            Action::Parallel { steps, .. } | Action::Any { steps, .. } => Some(steps),
            _ => None,
        }
    }

    /// The `{ ... }` body of a group.
    pub fn body(&self) -> Option<Span> {
        match self {
            Action::Parallel { body, .. } | Action::Any { body, .. } => Some(*body),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Clause {
    pub kind: ClauseKind,
    /// The clause keyword (`timeout`, `on-fail`, `body` ...).
    pub keyword: Span,
    /// Keyword and arguments.
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum ClauseKind {
    /// `as NAME`
    As(Spanned<Literal>),
    /// `timeout D`
    Timeout(DurationLit),
    /// `on-fail fail|warn|continue`
    OnFail(Spanned<OnFail>),
    /// `retry N [every D | backoff [initial D] [max D] [factor F]]`
    /// Boxed: the largest common kind, it would make every clause 16 bytes larger.
    Retry(Box<StepRetry>),
    /// `every D`
    Every(DurationLit),
    /// `env K=V [K=V ...]`
    Env(Vec<EnvPair>),
    /// `cwd PATH`
    Cwd(Text),
    /// `closed` (wait tcp)
    Closed,
    /// `gone` (wait file)
    Gone,
    /// `insecure` (wait http)
    Insecure,
    /// `status S` (wait http)
    Status(StatusSpec),
    /// `body contains STR` (wait http)
    BodyContains(Text),
    /// `service NAME` (wait grpc)
    Service(Text),
    /// `tls` (wait grpc)
    Tls,
    /// `endpoint URL` (s3)
    Endpoint(Text),
    /// `region NAME` (s3)
    Region(Text),
    /// `type A|AAAA|CNAME|TXT|SRV|MX` (wait dns)
    RecordType(Text),
    /// `server IP[:PORT]` (wait dns)
    Server(Text),
    /// `value V` (wait dns)
    Value(Text),
    /// `contains STR` (wait log)
    Contains(Text),
    /// `matches RE` (wait log)
    Matches(Text),
    /// `times N` (wait log)
    Times(Spanned<u64>),
    /// `by SERVICE` (wait tcp)
    By(Spanned<Literal>),
    /// `method M` (wait http): the request method, as written.
    Method(Spanned<Literal>),
    /// `header "Name: value"` (wait http; repeatable)
    Header(Text),
    /// `data STR` (wait http): the request body.
    Data(Text),
    /// `body matches RE` (wait http)
    BodyMatches(Text),
    /// `json POINTER == VALUE` / `json POINTER exists` (wait http; repeatable)
    /// Boxed, as `cert`: the two largest kinds would make every clause
    /// of every step as large as they are.
    Json(Box<JsonCheck>),
    /// `ca FILE` (wait http): a CA certificate trusted besides the usual roots.
    Ca(Text),
    /// `cert FILE key FILE` (wait http): a client certificate; `key` is
    /// `None` when it was left out (the checker reports it).
    Cert {
        cert: Box<Text>,
        key: Option<Box<Text>>,
    },
    /// `follow N` (wait http): redirects followed at most.
    Follow(Spanned<u64>),
}

/// `json POINTER == VALUE` or `json POINTER exists`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JsonCheck {
    /// An RFC 6901 JSON Pointer such as `/status`.
    pub pointer: Text,
    pub test: JsonTest,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum JsonTest {
    /// `== VALUE`: a double-quoted VALUE is a JSON string; otherwise the
    /// text is JSON (`3`, `true`, `'{"a": 1}'`).
    Equals(Text),
    /// `exists`: the pointer names a value (`null` counts).
    Exists(Span),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum OnFail {
    Fail,
    Warn,
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

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StepRetry {
    pub count: Spanned<u64>,
    pub schedule: Option<RetrySchedule>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum RetrySchedule {
    /// `every D`
    Every(DurationLit),
    /// `backoff [initial D] [max D] [factor F]`
    Backoff {
        keyword: Span,
        options: Vec<BackoffOption>,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EnvPair {
    pub key: Spanned<Literal>,
    pub value: Text,
    pub span: Span,
}

/// `status 200`, `status 200..299`, `status 2xx`, `status 200,204`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StatusSpec {
    pub items: Vec<Spanned<StatusItem>>,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum StatusItem {
    Code(u16),
    /// Inclusive range `lo..hi`.
    Range(u16, u16),
    /// `2xx`: the class digit.
    Class(u16),
}

/// A duration literal such as `30s`, `1m30s` or `1.5s`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DurationLit {
    /// Milliseconds, or `None` when the value does not fit (an error was reported).
    pub millis: Option<u64>,
    pub span: Span,
}
