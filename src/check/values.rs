//! A value that breaks a rule of [`crate::values`], as a diagnostic with its
//! registered code. Used wherever a value is judged — the checker on
//! literals (and on `${...}` resolved against `check --env`), `zinit run`
//! once the environment is known, and the ZLayer export — so the same value
//! gets the same verdict, code and words everywhere.

use super::Diagnostic;
use super::codes::{
    BAD_DNS_NAME, BAD_DNS_SERVER, BAD_GRPC_SERVICE, BAD_GRPC_TARGET, BAD_HEADER, BAD_JSON_POINTER,
    BAD_JSON_VALUE, BAD_METHOD, BAD_RECORD_TYPE, BAD_RECORD_VALUE, BAD_REGEX, BAD_S3_LOCATION,
    BAD_SERVICE_TARGET, BAD_TCP_TARGET, BAD_URL, CodeInfo, EMPTY_COMMAND, EMPTY_PATH, NUL_BYTE,
    PORT_RANGE, S3_FOLDER_TO_OBJECT, S3_OBJECT_TO_FOLDER,
};
use super::diagnostic::Applicability;
use crate::syntax::Span;
use crate::syntax::ast::Text;
use crate::values::{self, Invalid, Problem, S3Target};
use std::borrow::Cow;

/// The registered code of each rule.
pub fn code(problem: Problem) -> CodeInfo {
    match problem {
        Problem::TcpTarget => BAD_TCP_TARGET,
        Problem::PortRange => PORT_RANGE,
        Problem::Url => BAD_URL,
        Problem::S3Location => BAD_S3_LOCATION,
        Problem::EmptyPath => EMPTY_PATH,
        Problem::EmptyCommand => EMPTY_COMMAND,
        Problem::NulByte => NUL_BYTE,
        Problem::ServiceTarget => BAD_SERVICE_TARGET,
        Problem::DnsName => BAD_DNS_NAME,
        Problem::RecordType => BAD_RECORD_TYPE,
        Problem::DnsServer => BAD_DNS_SERVER,
        Problem::RecordValue => BAD_RECORD_VALUE,
        Problem::GrpcTarget => BAD_GRPC_TARGET,
        Problem::GrpcService => BAD_GRPC_SERVICE,
        Problem::S3ObjectToFolder => S3_OBJECT_TO_FOLDER,
        Problem::S3FolderToObject => S3_FOLDER_TO_OBJECT,
        Problem::Regex => BAD_REGEX,
        Problem::JsonValue => BAD_JSON_VALUE,
        Problem::JsonPointer => BAD_JSON_POINTER,
        Problem::Header => BAD_HEADER,
        Problem::Method => BAD_METHOD,
    }
}

/// A validator's verdict on one value: the value's parsed form, or the
/// diagnostic (boxed: it is the rare, large case).
pub type Verdict<T> = Result<T, Box<Diagnostic>>;

/// How the value came to be, which decides what a diagnostic may show.
#[derive(Debug, Clone, PartialEq)]
pub enum Written {
    /// As written in the script. `spelled` is the span of the value's own
    /// bytes when the source spells it byte for byte (no escapes), so a part
    /// can be pointed at and a fix applied.
    Literal { spelled: Option<Span> },
    /// Resolved from the environment: only the text as written (`${DB_URL}`)
    /// and the variables' names are shown, never the value, which may be a
    /// secret.
    Resolved { template: String, vars: Vec<String> },
}

impl Written {
    /// How `text` wrote `value`; `source` is the script text, when known.
    pub fn of(text: &Text, value: &str, source: Option<&str>) -> Written {
        if text.vars().next().is_some() {
            return Written::Resolved {
                template: crate::syntax::print::text(text),
                vars: text.vars().fold(Vec::new(), |mut names, var| {
                    if !names.contains(&var.name) {
                        names.push(var.name.clone());
                    }
                    names
                }),
            };
        }
        let spelled = source.and_then(|source| {
            let written = source.get(text.span.start()..text.span.end())?;
            let quotes = usize::from(text.quote != crate::syntax::ast::Quote::Bare);
            let inner = written.get(quotes..written.len().checked_sub(quotes)?)?;
            let span = Span::new(text.span.start() + quotes, text.span.end() - quotes);
            (inner == value).then_some(span)
        });
        Written::Literal { spelled }
    }
}

/// One value to judge: what it is (for messages, e.g. "the `wait tcp` target"),
/// the value itself, where the script wrote it, and how.
#[derive(Debug, Clone)]
pub struct Value<'a> {
    pub what: &'a str,
    pub value: Cow<'a, str>,
    pub span: Span,
    pub written: Written,
}

