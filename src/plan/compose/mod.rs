//! `zinit plan --format compose`: a Compose file fragment (SPEC §8). Each
//! `start` is a service of its own with a `healthcheck` from the wait right
//! after it; each run of other steps is a one-shot `zinit` service running
//! the script from an inline config. Services depend on what the script put
//! before them (the one-shot zinit service with
//! `service_completed_successfully`, a service with a check with
//! `service_healthy`), and the app depends on all of them.

mod model;

use super::duration::human;
use super::translate::{
    self, Exact, Input, Layout, Options, Outcome, Readiness, Report, ServiceUnit, Unit, Words,
};
use crate::check::Diagnostic;
use model::{ComposeFile, Condition, Config, ConfigMount, Dependency, Healthcheck, Service};
use std::collections::BTreeMap;

const WORDS: Words = Words {
    format: "compose",
    zinit_unit: "one-shot service",
    service_unit: "service",
    own_network: true,
};

#[derive(Debug)]
pub struct Export {
    pub yaml: String,
    pub report: Report,
}

pub fn export(input: &Input<'_>, options: &Options) -> Result<Export, Vec<Diagnostic>> {
    let mut layout = translate::layout(input, options, &WORDS, &describe_check)?;
    if let Some((_, owner)) = layout.network_owner() {
        let note = format!(
            "every container after the service `{owner}` joins its network \
             (`network_mode: service:{owner}`), so `localhost` is the same to all of them, as \
             in a pod (publish `ports` on `{owner}`)"
        );
        layout.report.push("network", Outcome::Note, note);
    }
    let yaml = render(input, &layout);
    Ok(Export {
        yaml,
        report: layout.report,
    })
}

/// Compose interpolates `${...}` in every value of the file, script
/// contents included: `$$` keeps a `$` for the container (and for zinit).
fn literal(text: &str) -> String {
    text.replace('$', "$$")
}

fn literals(words: &[String]) -> Vec<String> {
    words.iter().map(|w| literal(w)).collect()
}

fn service(image: &str) -> Service {
    Service {
        image: image.into(),
        command: Vec::new(),
        environment: BTreeMap::new(),
        working_dir: None,
        configs: Vec::new(),
        healthcheck: None,
        depends_on: BTreeMap::new(),
        network_mode: None,
    }
}

fn render(input: &Input<'_>, layout: &Layout<'_>) -> String {
    let mut services: Vec<(String, Service)> = Vec::new();
    let mut configs = BTreeMap::new();
    // What the next unit waits for: the one before it, as it ends or is ready.
    let mut previous: Option<(String, Condition)> = None;
    let mut app_depends = BTreeMap::new();
    let owner = layout.network_owner();
    let joins = |i: usize| {
        owner
            .filter(|(first, _)| i > *first)
            .map(|(_, name)| format!("service:{name}"))
    };
    for (i, unit) in layout.units.iter().enumerate() {
        let (name, mut entry, ready) = match unit {
            Unit::Service(unit) => {
                let mut entry = service(&layout.image);
                entry.command = literals(&unit.argv);
                entry.environment = unit
                    .env
                    .iter()
                    .map(|(k, v)| (k.clone(), literal(v)))
                    .collect();
                entry.working_dir = unit.cwd.as_deref().map(literal);
                entry.healthcheck = unit.readiness.as_ref().map(healthcheck);
                let ready = if entry.healthcheck.is_some() {
                    Condition::Healthy
                } else {
                    Condition::Started
                };
                (unit.name.clone(), entry, ready)
            }
            Unit::Zinit(zinit) => {
                let config = zinit.file.replace('.', "-");
                configs.insert(
                    config.clone(),
                    Config {
                        content: literal(&zinit.script),
                    },
                );
                let mut entry = service(&layout.image);
                entry.command = literals(&zinit.argv());
                entry.configs = vec![ConfigMount {
                    source: config,
                    target: zinit.path(),
                }];
                (zinit.name.clone(), entry, Condition::CompletedSuccessfully)
            }
        };
        entry.network_mode = joins(i);
        if let Some((before, condition)) = previous.take() {
            entry.depends_on.insert(before, Dependency { condition });
        }
        app_depends.insert(name.clone(), Dependency { condition: ready });
        previous = Some((name.clone(), ready));
        services.push((name, entry));
    }
    let mut app = service(&layout.image);
    app.command = literals(&layout.command);
    app.depends_on = app_depends;
    app.network_mode = joins(layout.units.len());
    services.push((layout.name.clone(), app));
    let file = ComposeFile { services, configs };
    let body = super::translate::yaml(&file);
    format!(
        "# Generated by `zinit plan --format compose` from {}:\n\
         # merge it into your compose.yaml (inline `configs.content` needs Compose 2.23+).\n\
         # `$$` is Compose's escape for a `$` that reaches the container as written.\n{body}",
        input.file
    )
}

fn healthcheck(check: &Readiness<'_>) -> Healthcheck {
    let t = check.timing;
    let (test, timeout) = match &check.exact {
        Ok(Exact::Exec(argv)) => (argv.clone(), t.attempt_s),
        // zinit's own attempt takes the period; leave it time to start.
        _ => (check.zinit_argv(), t.period_s.saturating_add(1)),
    };
    Healthcheck {
        test: std::iter::once("CMD".to_string())
            .chain(literals(&test))
            .collect(),
        interval: format!("{}s", t.period_s),
        timeout: format!("{timeout}s"),
        retries: t.failures,
        // zinit's timeout counts from the start already.
        start_period: "0s".into(),
    }
}

fn describe_check(service: &ServiceUnit<'_>, check: &Readiness<'_>) -> (Outcome, String) {
    let t = check.timing;
    let timing = format!(
        "interval {}s × retries {} for the wait's {}",
        t.period_s,
        t.failures,
        human(t.budget_ms)
    );
    let at = format!("the healthcheck of service `{}`", service.name);
    match &check.exact {
        Ok(Exact::Exec(argv)) => (
            Outcome::Native,
            format!("{at}: CMD `{}`, {timing}", argv.join(" ")),
        ),
        other => {
            let why = match other {
                Err(why) => why.clone(),
                Ok(_) => "a Compose healthcheck is a command: it has no TCP or HTTP check of \
                          its own"
                    .into(),
            };
            (
                Outcome::ViaZinit,
                format!(
                    "{at}: CMD `zinit run --quiet -e '{}'` ({why}), {timing}",
                    check.statement
                ),
            )
        }
    }
}
