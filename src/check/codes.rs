//! The registry of every diagnostic code: syntax errors (E0xx, owned by the
//! parser), semantic errors (E100–E149), environment errors (E150) and lints
//! (W100–W149). Each code has one page in the book's error index.
//!
//! Checks build their diagnostics from these constants (`DUPLICATE_ID.at(..)`),
//! so a code's severity can only be stated once.

use super::diagnostic::{Diagnostic, Severity};
use crate::syntax::Span;
use crate::syntax::codes::SYNTAX_CODES;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodeInfo {
    pub code: &'static str,
    pub severity: Severity,
    /// One line, used as the SARIF rule description and the book page title.
    pub summary: &'static str,
}

impl CodeInfo {
    const fn error(code: &'static str, summary: &'static str) -> Self {
        CodeInfo {
            code,
            severity: Severity::Error,
            summary,
        }
    }

    const fn warning(code: &'static str, summary: &'static str) -> Self {
        CodeInfo {
            code,
            severity: Severity::Warning,
            summary,
        }
    }

    /// A diagnostic of this code at `span`.
    pub fn at(self, span: Span, message: impl Into<String>) -> Diagnostic {
        match self.severity {
            Severity::Error => Diagnostic::error(self.code, span, message),
            Severity::Warning => Diagnostic::warning(self.code, span, message),
        }
    }
}

pub const DUPLICATE_ID: CodeInfo = CodeInfo::error("E100", "duplicate step id");
pub const REPEATED_CLAUSE: CodeInfo = CodeInfo::error("E101", "clause given more than once");
pub const MISPLACED_CLAUSE: CodeInfo =
    CodeInfo::error("E102", "clause does not belong to this action");
pub const SECOND_POLICY: CodeInfo = CodeInfo::error("E103", "more than one script policy");
pub const BAD_TCP_TARGET: CodeInfo = CodeInfo::error("E104", "`wait tcp` target is not HOST:PORT");
pub const PORT_RANGE: CodeInfo = CodeInfo::error("E105", "port outside 1–65535");
pub const BAD_URL: CodeInfo = CodeInfo::error("E106", "malformed http(s) URL");
pub const BAD_S3_LOCATION: CodeInfo = CodeInfo::error("E107", "malformed s3://BUCKET/KEY location");
pub const STATUS_RANGE: CodeInfo = CodeInfo::error("E108", "HTTP status outside 100–599");
pub const EMPTY_STATUS_RANGE: CodeInfo = CodeInfo::error("E109", "empty status range");
pub const RETRY_COUNT: CodeInfo = CodeInfo::error("E110", "retry count out of range");
pub const BACKOFF_FACTOR: CodeInfo = CodeInfo::error("E111", "backoff factor out of range");
pub const JITTER_RANGE: CodeInfo = CodeInfo::error("E112", "jitter outside 0–100%");
pub const INITIAL_ABOVE_MAX: CodeInfo =
    CodeInfo::error("E113", "backoff initial delay above its max");
pub const DURATION_OVERFLOW: CodeInfo = CodeInfo::error("E114", "duration too large");
pub const ZERO_DURATION: CodeInfo = CodeInfo::error("E115", "zero timeout or poll interval");
pub const EMPTY_PARALLEL: CodeInfo = CodeInfo::error("E116", "`parallel` group without steps");
pub const EMPTY_PATH: CodeInfo = CodeInfo::error("E117", "empty path or working directory");
pub const REPEATED_ENV_KEY: CodeInfo = CodeInfo::error("E118", "`env` key given twice on one step");
pub const NUL_BYTE: CodeInfo = CodeInfo::error("E119", "NUL byte in a path, argument or env value");
pub const BAD_SERVICE_TARGET: CodeInfo = CodeInfo::error(
    "E120",
    "malformed `wait postgres`/`wait redis`/`wait mysql` target",
);
pub const BAD_DNS_NAME: CodeInfo = CodeInfo::error("E121", "`wait dns` name is not a DNS name");
pub const BAD_RECORD_TYPE: CodeInfo =
    CodeInfo::error("E122", "`type` is not A, AAAA, CNAME, TXT, SRV or MX");
pub const BAD_DNS_SERVER: CodeInfo = CodeInfo::error("E123", "`server` is not IP[:PORT]");
pub const BAD_RECORD_VALUE: CodeInfo = CodeInfo::error(
    "E124",
    "`value` that no answer of the record type can equal",
);
pub const BAD_GRPC_TARGET: CodeInfo =
    CodeInfo::error("E127", "`wait grpc` target is not HOST:PORT");
