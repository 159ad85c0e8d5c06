//! ZLayer YAML → the service's `init` and `errors`, every value with the
//! line and column it was written at, so an import error can point at it.
//!
//! Read with saphyr (YAML 1.2, marked nodes, a bound on alias expansion),
//! by hand rather than through serde: the shapes are small, and only a hand
//! walk keeps the position of each value and of each unknown key.

use super::error::{ImportError, Problem, YamlAt};
use crate::plan::zlayer::spec::{FailureAction, InitFailureAction, PanicAction};
use saphyr::{LoadableYamlNode, MarkedYamlOwned, ScalarOwned, YamlDataOwned};

/// A value and where the YAML wrote it.
#[derive(Debug, Clone, PartialEq)]
pub struct Located<T> {
    pub value: T,
    pub at: YamlAt,
}

/// A `with` value as ZLayer's actions see it.
#[derive(Debug, Clone, PartialEq)]
pub enum Param {
    Str(String),
    Int(i64),
    /// A list of strings (an argv), each where it was written.
    Strings(Vec<Located<String>>),
    /// Anything else (a float, a boolean, null, a list, a map), by name.
    Other(&'static str),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub at: YamlAt,
    pub id: Located<String>,
    pub uses: Located<String>,
    /// In the YAML's order.
    pub with: Vec<(String, Located<Param>)>,
    pub retry: Option<Located<u32>>,
    pub timeout: Option<Located<String>>,
    pub on_failure: FailureAction,
}

impl Step {
    pub fn param(&self, key: &str) -> Option<&Located<Param>> {
        self.with.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Service {
    pub policy: Located<InitFailureAction>,
    /// `errors.on_panic.action`, when the spec writes it.
    pub on_panic: Option<Located<PanicAction>>,
    pub steps: Vec<Step>,
}

/// A ZLayer service spec, or a deployment spec with exactly one service.
pub fn read_service(yaml: &str) -> Result<Service, ImportError> {
    let docs = MarkedYamlOwned::load_from_str(yaml).map_err(|e| {
        ImportError::at(YamlAt::of(e.marker()), Problem::Yaml(e.info().to_string()))
    })?;
    let Some(root) = docs.first() else {
        return Err(ImportError::new(Problem::Yaml("the file is empty".into())));
    };
    let root = untagged(root);
    let service = match entry(root, "services") {
        Some(services) if services.data.is_mapping() => {
            let services = mapping(services)?;
            match services.as_slice() {
                [(_, only)] => *only,
                _ => {
                    let names = services.iter().map(|(name, _)| name.value.clone());
                    return Err(ImportError::new(Problem::Services(names.collect())));
                }
            }
        }
        _ => root,
    };
    // Every other key of a service (image, ports, …) is not an init concern.
    let fields = mapping(service)?;
    let mut steps = Vec::new();
    let mut on_panic = None;
    let mut policy = Located {
        value: InitFailureAction::Fail,
        at: YamlAt::of(&service.span.start),
    };
    for (key, value) in fields {
        match key.value.as_str() {
            "init" => steps = read_init(value)?,
            "errors" => {
                let errors = read_errors(value)?;
                if let Some(read) = errors.policy {
                    policy = read;
                }
                on_panic = errors.on_panic;
            }
            _ => {}
        }
    }
    Ok(Service {
        policy,
        on_panic,
        steps,
    })
}

fn read_init(node: &MarkedYamlOwned) -> Result<Vec<Step>, ImportError> {
    let mut steps = Vec::new();
    for (key, value) in known_fields(node, "init", &["steps"])? {
        if key.value == "steps" {
            for step in sequence(value)? {
                steps.push(read_step(step)?);
            }
        }
    }
    Ok(steps)
}

#[derive(Default)]
struct Errors {
    policy: Option<Located<InitFailureAction>>,
    on_panic: Option<Located<PanicAction>>,
}

fn read_errors(node: &MarkedYamlOwned) -> Result<Errors, ImportError> {
    let mut errors = Errors::default();
    for (key, value) in known_fields(node, "errors", &["on_init_failure", "on_panic"])? {
        if key.value == "on_init_failure" {
            for (key, value) in known_fields(value, "on_init_failure", &["action"])? {
                if key.value == "action" {
                    let action = string(value)?;
                    let parsed = match action.value.as_str() {
                        "fail" => InitFailureAction::Fail,
                        "restart" => InitFailureAction::Restart,
                        "backoff" => InitFailureAction::Backoff,
                        _ => {
                            return Err(ImportError::at(
                                action.at,
                                Problem::Variant {
                                    field: "errors.on_init_failure.action",
                                    expected: "fail, restart or backoff",
                                },
                            ));
                        }
                    };
                    errors.policy = Some(Located {
                        value: parsed,
                        at: action.at,
                    });
                }
            }
        }
        if key.value == "on_panic" {
            // zlayer-spec's default action when `on_panic: {}` names none.
            let mut read = Located {
                value: PanicAction::Restart,
                at: key.at,
            };
            for (key, value) in known_fields(value, "on_panic", &["action"])? {
                if key.value == "action" {
                    let action = string(value)?;
                    read.value = match PanicAction::from_word(&action.value) {
                        Some(parsed) => parsed,
                        None => {
                            return Err(ImportError::at(
                                action.at,
                                Problem::Variant {
                                    field: "errors.on_panic.action",
                                    expected: "restart, shutdown or isolate",
                                },
                            ));
                        }
                    };
                    read.at = action.at;
                }
            }
            errors.on_panic = Some(read);
        }
    }
    Ok(errors)
}

const STEP_FIELDS: &[&str] = &["id", "uses", "with", "retry", "timeout", "on_failure"];

fn read_step(node: &MarkedYamlOwned) -> Result<Step, ImportError> {
    let at = YamlAt::of(&node.span.start);
    let (mut id, mut uses, mut with, mut retry, mut timeout) = (None, None, Vec::new(), None, None);
    let mut on_failure = FailureAction::Fail;
    for (key, value) in known_fields(node, "step", STEP_FIELDS)? {
        match key.value.as_str() {
            "id" => id = Some(string(value)?),
            "uses" => uses = Some(string(value)?),
            "with" => {
                for (key, value) in mapping(value)? {
                    let param = Located {
                        value: param(value),
                        at: YamlAt::of(&value.span.start),
                    };
                    with.push((key.value, param));
                }
            }
            "retry" => retry = Some(count(value)?),
            "timeout" => timeout = Some(string(value)?),
            "on_failure" => {
                let action = string(value)?;
                on_failure = match action.value.as_str() {
                    "fail" => FailureAction::Fail,
                    "warn" => FailureAction::Warn,
                    "continue" => FailureAction::Continue,
                    _ => {
                        return Err(ImportError::at(
                            action.at,
                            Problem::Variant {
                                field: "on_failure",
                                expected: "fail, warn or continue",
                            },
                        ));
                    }
                }
            }
            _ => {}
        }
    }
    let missing = |field| ImportError::at(at, Problem::MissingField { field });
    Ok(Step {
        at,
        id: id.ok_or_else(|| missing("id"))?,
        uses: uses.ok_or_else(|| missing("uses"))?,
        with,
        retry,
        timeout,
        on_failure,
    })
}

/// `!!str 5` and the like: the tag is the YAML's business, the value ours.
fn untagged(node: &MarkedYamlOwned) -> &MarkedYamlOwned {
    match &node.data {
        YamlDataOwned::Tagged(_, inner) => untagged(inner),
        _ => node,
    }
}

fn kind(node: &MarkedYamlOwned) -> &'static str {
    match &untagged(node).data {
        YamlDataOwned::Value(ScalarOwned::Null) => "null",
        YamlDataOwned::Value(ScalarOwned::Boolean(_)) => "a boolean",
        YamlDataOwned::Value(ScalarOwned::Integer(_)) => "an integer",
        YamlDataOwned::Value(ScalarOwned::FloatingPoint(_)) => "a number",
        YamlDataOwned::Value(ScalarOwned::String(_)) | YamlDataOwned::Representation(..) => {
            "a string"
        }
        YamlDataOwned::Sequence(_) => "a list",
        YamlDataOwned::Mapping(_) => "a mapping",
        _ => "an unreadable value",
    }
}

fn wrong_type(node: &MarkedYamlOwned, expected: &'static str) -> ImportError {
    ImportError::at(
        YamlAt::of(&node.span.start),
        Problem::Type {
            expected,
            found: kind(node),
        },
    )
}

fn param(node: &MarkedYamlOwned) -> Param {
    match &untagged(node).data {
        YamlDataOwned::Value(ScalarOwned::String(s)) => Param::Str(s.clone()),
        YamlDataOwned::Representation(s, ..) => Param::Str(s.clone()),
        YamlDataOwned::Value(ScalarOwned::Integer(n)) => Param::Int(*n),
        YamlDataOwned::Sequence(items) => items
            .iter()
            .map(|item| string(item).ok())
            .collect::<Option<Vec<_>>>()
            .map_or(Param::Other("a list"), Param::Strings),
        _ => Param::Other(kind(node)),
    }
}

fn string(node: &MarkedYamlOwned) -> Result<Located<String>, ImportError> {
    match param(node) {
        Param::Str(value) => Ok(Located {
            value,
            at: YamlAt::of(&node.span.start),
        }),
        _ => Err(wrong_type(node, "a string")),
    }
}

fn count(node: &MarkedYamlOwned) -> Result<Located<u32>, ImportError> {
    match param(node) {
        Param::Int(n) => match u32::try_from(n) {
            Ok(value) => Ok(Located {
                value,
                at: YamlAt::of(&node.span.start),
            }),
            Err(_) => Err(wrong_type(node, "a count from 0 to 4294967295")),
        },
        _ => Err(wrong_type(node, "an integer")),
    }
}

fn sequence(node: &MarkedYamlOwned) -> Result<&[MarkedYamlOwned], ImportError> {
    match &untagged(node).data {
        YamlDataOwned::Sequence(items) => Ok(items),
        YamlDataOwned::Value(ScalarOwned::Null) => Ok(&[]),
        _ => Err(wrong_type(node, "a list")),
    }
}

/// The entries of a mapping whose keys are strings (null reads as empty).
fn mapping(
    node: &MarkedYamlOwned,
) -> Result<Vec<(Located<String>, &MarkedYamlOwned)>, ImportError> {
    match &untagged(node).data {
        YamlDataOwned::Mapping(map) => map
            .iter()
            .map(|(key, value)| Ok((string(key)?, value)))
            .collect(),
        YamlDataOwned::Value(ScalarOwned::Null) => Ok(Vec::new()),
        _ => Err(wrong_type(node, "a mapping")),
    }
}

/// As [`mapping`], refusing keys ZLayer's own types refuse
/// (`deny_unknown_fields`).
fn known_fields<'n>(
    node: &'n MarkedYamlOwned,
    what: &'static str,
    known: &'static [&'static str],
) -> Result<Vec<(Located<String>, &'n MarkedYamlOwned)>, ImportError> {
    let fields = mapping(node)?;
    if let Some((key, _)) = fields
        .iter()
        .find(|(k, _)| !known.contains(&k.value.as_str()))
    {
        return Err(ImportError::at(
            key.at,
            Problem::UnknownField {
                what,
                field: key.value.clone(),
                known,
            },
        ));
    }
    Ok(fields)
}

fn entry<'n>(node: &'n MarkedYamlOwned, key: &str) -> Option<&'n MarkedYamlOwned> {
    match &node.data {
        YamlDataOwned::Mapping(map) => map
            .iter()
            .find(|(k, _)| matches!(&k.data, YamlDataOwned::Value(ScalarOwned::String(s)) if s == key))
            .map(|(_, v)| v),
        _ => None,
    }
}
