//! AST → [`Plan`]: every default resolved, every id unique.
//!
//! Precondition: the checker found no errors. The compiler still accepts any
//! tree without panicking: it takes the first of repeated clauses, skips
//! values that could not be read, and ignores clauses that do not belong to
//! the action (the checker reports those).

mod ids;
pub(crate) use ids::closest_id;
mod retry;
mod settings;

pub use ids::slug;
pub use settings::default_applies;

use super::model::{
    CommandPlan, DEFAULT_EXEC_POLL, DEFAULT_LOG_TIMES, DEFAULT_POLL, DEFAULT_TASK_TIMEOUT,
    DEFAULT_WAIT_TIMEOUT, GrpcPlan, OnFail, Plan, PlanAction, PlanStep, ScriptPolicy, ServiceRef,
    StatusSet, StepRetry, ZLayerSettings,
};
use crate::syntax::ast::{self, Action, ClauseKind, CommandSpec, Script, Statement, Step, Text};
use crate::syntax::clauses::Name;
use ids::IdAllocator;
use settings::{Defaults, Settings};
use std::ops::Range;
use std::time::Duration;

/// Nesting deeper than this is a parser error already; members below it are
/// dropped so that no tree can exhaust the stack.
const MAX_DEPTH: usize = 64;

pub fn compile(script: &Script) -> Plan {
    // Sized up front: a large script's plan would otherwise be copied as
    // it doubles, with the old and the new list both in memory.
    let mut steps = Vec::with_capacity(script.statements.len());
    let ids = IdAllocator::new(&script.statements);
    let mut plan = compile_with(script, ids, |step| steps.push(step));
    plan.steps = steps;
    plan
}

/// [`compile`] for lints that read no step ids (every id is left empty),
/// handing each top-level step to `each` as soon as it is compiled; the
/// plan returned has no steps. A lint that looks at one step at a time so
/// never holds a second copy of a large script.
pub fn compile_each(script: &Script, each: impl FnMut(PlanStep)) -> Plan {
    compile_with(script, IdAllocator::unnamed(), each)
}

/// [`compile_each`] of the statements in `share` only, with the defaults
/// written before it in force: a large script's lints, one share per core.
pub fn compile_each_in(script: &Script, share: Range<usize>, each: impl FnMut(PlanStep)) {
    let mut defaults = Defaults::default();
    for statement in &script.statements[..share.start] {
        if let Statement::Defaults(d) = statement {
            defaults.merge(&d.clauses);
        }
    }
    let statements = &script.statements[share];
    compile_steps(statements, defaults, IdAllocator::unnamed(), each);
}

fn compile_with(script: &Script, ids: IdAllocator, each: impl FnMut(PlanStep)) -> Plan {
    compile_steps(&script.statements, Defaults::default(), ids, each);
    Plan {
        steps: Vec::new(),
        policy: script_policy(script),
        zlayer: ZLayerSettings {
            on_panic: script.statements.iter().find_map(|s| match s {
                Statement::ZLayer(z) => Some(z.on_panic.value),
                _ => None,
            }),
        },
    }
}

/// The script's retry policy: its first `retry` statement's.
pub fn script_policy(script: &Script) -> ScriptPolicy {
    retry::policy(script.statements.iter().find_map(|s| match s {
        Statement::Policy(p) => Some(p),
        _ => None,
    }))
}

/// Each step of `statements` to `each`, with the `defaults` statements
/// among them taking effect where they are written.
fn compile_steps(
    statements: &[Statement],
    mut defaults: Defaults,
    mut ids: IdAllocator,
    mut each: impl FnMut(PlanStep),
) {
    for statement in statements {
        match statement {
            Statement::Policy(_) | Statement::ZLayer(_) => {}
            Statement::Defaults(d) => defaults.merge(&d.clauses),
            Statement::Step(step) => each(compile_step(step, &defaults, &mut ids, 0)),
        }
    }
}

/// The poll interval of a step without `every`.
fn default_poll(action: &Action) -> Duration {
    match action {
        Action::WaitExec { .. } => DEFAULT_EXEC_POLL,
        _ => DEFAULT_POLL,
    }
}

