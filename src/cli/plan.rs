//! `zinit plan FILE`: the compiled plan as text, JSON or ZLayer YAML, or
//! with `--fail STEP` the timeline when that step fails. Reads the script
//! and nothing else: no network, no commands.

use super::script::{Prepared, color_for, prepare};
use super::{EXIT_OK, EXIT_USAGE};
use crate::check::render::{Format, render};
use crate::check::{CheckOptions, FileReport};
use crate::plan::env::Env;
use crate::plan::failure::{self, simulate_failure};
use crate::plan::{Plan, compile, json, plan_timing, preview, zlayer};
use clap::{Args, ValueEnum};
use std::io::Write;
use std::process::ExitCode;

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
    #[command(flatten)]
    pub env: super::args::EnvArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PlanFormat {
    Text,
    Json,
    Zlayer,
}

pub fn execute(args: PlanArgs) -> ExitCode {
    match plan_output(&args) {
        Ok(output) => {
            // A closed pipe (`zinit plan app.zinit | head`) is not an error.
            let _ = std::io::stdout().lock().write_all(output.as_bytes());
            ExitCode::from(EXIT_OK)
        }
        Err(code) => code,
    }
}

/// What goes to standard output; errors have been printed to standard error.
fn plan_output(args: &PlanArgs) -> Result<String, ExitCode> {
    let env = args.env.load().map_err(|message| usage_error(&message))?;
    if args.fail.is_some() && args.format == PlanFormat::Zlayer {
        return Err(usage_error(
            "--fail previews a timeline: use it with --format text or json",
        ));
    }
    // ZLayer needs every `${...}` resolved, so the checker reports each
    // unset one (E150); the other formats show them as written.
    let options = CheckOptions {
        env: (args.format == PlanFormat::Zlayer).then(|| env.clone()),
    };
    let prepared = prepare(args.file.as_deref(), args.eval.as_deref(), &options)?;
    let plan = compile(&prepared.script);
    if let Some(step) = &args.fail {
        let timeline = simulate_failure(&plan, step).map_err(|e| usage_error(&e.to_string()))?;
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
    })
}

fn zlayer_output(plan: &Plan, env: &Env, prepared: Prepared) -> Result<String, ExitCode> {
    match zlayer::export(plan, env) {
        Ok(export) => {
            for warning in &export.warnings {
                eprintln!("{warning}");
            }
            Ok(export.yaml)
        }
        Err(diagnostics) => {
            let report = FileReport {
                file: prepared.file,
                diagnostics,
            };
            let reports = std::slice::from_ref(&report);
            eprint!(
                "{}",
                render(reports, Format::Human, color_for(&std::io::stderr()))
            );
            Err(ExitCode::from(EXIT_USAGE))
        }
    }
}

fn usage_error(message: &str) -> ExitCode {
    eprintln!("zinit: {message}");
    ExitCode::from(EXIT_USAGE)
}
