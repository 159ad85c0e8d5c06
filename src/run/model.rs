//! The plan with every `${...}` resolved: what the engine executes. Built by
//! [`super::resolve`] before anything runs, so a bad variable or target
//! stops the run with a diagnostic instead of failing half-way.

use crate::plan::model::OnFail;
use crate::plan::model::{PlanStep, ScriptPolicy, StatusSet, StepRetry};
use crate::run::s3::S3Target;
use crate::values::{HostPort, RecordType, RecordValue, Service, ServiceTarget};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct RunPlan {
    pub steps: Vec<RunStep>,
    pub policy: ScriptPolicy,
}

#[derive(Debug, Clone)]
pub struct RunStep {
    pub id: String,
    pub action: RunAction,
    pub timeout: Option<Duration>,
    pub on_fail: OnFail,
    pub retry: StepRetry,
    pub poll: Duration,
}

impl RunStep {
    /// The settings every action shares, taken from the plan step.
    pub fn from_plan(step: &PlanStep, action: RunAction) -> Self {
        RunStep {
            id: step.id.clone(),
            action,
            timeout: step.timeout,
            on_fail: step.on_fail,
            retry: step.retry.clone(),
            poll: step.poll,
        }
    }

    /// Attempts in all, as the plan counts them (bounded by the checker
    /// far below `u32::MAX`).
    pub fn attempts(&self) -> u32 {
        u32::try_from(self.retry.attempts()).unwrap_or(u32::MAX)
    }
}

#[derive(Debug, Clone)]
pub enum RunAction {
    WaitTcp(TcpTarget),
    /// `wait tcp HOST:PORT by SERVICE`: accepting, and the listener is the service's.
    WaitTcpBy {
        target: TcpTarget,
        service: String,
    },
    WaitHttp(HttpWait),
    WaitFile {
        path: PathBuf,
        gone: bool,
    },
    /// `wait postgres` / `wait redis` / `wait mysql`.
    WaitService(ServiceWait),
    WaitDns(DnsWait),
    WaitGrpc(GrpcWait),
    WaitExec(CommandLine),
    WaitLog(LogWait),
    Run(CommandLine),
    Start(CommandLine),
    Sleep(Duration),
    S3Pull(S3Transfer),
    S3Push(S3Transfer),
    Parallel(Vec<RunStep>),
    /// The first member to succeed wins; the others are cancelled.
    Any(Vec<RunStep>),
}

impl RunAction {
    /// Whether running it starts a process (here or in a group member).
    pub fn starts_processes(&self) -> bool {
        match self {
            RunAction::Run(_) | RunAction::Start(_) => true,
            RunAction::Parallel(steps) | RunAction::Any(steps) => {
                steps.iter().any(|s| s.action.starts_processes())
            }
            _ => false,
        }
    }

    /// Same names as the plan JSON's `action`.
    pub fn kind(&self) -> &'static str {
        match self {
            RunAction::WaitTcp(_) | RunAction::WaitTcpBy { .. } => "wait_tcp",
            RunAction::WaitHttp(_) => "wait_http",
            RunAction::WaitFile { .. } => "wait_file",
            RunAction::WaitService(w) => match w.service {
                Service::Postgres => "wait_postgres",
                Service::Redis => "wait_redis",
                Service::Mysql => "wait_mysql",
            },
            RunAction::WaitDns(_) => "wait_dns",
            RunAction::WaitGrpc(_) => "wait_grpc",
            RunAction::WaitExec(_) => "wait_exec",
            RunAction::WaitLog(_) => "wait_log",
            RunAction::Run(_) => "run",
            RunAction::Start(_) => "start",
            RunAction::Sleep(_) => "sleep",
            RunAction::S3Pull(_) => "s3_pull",
            RunAction::S3Push(_) => "s3_push",
            RunAction::Parallel(_) => "parallel",
            RunAction::Any(_) => "any",
        }
    }

    /// A one-line description for progress output, e.g. `db:5432` or `./migrate up`.
    pub fn detail(&self) -> String {
        match self {
            RunAction::WaitTcp(t) => {
                let target = t.to_string();
                if t.closed {
                    format!("{target} closed")
                } else {
                    target
                }
            }
            RunAction::WaitTcpBy { target, service } => format!("{target} by {service}"),
            RunAction::WaitLog(w) => format!("{} {}", w.service, w.matcher),
            RunAction::WaitHttp(h) => h.url.clone(),
            RunAction::WaitFile { path, gone } => {
                let path = path.display();
                if *gone {
                    format!("{path} gone")
                } else {
                    path.to_string()
                }
            }
            RunAction::WaitService(w) => w.shown.clone(),
            RunAction::WaitDns(w) => w.to_string(),
            RunAction::WaitGrpc(g) => g.to_string(),
            RunAction::Run(c) | RunAction::Start(c) | RunAction::WaitExec(c) => c.display(),
            RunAction::Sleep(d) => crate::run::fmt::duration(*d),
            RunAction::S3Pull(t) => format!("{} to {}", t.object, t.path.display()),
            RunAction::S3Push(t) => format!("{} to {}", t.path.display(), t.object),
            RunAction::Parallel(steps) => format!("{} steps", steps.len()),
            RunAction::Any(steps) => format!("of {} steps", steps.len()),
        }
    }
}

