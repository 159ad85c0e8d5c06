//! `zinit plan --format json` (SPEC §5). The fields of the spec are stable;
//! the extra ones (best case per step, resolved action settings) may grow.

use super::env::Env;
use super::model::{CommandPlan, DelayRun, Plan, PlanAction, PlanStep, millis_of};
use super::text::{shown, target};
use super::timing::{PlanTiming, StepTiming};
use crate::plan::model::{OnFail, PanicAction};
use crate::text::CommandSpec;
use serde::Serialize;
use std::collections::BTreeMap;

/// Delays listed one by one in `retry_delays_ms`/`delays_ms`; past this the
/// count of the rest is given instead (a count may be in the billions).
pub const MAX_LISTED_DELAYS: usize = 1000;

#[derive(Debug, Serialize)]
pub struct PlanJson {
    pub steps: Vec<StepJson>,
    pub policy: PolicyJson,
    /// `zlayer on-panic ...`, only when the script sets it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub zlayer: Option<ZLayerJson>,
    pub best_case_ms: u64,
    pub worst_case_ms: u64,
    pub pass_best_case_ms: u64,
    pub pass_worst_case_ms: u64,
    /// Counted in the worst cases for every stop of a command (SIGTERM,
    /// then SIGKILL after this grace).
    pub stop_grace_ms: u64,
}

#[derive(Debug, Serialize)]
pub struct ZLayerJson {
    pub on_panic: PanicAction,
}

#[derive(Debug, Serialize)]
pub struct StepJson {
    pub id: String,
    pub action: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// `null` where the step has no timeout (`sleep`, `start`, a group without one).
    pub timeout_ms: Option<u64>,
    pub on_fail: OnFail,
    pub retries: u32,
    pub retry_delays_ms: Vec<u64>,
    pub worst_case_ms: u64,
    pub best_case_ms: u64,
    /// Delays not listed in `retry_delays_ms` (see [`MAX_LISTED_DELAYS`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_delays_left_off: Option<u64>,
    pub can_fail_pass: bool,
    #[serde(flatten)]
    pub settings: ActionJson,
    /// Members of a parallel group.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub steps: Option<Vec<StepJson>>,
}

/// The resolved settings of the action; only those that apply are present.
#[derive(Debug, Default, Serialize)]
pub struct ActionJson {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub poll_ms: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub closed: Option<bool>,
    /// Accepted statuses as inclusive `[low, high]` ranges.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<Vec<[u16; 2]>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body_contains: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tls: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub insecure: Option<bool>,
    #[serde(flatten)]
    pub http: Option<HttpJson>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gone: Option<bool>,
    /// A shell string, or an argv list.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub command: Option<CommandJson>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub env: Option<BTreeMap<String, String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cwd: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration_ms: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub destination: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// `wait dns`: the record type asked for (`A/AAAA` by default).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record_type: Option<String>,
    /// `wait dns`: the server asked (`system`: the system resolver).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server: Option<String>,
    /// `wait dns`: the answer waited for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// `wait log SERVICE`, and `by SERVICE` on `wait_tcp`: a `start` step's id.
    /// `wait log SERVICE`: a `start` step's id; `wait grpc ... service
    /// NAME`: the gRPC service asked about (absent: the server as a whole).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contains: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub matches: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub times: Option<u64>,
}

/// The request settings of a `wait http`, resolved (`method`, `follow`)
/// or as written (variables are never resolved here: a header or body may
/// carry a secret).
#[derive(Debug, Serialize)]
pub struct HttpJson {
    pub method: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub headers: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body_matches: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub json: Vec<JsonCheckJson>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ca: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cert: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    pub follow: u32,
}

/// `{"pointer": "/status", "equals": "up"}` or `{"pointer": "/db", "exists": true}`.
#[derive(Debug, Serialize)]
pub struct JsonCheckJson {
    pub pointer: String,
    /// The JSON value; a string as written when it holds `${...}`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub equals: Option<serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exists: Option<bool>,
}

