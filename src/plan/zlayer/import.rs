//! `zinit import`: a ZLayer service spec's `init` + `errors` → `.zinit`.
//!
//! Every ZLayer setting either becomes zinit text or a `# note:` comment in
//! the output saying what changed; a step zinit cannot represent is an error.

use super::spec::{FailureAction, ImportParams, ImportService, InitFailureAction, InitStep};
use crate::plan::compile;
use crate::plan::duration::exact;
use crate::plan::model::{DEFAULT_TASK_TIMEOUT, DEFAULT_WAIT_TIMEOUT, millis_of};
use crate::syntax::parse;
use serde_norway::Value;
use std::fmt;

#[derive(Debug, Clone, PartialEq)]
pub enum ImportError {
    /// Not YAML, or not the shape of a ZLayer service spec.
    Yaml(String),
    /// A deployment spec with a number of services other than one.
    Services(Vec<String>),
    UnknownAction {
        step: String,
        uses: String,
    },
    MissingParam {
        step: String,
        param: &'static str,
    },
    BadParam {
        step: String,
        param: &'static str,
        expected: &'static str,
    },
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImportError::Yaml(e) => write!(f, "not a ZLayer service spec: {e}"),
            ImportError::Services(names) if names.is_empty() => {
                write!(f, "the deployment spec has no services")
            }
            ImportError::Services(names) => write!(
                f,
                "the deployment spec has {} services ({}); import one service spec at a time",
                names.len(),
                names.join(", ")
            ),
            ImportError::UnknownAction { step, uses } => write!(
                f,
                "step `{step}`: `uses: {uses}` has no zinit equivalent (known: init.wait_tcp, init.wait_http, init.run, init.s3_pull, init.s3_push)"
            ),
            ImportError::MissingParam { step, param } => {
                write!(f, "step `{step}`: `with.{param}` is missing")
            }
            ImportError::BadParam {
                step,
                param,
                expected,
            } => write!(f, "step `{step}`: `with.{param}` must be {expected}"),
        }
    }
}

impl std::error::Error for ImportError {}

/// The `.zinit` text for a ZLayer service spec (or a deployment spec with
/// exactly one service).
pub fn import(yaml: &str) -> Result<String, ImportError> {
    let service = read_service(yaml)?;
    let mut out = String::from("# Imported from a ZLayer service spec by `zinit import`.\n");
    match service.errors.on_init_failure.action {
        InitFailureAction::Fail => {}
        InitFailureAction::Restart => out.push_str(
            "# note: ZLayer's restart count and delay are its own; zinit re-runs 3 times, 100ms apart.\nretry restart\n",
        ),
        InitFailureAction::Backoff => out.push_str(
            "# note: ZLayer's backoff schedule is its own; zinit re-runs 3 times after 1s, 2s, 4s.\nretry backoff\n",
        ),
    }
    let mut lines = Vec::new();
    for step in &service.init.steps {
        lines.push(step_line(step)?);
    }
    let explicit = ids_to_write(&service.init.steps, &lines);
    for ((step, line), explicit) in service.init.steps.iter().zip(&lines).zip(explicit) {
        for note in &line.notes {
            out.push_str(&format!("# note: {note}\n"));
        }
        out.push_str(&line.text);
        if explicit {
            out.push_str(&format!(" as {}", step.id));
        }
        out.push('\n');
    }
    Ok(out)
}

fn read_service(yaml: &str) -> Result<ImportService, ImportError> {
    let value: Value =
        serde_norway::from_str(yaml).map_err(|e| ImportError::Yaml(e.to_string()))?;
    let service = match value.get("services") {
        Some(Value::Mapping(services)) => {
            let names: Vec<String> = services
                .keys()
                .map(|k| k.as_str().unwrap_or("?").to_string())
                .collect();
            match services.values().next() {
                Some(only) if services.len() == 1 => only.clone(),
                _ => return Err(ImportError::Services(names)),
            }
        }
        _ => value,
    };
    serde_norway::from_value(service).map_err(|e| ImportError::Yaml(e.to_string()))
}

struct Line {
    text: String,
    notes: Vec<String>,
}

fn step_line(step: &InitStep<ImportParams>) -> Result<Line, ImportError> {
    let mut notes = Vec::new();
    let with = Params {
        step,
        with: &step.with,
    };
    let mut text = match step.uses.as_str() {
        "init.wait_tcp" => {
            let host = with.string("host")?;
            let port = with.integer("port", "an integer port")?;
            let target = if host.contains(':') {
                format!("[{host}]:{port}")
            } else {
                format!("{host}:{port}")
            };
            format!("wait tcp {}", word(&target))
        }
        "init.wait_http" => {
            let mut text = format!("wait http {}", word(&with.string("url")?));
            if with.with.contains_key("expect_status") {
                let status = with.integer("expect_status", "an integer status code")?;
                text.push_str(&format!(" status {status}"));
            }
            text
        }
        "init.run" => format!("run {}", quoted(&with.string("command")?)),
        "init.s3_pull" => format!(
            "s3 pull {} to {}",
            word(&format!(
                "s3://{}/{}",
                with.string("bucket")?,
                with.string("key")?
            )),
            word(&with.string("destination")?)
        ),
        "init.s3_push" => format!(
            "s3 push {} to {}",
            word(&with.string("source")?),
            word(&format!(
                "s3://{}/{}",
                with.string("bucket")?,
                with.string("key")?
            ))
        ),
        other => {
            return Err(ImportError::UnknownAction {
                step: step.id.clone(),
                uses: other.to_string(),
            });
        }
    };
    if step.uses.starts_with("init.s3_") {
        for key in ["endpoint", "region"] {
            if with.with.contains_key(key) {
                text.push_str(&format!(" {key} {}", word(&with.string(key)?)));
            }
        }
    }
    // ZLayer's default timeouts are zinit's, so only other values are written.
    let default = match step.uses.as_str() {
        "init.wait_tcp" | "init.wait_http" => DEFAULT_WAIT_TIMEOUT,
        _ => DEFAULT_TASK_TIMEOUT,
    };
    if let Some(ms) = timeout_ms(step, &mut notes)?.filter(|ms| *ms != millis_of(default)) {
        text.push_str(&format!(" timeout {}", exact(ms)));
    }
    match step.on_failure {
        FailureAction::Fail => {}
        FailureAction::Warn => text.push_str(" on-fail warn"),
        FailureAction::Continue => text.push_str(" on-fail continue"),
    }
    if let Some(n) = step.retry.filter(|n| *n > 0) {
        text.push_str(&format!(" retry {n}"));
        notes.push(format!(
            "ZLayer accepts `retry: {n}` but ignores it; zinit retries, 1s apart"
        ));
    }
    Ok(Line { text, notes })
}