/// `HOST:PORT` split and checked.
#[derive(Debug, Clone, PartialEq)]
pub struct TcpTarget {
    pub host: String,
    pub port: u16,
    /// Set when the host is an IP literal: no name resolution needed.
    pub addr: Option<SocketAddr>,
    pub closed: bool,
}

impl std::fmt::Display for TcpTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.host.contains(':') {
            write!(f, "[{}]:{}", self.host, self.port)
        } else {
            write!(f, "{}:{}", self.host, self.port)
        }
    }
}

/// `wait log SERVICE contains|matches ... times N`, its pattern compiled.
#[derive(Debug, Clone)]
pub struct LogWait {
    pub service: String,
    pub matcher: Arc<LineMatcher>,
    pub times: u64,
}

/// What a counted line shows.
#[derive(Debug)]
pub enum LineMatcher {
    Contains(String),
    Matches(regex::Regex),
}

impl LineMatcher {
    pub fn matches(&self, line: &str) -> bool {
        match self {
            LineMatcher::Contains(text) => line.contains(text.as_str()),
            LineMatcher::Matches(re) => re.is_match(line),
        }
    }
}

/// `contains "ready"` / `matches 'listening on \d+'`, as messages show it.
impl std::fmt::Display for LineMatcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LineMatcher::Contains(text) => write!(f, "contains {text:?}"),
            LineMatcher::Matches(re) => write!(f, "matches '{}'", re.as_str()),
        }
    }
}

/// `wait grpc`, its target and service checked.
#[derive(Debug, Clone)]
pub struct GrpcWait {
    pub address: HostPort,
    /// Empty: the server as a whole (the health protocol's convention).
    pub service: String,
    pub tls: bool,
    pub insecure: bool,
}

/// `api:50051`, `api:50051 service shop.v1.Orders tls`: for progress lines.
impl std::fmt::Display for GrpcWait {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.address)?;
        if !self.service.is_empty() {
            write!(f, " service {}", self.service)?;
        }
        match (self.tls, self.insecure) {
            (true, true) => write!(f, " tls insecure"),
            (true, false) => write!(f, " tls"),
            _ => Ok(()),
        }
    }
}

/// A protocol wait, its target checked.
#[derive(Debug, Clone)]
pub struct ServiceWait {
    pub service: Service,
    pub target: ServiceTarget,
    /// The target for output, its password hidden.
    pub shown: String,
}

/// `wait dns`, every value checked.
#[derive(Debug, Clone)]
pub struct DnsWait {
    pub name: String,
    /// `None`: A or AAAA.
    pub record_type: Option<RecordType>,
    /// `None`: the system resolver.
    pub server: Option<SocketAddr>,
    pub value: Option<RecordValue>,
    /// `value` as written, for messages.
    pub value_text: Option<String>,
}

impl std::fmt::Display for DnsWait {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.name)?;
        if let Some(kind) = self.record_type {
            write!(f, " type {}", kind.name())?;
        }
        if let Some(server) = self.server {
            write!(f, " server {server}")?;
        }
        if let Some(value) = &self.value_text {
            write!(f, " value {value}")?;
        }
        Ok(())
    }
}

#[derive(Debug, Clone)]
pub struct HttpWait {
    pub url: String,
    pub status: StatusSet,
    pub body_contains: Option<String>,
    pub insecure: bool,
    pub call: HttpCall,
}

/// What a `wait http` sends, how, and what else its answer must hold.
#[derive(Debug, Clone, Default)]
pub struct HttpCall {
    pub method: reqwest::Method,
    /// In the order sent.
    pub headers: Vec<(String, String)>,
    pub data: Option<String>,
    pub body_matches: Option<regex::Regex>,
    pub json: Vec<JsonExpect>,
    pub ca: Option<PathBuf>,
    /// A client certificate and its key (PEM files).
    pub cert: Option<(PathBuf, PathBuf)>,
    /// Redirects followed at most.
    pub follow: u32,
}

impl HttpCall {
    /// Whether the request needs a client of its own (the shared ones trust
    /// the usual roots, present no certificate and follow no redirect).
    pub fn own_client(&self) -> bool {
        self.ca.is_some() || self.cert.is_some() || self.follow > 0
    }

    pub fn reads_body(&self) -> bool {
        self.body_matches.is_some() || !self.json.is_empty()
    }
}

/// `json POINTER == VALUE` (`equals`), or `json POINTER exists`.
#[derive(Debug, Clone)]
pub struct JsonExpect {
    pub pointer: String,
    pub equals: Option<serde_json::Value>,
}

/// `s3 pull OBJECT to PATH` / `s3 push PATH to OBJECT`.
#[derive(Debug, Clone, PartialEq)]
pub struct S3Transfer {
    pub object: S3Target,
    pub path: PathBuf,
    pub endpoint: Option<String>,
    pub region: Option<String>,
}

/// A command ready to spawn: `argv[0]` is the program (`sh` for shell strings).
#[derive(Debug, Clone, PartialEq)]
pub struct CommandLine {
    pub argv: Vec<String>,
    pub env: Vec<(String, String)>,
    pub cwd: Option<PathBuf>,
    /// The shell string when written as one (for display).
    pub shell: Option<String>,
}

impl CommandLine {
    pub fn display(&self) -> String {
        match &self.shell {
            Some(s) => s.clone(),
            None => crate::run::fmt::argv(&self.argv),
        }
    }
}