fn http_json(request: &crate::plan::model::HttpRequest) -> HttpJson {
    use crate::plan::text::written;
    let shown = |t: &crate::text::Text| crate::secret::redact_urls(&written(t)).into_owned();
    let json = request.json.iter().map(|check| {
        let equals = check.equals.as_ref().map(|v| match v.literal() {
            Some(literal) => {
                let quoted = v.quote == crate::text::Quote::Double;
                crate::values::parse_json_value(&literal, quoted)
                    .unwrap_or(serde_json::Value::String(literal))
            }
            None => serde_json::Value::String(written(v)),
        });
        JsonCheckJson {
            pointer: written(&check.pointer),
            exists: equals.is_none().then_some(true),
            equals,
        }
    });
    HttpJson {
        method: request.method().to_string(),
        headers: request.headers.iter().map(shown).collect(),
        data: request.data.as_ref().map(shown),
        body_matches: request.body_matches.as_ref().map(written),
        json: json.collect(),
        ca: request.ca.as_ref().map(written),
        cert: request.cert.as_ref().map(|(c, _)| written(c)),
        key: request.cert.as_ref().map(|(_, k)| written(k)),
        follow: request.follow,
    }
}

#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum CommandJson {
    Shell(String),
    Argv(Vec<String>),
}

#[derive(Debug, Serialize)]
pub struct PolicyJson {
    pub kind: &'static str,
    pub retries: u32,
    pub delays_ms: Vec<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delays_left_off: Option<u64>,
    /// False when no step can fail a pass, so the policy never applies.
    pub can_apply: bool,
}

pub fn plan_json(plan: &Plan, timing: &PlanTiming, env: &Env) -> PlanJson {
    let (delays_ms, delays_left_off) = listed(&timing.policy_delays);
    PlanJson {
        steps: steps_json(&plan.steps, &timing.steps, env),
        policy: PolicyJson {
            kind: plan.policy.kind.as_str(),
            retries: plan.policy.retries,
            delays_ms,
            delays_left_off,
            can_apply: timing.policy_can_apply,
        },
        zlayer: plan.zlayer.on_panic.map(|on_panic| ZLayerJson { on_panic }),
        best_case_ms: millis_of(timing.best),
        worst_case_ms: millis_of(timing.worst),
        pass_best_case_ms: millis_of(timing.pass_best),
        pass_worst_case_ms: millis_of(timing.pass_worst),
        stop_grace_ms: millis_of(super::model::STOP_GRACE),
    }
}

/// The plan JSON, pretty-printed, with a final newline.
pub fn render_json(plan: &Plan, timing: &PlanTiming, env: &Env) -> String {
    let json = plan_json(plan, timing, env);
    // Serializing plain structs of strings and numbers cannot fail.
    let mut out = serde_json::to_string_pretty(&json).unwrap_or_default();
    out.push('\n');
    out
}

fn steps_json(steps: &[PlanStep], timings: &[StepTiming], env: &Env) -> Vec<StepJson> {
    steps
        .iter()
        .zip(timings)
        .map(|(step, timing)| step_json(step, timing, env))
        .collect()
}

fn step_json(step: &PlanStep, timing: &StepTiming, env: &Env) -> StepJson {
    let (retry_delays_ms, retry_delays_left_off) = listed(&timing.retry_delays);
    StepJson {
        id: step.id.clone(),
        action: step.action.kind(),
        target: target(&step.action, env),
        timeout_ms: step.timeout.map(millis_of),
        on_fail: step.on_fail,
        retries: step.retry.retries,
        retry_delays_ms,
        worst_case_ms: millis_of(timing.worst),
        best_case_ms: millis_of(timing.best),
        retry_delays_left_off,
        can_fail_pass: timing.can_fail_pass,
        settings: action_json(step, env),
        steps: step
            .action
            .members()
            .map(|steps| steps_json(steps, &timing.members, env)),
    }
}

