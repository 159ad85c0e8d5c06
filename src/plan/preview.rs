//! `zinit plan` as text: a table of steps with every default resolved, the
//! script policy, and best/worst case per pass and overall.

use super::duration::human;
use super::env::Env;
use super::model::{
    Delay, DelayRun, LogPattern, Plan, PlanAction, PlanStep, PolicyKind, millis_of,
};
use super::text::{command, shown, target};
use super::timing::{PlanTiming, StepTiming};
use std::fmt::Write;

/// Runs of delays shown before the list is shortened with `…`.
const SHOWN_RUNS: usize = 6;
/// Longest action-and-target cell, in characters.
const ACTION_WIDTH: usize = 60;
const HEADER: [&str; 8] = [
    "STEP", "ACTION", "TIMEOUT", "ON-FAIL", "RETRIES", "BEST", "WORST", "SETTINGS",
];

pub fn render_text(plan: &Plan, timing: &PlanTiming, env: &Env) -> String {
    let mut rows = vec![HEADER.map(String::from)];
    add_rows(&plan.steps, &timing.steps, env, 0, &mut rows);
    let mut out = table(&rows);
    if plan.steps.is_empty() {
        out.push_str("(no steps)\n");
    }
    out.push('\n');
    let _ = writeln!(out, "policy: {}", policy_text(plan, timing));
    if let Some(on_panic) = plan.zlayer.on_panic {
        let _ = writeln!(
            out,
            "zlayer: on-panic {} (for `--format zlayer`; zinit's run does not use it)",
            on_panic.as_str()
        );
    }
    if plan.policy.kind != PolicyKind::None && !timing.policy_can_apply {
        out.push_str(
            "  note: no step can fail a pass (each has on-fail warn or continue, or cannot fail),\n        so this policy can never apply\n",
        );
    }
    out.push('\n');
    let _ = writeln!(
        out,
        "best case:  {} per pass, {} overall",
        human(millis_of(timing.pass_best)),
        human(millis_of(timing.best))
    );
    let _ = writeln!(
        out,
        "worst case: {} per pass, {} overall{}",
        human(millis_of(timing.pass_worst)),
        human(millis_of(timing.worst)),
        worst_explained(plan, timing)
    );
    if plan.steps.iter().any(super::failing::runs_commands) {
        let _ = writeln!(
            out,
            "  (worst cases count {} to stop each command: SIGTERM, then SIGKILL)",
            human(millis_of(super::model::STOP_GRACE))
        );
    }
    out
}

fn add_rows(
    steps: &[PlanStep],
    timings: &[StepTiming],
    env: &Env,
    depth: usize,
    rows: &mut Vec<[String; 8]>,
) {
    for (step, timing) in steps.iter().zip(timings) {
        rows.push([
            format!("{}{}", "  ".repeat(depth), step.id),
            action_cell(step, env),
            step.timeout.map_or("-".into(), |t| human(millis_of(t))),
            step.on_fail.as_str().into(),
            retries_cell(step, timing),
            human(millis_of(timing.best)),
            human(millis_of(timing.worst)),
            settings_cell(step, env),
        ]);
        if let Some(steps) = step.action.members() {
            add_rows(steps, &timing.members, env, depth + 1, rows);
        }
    }
}