impl<'a> Value<'a> {
    /// `value`, which `text` holds (resolved, or literal); `source` is the
    /// script text, when known (for fixes).
    pub fn new(what: &'a str, text: &Text, value: Cow<'a, str>, source: Option<&str>) -> Self {
        Value {
            what,
            written: Written::of(text, &value, source),
            value,
            span: text.span,
        }
    }
}

/// The validators, one per kind of value.
impl Value<'_> {
    pub fn host_port(&self) -> Verdict<values::HostPort> {
        values::parse_host_port(&self.value).map_err(|e| Box::new(self.diagnostic(&e)))
    }

    pub fn service_target(&self, service: values::Service) -> Verdict<values::ServiceTarget> {
        values::parse_service_target(service, &self.value)
            .map_err(|e| Box::new(self.diagnostic(&e)))
    }

    pub fn dns_name(&self) -> Verdict<()> {
        values::check_dns_name(&self.value).map_err(|e| Box::new(self.diagnostic(&e)))
    }

    pub fn record_type(&self) -> Verdict<values::RecordType> {
        values::parse_record_type(&self.value).map_err(|e| Box::new(self.diagnostic(&e)))
    }

    pub fn dns_server(&self) -> Verdict<std::net::SocketAddr> {
        values::parse_dns_server(&self.value).map_err(|e| Box::new(self.diagnostic(&e)))
    }

    /// `value V` for the record type in force (`None`: A or AAAA).
    pub fn record_value(&self, kind: Option<values::RecordType>) -> Verdict<values::RecordValue> {
        values::parse_record_value(kind, &self.value).map_err(|e| Box::new(self.diagnostic(&e)))
    }

    pub fn grpc_target(&self) -> Verdict<values::HostPort> {
        values::parse_grpc_target(&self.value).map_err(|e| Box::new(self.diagnostic(&e)))
    }

    pub fn grpc_service(&self) -> Verdict<()> {
        values::check_grpc_service(&self.value).map_err(|e| Box::new(self.diagnostic(&e)))
    }

    pub fn http_url(&self) -> Verdict<()> {
        values::check_http_url(&self.value).map_err(|e| Box::new(self.diagnostic(&e)))
    }

    pub fn path(&self) -> Verdict<()> {
        values::check_path(&self.value).map_err(|e| Box::new(self.diagnostic(&e)))
    }

    pub fn program(&self) -> Verdict<()> {
        values::check_program(&self.value).map_err(|e| Box::new(self.diagnostic(&e)))
    }

    pub fn argument(&self) -> Verdict<()> {
        values::check_argument(&self.value).map_err(|e| Box::new(self.diagnostic(&e)))
    }

    pub fn method(&self) -> Verdict<()> {
        values::check_method(&self.value).map_err(|e| Box::new(self.diagnostic(&e)))
    }

    pub fn header(&self) -> Verdict<(String, String)> {
        values::parse_header(&self.value).map_err(|e| Box::new(self.diagnostic(&e)))
    }

    pub fn regex(&self) -> Verdict<regex::Regex> {
        values::compile_regex(&self.value).map_err(|e| Box::new(self.diagnostic(&e)))
    }

    pub fn json_pointer(&self) -> Verdict<()> {
        values::check_json_pointer(&self.value).map_err(|e| Box::new(self.diagnostic(&e)))
    }

    /// See [`values::parse_json_value`]: `double_quoted` when written in `"..."`.
    pub fn json_value(&self, double_quoted: bool) -> Verdict<serde_json::Value> {
        values::parse_json_value(&self.value, double_quoted)
            .map_err(|e| Box::new(self.diagnostic(&e)))
    }

    pub fn shell(&self) -> Verdict<()> {
        values::check_shell(&self.value).map_err(|e| Box::new(self.diagnostic(&e)))
    }

    /// The diagnostic of `invalid` at this value.
    pub fn diagnostic(&self, invalid: &Invalid) -> Diagnostic {
        let info = code(invalid.problem);
        let reason = &invalid.reason;
        let what = self.what;
        let mut d = match &self.written {
            Written::Literal { spelled } => {
                let message = if self.value.is_empty() {
                    format!("{what} {reason}")
                } else {
                    format!("{what} `{}` {reason}", shorten(&self.value))
                };
                let part =
                    invalid.part.clone().zip(*spelled).map(|(part, at)| {
                        Span::new(at.start() + part.start, at.start() + part.end)
                    });
                let mut d = info
                    .at(part.unwrap_or(self.span), message)
                    .with_label(label(invalid.problem));
                if let (Some(fixed), Some(at)) = (&invalid.fix, spelled) {
                    let applicability = if invalid.fix_is_certain {
                        Applicability::Safe
                    } else {
                        Applicability::Unsafe
                    };
                    d = d.with_fix(applicability, format!("use `{fixed}`"), *at, fixed.clone());
                }
                d
            }
            Written::Resolved { template, vars } => {
                let names: Vec<String> = vars.iter().map(|v| format!("`{v}`")).collect();
                info.at(
                    self.span,
                    format!(
                        "{what} `{}` resolves to a value that {reason}",
                        shorten(template)
                    ),
                )
                .with_label(format!(
                    "{} once {} {} resolved (the value is not shown)",
                    label(invalid.problem),
                    names.join(", "),
                    if names.len() == 1 { "is" } else { "are" }
                ))
            }
        };
        if let Some(help) = &invalid.help {
            d = d.with_help(help.clone());
        }
        d
    }
}

