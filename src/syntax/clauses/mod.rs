//! The one clause table: every step clause with its one-line doc, and for
//! every action the clauses it accepts. The parser's keyword list and
//! suggestions, the checker (E102, and which defaults reach a step), the
//! compiler (which defaults apply) and the book's clause table
//! (`book/src/reference/clauses.md`, compared by a test) all read it.
//!
//! To add a clause: a variant of [`Name`] (and of `ast::ClauseKind`, with
//! its parsing in `parser/clause.rs`), one [`ClauseInfo`] row in
//! [`CLAUSES`], and its name in the `accepts` of each action that takes it.
//! To add an action: one [`ActionClauses`] row in [`ACTIONS`], named as
//! `ast::Action::name` names it. Then bless the book table (the test that
//! compares it prints the new one).
use super::ast::Action;

mod markdown;
mod names;

pub use markdown::markdown_table;
pub use names::{Name, Set};

pub const COUNT: usize = CLAUSES.len();

/// One clause: the word that starts it, how it is written, what it means.
#[derive(Debug, Clone, Copy)]
pub struct ClauseInfo {
    pub name: Name,
    /// The word the parser reads (`body` of `body contains`).
    pub word: &'static str,
    /// The keyword as messages name it (`body contains`).
    pub keyword: &'static str,
    /// The clause as written, with placeholders: `timeout D`.
    pub form: &'static str,
    pub meaning: &'static str,
    /// The value when the clause is absent, if there is one.
    pub default: &'static str,
}

const fn clause(
    name: Name,
    word: &'static str,
    keyword: &'static str,
    form: &'static str,
    meaning: &'static str,
    default: &'static str,
) -> ClauseInfo {
    ClauseInfo {
        name,
        word,
        keyword,
        form,
        meaning,
        default,
    }
}

/// Every clause, in [`Name`] order (the order of help texts and the book).
pub const CLAUSES: [ClauseInfo; 31] = [
    clause(
        Name::As,
        "as",
        "as",
        "as NAME",
        "the step id (letters, digits, `_ . -`; up to 63)",
        "derived",
    ),
    clause(
        Name::Timeout,
        "timeout",
        "timeout",
        "timeout D",
        "bounds one attempt (a group: all of it)",
        "30s for waits, 300s for `run` and `s3`; none for `parallel` and `any`",
    ),
    clause(
        Name::OnFail,
        "on-fail",
        "on-fail",
        "on-fail fail|warn|continue",
        "what a step that failed for good does to the pass",
        "`fail`",
    ),
    clause(
        Name::Retry,
        "retry",
        "retry",
        "retry N [every D | backoff ...]",
        "more attempts of this step",
        "none",
    ),
    clause(
        Name::Every,
        "every",
        "every",
        "every D",
        "poll interval",
        "5ms; 1s for `wait exec`",
    ),
    clause(
        Name::Env,
        "env",
        "env",
        "env K=V ...",
        "environment of the command (each key once)",
        "",
    ),
    clause(
        Name::Cwd,
        "cwd",
        "cwd",
        "cwd PATH",
        "working directory",
        "zinit's",
    ),
    clause(
        Name::Closed,
        "closed",
        "closed",
        "closed",
        "wait until the port refuses connections",
        "",
    ),
    clause(
        Name::Gone,
        "gone",
        "gone",
        "gone",
        "wait until the path does not exist",
        "",
    ),
    clause(
        Name::Status,
        "status",
        "status",
        "status S",
        "accepted statuses",
        "`2xx`",
    ),
    clause(
        Name::BodyContains,
        "body",
        "body contains",
        "body contains STR",
        "the body must contain STR",
        "",
    ),
    clause(
        Name::Insecure,
        "insecure",
        "insecure",
        "insecure",
        "do not verify TLS certificates",
        "",
    ),
    clause(
        Name::Method,
        "method",
        "method",
        "method M",
        "the request method (`GET`, `HEAD`, `POST` ...)",
        "`GET`",
    ),
    clause(
        Name::Header,
        "header",
        "header",
        "header \"Name: value\"",
        "a request header (repeatable)",
        "",
    ),
    clause(
        Name::Data,
        "data",
        "data",
        "data STR",
        "the request body",
        "none",
    ),
    clause(
        Name::BodyMatches,
        "body",
        "body matches",
        "body matches RE",
        "the body must match the regular expression RE",
        "",
    ),
    clause(
        Name::Json,
        "json",
        "json",
        "json POINTER == VALUE|exists",
        "the JSON body's value at POINTER must equal VALUE, or exist (repeatable)",
        "",
    ),
    clause(
        Name::Ca,
        "ca",
        "ca",
        "ca FILE",
        "trust this CA certificate (PEM) besides the usual roots",
        "",
    ),
    clause(
        Name::Cert,
        "cert",
        "cert",
        "cert FILE key FILE",
        "present this client certificate and key (PEM)",
        "",
    ),
    clause(
        Name::Follow,
        "follow",
        "follow",
        "follow N",
        "follow up to N redirects (0–20)",
        "0: a 3xx is the answer",
    ),
    clause(
        Name::Service,
        "service",
        "service",
        "service NAME",
        "the gRPC service whose health is asked",
        "the server as a whole",
    ),
    clause(
        Name::Tls,
        "tls",
        "tls",
        "tls",
        "speak TLS (verified unless `insecure`)",
        "plaintext",
    ),
    clause(
        Name::Endpoint,
        "endpoint",
        "endpoint",
        "endpoint URL",
        "object store endpoint",
        "AWS",
    ),
    clause(
        Name::Region,
        "region",
        "region",
        "region NAME",
        "object store region",
        "from the AWS variables",
    ),
    clause(
        Name::Type,
        "type",
        "type",
        "type A|AAAA|CNAME|TXT|SRV|MX",
        "the DNS record type to ask for",
        "A or AAAA",
    ),
    clause(
        Name::Server,
        "server",
        "server",
        "server IP[:PORT]",
        "the DNS server to ask",
        "the system resolver; port 53",
    ),
    clause(
        Name::Value,
        "value",
        "value",
        "value V",
        "one answer must equal V",
        "any answer",
    ),
    clause(
        Name::Contains,
        "contains",
        "contains",
        "contains STR",
        "count the service's output lines that contain STR",
        "",
    ),
    clause(
        Name::Matches,
        "matches",
        "matches",
        "matches RE",
        "count the service's output lines that match the regular expression RE",
        "",
    ),
    clause(
        Name::Times,
        "times",
        "times",
        "times N",
        "how many such lines, counted from the service's start",
        "1",
    ),
    clause(
        Name::By,
        "by",
        "by",
        "by SERVICE",
        "the listener must belong to this `start` step's processes",
        "any listener",
    ),
];

