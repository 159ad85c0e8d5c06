//! Which clause value a step ends up with: its own clause, else the current
//! `defaults`, else the built-in default (applied by the caller).
//!
//! The compiler runs only on scripts the checker passed, yet it must not
//! panic or guess on any tree: of repeated clauses the first usable one
//! counts, and a broken value (a duration that did not fit) counts as absent.

use crate::plan::model::{HttpRequest, JsonCheck};
use crate::plan::model::{LogPattern, ServiceRef};
use crate::syntax::ast::JsonTest;
use crate::syntax::ast::{
    Action, Clause, ClauseKind, EnvPair, OnFail, StatusSpec, StepRetry, Text,
};
use crate::syntax::clauses::{Name, REPEATABLE, default_reaches};
use std::mem::discriminant;

/// The clauses of every `defaults` so far, merged clause by clause.
#[derive(Debug, Default)]
pub struct Defaults {
    clauses: Vec<Clause>,
}

impl Defaults {
    /// A later `defaults` replaces earlier values per clause kind. Within
    /// one statement repeatable clauses (`env`, `header`, `json`) add up;
    /// other kinds keep their first.
    pub fn merge(&mut self, clauses: &[Clause]) {
        let usable: Vec<&Clause> = clauses
            .iter()
            .filter(|c| is_usable(&c.kind) && !matches!(c.kind, ClauseKind::As(_)))
            .collect();
        self.clauses
            .retain(|old| !usable.iter().any(|new| same_kind(&old.kind, &new.kind)));
        for clause in usable {
            let repeated = self
                .clauses
                .iter()
                .any(|c| same_kind(&c.kind, &clause.kind));
            if !repeated || REPEATABLE.contains(Name::of(&clause.kind)) {
                self.clauses.push(clause.clone());
            }
        }
    }
}

/// The clauses that apply to one step.
pub struct Settings<'a> {
    own: Vec<&'a Clause>,
    defaults: Vec<&'a Clause>,
}

impl<'a> Settings<'a> {
    pub fn new(action: &Action, own: &'a [Clause], defaults: &'a Defaults) -> Self {
        Settings {
            own: own.iter().filter(|c| is_usable(&c.kind)).collect(),
            defaults: defaults
                .clauses
                .iter()
                .filter(|c| default_applies(&c.kind, action))
                .collect(),
        }
    }

    /// The first usable own clause matching `pick`, else the default's.
    fn find<T>(&self, pick: impl Fn(&'a ClauseKind) -> Option<T>) -> Option<T> {
        let first = |clauses: &[&'a Clause]| clauses.iter().find_map(|c| pick(&c.kind));
        first(&self.own).or_else(|| first(&self.defaults))
    }

    pub fn id(&self) -> Option<&'a str> {
        self.own.iter().find_map(|c| match &c.kind {
            ClauseKind::As(name) => Some(name.value.as_str()),
            _ => None,
        })
    }

    pub fn timeout_ms(&self) -> Option<u64> {
        self.find(|k| match k {
            ClauseKind::Timeout(d) => d.millis,
            _ => None,
        })
    }

    /// A parallel group's timeout: only its own clause (no default, per the language).
    pub fn own_timeout_ms(&self) -> Option<u64> {
        self.own.iter().find_map(|c| match &c.kind {
            ClauseKind::Timeout(d) => d.millis,
            _ => None,
        })
    }

    pub fn on_fail(&self) -> Option<OnFail> {
        self.find(|k| match k {
            ClauseKind::OnFail(v) => Some(v.value),
            _ => None,
        })
    }

    /// The clause that gave [`Settings::on_fail`].
    pub fn on_fail_span(&self) -> Option<crate::syntax::Span> {
        self.span_of(|k| matches!(k, ClauseKind::OnFail(_)))
    }

    /// The clause that gave [`Settings::timeout_ms`].
    pub fn timeout_span(&self) -> Option<crate::syntax::Span> {
        self.span_of(|k| matches!(k, ClauseKind::Timeout(d) if d.millis.is_some()))
    }

    /// The clause that gave [`Settings::own_timeout_ms`].
    pub fn own_timeout_span(&self) -> Option<crate::syntax::Span> {
        self.own
            .iter()
            .find(|c| matches!(&c.kind, ClauseKind::Timeout(d) if d.millis.is_some()))
            .map(|c| c.span)
    }

    /// The clause that gave [`Settings::every_ms`].
    pub fn every_span(&self) -> Option<crate::syntax::Span> {
        self.span_of(|k| matches!(k, ClauseKind::Every(d) if d.millis.is_some()))
    }

    /// Where the first usable own clause matching `pick` was written, else the default's.
    fn span_of(&self, pick: impl Fn(&ClauseKind) -> bool) -> Option<crate::syntax::Span> {
        let first = |clauses: &[&'a Clause]| clauses.iter().find(|c| pick(&c.kind)).map(|c| c.span);
        first(&self.own).or_else(|| first(&self.defaults))
    }

    pub fn retry(&self) -> Option<&'a StepRetry> {
        self.find(|k| match k {
            ClauseKind::Retry(r) => Some(&**r),
            _ => None,
        })
    }

    pub fn every_ms(&self) -> Option<u64> {
        self.find(|k| match k {
            ClauseKind::Every(d) => d.millis,
            _ => None,
        })
    }

    pub fn cwd(&self) -> Option<&'a Text> {
        self.find(|k| match k {
            ClauseKind::Cwd(t) => Some(t),
            _ => None,
        })
    }