fn label(problem: Problem) -> &'static str {
    match problem {
        Problem::TcpTarget => "not HOST:PORT",
        Problem::PortRange => "not a valid port",
        Problem::Url => "not an http(s) URL",
        Problem::S3Location => "not s3://BUCKET/KEY",
        Problem::EmptyPath => "empty path",
        Problem::EmptyCommand => "no program to run",
        Problem::NulByte => "NUL byte",
        Problem::ServiceTarget => "not HOST:PORT or a URL of this service",
        Problem::DnsName => "not a DNS name",
        Problem::RecordType => "not a record type zinit asks for",
        Problem::DnsServer => "not IP[:PORT]",
        Problem::RecordValue => "no answer of this type can equal it",
        Problem::GrpcTarget => "not HOST:PORT",
        Problem::GrpcService => "not a service name",
        Problem::S3ObjectToFolder => "a folder, for one object",
        Problem::S3FolderToObject => "one object, for a folder",
        Problem::Regex => "does not compile",
        Problem::JsonValue => "not JSON",
        Problem::JsonPointer => "not a JSON Pointer",
        Problem::Header => "not `Name: value`",
        Problem::Method => "not an HTTP method",
    }
}

/// A value for a message: cut when long (the label points at all of it),
/// control characters escaped so they reach no terminal raw.
fn shorten(text: &str) -> String {
    const MAX: usize = 60;
    let mut out = String::new();
    for (n, c) in text.chars().enumerate() {
        if n == MAX {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// The direction of an s3 step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transfer {
    Pull,
    Push,
}

impl Transfer {
    pub fn verb(self) -> &'static str {
        match self {
            Transfer::Pull => "s3 pull",
            Transfer::Push => "s3 push",
        }
    }

    fn direction(self) -> &'static str {
        match self {
            Transfer::Pull => "from s3://BUCKET/KEY to a local path",
            Transfer::Push => "from a local path to s3://BUCKET/KEY",
        }
    }

    fn other(self) -> &'static str {
        match self {
            Transfer::Pull => "s3 push",
            Transfer::Push => "s3 pull",
        }
    }

    /// "`s3 pull` source", "`s3 push` destination" ...
    pub fn what(self, remote: bool) -> &'static str {
        match (self, remote) {
            (Transfer::Pull, true) => "the `s3 pull` source",
            (Transfer::Pull, false) => "the `s3 pull` destination",
            (Transfer::Push, true) => "the `s3 push` destination",
            (Transfer::Push, false) => "the `s3 push` source",
        }
    }

    /// Both sides of a transfer, each `None` when it is not known yet (a
    /// variable left for run time). A local side that is an s3:// location
    /// is reported alone: the sides are swapped, and the remote side's
    /// complaint would only repeat it.
    pub fn check(self, remote: Option<&Value>, local: Option<&Value>) -> Verdict<Option<S3Target>> {
        if let Some(local) = local
            && let Err(invalid) = values::check_local_path(&local.value)
        {
            let mut d = local.diagnostic(&invalid);
            if invalid.problem == Problem::S3Location {
                let swapped = remote.is_some_and(|r| values::check_local_path(&r.value).is_ok());
                let also = if swapped {
                    format!("; did you mean `{}`?", self.other())
                } else {
                    String::new()
                };
                d = d.with_label("expected a local path").with_help(format!(
                    "`{}` copies {}{also}",
                    self.verb(),
                    self.direction()
                ));
            }
            return Err(Box::new(d));
        }
        let Some(remote) = remote else {
            return Ok(None);
        };
        let target = values::parse_s3_location(&remote.value)
            .map_err(|invalid| Box::new(remote.diagnostic(&invalid)))?;
        if let Some(local) = local
            && let Err(invalid) =
                values::check_shapes(self == Transfer::Pull, &target, &local.value)
        {
            let at = match invalid.problem {
                Problem::S3ObjectToFolder => local,
                _ => remote,
            };
            return Err(Box::new(at.diagnostic(&invalid)));
        }
        Ok(Some(target))
    }
}