/// The timeout the ZLayer action obeys: `with.timeout` (whole seconds),
/// else the step's `timeout`; `None` keeps the default (the same in both).
fn timeout_ms(
    step: &InitStep<ImportParams>,
    notes: &mut Vec<String>,
) -> Result<Option<u64>, ImportError> {
    let step_timeout = match &step.timeout {
        Some(text) => Some(parse_humantime(text).ok_or_else(|| ImportError::BadParam {
            step: step.id.clone(),
            param: "timeout",
            expected: "a duration such as `30s`",
        })?),
        None => None,
    };
    let with_timeout = match step.with.get("timeout") {
        None => None,
        Some(Value::Number(n)) => n.as_u64().map(|s| s.saturating_mul(1000)),
        Some(Value::String(s)) => {
            let parsed = parse_humantime(s);
            notes.push(format!(
                "`with.timeout: \"{s}\"` is not an integer, so ZLayer ignored it; zinit uses it"
            ));
            parsed
        }
        Some(_) => None,
    };
    if let (Some(w), Some(s)) = (with_timeout, step_timeout) {
        if w != s {
            notes.push(format!(
                "`with.timeout` ({}) and `timeout` ({}) differ; the action obeyed `with.timeout`",
                exact(w),
                exact(s)
            ));
        }
    }
    Ok(with_timeout.or(step_timeout))
}

fn parse_humantime(text: &str) -> Option<u64> {
    let d = humantime::parse_duration(text).ok()?;
    Some(u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

struct Params<'a> {
    step: &'a InitStep<ImportParams>,
    with: &'a ImportParams,
}

impl Params<'_> {
    fn string(&self, param: &'static str) -> Result<String, ImportError> {
        match self.with.get(param) {
            Some(Value::String(s)) => Ok(s.clone()),
            Some(_) => Err(self.bad(param, "a string")),
            None => Err(ImportError::MissingParam {
                step: self.step.id.clone(),
                param,
            }),
        }
    }

    fn integer(&self, param: &'static str, expected: &'static str) -> Result<u64, ImportError> {
        match self.with.get(param) {
            Some(Value::Number(n)) => n.as_u64().ok_or_else(|| self.bad(param, expected)),
            Some(_) => Err(self.bad(param, expected)),
            None => Err(ImportError::MissingParam {
                step: self.step.id.clone(),
                param,
            }),
        }
    }

    fn bad(&self, param: &'static str, expected: &'static str) -> ImportError {
        ImportError::BadParam {
            step: self.step.id.clone(),
            param,
            expected,
        }
    }
}

/// Which steps need `as ID`: those whose id zinit would not derive itself.
/// Writing an id can shift the derived ids of others, so repeat (bounded)
/// until the script yields exactly the ZLayer ids.
fn ids_to_write(steps: &[InitStep<ImportParams>], lines: &[Line]) -> Vec<bool> {
    let mut explicit = vec![false; steps.len()];
    for _ in 0..3 {
        let script: String = lines
            .iter()
            .zip(steps)
            .zip(&explicit)
            .map(|((line, step), e)| match e {
                true => format!("{} as {}\n", line.text, step.id),
                false => format!("{}\n", line.text),
            })
            .collect();
        let plan = compile(&parse(&script).script);
        let mut changed = false;
        for ((derived, step), e) in plan.steps.iter().zip(steps).zip(explicit.iter_mut()) {
            if derived.id != step.id && !*e {
                *e = true;
                changed = true;
            }
        }
        if !changed {
            return explicit;
        }
    }
    vec![true; steps.len()]
}

/// A bare word when it reads back as itself, else a quoted string.
fn word(text: &str) -> String {
    let bare = !text.is_empty()
        && !text.starts_with('#')
        && !text
            .chars()
            .any(|c| c.is_whitespace() || ";{}\"'$\\".contains(c));
    if bare { text.to_string() } else { quoted(text) }
}

/// `'raw'` when possible (no interpolation, no escapes), else `"escaped"`.
fn quoted(text: &str) -> String {
    if !text.contains('\'') && !text.chars().any(char::is_control) {
        return format!("'{text}'");
    }
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '$' => out.push_str("\\$"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\0' => out.push_str("\\0"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