/// Left-aligned columns, two spaces apart, no trailing spaces.
fn table(rows: &[[String; 8]]) -> String {
    let mut widths = [0; 8];
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for row in rows {
        let mut line = String::new();
        for (cell, w) in row.iter().zip(widths) {
            let _ = write!(line, "{cell:<w$}  ");
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn action_cell(step: &PlanStep, env: &Env) -> String {
    let name = step.action.kind().replace('_', " ");
    let argument = match &step.action {
        PlanAction::Run(c) | PlanAction::Start(c) | PlanAction::WaitExec(c) => {
            Some(command(c, env))
        }
        PlanAction::Parallel { steps } => Some(format!("{} steps", steps.len())),
        PlanAction::Any { steps } => Some(format!("of {} steps", steps.len())),
        other => target(other, env),
    };
    let cell = match argument {
        Some(argument) => format!("{name} {argument}"),
        None => name,
    };
    shorten(&cell, ACTION_WIDTH)
}

fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let kept: String = text.chars().take(max - 1).collect();
        format!("{kept}…")
    }
}

/// A step's retries as `plan` shows them: `-`, or `×3 backoff: 1s, 2s, 4s`.
pub fn retries_cell(step: &PlanStep, timing: &StepTiming) -> String {
    if step.retry.retries == 0 {
        return "-".into();
    }
    let kind = match step.retry.delay {
        Delay::Fixed(_) => "",
        Delay::Backoff(_) => " backoff",
    };
    format!(
        "×{}{kind}: {}",
        step.retry.retries,
        schedule_text(&step.retry.delay, &timing.retry_delays)
    )
}

/// `1s each`, or `1s, 2s, 4s, 60s ×994`, shortened past [`SHOWN_RUNS`] runs.
pub fn schedule_text(delay: &Delay, runs: &[DelayRun]) -> String {
    let run_text = |r: &DelayRun| match r.count {
        1 => human(millis_of(r.delay)),
        n => format!("{} ×{n}", human(millis_of(r.delay))),
    };
    let text = match (delay, runs) {
        (Delay::Fixed(d), _) => format!("{} each", human(millis_of(*d))),
        (_, runs) if runs.len() > SHOWN_RUNS + 1 => {
            let head: Vec<String> = runs[..SHOWN_RUNS].iter().map(run_text).collect();
            let last = runs.last().map(run_text).unwrap_or_default();
            format!("{}, …, {last}", head.join(", "))
        }
        (_, runs) => runs.iter().map(run_text).collect::<Vec<_>>().join(", "),
    };
    match delay {
        Delay::Backoff(b) if b.jitter_pct > 0.0 => {
            format!("{text} (largest, with {}% jitter)", b.jitter_pct)
        }
        _ => text,
    }
}

fn settings_cell(step: &PlanStep, env: &Env) -> String {
    let mut parts = Vec::new();
    if step.action.polls() {
        parts.push(format!("every {}", human(millis_of(step.poll))));
    }
    match &step.action {
        PlanAction::WaitTcp { closed, by, .. } => {
            if *closed {
                parts.push("closed".into());
            }
            if let Some(by) = by {
                parts.push(format!("by {}", by.id));
            }
        }
        PlanAction::WaitLog { pattern, times, .. } => {
            match pattern {
                Some(LogPattern::Contains(t)) => {
                    parts.push(format!("contains {:?}", shown(t, env)))
                }
                // A regular expression as written: its backslashes are not escaped again.
                Some(LogPattern::Matches(t)) => parts.push(format!("matches '{}'", shown(t, env))),
                None => {}
            }
            parts.push(format!("times {times}"));
        }
        PlanAction::WaitFile { gone: true, .. } => parts.push("gone".into()),
        PlanAction::WaitHttp {
            status,
            body_contains,
            insecure,
            request,
            ..
        } => {
            parts.extend(super::text::http_request(request));
            let ranges: Vec<String> = status
                .ranges
                .iter()
                .map(|&(lo, hi)| match (lo, hi) {
                    _ if lo == hi => lo.to_string(),
                    _ if lo % 100 == 0 && hi == lo + 99 => format!("{}xx", lo / 100),
                    _ => format!("{lo}..{hi}"),
                })
                .collect();
            parts.push(format!("status {}", ranges.join(",")));
            if let Some(body) = body_contains {
                parts.push(format!("body contains {:?}", shown(body, env)));
            }
            parts.extend(super::text::http_answer(request));
            if *insecure {
                parts.push("insecure".into());
            }
        }
        PlanAction::WaitDns {
            record_type,
            server,
            value,
            ..
        } => {
            let kind = record_type
                .as_ref()
                .map_or_else(|| "A/AAAA".into(), |t| shown(t, env));
            parts.push(format!("type {kind}"));
            let server = server
                .as_ref()
                .map_or_else(|| "system".into(), |s| shown(s, env));
            parts.push(format!("server {server}"));
            if let Some(v) = value {
                parts.push(format!("value {:?}", shown(v, env)));
            }
        }
        PlanAction::WaitGrpc(grpc) => {
            if let Some(service) = &grpc.service {
                parts.push(format!("service {}", shown(service, env)));
            }
            match (grpc.tls, grpc.insecure) {
                (true, true) => parts.push("tls insecure".into()),
                (true, false) => parts.push("tls".into()),
                _ => parts.push("plaintext".into()),
            }
        }
        PlanAction::Run(c) | PlanAction::Start(c) | PlanAction::WaitExec(c) => {
            for (k, v) in &c.env {
                parts.push(format!("env {k}={}", super::text::env_value(v, env)));
            }
            if let Some(cwd) = &c.cwd {
                parts.push(format!("cwd {}", shown(cwd, env)));
            }
        }
        PlanAction::S3Pull {
            endpoint, region, ..
        }
        | PlanAction::S3Push {
            endpoint, region, ..
        } => {
            if let Some(e) = endpoint {
                parts.push(format!("endpoint {}", shown(e, env)));
            }
            if let Some(r) = region {
                parts.push(format!("region {}", shown(r, env)));
            }
        }
        _ => {}
    }
    parts.join(", ")
}

/// `backoff ×3: 1s, 2s, 4s`, `restart ×3: 100ms each` or `none`.
fn policy_text(plan: &Plan, timing: &PlanTiming) -> String {
    let policy = &plan.policy;
    match policy.kind {
        PolicyKind::None => "none".into(),
        kind if policy.retries == 0 => format!("{} ×0 (the script runs once)", kind.as_str()),
        kind => format!(
            "{} ×{}: {}",
            kind.as_str(),
            policy.retries,
            schedule_text(&policy.delay, &timing.policy_delays)
        ),
    }
}

/// How the overall worst case adds up, when the policy re-runs the script.
fn worst_explained(plan: &Plan, timing: &PlanTiming) -> String {
    if !timing.policy_can_apply || plan.policy.retries == 0 {
        return String::new();
    }
    let passes = plan.policy.passes();
    let delays = super::model::runs_total_ms(&timing.policy_delays);
    format!(" ({passes} passes + {} of policy delays)", human(delays))
}