    pub fn status(&self) -> Option<&'a StatusSpec> {
        self.find(|k| match k {
            ClauseKind::Status(s) if !s.items.is_empty() => Some(s),
            _ => None,
        })
    }

    pub fn body_contains(&self) -> Option<&'a Text> {
        self.find(|k| match k {
            ClauseKind::BodyContains(t) => Some(t),
            _ => None,
        })
    }

    /// `contains STR` or `matches RE` (own only: the clause table keeps
    /// them out of `defaults`).
    pub fn log_pattern(&self) -> Option<LogPattern> {
        self.find(|k| match k {
            ClauseKind::Contains(t) => Some(LogPattern::Contains(t.clone())),
            ClauseKind::Matches(t) => Some(LogPattern::Matches(t.clone())),
            _ => None,
        })
    }

    pub fn times(&self) -> Option<u64> {
        self.find(|k| match k {
            ClauseKind::Times(n) => Some(n.value),
            _ => None,
        })
    }

    pub fn by(&self) -> Option<ServiceRef> {
        self.find(|k| match k {
            ClauseKind::By(service) => Some(ServiceRef {
                id: service.value.to_string(),
                span: service.span,
            }),
            _ => None,
        })
    }

    pub fn grpc_service(&self) -> Option<&'a Text> {
        self.find(|k| match k {
            ClauseKind::Service(t) => Some(t),
            _ => None,
        })
    }

    pub fn endpoint(&self) -> Option<&'a Text> {
        self.find(|k| match k {
            ClauseKind::Endpoint(t) => Some(t),
            _ => None,
        })
    }

    pub fn region(&self) -> Option<&'a Text> {
        self.find(|k| match k {
            ClauseKind::Region(t) => Some(t),
            _ => None,
        })
    }

    /// The text of a clause that holds one (`type`, `server`, `value`), own or default.
    pub fn text_of(&self, name: Name) -> Option<&'a Text> {
        self.find(|k| match k {
            ClauseKind::RecordType(t) | ClauseKind::Server(t) | ClauseKind::Value(t)
                if Name::of(k) == name =>
            {
                Some(t)
            }
            _ => None,
        })
    }

    /// The `wait http` request clauses. Headers add up, `defaults`' first,
    /// less those whose name the step gives itself; `json` checks add up.
    pub fn http_request(&self) -> HttpRequest {
        let own_names: Vec<String> = self
            .own
            .iter()
            .filter_map(|c| header_name(&c.kind))
            .collect();
        let default_headers = self
            .defaults
            .iter()
            .filter(|c| header_name(&c.kind).is_none_or(|name| !own_names.contains(&name)));
        let headers = default_headers
            .chain(&self.own)
            .filter_map(|c| match &c.kind {
                ClauseKind::Header(t) => Some(t.clone()),
                _ => None,
            })
            .collect();
        let json = self
            .defaults
            .iter()
            .chain(&self.own)
            .filter_map(|c| match &c.kind {
                ClauseKind::Json(check) => Some(JsonCheck {
                    pointer: check.pointer.clone(),
                    equals: match &check.test {
                        JsonTest::Equals(v) => Some(v.clone()),
                        JsonTest::Exists(_) => None,
                    },
                }),
                _ => None,
            })
            .collect();
        HttpRequest {
            method: self.find(|k| match k {
                ClauseKind::Method(m) => Some(m.value.to_string()),
                _ => None,
            }),
            headers,
            data: self.find(|k| match k {
                ClauseKind::Data(t) => Some(t.clone()),
                _ => None,
            }),
            body_matches: self.find(|k| match k {
                ClauseKind::BodyMatches(t) => Some(t.clone()),
                _ => None,
            }),
            json,
            ca: self.find(|k| match k {
                ClauseKind::Ca(t) => Some(t.clone()),
                _ => None,
            }),
            cert: self.find(|k| match k {
                ClauseKind::Cert {
                    cert,
                    key: Some(key),
                } => Some((Text::clone(cert), Text::clone(key))),
                _ => None,
            }),
            follow: self
                .find(|k| match k {
                    ClauseKind::Follow(n) => u32::try_from(n.value).ok(),
                    _ => None,
                })
                .unwrap_or(0),
        }
    }

    /// A flag clause (`closed`, `gone`, `insecure`), own or default.
    pub fn flag(&self, flag: &ClauseKind) -> bool {
        self.find(|k| same_kind(k, flag).then_some(())).is_some()
    }

    /// Default `env` pairs first, then the step's own; a later pair with the
    /// same key replaces the earlier one in place, so the step's own wins.
    pub fn env(&self) -> Vec<(String, Text)> {
        let pairs = self
            .defaults
            .iter()
            .chain(&self.own)
            .flat_map(|c| match &c.kind {
                ClauseKind::Env(pairs) => pairs.as_slice(),
                _ => &[],
            });
        let mut out: Vec<(String, Text)> = Vec::new();
        for EnvPair { key, value, .. } in pairs {
            match out.iter_mut().find(|(k, _)| *k == key.value) {
                Some(slot) => slot.1 = value.clone(),
                None => out.push((key.value.to_string(), value.clone())),
            }
        }
        out
    }
}

/// The name of a `header` whose name is written literally, in lower case
/// (header names are case-insensitive).
fn header_name(kind: &ClauseKind) -> Option<String> {
    let ClauseKind::Header(text) = kind else {
        return None;
    };
    let Some(crate::syntax::ast::TextPart::Literal(lead)) = text.parts.first() else {
        return None;
    };
    lead.split_once(':')
        .map(|(name, _)| name.trim().to_ascii_lowercase())
}

fn same_kind(a: &ClauseKind, b: &ClauseKind) -> bool {
    discriminant(a) == discriminant(b)
}

/// False for a clause whose value could not be read (the parser reported it).
fn is_usable(kind: &ClauseKind) -> bool {
    match kind {
        ClauseKind::Timeout(d) | ClauseKind::Every(d) => d.millis.is_some(),
        _ => true,
    }
}

/// Whether a `defaults` clause reaches a step with this action, as the
/// clause table says (the checker reads the same table).
pub fn default_applies(kind: &ClauseKind, action: &Action) -> bool {
    default_reaches(Name::of(kind), action)
}
