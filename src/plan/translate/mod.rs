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

pub mod readiness;
pub mod report;
mod resolve;
mod segment;

use crate::check::Diagnostic;
use crate::plan::env::Env;
use crate::plan::model::{OnFail, Plan, PlanAction, PlanStep, PolicyKind};
use crate::syntax::ast::Script;
use crate::text::CommandSpec;
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
    let name = options
        .name
        .as_deref()
        .map(dns_label)
        .unwrap_or_else(|| default_name(input.file));
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
    let mut units: Vec<Unit<'a>> = Vec::new();
    let mut roles: Vec<Role> = Vec::new();
    let mut segments: Vec<Vec<usize>> = Vec::new();
    while roles.len() < steps.len() {
        let i = roles.len();
        let step = &steps[i];
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

    let multiple = segments.len() > 1;
    let mut segment_of_unit = segments.iter();
    for unit in &mut units {
        if let Unit::Zinit(z) = unit {
            let keep = segment_of_unit.next().expect("a segment per zinit unit");
            let header = format!(
                "# The part of {} that zinit runs in the {} `{}`\n# (written by `zinit plan --format {}`).\n",
                input.file, words.zinit_unit, z.name, words.format
            );
            z.script = segment::segment_script(input.script, steps, input.source, keep, &header);
        }
    }
    let first_service = units.iter().position(|u| matches!(u, Unit::Service(_)));
    for (i, role) in roles.iter().enumerate() {
        let step = &steps[i];
        match role {
            Role::Service(u, no_check) => {
                if let Unit::Service(unit) = &units[*u] {
                    report_service(&mut report, words, unit, no_check.as_deref());
                }
            }
            Role::Check(u) => {
                if let Unit::Service(unit) = &units[*u] {
                    let check = unit.readiness.as_ref().expect("a check role has a check");
                    let (outcome, detail) = describe_check(unit, check);
                    report.step(&step.id, outcome, detail);
                }
            }
            Role::Zinit(u) => {
                let Unit::Zinit(z) = &units[*u] else { continue };
                let mut detail = format!("runs in the {} `{}`", words.zinit_unit, z.name);
                let after_start = i > 0 && matches!(steps[i - 1].action, PlanAction::Start(_));
                if after_start && step.action.is_wait() {
                    if let Err(why) = readiness::readiness(step, &resolver) {
                        detail.push_str(&format!(
                            ", not as the readiness check of `{}`: it {why}",
                            steps[i - 1].id
                        ));
                    }
                }
                let alone = words.own_network && first_service.is_none_or(|f| *u < f);
                let at = ZinitAt {
                    words,
                    unit: &z.name,
                    alone,
                };
                report_zinit_step(&mut report, &at, step, &detail, &resolver);
            }
        }
    }
    report_policy(&mut report, input.plan, segments.len(), multiple);
    if options.command.is_empty() {
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
                options.command.join(" ")
            ),
        );
    }
    Ok(Layout {
        name,
        image,
        command: options.command.clone(),
        units,
        report,
    })
}

/// What each top-level step became.
enum Role {
    /// The unit, and why it has no readiness check.
    Service(usize, Option<String>),
    /// The readiness check of the unit.
    Check(usize),
    Zinit(usize),
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
    if let PlanAction::Parallel { steps } = &step.action {
        for member in steps {
            let detail = format!(
                "runs in the {} `{}` (member of `{}`)",
                at.words.zinit_unit, at.unit, step.id
            );
            report_zinit_step(report, at, member, &detail, resolver);
        }
    }
}

fn report_policy(report: &mut Report, plan: &Plan, zinit_units: usize, multiple: bool) {
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

/// A manifest as YAML. Its types hold only strings, integers, sequences and
/// maps with string keys, which serde_norway always writes.
pub fn yaml(value: &impl serde::Serialize) -> String {
    serde_norway::to_string(value).expect("manifests are plain data that YAML always holds")
}

/// `zinit`, `zinit-2`, …
fn numbered(base: &str, n: usize) -> String {
    if n == 1 {
        base.to_string()
    } else {
        format!("{base}-{n}")
    }
}

/// The script's file stem as a name; `app` for `-e` and stdin.
fn default_name(file: &str) -> String {
    let stem = std::path::Path::new(file)
        .file_stem()
        .and_then(|s| s.to_str())
        .filter(|_| !file.starts_with('<'))
        .unwrap_or("app");
    let name = dns_label(stem);
    if name.is_empty() { "app".into() } else { name }
}

/// A DNS-1123 label (what Kubernetes and Compose take as a name): lower
/// case letters, digits and `-`, at most 63, starting and ending with a
/// letter or digit.
pub fn dns_label(text: &str) -> String {
    let mapped: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let mut label = mapped.trim_matches('-').to_string();
    label.truncate(63);
    let label = label.trim_end_matches('-').to_string();
    if label.is_empty() {
        "step".into()
    } else {
        label
    }
}

/// Container names, unique within the pod or project.
#[derive(Default)]
struct Names {
    taken: HashSet<String>,
}

impl Names {
    fn take(&mut self, wanted: &str) -> String {
        let mut name = wanted.to_string();
        let mut n = 2;
        while !self.taken.insert(name.clone()) {
            let suffix = format!("-{n}");
            let mut base = wanted.to_string();
            base.truncate(63 - suffix.len());
            name = format!("{}{suffix}", base.trim_end_matches('-'));
            n += 1;
        }
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_dns_labels_and_unique() {
        assert_eq!(dns_label("wait-tcp-DB_5432"), "wait-tcp-db-5432");
        assert_eq!(dns_label("--x--"), "x");
        assert_eq!(dns_label("___"), "step");
        assert_eq!(dns_label(&"a".repeat(80)).len(), 63);
        let mut names = Names::default();
        assert_eq!(names.take("zinit"), "zinit");
        assert_eq!(names.take("zinit"), "zinit-2");
        assert_eq!(names.take("zinit"), "zinit-3");
        assert_eq!(default_name("examples/Quick start.zinit"), "quick-start");
        assert_eq!(default_name("<inline>"), "app");
    }
}
