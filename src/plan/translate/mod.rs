//! What the Kubernetes and Compose exports share (SPEC §8): how a plan is
//! laid out as containers, in the script's order. Every top-level `start`
//! becomes a container of its own (a native sidecar, a Compose service),
//! whose readiness check is the wait right after it when that wait is about
//! the service ([`readiness`]); every run of other steps between them is
//! one zinit container running those steps ([`segment`]). Usually that is
//! one zinit container; a `start` between two zinit steps splits it in two,
//! so that nothing starts before what the script put ahead of it.
//!
//! The translation is keyed on the plan action: `start` and the waits named
//! in [`readiness`] have a native form; every other action, including
//! actions added later, runs via zinit by default.

mod explain;
mod http_probe;
mod names;
pub mod readiness;
pub mod report;
mod resolve;
mod segment;

use crate::check::Diagnostic;
use crate::plan::env::Env;
use crate::plan::model::{Plan, PlanAction, PlanStep};
use crate::syntax::ast::Script;
use crate::text::CommandSpec;
use explain::Role;
pub use names::dns_label;
use names::{Names, app_name, numbered};
pub use readiness::{Exact, ProbeTiming, Readiness};
pub use report::{Outcome, Report};
use resolve::Resolver;
use std::collections::HashSet;

/// A checked script and its plan.
pub struct Input<'a> {
    pub plan: &'a Plan,
    pub script: &'a Script,
    pub source: &'a str,
    /// As shown to users: a path, `<inline>`, `<stdin>`.
    pub file: &'a str,
    pub env: &'a Env,
}

/// `--name`, `--image` and `-- CMD`.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub name: Option<String>,
    pub image: Option<String>,
    pub command: Vec<String>,
}

/// Where the zinit scripts are mounted in their containers.
pub const SCRIPT_DIR: &str = "/etc/zinit";

/// How each export names its parts, for the report.
pub struct Words {
    pub format: &'static str,
    /// `init container`, `one-shot service`.
    pub zinit_unit: &'static str,
    /// `sidecar`, `service`.
    pub service_unit: &'static str,
    /// Whether containers have networks of their own (Compose) unless they
    /// join the first service's ([`Layout::network_owner`]): a wait on
    /// `localhost` in a zinit container before that service is then on
    /// the zinit container itself.
    pub own_network: bool,
}

pub struct Layout<'a> {
    pub name: String,
    pub image: String,
    /// After `--`: the app's command; empty for the image's own.
    pub command: Vec<String>,
    pub units: Vec<Unit<'a>>,
    pub report: Report,
}

impl Layout<'_> {
    /// The first service: where every later container can join the
    /// network, so that `localhost` means one thing to all of them, as in
    /// a pod.
    pub fn network_owner(&self) -> Option<(usize, &str)> {
        self.units
            .iter()
            .enumerate()
            .find_map(|(i, unit)| match unit {
                Unit::Service(service) => Some((i, service.name.as_str())),
                Unit::Zinit(_) => None,
            })
    }
}

pub enum Unit<'a> {
    Service(ServiceUnit<'a>),
    Zinit(ZinitUnit),
}

/// A `start` step as a container of its own.
pub struct ServiceUnit<'a> {
    pub step: &'a PlanStep,
    pub name: String,
    pub argv: Vec<String>,
    pub env: Vec<(String, String)>,
    pub cwd: Option<String>,
    pub readiness: Option<Readiness<'a>>,
}

/// A zinit container: `zinit run SCRIPT_DIR/FILE`.
pub struct ZinitUnit {
    pub name: String,
    /// The script's file name under [`SCRIPT_DIR`] (`app.zinit`).
    pub file: String,
    pub script: String,
}

impl ZinitUnit {
    pub fn path(&self) -> String {
        format!("{SCRIPT_DIR}/{}", self.file)
    }

    pub fn argv(&self) -> Vec<String> {
        vec!["zinit".into(), "run".into(), self.path()]
    }
}

/// How an export says what became of a readiness check.
pub type DescribeCheck<'d> = &'d dyn Fn(&ServiceUnit<'_>, &Readiness<'_>) -> (Outcome, String);

