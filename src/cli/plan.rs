//! `zinit plan FILE`: the compiled plan as text, JSON, ZLayer YAML,
//! Kubernetes or Compose manifests, or with `--fail STEP` the timeline when
//! that step fails. Reads the script and nothing else: no network, no
//! commands.

use super::error::shell_quote;
use super::script::{Prepared, prepare, print_diagnostics};
use super::{CliError, EXIT_OK, EXIT_USAGE};
use crate::check::{CheckOptions, FileReport};
use crate::plan::env::Env;
use crate::plan::failure::{self, simulate_failure};
use crate::plan::translate::{Input, Options, Report};
use crate::plan::{Plan, compile, compose, json, k8s, plan_timing, preview, zlayer};
use clap::{Args, ValueEnum};
use std::io::Write;

#[derive(Debug, Args)]
pub struct PlanArgs {
    /// The script; `-` reads standard input.
    pub file: Option<String>,
    /// Plan this script text instead of a file (`;` separates statements).
    #[arg(short = 'e', long = "eval", value_name = "SCRIPT")]
    pub eval: Option<String>,
    #[arg(long, value_enum, default_value_t = PlanFormat::Text)]
    pub format: PlanFormat,
    /// Preview the timeline when this step (by id) fails on every attempt.
    #[arg(long, value_name = "STEP")]
    pub fail: Option<String>,
    /// k8s/compose: the image of every container (it holds zinit and the
    /// script's commands); default: the name.
    #[arg(long, value_name = "IMAGE")]
    pub image: Option<String>,
    /// k8s/compose: the app's name (PodTemplate, ConfigMap, app container
    /// or service); default: the script's file name without `.zinit`.
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    #[command(flatten)]
    pub env: super::args::EnvArgs,
    /// k8s/compose: the app's command (after `--`).
    #[arg(last = true, value_name = "CMD")]
    pub command: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PlanFormat {
    Text,
    Json,
    Zlayer,
    K8s,
    Compose,
}

impl PlanFormat {
    fn is_manifest(self) -> bool {
        matches!(self, PlanFormat::K8s | PlanFormat::Compose)
    }
}

pub fn execute(args: PlanArgs) -> Result<u8, CliError> {
    let output = plan_output(&args)?;
    // A closed pipe (`zinit plan app.zinit | head`) is not an error.
    let _ = std::io::stdout().lock().write_all(output.as_bytes());
    Ok(EXIT_OK)
}

/// What goes to standard output.
fn plan_output(args: &PlanArgs) -> Result<String, CliError> {
    if let (Some(file), Some(eval)) = (&args.file, &args.eval) {
        return Err(CliError::usage(format!(
            "`{file}` given with -e: plan either a FILE or -e 'SCRIPT', not both \
             (zinit plan {} or zinit plan -e {})",
            shell_quote(file),
            shell_quote(eval)
        )));
    }
    let env = args.env.load().map_err(CliError::Usage)?;
    if args.fail.is_some() && !matches!(args.format, PlanFormat::Text | PlanFormat::Json) {
        return Err(CliError::usage(
            "--fail previews a timeline: use it with --format text or json",
        ));
    }
    if !args.format.is_manifest() {
        let manifest_only = [
            (args.image.is_some(), "--image"),
            (args.name.is_some(), "--name"),
            (!args.command.is_empty(), "-- CMD"),
        ];
        if let Some((_, flag)) = manifest_only.iter().find(|(given, _)| *given) {
            return Err(CliError::usage(format!(
                "{flag} is for the manifests: use it with --format k8s or compose"
            )));
        }
    }
    // ZLayer needs every `${...}` resolved, so the checker reports each
    // unset one (E150); the other formats show them as written.
    let options = CheckOptions {
        env: (args.format == PlanFormat::Zlayer).then(|| env.clone()),
    };
    let prepared = prepare(args.file.as_deref(), args.eval.as_deref(), &options)?;
    let plan = compile(&prepared.script);
    if let Some(step) = &args.fail {
        let timeline = simulate_failure(&plan, step).map_err(|e| CliError::usage(e.to_string()))?;
        return Ok(match args.format {
            PlanFormat::Json => failure::render_json(&timeline),
            _ => failure::render_text(&timeline),
        });
    }
    let timing = plan_timing(&plan);
    Ok(match args.format {
        PlanFormat::Text => preview::render_text(&plan, &timing, &env),
        PlanFormat::Json => json::render_json(&plan, &timing, &env),
        PlanFormat::Zlayer => zlayer_output(&plan, &env, prepared)?,
        PlanFormat::K8s | PlanFormat::Compose => manifest_output(args, &plan, &env, prepared)?,
    })
}

/// Kubernetes or Compose YAML on standard output, the translation report
/// on standard error.
fn manifest_output(
    args: &PlanArgs,
    plan: &Plan,
    env: &Env,
    prepared: Prepared,
) -> Result<String, CliError> {
    let input = Input {
        plan,
        script: &prepared.script,
        source: &prepared.file.text,
        file: &prepared.file.name,
        env,
    };
    let options = Options {
        name: args.name.clone(),
        image: args.image.clone(),
        command: args.command.clone(),
    };
    let exported: Result<(String, Report), _> = match args.format {
        PlanFormat::K8s => k8s::export(&input, &options).map(|e| (e.yaml, e.report)),
        _ => compose::export(&input, &options).map(|e| (e.yaml, e.report)),
    };
    match exported {
        Ok((yaml, report)) => {
            crate::run::report::stderr_text(&report.to_string());
            Ok(yaml)
        }
        Err(diagnostics) => {
            print_diagnostics(&FileReport {
                file: prepared.file,
                diagnostics,
            });
            Err(CliError::Reported(EXIT_USAGE))
        }
    }
}

fn zlayer_output(plan: &Plan, env: &Env, prepared: Prepared) -> Result<String, CliError> {
    match zlayer::export(plan, env) {
        Ok(export) => {
            for warning in &export.warnings {
                eprintln!("{warning}");
            }
            Ok(export.yaml)
        }
        Err(diagnostics) => {
            print_diagnostics(&FileReport {
                file: prepared.file,
                diagnostics,
            });
            Err(CliError::Reported(EXIT_USAGE))
        }
    }
}