pub const BAD_GRPC_SERVICE: CodeInfo =
    CodeInfo::error("E128", "`wait grpc` service name is empty or holds blanks");
pub const UNKNOWN_SERVICE: CodeInfo =
    CodeInfo::error("E130", "service reference names no earlier `start` step");
pub const ZERO_TIMES: CodeInfo = CodeInfo::error("E131", "`times 0` on `wait log`");
pub const LOG_PATTERN: CodeInfo = CodeInfo::error(
    "E133",
    "`wait log` without exactly one of `contains`/`matches`",
);
pub const BY_CLOSED: CodeInfo = CodeInfo::error("E134", "`by SERVICE` together with `closed`");
pub const BAD_REGEX: CodeInfo = CodeInfo::error("E135", "regular expression that does not compile");
pub const BAD_JSON_VALUE: CodeInfo = CodeInfo::error("E136", "`json` value that is not JSON");
pub const BAD_JSON_POINTER: CodeInfo =
    CodeInfo::error("E137", "JSON Pointer that does not start with `/`");
pub const BAD_HEADER: CodeInfo = CodeInfo::error("E138", "`header` that is not `Name: value`");
pub const BAD_METHOD: CodeInfo = CodeInfo::error("E139", "`method` that is not an HTTP method");
pub const CERT_WITHOUT_KEY: CodeInfo = CodeInfo::error("E140", "`cert` without `key`");
pub const FOLLOW_RANGE: CodeInfo = CodeInfo::error("E141", "`follow` outside 0–20");
pub const BODY_ON_HEAD: CodeInfo = CodeInfo::error("E142", "body checked on a `HEAD` request");
pub const EMPTY_ANY: CodeInfo = CodeInfo::error("E145", "`any` group without steps");
pub const START_IN_ANY: CodeInfo = CodeInfo::error("E146", "`start` inside an `any` group");
pub const ON_FAIL_IN_ANY: CodeInfo =
    CodeInfo::error("E147", "`on-fail` on a member of an `any` group");
pub const UNRESOLVED_VAR: CodeInfo = CodeInfo::error("E150", "environment variable not set");
/// Reported by `zinit plan --format zlayer`: a resolved value ZLayer's types cannot hold.
pub const ZLAYER_VALUE: CodeInfo = CodeInfo::error("E160", "value ZLayer cannot take");
pub const SECOND_ZLAYER_SETTING: CodeInfo =
    CodeInfo::error("E161", "`zlayer on-panic` given more than once");
/// Reported by `check` for a literal command and by `zinit run` once
/// variables are resolved.
pub const S3_OBJECT_TO_FOLDER: CodeInfo =
    CodeInfo::error("E180", "`s3 pull` of one object to a folder path");
pub const S3_FOLDER_TO_OBJECT: CodeInfo =
    CodeInfo::error("E181", "`s3 push` of a folder to one object key");
pub const EMPTY_COMMAND: CodeInfo = CodeInfo::error("E170", "command names no program");

pub const POLICY_NEVER_APPLIES: CodeInfo =
    CodeInfo::warning("W101", "script policy can never apply");
pub const RETRY_ON_WAIT: CodeInfo = CodeInfo::warning("W102", "`retry` on a wait");
pub const POLL_NOT_SHORTER: CodeInfo =
    CodeInfo::warning("W103", "poll interval not shorter than the timeout");
pub const INSECURE_HTTP: CodeInfo =
    CodeInfo::warning("W104", "`insecure` where there is no TLS to verify");
pub const ABOVE_MAX_DURATION: CodeInfo =
    CodeInfo::warning("W105", "worst case above --max-duration");

