//! Plans built by hand for unit tests of the stages that read a plan.

use super::model::{
    Backoff, CommandPlan, DEFAULT_POLL, Delay, Plan, PlanAction, PlanStep, ScriptPolicy, StatusSet,
    StepRetry,
};
use crate::plan::model::OnFail;
use crate::span::Span;
use crate::text::{CommandSpec, Quote, Text, TextPart};
use std::time::Duration;

pub fn text(s: &str) -> Text {
    Text {
        parts: Box::new([TextPart::Literal(s.into())]),
        quote: Quote::Bare,
        span: Span::default(),
    }
}

pub fn secs(s: u64) -> Duration {
    Duration::from_secs(s)
}

fn step(id: &str, action: PlanAction, timeout: Option<Duration>) -> PlanStep {
    PlanStep {
        id: id.to_string(),
        action,
        timeout,
        on_fail: OnFail::Fail,
        on_fail_span: None,
        timeout_span: None,
        poll_span: None,
        retry: StepRetry::none(),
        poll: DEFAULT_POLL,
        span: Span::default(),
        head: Span::default(),
    }
}

pub fn wait_tcp(id: &str, target: &str, timeout: Duration) -> PlanStep {
    step(
        id,
        PlanAction::WaitTcp {
            target: text(target),
            closed: false,
            by: None,
        },
        Some(timeout),
    )
}

pub fn wait_http(id: &str, url: &str, timeout: Duration) -> PlanStep {
    step(
        id,
        PlanAction::WaitHttp {
            url: text(url),
            status: StatusSet::success(),
            body_contains: None,
            insecure: false,
            request: Default::default(),
        },
        Some(timeout),
    )
}

pub fn run(id: &str, command: &str, timeout: Duration) -> PlanStep {
    step(
        id,
        PlanAction::Run(CommandPlan {
            command: CommandSpec::Shell(text(command)),
            env: Vec::new(),
            cwd: None,
        }),
        Some(timeout),
    )
}

pub fn start(id: &str, command: &str) -> PlanStep {
    step(
        id,
        PlanAction::Start(CommandPlan {
            command: CommandSpec::Shell(text(command)),
            env: Vec::new(),
            cwd: None,
        }),
        None,
    )
}

pub fn sleep(id: &str, duration: Duration) -> PlanStep {
    step(id, PlanAction::Sleep { duration }, None)
}

pub fn parallel(id: &str, timeout: Option<Duration>, steps: Vec<PlanStep>) -> PlanStep {
    step(id, PlanAction::Parallel { steps }, timeout)
}

pub fn on_fail(mut step: PlanStep, on_fail: OnFail) -> PlanStep {
    step.on_fail = on_fail;
    step
}

pub fn retry_every(mut step: PlanStep, retries: u32, delay: Duration) -> PlanStep {
    step.retry = StepRetry {
        retries,
        delay: Delay::Fixed(delay),
    };
    step
}

pub fn retry_backoff(mut step: PlanStep, retries: u32, backoff: Backoff) -> PlanStep {
    step.retry = StepRetry {
        retries,
        delay: Delay::Backoff(backoff),
    };
    step
}

pub fn backoff(initial: Duration, max: Duration, factor: f64, jitter_pct: f64) -> Backoff {
    Backoff {
        initial,
        max,
        factor,
        jitter_pct,
    }
}

pub fn plan(steps: Vec<PlanStep>, policy: ScriptPolicy) -> Plan {
    Plan {
        steps,
        policy,
        zlayer: Default::default(),
    }
}
