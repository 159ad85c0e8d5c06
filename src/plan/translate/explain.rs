//! The report of a layout: what became of every step, in step order.

use super::readiness;
use super::resolve::Resolver;
use super::{DescribeCheck, Input, Options, Outcome, Report, ServiceUnit, Unit, Words};
use crate::plan::model::{OnFail, Plan, PlanAction, PlanStep, PolicyKind};

pub(super) struct Context<'c, 'a> {
    pub input: &'c Input<'a>,
    pub options: &'c Options,
    pub words: &'c Words,
    pub describe_check: DescribeCheck<'c>,
    pub resolver: &'c Resolver<'c>,
}

pub(super) fn explain(
    report: &mut Report,
    ctx: &Context<'_, '_>,
    units: &[Unit<'_>],
    roles: &[Role],
    zinit_units: usize,
) {
    let steps = &ctx.input.plan.steps;
    let first_service = units.iter().position(|u| matches!(u, Unit::Service(_)));
    for (i, role) in roles.iter().enumerate() {
        let step = &steps[i];
        match role {
            Role::Service(u, no_check) => {
                if let Unit::Service(unit) = &units[*u] {
                    report_service(report, ctx.words, unit, no_check.as_deref());
                }
            }
            Role::Check(u) => {
                if let Unit::Service(unit) = &units[*u] {
                    let check = unit.readiness.as_ref().expect("a check role has a check");
                    let (outcome, detail) = (ctx.describe_check)(unit, check);
                    report.step(&step.id, outcome, detail);
                }
            }
            Role::Dropped(why) => report.step(&step.id, Outcome::Dropped, why.clone()),
            Role::Zinit(u) => {
                let Unit::Zinit(z) = &units[*u] else { continue };
                let mut detail = format!("runs in the {} `{}`", ctx.words.zinit_unit, z.name);
                let after_start = i > 0 && matches!(steps[i - 1].action, PlanAction::Start(_));
                if after_start && step.action.is_wait() {
                    if let Err(why) = readiness::readiness(step, ctx.resolver) {
                        detail.push_str(&format!(
                            ", not as the readiness check of `{}`: it {why}",
                            steps[i - 1].id
                        ));
                    }
                }
                let alone = ctx.words.own_network && first_service.is_none_or(|f| *u < f);
                let at = ZinitAt {
                    words: ctx.words,
                    unit: &z.name,
                    alone,
                };
                report_zinit_step(report, &at, step, &detail, ctx.resolver);
            }
        }
    }
    report_policy(report, ctx.input.plan, zinit_units);
    if let Some(action) = ctx.input.plan.zlayer.on_panic {
        report.push(
            format!("`zlayer on-panic {}`", action.as_str()),
            Outcome::Dropped,
            "a ZLayer setting: what happens when a container dies is the platform's \
             restart policy",
        );
    }
    if ctx.options.command.is_empty() {
        report.push(
            "command",
            Outcome::Note,
            "no `-- CMD`: the app runs its image's own command (if that is zinit, give \
             `-- CMD` so the script does not run a second time)",
        );
    } else {
        report.push(
            "command",
            Outcome::Native,
            format!(
                "`-- {}` is the app container's command",
                ctx.options.command.join(" ")
            ),
        );
    }
}

/// What each top-level step became.
pub(super) enum Role {
    /// The unit, and why it has no readiness check.
    Service(usize, Option<String>),
    /// The readiness check of the unit.
    Check(usize),
    Zinit(usize),
    /// In no container, and why.
    Dropped(String),
}

fn report_service(
    report: &mut Report,
    words: &Words,
    unit: &ServiceUnit<'_>,
    no_check: Option<&str>,
) {
    let step = unit.step;
    let mut detail = format!("the {} `{}`", words.service_unit, unit.name);
    if words.service_unit == "sidecar" {
        detail.push_str(" (an initContainers entry with restartPolicy: Always)");
    }
    if step.retry.retries > 0 || step.on_fail != OnFail::Fail {
        detail.push_str(&format!(
            "; its `retry {}`/`on-fail {}` are left to the platform, which restarts a \
             service that exits",
            step.retry.retries,
            step.on_fail.as_str()
        ));
    }
    if let Some(why) = no_check {
        detail.push_str(&format!("; no readiness check: {why}"));
    }
    report.step(&step.id, Outcome::Native, detail);
}

/// The zinit container a step runs in.
struct ZinitAt<'w> {
    words: &'w Words,
    unit: &'w str,
    /// In a network of its own, where `localhost` is no service.
    alone: bool,
}

fn report_zinit_step(
    report: &mut Report,
    at: &ZinitAt<'_>,
    step: &PlanStep,
    detail: &str,
    resolver: &Resolver<'_>,
) {
    let mut detail = detail.to_string();
    if at.alone && readiness::waits_on_local_host(step, resolver) {
        detail.push_str(
            "; careful: `localhost` there is the zinit container itself, not another \
             service (name the service instead, e.g. `redis:6379`)",
        );
    }
    if matches!(step.action, PlanAction::Start(_)) {
        detail.push_str(
            "; careful: a service started inside a group lives only as long as the zinit \
             container, not beside the app (move the `start` out of the group to make it \
             a container of its own)",
        );
    }
    report.step(&step.id, Outcome::ViaZinit, detail);
    if let Some(members) = step.action.members() {
        for member in members {
            let detail = format!(
                "runs in the {} `{}` (member of `{}`)",
                at.words.zinit_unit, at.unit, step.id
            );
            report_zinit_step(report, at, member, &detail, resolver);
        }
    }
}

fn report_policy(report: &mut Report, plan: &Plan, zinit_units: usize) {
    let multiple = zinit_units > 1;
    let policy = &plan.policy;
    if policy.kind == PolicyKind::None {
        return;
    }
    let written = format!("retry {} {}", policy.kind.as_str(), policy.retries);
    let (outcome, detail) = match zinit_units {
        0 => (
            Outcome::Dropped,
            "no step runs via zinit, so nothing is left for it to re-run (the platform \
             restarts a failed container itself)"
                .to_string(),
        ),
        _ if multiple => (
            Outcome::ViaZinit,
            "each zinit container re-runs its own steps: a later one cannot re-run an \
             earlier one's"
                .to_string(),
        ),
        _ => (
            Outcome::ViaZinit,
            "zinit re-runs the steps it runs; the services are the platform's".to_string(),
        ),
    };
    report.push(format!("script policy `{written}`"), outcome, detail);
}