/// The checker's own codes, in code order.
const CHECK_CODES: &[CodeInfo] = &[
    DUPLICATE_ID,
    REPEATED_CLAUSE,
    MISPLACED_CLAUSE,
    SECOND_POLICY,
    BAD_TCP_TARGET,
    PORT_RANGE,
    BAD_URL,
    BAD_S3_LOCATION,
    STATUS_RANGE,
    EMPTY_STATUS_RANGE,
    RETRY_COUNT,
    BACKOFF_FACTOR,
    JITTER_RANGE,
    INITIAL_ABOVE_MAX,
    DURATION_OVERFLOW,
    ZERO_DURATION,
    EMPTY_PARALLEL,
    EMPTY_PATH,
    REPEATED_ENV_KEY,
    NUL_BYTE,
    BAD_SERVICE_TARGET,
    BAD_DNS_NAME,
    BAD_RECORD_TYPE,
    BAD_DNS_SERVER,
    BAD_RECORD_VALUE,
    BAD_GRPC_TARGET,
    BAD_GRPC_SERVICE,
    UNKNOWN_SERVICE,
    ZERO_TIMES,
    LOG_PATTERN,
    BY_CLOSED,
    BAD_REGEX,
    BAD_JSON_VALUE,
    BAD_JSON_POINTER,
    BAD_HEADER,
    BAD_METHOD,
    CERT_WITHOUT_KEY,
    FOLLOW_RANGE,
    BODY_ON_HEAD,
    EMPTY_ANY,
    START_IN_ANY,
    ON_FAIL_IN_ANY,
    UNRESOLVED_VAR,
    ZLAYER_VALUE,
    SECOND_ZLAYER_SETTING,
    EMPTY_COMMAND,
    S3_OBJECT_TO_FOLDER,
    S3_FOLDER_TO_OBJECT,
    POLICY_NEVER_APPLIES,
    RETRY_ON_WAIT,
    POLL_NOT_SHORTER,
    INSECURE_HTTP,
    ABOVE_MAX_DURATION,
];

/// Every code zinit can report, syntax codes first, sorted by code.
pub fn all_codes() -> Vec<CodeInfo> {
    let mut codes: Vec<CodeInfo> = syntax_codes().chain(CHECK_CODES.iter().copied()).collect();
    codes.sort_by_key(|c| c.code);
    codes
}

/// The parser's codes; every syntax error is an error.
fn syntax_codes() -> impl Iterator<Item = CodeInfo> {
    SYNTAX_CODES
        .iter()
        .map(|&(code, summary)| CodeInfo::error(code, summary))
}

/// The registry entry of a code, if it is one.
pub fn lookup(code: &str) -> Option<CodeInfo> {
    all_codes().into_iter().find(|c| c.code == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_well_formed() {
        let codes = all_codes();
        for pair in codes.windows(2) {
            assert_ne!(pair[0].code, pair[1].code, "code registered twice");
        }
        for info in &codes {
            let prefix = match info.severity {
                Severity::Error => 'E',
                Severity::Warning => 'W',
            };
            assert!(
                info.code.starts_with(prefix),
                "{} has the wrong letter",
                info.code
            );
            assert_eq!(info.code.len(), 4, "{} is not LNNN", info.code);
            assert!(!info.summary.is_empty());
        }
    }

    /// A code is written once, in a registry (`check/codes.rs` or
    /// `syntax/codes.rs`); everything else names its constant.
    #[test]
    fn no_code_is_written_outside_the_registries() {
        fn walk(dir: &std::path::Path, found: &mut Vec<String>) {
            for entry in std::fs::read_dir(dir).expect("src readable") {
                let path = entry.expect("entry").path();
                if path.is_dir() {
                    walk(&path, found);
                    continue;
                }
                let registry =
                    path.ends_with("check/codes.rs") || path.ends_with("syntax/codes.rs");
                // Tests compare against literal codes on purpose.
                let test = path.ends_with("tests.rs")
                    || path.components().any(|c| c.as_os_str() == "tests");
                if registry || test || path.extension().is_none_or(|e| e != "rs") {
                    continue;
                }
                let text = std::fs::read_to_string(&path).expect("source readable");
                let code = text.split("#[cfg(test)]").next().unwrap_or_default();
                for (n, line) in code.lines().enumerate() {
                    let bytes = line.as_bytes();
                    let literal = bytes.windows(6).any(|w| {
                        w[0] == b'"'
                            && matches!(w[1], b'E' | b'W')
                            && w[2..5].iter().all(u8::is_ascii_digit)
                            && w[5] == b'"'
                    });
                    if literal && !line.trim_start().starts_with("//") {
                        found.push(format!("{}:{}: {}", path.display(), n + 1, line.trim()));
                    }
                }
            }
        }
        let mut found = Vec::new();
        walk(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
            &mut found,
        );
        assert!(
            found.is_empty(),
            "codes written outside the registry:\n{}",
            found.join("\n")
        );
    }

    #[test]
    fn at_uses_the_registered_severity() {
        let d = POLL_NOT_SHORTER.at(Span::new(1, 2), "m");
        assert_eq!((d.code, d.severity), ("W103", Severity::Warning));
        let d = DUPLICATE_ID.at(Span::new(1, 2), "m");
        assert_eq!((d.code, d.severity), ("E100", Severity::Error));
    }
}
