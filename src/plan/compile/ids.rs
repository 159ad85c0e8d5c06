//! Step ids: `as NAME`, or derived as `ACTION-SLUG` and never clashing.

use crate::plan::duration;
use crate::syntax::ast::{Action, ClauseKind, CommandSpec, Statement, Step, Text, TextPart};
use std::collections::{HashMap, HashSet};

/// Longest slug, in characters, before the action prefix.
const SLUG_MAX: usize = 40;

/// Hands out unique ids in source order.
pub struct IdAllocator {
    /// Every explicit id in the script, reserved up front so that a derived
    /// id never takes a name written further down.
    explicit: HashSet<String>,
    taken: HashSet<String>,
    /// Where the search for a free `-N` suffix of each base goes on, so a
    /// base repeated many times stays linear.
    next_suffix: HashMap<String, u64>,
    /// Groups numbered so far, per kind (`parallel-1`, `any-1`).
    groups: HashMap<&'static str, usize>,
    /// `false` when no id is wanted (see [`IdAllocator::unnamed`]).
    named: bool,
}

impl IdAllocator {
    pub fn new(statements: &[Statement]) -> Self {
        let mut explicit = HashSet::new();
        let mut pending: Vec<&Step> = statements
            .iter()
            .filter_map(|s| match s {
                Statement::Step(step) => Some(step),
                _ => None,
            })
            .collect();
        // An explicit stack rather than recursion: the tree depth is not ours to trust.
        while let Some(step) = pending.pop() {
            if let Some(id) = explicit_id(step) {
                explicit.insert(id.to_string());
            }
            if let Some(steps) = step.action.members() {
                pending.extend(steps);
            }
        }
        IdAllocator {
            explicit,
            taken: HashSet::new(),
            next_suffix: HashMap::new(),
            groups: HashMap::new(),
            named: true,
        }
    }

    /// Leaves every id empty, for lints that read none: deriving and
    /// hashing the ids was most of the time `zinit check` took on a large
    /// script.
    pub fn unnamed() -> Self {
        IdAllocator {
            explicit: HashSet::new(),
            taken: HashSet::new(),
            next_suffix: HashMap::new(),
            groups: HashMap::new(),
            named: false,
        }
    }

    /// The id of the next step in source order (a group before its members).
    pub fn assign(&mut self, step: &Step, explicit: Option<&str>) -> String {
        if !self.named {
            return String::new();
        }
        let base = match explicit {
            Some(id) => id.to_string(),
            None => self.derive(&step.action),
        };
        let reserved = |id: &String, taken: &HashSet<String>| {
            taken.contains(id) || (explicit.is_none() && self.explicit.contains(id))
        };
        let mut id = base.clone();
        // Explicit duplicates are a checker error; suffixing them too keeps
        // ids unique for every consumer of the plan.
        if reserved(&id, &self.taken) {
            let n = self.next_suffix.entry(base.clone()).or_insert(2);
            loop {
                id = format!("{base}-{n}");
                *n += 1;
                if !reserved(&id, &self.taken) {
                    break;
                }
            }
        }
        self.taken.insert(id.clone());
        id
    }

    fn derive(&mut self, action: &Action) -> String {
        let (prefix, subject) = match action {
            Action::WaitTcp { target } => ("wait-tcp", text_subject(target)),
            Action::WaitHttp { url } => ("wait-http", drop_scheme(&text_subject(url))),
            Action::WaitFile { path } => ("wait-file", text_subject(path)),
            Action::WaitPostgres { target } => {
                ("wait-postgres", drop_scheme(&text_subject(target)))
            }
            Action::WaitRedis { target } => ("wait-redis", drop_scheme(&text_subject(target))),
            Action::WaitMysql { target } => ("wait-mysql", drop_scheme(&text_subject(target))),
            Action::WaitDns { name } => ("wait-dns", text_subject(name)),
            Action::WaitGrpc { target } => ("wait-grpc", text_subject(target)),
            Action::WaitExec { command } => ("wait-exec", command_subject(command)),
            Action::WaitLog { service } => ("wait-log", service.value.to_string()),
            Action::Run { command } => ("run", command_subject(command)),
            Action::Start { command } => ("start", command_subject(command)),
            Action::Sleep { duration } => (
                "sleep",
                duration.millis.map(duration::exact).unwrap_or_default(),
            ),
            Action::S3Pull { source, .. } => ("s3-pull", drop_scheme(&text_subject(source))),
            Action::S3Push { destination, .. } => {
                ("s3-push", drop_scheme(&text_subject(destination)))
            }
            Action::Parallel { .. } | Action::Any { .. } => {
                let kind = action.name();
                let n = self.groups.entry(kind).or_insert(0);
                *n += 1;
                (kind, n.to_string())
            }
        };
        let slug = slug(&subject);
        if slug.is_empty() {
            prefix.to_string()
        } else {
            format!("{prefix}-{slug}")
        }
    }
}