/// The words that start a clause, for the parser.
pub const WORDS: [&str; COUNT] = {
    let mut words = [""; COUNT];
    let mut i = 0;
    while i < COUNT {
        words[i] = CLAUSES[i].word;
        i += 1;
    }
    words
};

/// Whether the clause starting with `word` takes a value (`timeout 30s`),
/// unlike a flag (`closed`).
pub fn takes_a_value(word: &str) -> bool {
    CLAUSES
        .iter()
        .any(|c| c.word == word && c.form != c.keyword)
}

/// One action and its clauses.
#[derive(Debug, Clone, Copy)]
pub struct ActionClauses {
    /// As `ast::Action::name` gives it: `wait tcp`.
    pub action: &'static str,
    pub accepts: Set,
    /// Accepted clauses that a `defaults` never supplies (besides `as`).
    pub own_only: Set,
    /// Why some clauses do not belong, for the E102 help.
    pub refuses: &'static [(Set, &'static str)],
}

use Name::*;

const WAIT: [Name; 5] = [As, Timeout, OnFail, Retry, Every];
const NO_FAILURE: &str = "a pause cannot fail or time out";
const GROUP_RETRY: &str = "a group is not retried as a whole: give its members `retry N`, or \
                           re-run the whole script with a policy (`retry backoff 3`)";
/// A group is bounded only by its own `timeout`.
const GROUP: ActionClauses = ActionClauses {
    own_only: Set::of(&[Timeout]),
    refuses: &[(Set::of(&[Retry]), GROUP_RETRY)],
    ..row("parallel", Set::of(&[As, Timeout, OnFail]))
};