fn action_json(step: &PlanStep, env: &Env) -> ActionJson {
    let text = |t: &crate::text::Text| shown(t, env);
    let poll_ms = step.action.polls().then(|| millis_of(step.poll));
    match &step.action {
        PlanAction::WaitTcp { closed, by, .. } => ActionJson {
            poll_ms,
            closed: Some(*closed),
            by: by.as_ref().map(|s| s.id.clone()),
            ..ActionJson::default()
        },
        PlanAction::WaitLog {
            service,
            pattern,
            times,
        } => {
            let pattern = |kind: &str| {
                pattern
                    .as_ref()
                    .filter(|p| p.keyword() == kind)
                    .map(|p| text(p.text()))
            };
            ActionJson {
                service: Some(service.id.clone()),
                contains: pattern("contains"),
                matches: pattern("matches"),
                times: Some(*times),
                ..ActionJson::default()
            }
        }
        PlanAction::WaitHttp {
            status,
            body_contains,
            insecure,
            request,
            ..
        } => ActionJson {
            poll_ms,
            status: Some(status.ranges.iter().map(|&(lo, hi)| [lo, hi]).collect()),
            body_contains: body_contains.as_ref().map(text),
            insecure: Some(*insecure),
            http: Some(http_json(request)),
            ..ActionJson::default()
        },
        PlanAction::WaitFile { gone, .. } => ActionJson {
            poll_ms,
            gone: Some(*gone),
            ..ActionJson::default()
        },
        PlanAction::WaitDns {
            record_type,
            server,
            value,
            ..
        } => ActionJson {
            poll_ms,
            record_type: Some(record_type.as_ref().map_or_else(|| "A/AAAA".into(), text)),
            server: Some(server.as_ref().map_or_else(|| "system".into(), text)),
            value: value.as_ref().map(text),
            ..ActionJson::default()
        },
        PlanAction::WaitPostgres { .. }
        | PlanAction::WaitRedis { .. }
        | PlanAction::WaitMysql { .. } => ActionJson {
            poll_ms,
            ..ActionJson::default()
        },
        PlanAction::WaitGrpc(grpc) => ActionJson {
            poll_ms,
            service: grpc.service.as_ref().map(text),
            tls: Some(grpc.tls),
            insecure: Some(grpc.insecure),
            ..ActionJson::default()
        },
        PlanAction::WaitExec(command) => ActionJson {
            poll_ms,
            ..command_json(command, env)
        },
        PlanAction::Run(command) | PlanAction::Start(command) => command_json(command, env),
        PlanAction::Sleep { duration } => ActionJson {
            duration_ms: Some(millis_of(*duration)),
            ..ActionJson::default()
        },
        PlanAction::S3Pull {
            source,
            destination,
            endpoint,
            region,
        }
        | PlanAction::S3Push {
            source,
            destination,
            endpoint,
            region,
        } => ActionJson {
            source: Some(text(source)),
            destination: Some(text(destination)),
            endpoint: endpoint.as_ref().map(text),
            region: region.as_ref().map(text),
            ..ActionJson::default()
        },
        PlanAction::Parallel { .. } | PlanAction::Any { .. } => ActionJson::default(),
    }
}

fn command_json(command: &CommandPlan, env: &Env) -> ActionJson {
    ActionJson {
        command: Some(match &command.command {
            CommandSpec::Shell(t) => CommandJson::Shell(shown(t, env)),
            CommandSpec::Argv { args, .. } => {
                CommandJson::Argv(args.iter().map(|a| shown(a, env)).collect())
            }
        }),
        env: Some(
            command
                .env
                .iter()
                .map(|(k, v)| (k.clone(), super::text::env_value(v, env)))
                .collect(),
        ),
        cwd: command.cwd.as_ref().map(|c| shown(c, env)),
        ..ActionJson::default()
    }
}

/// The first [`MAX_LISTED_DELAYS`] delays, and how many more there are.
fn listed(runs: &[DelayRun]) -> (Vec<u64>, Option<u64>) {
    let mut listed = Vec::new();
    let mut left_off: u64 = 0;
    for run in runs {
        let room = MAX_LISTED_DELAYS - listed.len();
        let take = (run.count as usize).min(room);
        listed.extend(std::iter::repeat_n(millis_of(run.delay), take));
        left_off = left_off.saturating_add(u64::from(run.count) - take as u64);
    }
    (listed, (left_off > 0).then_some(left_off))
}