/// The id among `ids` nearest `given`, if near enough to be a slip: at most
/// a third of its length in edits, and 2 at least. The first of the
/// nearest wins a tie. For "did you mean" wherever a step id is named
/// (E130's service, `--fail STEP`).
pub(crate) fn closest_id<'a>(
    given: &str,
    ids: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let length = given.chars().count();
    ids.into_iter()
        .filter_map(|id| {
            let allowed = (id.chars().count() / 3).max(2);
            // The distance is at least the difference in length.
            if id.chars().count().abs_diff(length) > allowed {
                return None;
            }
            let distance = strsim::levenshtein(given, id);
            (distance <= allowed).then_some((distance, id))
        })
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, id)| id)
}

pub fn explicit_id(step: &Step) -> Option<&str> {
    step.clauses.iter().find_map(|c| match &c.kind {
        ClauseKind::As(name) => Some(name.value.as_str()),
        _ => None,
    })
}

/// The literal text, each `${NAME...}` standing in as its name.
fn text_subject(text: &Text) -> String {
    text.parts
        .iter()
        .map(|p| match p {
            TextPart::Literal(s) => s.as_str(),
            TextPart::Var(v) => v.name.as_str(),
        })
        .collect()
}

fn command_subject(command: &CommandSpec) -> String {
    match command {
        CommandSpec::Shell(text) => text_subject(text),
        CommandSpec::Argv { args, .. } => {
            args.iter().map(text_subject).collect::<Vec<_>>().join(" ")
        }
    }
}

/// `http://api:8080/health` → `api:8080/health`; credentials go too
/// (`http://user:pw@api/` → `api/`): an id is printed everywhere.
fn drop_scheme(url: &str) -> String {
    match url.split_once("://") {
        Some((scheme, rest))
            if scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')) =>
        {
            let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
            match authority.rfind('@') {
                Some(at) => rest[at + 1..].to_string(),
                None => rest.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

/// Lowercase; each run of characters other than `a-z0-9` becomes one `-`;
/// trimmed of `-`; at most [`SLUG_MAX`] characters.
pub fn slug(subject: &str) -> String {
    let mut out = String::new();
    for c in subject.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.truncate(SLUG_MAX);
    out.trim_end_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slug_lowercases_collapses_and_trims() {
        assert_eq!(slug("db:5432"), "db-5432");
        assert_eq!(slug("[::1]:5432"), "1-5432");
        assert_eq!(slug("./Migrate  --UP!"), "migrate-up");
        assert_eq!(slug("!!!"), "");
        assert_eq!(slug("Ünïcode/x"), "n-code-x");
    }

    #[test]
    fn slug_is_cut_to_forty_characters_without_a_trailing_dash() {
        let long = "a".repeat(39) + "/bbbb";
        assert_eq!(slug(&long), "a".repeat(39));
        assert_eq!(slug(&"x".repeat(100)).len(), 40);
    }

    #[test]
    fn credentials_never_make_it_into_an_id() {
        assert_eq!(
            drop_scheme("http://u:pw@127.0.0.1:8/x@y"),
            "127.0.0.1:8/x@y"
        );
        assert_eq!(drop_scheme("s3://bucket/key@v"), "bucket/key@v");
    }

    #[test]
    fn only_a_real_scheme_is_dropped() {
        assert_eq!(drop_scheme("https://api:8080/health"), "api:8080/health");
        assert_eq!(drop_scheme("s3://bucket/key"), "bucket/key");
        assert_eq!(drop_scheme("/odd/://path"), "/odd/://path");
    }
}
