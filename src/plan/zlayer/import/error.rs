//! Why an import failed, and where in the YAML.

use super::invisible::escape_invisible;
use std::fmt;

/// A position in the YAML file, both 1-based (columns count characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct YamlAt {
    pub line: usize,
    pub column: usize,
}

impl YamlAt {
    pub(super) fn of(marker: &saphyr::Marker) -> Self {
        YamlAt {
            line: marker.line(),
            column: marker.col() + 1,
        }
    }
}

/// An import error: what is wrong, and where when a value is at fault.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportError {
    pub at: Option<YamlAt>,
    pub problem: Problem,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    /// Not YAML.
    Yaml(String),
    /// A deployment spec with a number of services other than one.
    Services(Vec<String>),
    Type {
        expected: &'static str,
        found: &'static str,
    },
    MissingField {
        field: &'static str,
    },
    /// A key ZLayer's own types refuse (they deny unknown fields).
    UnknownField {
        what: &'static str,
        field: String,
        known: &'static [&'static str],
    },
    Variant {
        field: &'static str,
        expected: &'static str,
    },
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
    /// The script would not hold exactly the spec's steps (a bug in the
    /// import, refused rather than printed).
    Unfaithful {
        steps: usize,
        expected: usize,
    },
    /// The value reads as zinit text, but zinit's checker refuses it.
    Rejected {
        step: String,
        code: &'static str,
        message: String,
    },
}

impl ImportError {
    pub(super) fn new(problem: Problem) -> Self {
        ImportError { at: None, problem }
    }

    pub(super) fn at(at: YamlAt, problem: Problem) -> Self {
        ImportError {
            at: Some(at),
            problem,
        }
    }
}

/// `line:column: message` when the place is known.
impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(at) = self.at {
            write!(f, "{}:{}: ", at.line, at.column)?;
        }
        fmt::Display::fmt(&self.problem, f)
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Ids and values come from the file: escaped, so a message is one
        // line and shows what is really there.
        let esc = |s: &str| escape_invisible(s);
        match self {
            Problem::Yaml(e) => write!(f, "not a ZLayer service spec: {e}"),
            Problem::Services(names) if names.is_empty() => {
                write!(f, "the deployment spec has no services")
            }
            Problem::Services(names) => {
                let names: Vec<String> = names.iter().map(|n| esc(n)).collect();
                write!(
                    f,
                    "the deployment spec has {} services ({}); import one service spec at a time",
                    names.len(),
                    names.join(", ")
                )
            }
            Problem::Type { expected, found } => write!(f, "expected {expected}, found {found}"),
            Problem::MissingField { field } => write!(f, "the step has no `{field}`"),
            Problem::UnknownField { what, field, known } => write!(
                f,
                "unknown field `{}` in {what} (expected one of: {})",
                esc(field),
                known.join(", ")
            ),
            Problem::Variant { field, expected } => write!(f, "`{field}` must be {expected}"),
            Problem::UnknownAction { step, uses } => write!(
                f,
                "step `{}`: `uses: {}` has no zinit equivalent (known: init.wait_tcp, init.wait_http, init.run, init.exec, init.s3_pull, init.s3_push)",
                esc(step),
                esc(uses)
            ),
            Problem::MissingParam { step, param } => {
                write!(f, "step `{}`: `with.{param}` is missing", esc(step))
            }
            Problem::BadParam {
                step,
                param,
                expected,
            } => write!(f, "step `{}`: `with.{param}` must be {expected}", esc(step)),
            Problem::Unfaithful { steps, expected } => write!(
                f,
                "the imported script would not check clean or would hold {steps} steps \
                 for the spec's {expected}; please report this"
            ),
            Problem::Rejected {
                step,
                code,
                message,
            } => write!(
                f,
                "step `{}`: zinit cannot take this value: {} [{code}]",
                esc(step),
                esc(message)
            ),
        }
    }
}

impl std::error::Error for ImportError {}
