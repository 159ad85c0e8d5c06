//! One validator per kind of value a script names: `HOST:PORT`, http(s)
//! URLs, `s3://BUCKET/KEY` locations, local paths and commands, what a
//! `wait http` sends and expects (methods, headers, regexes, JSON), and DNS
//! names, record types, servers and answers.
//!
//! Everything that judges such a value calls these functions: the checker
//! on literals, `zinit run` once `${...}` is resolved, and the ZLayer export
//! and import. So `check` is clean exactly when `run` would accept the same
//! text. This module depends on nothing else in the crate; the checker turns
//! an [`Invalid`] into a diagnostic with its registered code
//! (`check::values`).
//!
//! Reasons never quote the value: a value that came from the environment may
//! be a secret (`postgres://app:password@db`), and the diagnostic names the
//! variable instead.

mod command;
mod dns;
mod grpc;
mod host_port;
mod http;
mod s3;
mod service;
mod url;

pub use command::{check_argument, check_path, check_program, check_shell};
pub use dns::{
    DNS_PORT, RecordType, RecordValue, check_dns_name, normal_name, parse_dns_server,
    parse_record_type, parse_record_value,
};
pub use grpc::{check_grpc_service, parse_grpc_target};
pub use host_port::{HostPort, parse_host_port};
pub use http::{
    MAX_FOLLOW, check_json_pointer, check_method, compile_regex, parse_header, parse_json_value,
};
pub use s3::{
    S3Target, check_key, check_local_path, check_shapes, names_folder, parse_s3_location,
};
pub use service::{Service, ServiceTarget, parse_service_target};
pub use url::check_http_url;

use std::ops::Range;

/// Which rule a value breaks; the checker maps each to one registered code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    /// Not `HOST:PORT` (E104).
    TcpTarget,
    /// A port outside 1–65535 (E105).
    PortRange,
    /// Not an http(s) URL with a host (E106).
    Url,
    /// Not an `s3://BUCKET/KEY` location, or one where a local path belongs (E107).
    S3Location,
    /// An empty path or working directory (E117).
    EmptyPath,
    /// A command with no program (E170).
    EmptyCommand,
    /// Not `HOST:PORT` or a URL of the service's scheme (E120).
    ServiceTarget,
    /// Not a `wait grpc` `HOST:PORT` (E127).
    GrpcTarget,
    /// A `service NAME` no gRPC server can register (E128).
    GrpcService,
    /// A NUL byte in what reaches the operating system as a C string (E119).
    NulByte,
    /// Not a DNS name (E121).
    DnsName,
    /// Not a record type `wait dns` asks for (E122).
    RecordType,
    /// Not `IP[:PORT]` for `server` (E123).
    DnsServer,
    /// A `value` no answer of the record type can equal (E124).
    RecordValue,
    /// `s3 pull` of one object to a local path that names a folder (E180).
    S3ObjectToFolder,
    /// `s3 push` of a local path that names a folder to one object key (E181).
    S3FolderToObject,
    /// A regular expression that does not compile (E135).
    Regex,
    /// A `json ... == VALUE` that is not JSON (E136).
    JsonValue,
    /// A JSON Pointer that does not start with `/`, or a bad `~` escape (E137).
    JsonPointer,
    /// A `header` that is not `Name: value` (E138).
    Header,
    /// A `method` that is not a method name (E139).
    Method,
}

/// Why a value can never work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    pub problem: Problem,
    /// What is wrong, as a predicate of the value that does not quote it:
    /// "has no port", "names no bucket".
    pub reason: String,
    pub help: Option<String>,
    /// A corrected value that is valid (offered only where the value is
    /// written literally).
    pub fix: Option<String>,
    /// Whether the correction is certain (a capital `S3://`), rather than
    /// a likely guess (`::1:5432` may have meant an address without port).
    pub fix_is_certain: bool,
    /// The bytes of the value at fault (the port of `db:99999`), if not all.
    pub part: Option<Range<usize>>,
}

impl Invalid {
    fn new(problem: Problem, reason: impl Into<String>) -> Self {
        Invalid {
            problem,
            reason: reason.into(),
            help: None,
            fix: None,
            fix_is_certain: false,
            part: None,
        }
    }

    fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// A likely correction.
    fn fix(mut self, value: impl Into<String>) -> Self {
        self.fix = Some(value.into());
        self
    }

    /// A correction with only one possible meaning.
    fn certain_fix(mut self, value: impl Into<String>) -> Self {
        self.fix_is_certain = true;
        self.fix(value)
    }

    fn part(mut self, part: Range<usize>) -> Self {
        self.part = Some(part);
        self
    }
}

#[cfg(test)]
mod tests;
