//! One line on each statement and action, for hover and completion. The
//! clauses are documented in the clause table; these are the words that
//! start a statement.

/// A statement or action: the words that start it, how it is written, what it does.
pub struct StatementDoc {
    pub words: &'static str,
    pub form: &'static str,
    pub meaning: &'static str,
}

const fn doc(words: &'static str, form: &'static str, meaning: &'static str) -> StatementDoc {
    StatementDoc {
        words,
        form,
        meaning,
    }
}

pub const STATEMENTS: &[StatementDoc] = &[
    doc(
        "wait tcp",
        "wait tcp HOST:PORT [closed] [by SERVICE]",
        "Waits until a TCP connect succeeds (with `closed`: until it is refused; with `by SERVICE`: and the listening socket belongs to that `start` step's processes, a local address only).",
    ),
    doc(
        "wait http",
        "wait http URL [method M] [header \"Name: value\"]... [data STR] [status S] [body contains STR] [body matches RE] [json POINTER == VALUE|exists]... [ca FILE] [cert FILE key FILE] [follow N] [insecure]",
        "Waits until an HTTP(S) request (GET unless `method`) answers the status (default 2xx) and every body check holds; redirects are followed only with `follow N`.",
    ),
    doc(
        "wait file",
        "wait file PATH [gone]",
        "Waits until the path exists (with `gone`: until it does not).",
    ),
    doc(
        "wait postgres",
        "wait postgres HOST:PORT | postgres://USER[:PASS]@HOST[:PORT][/DB]",
        "Waits until PostgreSQL accepts connections (pg_isready's meaning); with a user, until it logs in and `SELECT 1` succeeds.",
    ),
    doc(
        "wait redis",
        "wait redis HOST:PORT | redis://[:PASS@]HOST[:PORT][/DB]",
        "Waits until Redis answers `PING` with `PONG` (`-LOADING`, `-BUSY`, `-NOAUTH` are not ready).",
    ),
    doc(
        "wait mysql",
        "wait mysql HOST:PORT | mysql://USER[:PASS]@HOST[:PORT][/DB]",
        "Waits until MySQL/MariaDB sends its greeting, not an error such as \"Too many connections\"; with a user, until it logs in and `SELECT 1` succeeds.",
    ),
    doc(
        "wait dns",
        "wait dns NAME [type A|AAAA|CNAME|TXT|SRV|MX] [server IP[:PORT]] [value V]",
        "Waits until NAME resolves (default: an A or AAAA address, from the system resolver) and, with `value`, one answer equals V. Not ready on NXDOMAIN, SERVFAIL or no answer.",
    ),
    doc(
        "wait grpc",
        "wait grpc HOST:PORT [service NAME] [tls] [insecure]",
        "Waits until the standard gRPC health check (`grpc.health.v1.Health/Check`) answers `SERVING` for NAME (default: the server as a whole); plaintext unless `tls`.",
    ),
    doc(
        "wait exec",
        "wait exec \"SHELL\" | wait exec [\"ARG\", ...]",
        "Runs the command until it exits 0, again every `every` (default 1s), each run bounded by the time left.",
    ),
    doc(
        "wait log",
        "wait log SERVICE contains STR | matches RE [times N]",
        "Waits until the output (stdout or stderr) of SERVICE, a `start` step's id, has shown N (default 1) lines that contain STR / match RE, counted from the service's start; fails at once if the service exits first.",
    ),
    doc(
        "run",
        "run \"SHELL\" | run [\"ARG\", ...]",
        "Runs a command to completion; fails on a non-zero exit and shows its output.",
    ),
    doc(
        "start",
        "start \"SHELL\" | start [\"ARG\", ...]",
        "Starts a background service, stopped (SIGTERM, then SIGKILL) when the script's work is done.",
    ),
    doc("sleep", "sleep D", "Pauses for the duration."),
    doc(
        "s3 pull",
        "s3 pull s3://BUCKET/KEY to PATH",
        "Downloads an object to a file.",
    ),
    doc(
        "s3 push",
        "s3 push PATH to s3://BUCKET/KEY",
        "Uploads a file as an object.",
    ),
    doc(
        "parallel",
        "parallel { STEPS }",
        "Runs the enclosed steps at once; the group ends when all have ended.",
    ),
    doc(
        "any",
        "any { STEPS }",
        "Runs the enclosed steps at once; the first to succeed wins and the others are stopped. Fails when all have failed.",
    ),
    doc(
        "retry",
        "retry none | restart N | backoff N [initial D] [max D] [factor F] [jitter P%]",
        "The script's policy when a step fails for good: re-run the whole script (default `none`).",
    ),
    doc(
        "defaults",
        "defaults CLAUSES",
        "Default clauses for the steps after it.",
    ),
    doc(
        "zlayer",
        "zlayer on-panic restart|shutdown|isolate",
        "ZLayer's `errors.on_panic` for the service, written by `plan --format zlayer` \
         (and by `zinit import`); zinit's own run does not use it.",
    ),
];

/// The values of `on-fail`, with what each does.
pub const ON_FAIL: &[(&str, &str)] = &[
    ("fail", "end this pass of the script (the default)"),
    ("warn", "log a warning and go on"),
    ("continue", "go on silently"),
];

/// The kinds of script policy after a top-level `retry`.
pub const POLICIES: &[(&str, &str)] = &[
    ("none", "a failed pass fails the script (the default)"),
    (
        "restart",
        "re-run the whole script after 100ms, up to N times",
    ),
    (
        "backoff",
        "re-run the whole script with exponential backoff",
    ),
];

/// The doc of the statement or action named by its words (`wait tcp`).
pub fn statement(words: &str) -> Option<&'static StatementDoc> {
    STATEMENTS.iter().find(|d| d.words == words)
}

/// The words that can follow `first` to name an action (`tcp` after `wait`).
pub fn second_words(first: &str) -> impl Iterator<Item = &'static StatementDoc> {
    STATEMENTS.iter().filter(move |d| {
        d.words
            .split_once(' ')
            .is_some_and(|(head, _)| head == first)
    })
}

pub fn markdown(doc: &StatementDoc) -> String {
    format!("`{}`\n\n{}", doc.form, doc.meaning)
}
