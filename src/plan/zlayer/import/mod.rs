//! `zinit import`: a ZLayer service spec's `init` + `errors` → `.zinit`.
//!
//! Every ZLayer setting either becomes zinit text or a `# note:` comment in
//! the output saying what changed; a step zinit cannot represent is an error.
//! The script is checked before it is handed out: it checks without errors
//! and holds exactly the YAML's steps, or the import fails at the YAML value
//! zinit refused.

mod error;
mod invisible;
mod read;
mod write;

pub use error::{ImportError, Problem, YamlAt};

use super::spec::{FailureAction, InitFailureAction};
use crate::check::{CheckOptions, check_source};
use crate::plan::compile;
use crate::plan::duration::exact;
use crate::plan::model::{DEFAULT_TASK_TIMEOUT, DEFAULT_WAIT_TIMEOUT, millis_of};
use crate::syntax::ast::Statement;
use crate::syntax::{is_step_id, parse};
use read::{Located, Param, Step, read_service};
use write::{Line, note_line, quoted, shown, word};

/// The `.zinit` text for a ZLayer service spec (or a deployment spec with
/// exactly one service).
pub fn import(yaml: &str) -> Result<String, ImportError> {
    let service = read_service(yaml)?;
    let mut out = String::from("# Imported from a ZLayer service spec by `zinit import`.\n");
    // ZLayer's agent re-runs a failed init 3 times, 100ms apart (restart)
    // or after 1s, 2s, 4s (backoff): zinit's defaults for these policies.
    match service.policy.value {
        InitFailureAction::Fail => {}
        InitFailureAction::Restart => out.push_str("retry restart\n"),
        InitFailureAction::Backoff => out.push_str("retry backoff\n"),
    }
    if let Some(on_panic) = &service.on_panic {
        out.push_str("zlayer on-panic ");
        out.push_str(on_panic.value.as_str());
        out.push('\n');
    }
    let mut lines = Vec::new();
    for step in &service.steps {
        lines.push(step_line(step)?);
    }
    let explicit = ids_to_write(&service.steps, &lines);
    let ids = zinit_ids(&service.steps, &lines, &explicit);
    // Where each step's line starts in `out`, to map a diagnostic back.
    let mut placed = Vec::new();
    for (i, (step, mut line)) in service.steps.iter().zip(lines).enumerate() {
        let id = ids.get(i).map_or("", String::as_str);
        if explicit[i] {
            line.push(" as ");
            line.value(&step.id.value, step.id.at);
        } else if step.id.value != id {
            line.note(
                step.id.at,
                format!(
                    "ZLayer's id {} is not a zinit step id; zinit names this step `{id}`",
                    shown(&step.id.value),
                ),
            );
        }
        for (at, note) in &line.notes {
            out.push_str(&note_line(*at, note));
        }
        placed.push((out.len(), step, line.clone()));
        out.push_str(&line.text);
        out.push('\n');
    }
    verify(&out, &placed)?;
    Ok(out)
}

/// The checker's verdict on the script: no errors, and one step per YAML
/// step (a value that could end a statement would show up here).
fn verify(script: &str, placed: &[(usize, &Step, Line)]) -> Result<(), ImportError> {
    let checked = check_source(script, &CheckOptions::default());
    let error = checked.diagnostics.iter().find(|d| d.is_error());
    if let (Some(d), false) = (error, placed.is_empty()) {
        let offset = d.primary.span.start();
        let index = placed.partition_point(|(start, ..)| *start <= offset);
        let (start, step, line) = &placed[index.saturating_sub(1)];
        let at = line
            .value_at(offset.saturating_sub(*start))
            .unwrap_or(step.at);
        return Err(ImportError::at(
            at,
            Problem::Rejected {
                step: step.id.value.clone(),
                code: d.code,
                message: d.message.clone(),
            },
        ));
    }
    let steps = checked
        .script
        .statements
        .iter()
        .filter(|s| matches!(s, Statement::Step(_)))
        .count();
    if steps != placed.len() || error.is_some() {
        // Unreachable while every value goes through `word`/`quoted`; kept
        // so that a quoting bug fails the import instead of adding a step.
        return Err(ImportError::new(Problem::Unfaithful {
            steps,
            expected: placed.len(),
        }));
    }
    Ok(())
}