fn compile_step(step: &Step, defaults: &Defaults, ids: &mut IdAllocator, depth: usize) -> PlanStep {
    let settings = Settings::new(&step.action, &step.clauses, defaults);
    let id = ids.assign(step, settings.id());
    let timeout_ms = match &step.action {
        Action::WaitTcp { .. }
        | Action::WaitHttp { .. }
        | Action::WaitFile { .. }
        | Action::WaitPostgres { .. }
        | Action::WaitRedis { .. }
        | Action::WaitMysql { .. }
        | Action::WaitDns { .. }
        | Action::WaitGrpc { .. }
        | Action::WaitExec { .. }
        | Action::WaitLog { .. } => Some(
            settings
                .timeout_ms()
                .unwrap_or(millis(DEFAULT_WAIT_TIMEOUT)),
        ),
        Action::Run { .. } | Action::S3Pull { .. } | Action::S3Push { .. } => Some(
            settings
                .timeout_ms()
                .unwrap_or(millis(DEFAULT_TASK_TIMEOUT)),
        ),
        Action::Parallel { .. } | Action::Any { .. } => settings.own_timeout_ms(),
        Action::Start { .. } | Action::Sleep { .. } => None,
    };
    let action = match &step.action {
        Action::WaitTcp { target } => PlanAction::WaitTcp {
            target: target.clone(),
            closed: settings.flag(&ClauseKind::Closed),
            by: settings.by(),
        },
        Action::WaitHttp { url } => PlanAction::WaitHttp {
            url: url.clone(),
            status: settings.status().map_or_else(StatusSet::success, |s| {
                status_set(s.items.iter().map(|i| i.value))
            }),
            body_contains: settings.body_contains().cloned(),
            insecure: settings.flag(&ClauseKind::Insecure),
            request: Box::new(settings.http_request()),
        },
        Action::WaitFile { path } => PlanAction::WaitFile {
            path: path.clone(),
            gone: settings.flag(&ClauseKind::Gone),
        },
        Action::WaitPostgres { target } => PlanAction::WaitPostgres {
            target: target.clone(),
        },
        Action::WaitRedis { target } => PlanAction::WaitRedis {
            target: target.clone(),
        },
        Action::WaitMysql { target } => PlanAction::WaitMysql {
            target: target.clone(),
        },
        Action::WaitDns { name } => PlanAction::WaitDns {
            name: name.clone(),
            record_type: settings.text_of(Name::Type).cloned(),
            server: settings.text_of(Name::Server).cloned(),
            value: settings.text_of(Name::Value).cloned(),
        },
        Action::WaitGrpc { target } => PlanAction::WaitGrpc(GrpcPlan {
            target: target.clone(),
            service: settings.grpc_service().cloned(),
            tls: settings.flag(&ClauseKind::Tls),
            insecure: settings.flag(&ClauseKind::Insecure),
        }),
        Action::WaitExec { command } => PlanAction::WaitExec(command_plan(command, &settings)),
        Action::WaitLog { service } => PlanAction::WaitLog {
            service: ServiceRef {
                id: service.value.to_string(),
                span: service.span,
            },
            pattern: settings.log_pattern(),
            times: settings.times().unwrap_or(DEFAULT_LOG_TIMES),
        },
        Action::Run { command } => PlanAction::Run(command_plan(command, &settings)),
        Action::Start { command } => PlanAction::Start(command_plan(command, &settings)),
        Action::Sleep { duration } => PlanAction::Sleep {
            duration: Duration::from_millis(duration.millis.unwrap_or(0)),
        },
        Action::S3Pull {
            source,
            destination,
        } => PlanAction::S3Pull {
            source: Text::clone(source),
            destination: Text::clone(destination),
            endpoint: settings.endpoint().cloned(),
            region: settings.region().cloned(),
        },
        Action::S3Push {
            source,
            destination,
        } => PlanAction::S3Push {
            source: Text::clone(source),
            destination: Text::clone(destination),
            endpoint: settings.endpoint().cloned(),
            region: settings.region().cloned(),
        },
        Action::Parallel { steps, .. } => PlanAction::Parallel {
            steps: members(steps, defaults, ids, depth),
        },
        Action::Any { steps, .. } => {
            let mut steps = members(steps, defaults, ids, depth);
            // A member that fails only loses the race: no `on-fail` (not
            // even a default one) turns its failure into a win.
            for member in &mut steps {
                member.on_fail = OnFail::Fail;
                member.on_fail_span = None;
            }
            PlanAction::Any { steps }
        }
    };
    PlanStep {
        id,
        action,
        timeout: timeout_ms.map(Duration::from_millis),
        on_fail: settings.on_fail().map_or(OnFail::Fail, on_fail),
        on_fail_span: settings.on_fail_span(),
        timeout_span: match &step.action {
            Action::Parallel { .. } | Action::Any { .. } => settings.own_timeout_span(),
            _ => timeout_ms.and_then(|_| settings.timeout_span()),
        },
        poll_span: settings.every_span(),
        retry: settings
            .retry()
            .map_or_else(StepRetry::none, retry::step_retry),
        poll: settings
            .every_ms()
            .map_or(default_poll(&step.action), Duration::from_millis),
        span: step.span,
        head: step.head,
    }
}

/// A group's members, dropped below [`MAX_DEPTH`].
fn members(
    steps: &[Step],
    defaults: &Defaults,
    ids: &mut IdAllocator,
    depth: usize,
) -> Vec<PlanStep> {
    if depth >= MAX_DEPTH {
        return Vec::new();
    }
    steps
        .iter()
        .map(|s| compile_step(s, defaults, ids, depth + 1))
        .collect()
}

/// The accepted statuses as inclusive ranges.
fn status_set(items: impl IntoIterator<Item = ast::StatusItem>) -> StatusSet {
    let ranges = items
        .into_iter()
        .map(|item| match item {
            ast::StatusItem::Code(c) => (c, c),
            ast::StatusItem::Range(lo, hi) => (lo, hi),
            // Saturating: a class digit the checker rejected must not panic here.
            ast::StatusItem::Class(d) => (
                d.saturating_mul(100),
                d.saturating_mul(100).saturating_add(99),
            ),
        })
        .collect();
    StatusSet { ranges }
}

fn on_fail(written: ast::OnFail) -> OnFail {
    match written {
        ast::OnFail::Fail => OnFail::Fail,
        ast::OnFail::Warn => OnFail::Warn,
        ast::OnFail::Continue => OnFail::Continue,
    }
}

fn command_plan(command: &CommandSpec, settings: &Settings) -> CommandPlan {
    CommandPlan {
        command: command.clone(),
        env: settings.env(),
        cwd: settings.cwd().cloned(),
    }
}

fn millis(d: Duration) -> u64 {
    super::model::millis_of(d)
}