pub const ACTIONS: &[ActionClauses] = &[
    row("wait tcp", Set::of(&WAIT).with(&[Closed, By])),
    row(
        "wait http",
        Set::of(&WAIT).with(&[
            Status,
            BodyContains,
            Insecure,
            Method,
            Header,
            Data,
            BodyMatches,
            Json,
            Ca,
            Cert,
            Follow,
        ]),
    ),
    row("wait file", Set::of(&WAIT).with(&[Gone])),
    row("wait postgres", Set::of(&WAIT)),
    row("wait redis", Set::of(&WAIT)),
    row("wait mysql", Set::of(&WAIT)),
    ActionClauses {
        // What to ask for and expect belongs to one name; the server may be shared.
        own_only: Set::of(&[Type, Value]),
        ..row("wait dns", Set::of(&WAIT).with(&[Type, Server, Value]))
    },
    row("wait exec", Set::of(&WAIT).with(&[Env, Cwd])),
    row("wait grpc", Set::of(&WAIT).with(&[Service, Tls, Insecure])),
    ActionClauses {
        refuses: &[(
            Set::of(&[Every]),
            "`wait log` sees each line as the service prints it, so it has no poll interval",
        )],
        ..row(
            "wait log",
            Set::of(&[As, Timeout, OnFail, Retry, Contains, Matches, Times]),
        )
    },
    row("run", Set::of(&[As, Timeout, OnFail, Retry, Env, Cwd])),
    ActionClauses {
        refuses: &[(
            Set::of(&[Timeout]),
            "a started service runs until the script's work is done, so it has no timeout",
        )],
        ..row("start", Set::of(&[As, OnFail, Retry, Env, Cwd]))
    },
    ActionClauses {
        refuses: &[(Set::of(&[Timeout, OnFail, Retry]), NO_FAILURE)],
        ..row("sleep", Set::of(&[As]))
    },
    row(
        "s3 pull",
        Set::of(&[As, Timeout, OnFail, Retry, Endpoint, Region]),
    ),
    row(
        "s3 push",
        Set::of(&[As, Timeout, OnFail, Retry, Endpoint, Region]),
    ),
    GROUP,
    ActionClauses {
        action: "any",
        ..GROUP
    },
];

const fn row(action: &'static str, accepts: Set) -> ActionClauses {
    ActionClauses {
        action,
        accepts,
        own_only: Set::of(&[]),
        refuses: &[],
    }
}

/// Clauses that may be given more than once on a step: their values add
/// up (E101 is for every other clause).
pub const REPEATABLE: Set = Set::of(&[Env, Header, Json]);

/// What a `defaults` statement accepts: every clause that a default can
/// give some action (never `as`; not `type`/`value`, which only a `wait
/// dns` step itself names; not what one step is: its pattern, count and
/// service), so no default is silently without effect.
pub const DEFAULTS: Set = {
    let mut set = Set::of(&[]);
    let mut i = 0;
    while i < ACTIONS.len() {
        set = set.union(ACTIONS[i].accepts.minus(ACTIONS[i].own_only));
        i += 1;
    }
    set.minus(Set::of(&[As])).without(&STEP_OWN)
};

/// Clauses that only make sense on the one step that names them (a gRPC
/// `service` too: each server has its own).
pub const STEP_OWN: [Name; 5] = [Contains, Matches, Times, By, Service];

/// Why a clause does not belong anywhere one might expect, for any action.
pub const EVERY_HINT: &str = "`every` alone is the poll interval of a wait; for a delay between \
                              retries write `retry N every D`";

/// The row of an action.
pub fn clauses_of(action: &Action) -> &'static ActionClauses {
    let name = action.name();
    ACTIONS
        .iter()
        .find(|row| row.action == name)
        .expect("every action has a row in the clause table")
}

/// Whether a `defaults` clause reaches a step with this action.
pub fn default_reaches(name: Name, action: &Action) -> bool {
    let row = clauses_of(action);
    DEFAULTS.contains(name) && row.accepts.contains(name) && !row.own_only.contains(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_in_name_order_and_actions_unique() {
        for (i, info) in CLAUSES.iter().enumerate() {
            assert_eq!(info.name.index(), i, "{}", info.keyword);
            assert!(info.keyword.starts_with(info.word));
        }
        for (i, row) in ACTIONS.iter().enumerate() {
            assert!(ACTIONS[..i].iter().all(|r| r.action != row.action));
            assert!(row.accepts.contains(As), "{} takes `as`", row.action);
            for (refused, _) in row.refuses {
                assert!(refused.names().all(|n| !row.accepts.contains(n)));
            }
        }
        assert!(!DEFAULTS.contains(As) && DEFAULTS.contains(Region));
        assert!(DEFAULTS.contains(Timeout) && DEFAULTS.contains(Server));
        assert!(!DEFAULTS.contains(Type) && !DEFAULTS.contains(Value));
        let flags: Vec<&str> = WORDS.into_iter().filter(|w| !takes_a_value(w)).collect();
        assert_eq!(flags, ["closed", "gone", "insecure", "tls"]);
    }
}