fn step_line(step: &Step) -> Result<Line, ImportError> {
    let with = Params { step };
    let mut line = match step.uses.value.as_str() {
        "init.wait_tcp" => {
            let host = with.string("host")?;
            let port = with.integer("port", "an integer port")?;
            let mut line = Line::new("wait tcp ");
            let host_part = match host.value.contains(':') {
                true => format!("[{}]", host.value),
                false => host.value.clone(),
            };
            let target = format!("{host_part}:{}", port.value);
            if word(&target) == target {
                // Bare: the host and the port each point back at their value.
                line.value(&host_part, host.at);
                line.push(":");
                line.value(&port.value.to_string(), port.at);
            } else {
                line.value(&word(&target), host.at);
            }
            line
        }
        "init.wait_http" => {
            let url = with.string("url")?;
            let mut line = Line::new("wait http ");
            line.value(&word(&url.value), url.at);
            if step.param("expect_status").is_some() {
                let status = with.integer("expect_status", "an integer status code")?;
                line.push(" status ");
                line.value(&status.value.to_string(), status.at);
            }
            line
        }
        "init.run" => {
            let command = with.string("command")?;
            let mut line = Line::new("run ");
            line.value(&quoted(&command.value), command.at);
            line
        }
        // ZLayer's docs and examples use `init.exec` with an argv; its agent
        // refuses it (`from_spec` knows no such action).
        "init.exec" => {
            let mut line = Line::new("run ");
            match step.param("command") {
                Some(Located {
                    value: Param::Strings(argv),
                    ..
                }) if !argv.is_empty() => {
                    line.push("[");
                    for (i, arg) in argv.iter().enumerate() {
                        if i > 0 {
                            line.push(", ");
                        }
                        line.value(&quoted(&arg.value), arg.at);
                    }
                    line.push("]");
                }
                _ => {
                    // A list of strings was taken above.
                    let command = with.string_or("command", "a string or a list of strings")?;
                    line.value(&quoted(&command.value), command.at);
                }
            }
            line.note(
                step.uses.at,
                "ZLayer's docs use `uses: init.exec`, but its agent (0.14.3) refuses it as an \
                 unknown action, so this init never ran there; zinit runs the command, and \
                 `plan --format zlayer` writes it as `init.run`",
            );
            line
        }
        "init.s3_pull" => {
            let mut line = Line::new("s3 pull ");
            s3_location(&mut line, &with)?;
            line.push(" to ");
            let destination = with.string("destination")?;
            line.value(&word(&destination.value), destination.at);
            line
        }
        "init.s3_push" => {
            let mut line = Line::new("s3 push ");
            let source = with.string("source")?;
            line.value(&word(&source.value), source.at);
            line.push(" to ");
            s3_location(&mut line, &with)?;
            line
        }
        other => {
            return Err(ImportError::at(
                step.uses.at,
                Problem::UnknownAction {
                    step: step.id.value.clone(),
                    uses: other.to_string(),
                },
            ));
        }
    };
    if step.uses.value.starts_with("init.s3_") {
        for key in ["endpoint", "region"] {
            if step.param(key).is_some() {
                let value = with.string(key)?;
                line.push(&format!(" {key} "));
                line.value(&word(&value.value), value.at);
            }
        }
    }
    // ZLayer's default timeouts are zinit's, so only other values are written.
    let default = match step.uses.value.as_str() {
        "init.wait_tcp" | "init.wait_http" => DEFAULT_WAIT_TIMEOUT,
        _ => DEFAULT_TASK_TIMEOUT,
    };
    let timeout = timeout_ms(step, millis_of(default), &mut line)?;
    if timeout.value != millis_of(default) {
        line.push(" timeout ");
        line.value(&exact(timeout.value), timeout.at);
    }
    match step.on_failure {
        FailureAction::Fail => {}
        FailureAction::Warn => line.push(" on-fail warn"),
        FailureAction::Continue => line.push(" on-fail continue"),
    }
    if let Some(retry) = step.retry.as_ref().filter(|n| n.value > 0) {
        line.push(" retry ");
        line.value(&retry.value.to_string(), retry.at);
        line.note(
            retry.at,
            format!(
                "ZLayer accepts `retry: {}` but its agent ignores it; zinit retries, 1s apart",
                retry.value
            ),
        );
    }
    Ok(line)
}

/// `s3://BUCKET/KEY`, pointing back at the bucket.
fn s3_location(line: &mut Line, with: &Params) -> Result<(), ImportError> {
    let bucket = with.string("bucket")?;
    let key = with.string("key")?;
    line.value(
        &word(&format!("s3://{}/{}", bucket.value, key.value)),
        bucket.at,
    );
    Ok(())
}