/// Lays the plan out as containers and reports every step. Errors: a
/// variable that a sidecar's command needs now is unset (E150).
pub fn layout<'a>(
    input: &Input<'a>,
    options: &Options,
    words: &Words,
    describe_check: DescribeCheck<'_>,
) -> Result<Layout<'a>, Vec<Diagnostic>> {
    let resolver = Resolver::new(input.env);
    let mut report = Report::new(words.format);
    let mut errors = Vec::new();
    let name = app_name(options.name.as_deref(), input.file);
    let mut names = Names::default();
    names.take(&name);
    let image = match &options.image {
        Some(image) => image.clone(),
        None => {
            report.push(
                "image",
                Outcome::Note,
                format!(
                    "no --image: every container uses image `{name}`; pass --image IMAGE \
                     (an image holding zinit and the script's commands)"
                ),
            );
            name.clone()
        }
    };

    // Top-level steps in order: a `start` (with the wait it owns) or a run
    // of zinit steps.
    let steps = &input.plan.steps;
    let started: HashSet<&str> = steps
        .iter()
        .filter(|s| matches!(s.action, PlanAction::Start(_)))
        .map(|s| s.id.as_str())
        .collect();
    let mut units: Vec<Unit<'a>> = Vec::new();
    let mut roles: Vec<Role> = Vec::new();
    let mut segments: Vec<Vec<usize>> = Vec::new();
    while roles.len() < steps.len() {
        let i = roles.len();
        let step = &steps[i];
        if let Some(service) = names_a_container(step, &started) {
            // zinit in its own container sees neither the output nor the
            // processes of a service that runs in another one.
            roles.push(Role::Dropped(format!(
                "names `{service}`, which runs in a container of its own: zinit in the {} \
                 sees neither its output nor its processes",
                words.zinit_unit
            )));
            continue;
        }
        let PlanAction::Start(command) = &step.action else {
            if !matches!(units.last(), Some(Unit::Zinit(_))) {
                let n = segments.len() + 1;
                segments.push(Vec::new());
                units.push(Unit::Zinit(ZinitUnit {
                    name: names.take(&numbered("zinit", n)),
                    file: format!("{}.zinit", numbered(&name, n)),
                    script: String::new(),
                }));
            }
            segments.last_mut().expect("a segment per unit").push(i);
            roles.push(Role::Zinit(units.len() - 1));
            continue;
        };
        let readiness = steps
            .get(i + 1)
            .map(|next| readiness::readiness(next, &resolver));
        let argv = match &command.command {
            CommandSpec::Shell(text) => {
                vec!["sh".into(), "-c".into(), resolver.bake(text, &mut errors)]
            }
            CommandSpec::Argv { args, .. } => {
                args.iter().map(|a| resolver.bake(a, &mut errors)).collect()
            }
        };
        let (readiness, no_check) = match readiness {
            Some(Ok(check)) => (Some(check), None),
            Some(Err(why)) => (
                None,
                Some(format!("the next step, `{}`, {why}", steps[i + 1].id)),
            ),
            None => (None, Some("no wait follows it".to_string())),
        };
        let owns_next = readiness.is_some();
        units.push(Unit::Service(ServiceUnit {
            step,
            name: names.take(&dns_label(&step.id)),
            argv,
            env: command
                .env
                .iter()
                .map(|(k, v)| (k.clone(), resolver.bake(v, &mut errors)))
                .collect(),
            cwd: command.cwd.as_ref().map(|c| resolver.bake(c, &mut errors)),
            readiness,
        }));
        roles.push(Role::Service(units.len() - 1, no_check));
        if owns_next {
            roles.push(Role::Check(units.len() - 1));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }

    let segmenter = segment::Segmenter::new(input.script, steps, input.source);
    let mut segment_of_unit = segments.iter();
    for unit in &mut units {
        if let Unit::Zinit(z) = unit {
            let keep = segment_of_unit.next().expect("a segment per zinit unit");
            let header = format!(
                "# The part of {} that zinit runs in the {} `{}`\n# (written by `zinit plan --format {}`).\n",
                input.file, words.zinit_unit, z.name, words.format
            );
            z.script = segmenter.script(keep, &header);
        }
    }
    explain::explain(
        &mut report,
        &explain::Context {
            input,
            options,
            words,
            describe_check,
            resolver: &resolver,
        },
        &units,
        &roles,
        segments.len(),
    );
    Ok(Layout {
        name,
        image,
        command: options.command.clone(),
        units,
        report,
    })
}

/// The top-level `start` (one of `started`) a step's `wait log`/`by`
/// names: that service is a container of its own.
fn names_a_container<'p>(step: &PlanStep, started: &HashSet<&'p str>) -> Option<&'p str> {
    let (reference, _) = crate::plan::services::reference(step)?;
    started.get(reference.id.as_str()).copied()
}

/// A manifest as YAML. Its types hold only strings, integers, sequences and
/// maps with string keys, which serde_norway always writes.
pub fn yaml(value: &impl serde::Serialize) -> String {
    serde_norway::to_string(value).expect("manifests are plain data that YAML always holds")
}