/// What bounded the step in ZLayer: the step's `timeout` (agent default
/// 300s) wraps the action, which obeys its own `with.timeout` (whole
/// seconds, default `action_default`), so the smaller wins.
fn timeout_ms(
    step: &Step,
    action_default: u64,
    line: &mut Line,
) -> Result<Located<u64>, ImportError> {
    let step_timeout = match &step.timeout {
        Some(text) => Some(Located {
            value: parse_humantime(&text.value).ok_or_else(|| {
                ImportError::at(
                    text.at,
                    Problem::BadParam {
                        step: step.id.value.clone(),
                        param: "timeout",
                        expected: "a duration such as `30s`",
                    },
                )
            })?,
            at: text.at,
        }),
        None => None,
    };
    let with_timeout = match step.param("timeout") {
        None => None,
        Some(Located {
            value: Param::Int(n),
            at,
        }) => u64::try_from(*n).ok().map(|s| Located {
            value: s.saturating_mul(1000),
            at: *at,
        }),
        Some(Located {
            value: Param::Str(s),
            at,
        }) => {
            let parsed = parse_humantime(s);
            let zinit = match parsed {
                Some(_) => "zinit uses it",
                None => "nor can zinit read it as a duration",
            };
            line.note(
                *at,
                format!(
                    "`with.timeout: {}` is not an integer, so ZLayer ignored it; {zinit}",
                    shown(s)
                ),
            );
            parsed.map(|value| Located { value, at: *at })
        }
        Some(_) => None,
    };
    let at = step.at;
    let action = with_timeout.clone().unwrap_or(Located {
        value: action_default,
        at,
    });
    let Some(outer) = step_timeout else {
        return Ok(action);
    };
    match with_timeout {
        Some(inner) if inner.value != outer.value => line.note(
            outer.at,
            format!(
                "`with.timeout` ({}) and `timeout` ({}) differ; the smaller bounded the step",
                exact(inner.value),
                exact(outer.value)
            ),
        ),
        None if outer.value > action.value => line.note(
            outer.at,
            format!(
                "`timeout: {}` wraps the action, which gives up after its own default {} \
                 (set `with.timeout` to wait longer): zinit keeps {}",
                exact(outer.value),
                exact(action.value),
                exact(action.value)
            ),
        ),
        _ => {}
    }
    Ok(if outer.value < action.value {
        outer
    } else {
        action
    })
}

fn parse_humantime(text: &str) -> Option<u64> {
    let d = humantime::parse_duration(text).ok()?;
    Some(u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

struct Params<'a> {
    step: &'a Step,
}

impl Params<'_> {
    fn string(&self, param: &'static str) -> Result<Located<String>, ImportError> {
        self.string_or(param, "a string")
    }

    /// A string parameter; `expected` says what else would do when it is not.
    fn string_or(
        &self,
        param: &'static str,
        expected: &'static str,
    ) -> Result<Located<String>, ImportError> {
        match self.step.param(param) {
            Some(Located {
                value: Param::Str(s),
                at,
            }) => Ok(Located {
                value: s.clone(),
                at: *at,
            }),
            Some(found) => Err(self.bad(param, expected, found.at)),
            None => Err(self.missing(param)),
        }
    }

    fn integer(
        &self,
        param: &'static str,
        expected: &'static str,
    ) -> Result<Located<u64>, ImportError> {
        match self.step.param(param) {
            Some(Located {
                value: Param::Int(n),
                at,
            }) => u64::try_from(*n)
                .map(|value| Located { value, at: *at })
                .map_err(|_| self.bad(param, expected, *at)),
            Some(found) => Err(self.bad(param, expected, found.at)),
            None => Err(self.missing(param)),
        }
    }

    fn missing(&self, param: &'static str) -> ImportError {
        ImportError::at(
            self.step.at,
            Problem::MissingParam {
                step: self.step.id.value.clone(),
                param,
            },
        )
    }

    fn bad(&self, param: &'static str, expected: &'static str, at: YamlAt) -> ImportError {
        ImportError::at(
            at,
            Problem::BadParam {
                step: self.step.id.value.clone(),
                param,
                expected,
            },
        )
    }
}

/// Which steps need `as ID`: those with a valid zinit id that zinit would
/// not derive itself. Writing an id can shift the derived ids of others, so
/// repeat (bounded) until the script yields exactly the ZLayer ids.
fn ids_to_write(steps: &[Step], lines: &[Line]) -> Vec<bool> {
    let writable: Vec<bool> = steps.iter().map(|s| is_step_id(&s.id.value)).collect();
    let mut explicit = vec![false; steps.len()];
    for _ in 0..3 {
        let mut changed = false;
        for (i, (derived, step)) in zinit_ids(steps, lines, &explicit)
            .iter()
            .zip(steps)
            .enumerate()
        {
            if *derived != step.id.value && writable[i] && !explicit[i] {
                explicit[i] = true;
                changed = true;
            }
        }
        if !changed {
            return explicit;
        }
    }
    writable
}

/// The ids zinit gives the steps when those marked `explicit` carry `as ID`.
fn zinit_ids(steps: &[Step], lines: &[Line], explicit: &[bool]) -> Vec<String> {
    let script: String = lines
        .iter()
        .zip(steps)
        .zip(explicit)
        .map(|((line, step), e)| match e {
            true => format!("{} as {}\n", line.text, step.id.value),
            false => format!("{}\n", line.text),
        })
        .collect();
    compile(&parse(&script).script)
        .steps
        .into_iter()
        .map(|s| s.id)
        .collect()
}
