//! Clause kinds as small copyable names, and sets of them as bitmasks.

use super::ClauseInfo;
use super::{CLAUSES, COUNT};
use crate::syntax::ast::ClauseKind;
use Name::*;

/// A clause kind as a small copyable name, so accepted-clause sets are
/// bitmasks (a 10 MB script has hundreds of thousands of clauses).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Name {
    As,
    Timeout,
    OnFail,
    Retry,
    Every,
    Env,
    Cwd,
    Closed,
    Gone,
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
    Service,
    Tls,
    Endpoint,
    Region,
    Type,
    Server,
    Value,
    Contains,
    Matches,
    Times,
    By,
}

impl Name {
    pub fn of(kind: &ClauseKind) -> Name {
        match kind {
            ClauseKind::As(_) => As,
            ClauseKind::Timeout(_) => Timeout,
            ClauseKind::OnFail(_) => OnFail,
            ClauseKind::Retry(_) => Retry,
            ClauseKind::Every(_) => Every,
            ClauseKind::Env(_) => Env,
            ClauseKind::Cwd(_) => Cwd,
            ClauseKind::Closed => Closed,
            ClauseKind::Gone => Gone,
            ClauseKind::Insecure => Insecure,
            ClauseKind::Status(_) => Status,
            ClauseKind::BodyContains(_) => BodyContains,
            ClauseKind::Service(_) => Service,
            ClauseKind::Tls => Tls,
            ClauseKind::Endpoint(_) => Endpoint,
            ClauseKind::Region(_) => Region,
            ClauseKind::RecordType(_) => Type,
            ClauseKind::Server(_) => Server,
            ClauseKind::Value(_) => Value,
            ClauseKind::Contains(_) => Contains,
            ClauseKind::Matches(_) => Matches,
            ClauseKind::Times(_) => Times,
            ClauseKind::By(_) => By,
            ClauseKind::Method(_) => Method,
            ClauseKind::Header(_) => Header,
            ClauseKind::Data(_) => Data,
            ClauseKind::BodyMatches(_) => BodyMatches,
            ClauseKind::Json(_) => Json,
            ClauseKind::Ca(_) => Ca,
            ClauseKind::Cert { .. } => Cert,
            ClauseKind::Follow(_) => Follow,
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }

    pub fn info(self) -> &'static ClauseInfo {
        &CLAUSES[self.index()]
    }

    pub fn keyword(self) -> &'static str {
        self.info().keyword
    }

    pub(super) const fn bit(self) -> u64 {
        1 << self as u64
    }
}

/// A set of clause names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Set(u64);

impl Set {
    pub const fn of(names: &[Name]) -> Set {
        Set(0).with(names)
    }

    pub const fn with(self, names: &[Name]) -> Set {
        let mut bits = self.0;
        let mut i = 0;
        while i < names.len() {
            bits |= names[i].bit();
            i += 1;
        }
        Set(bits)
    }

    pub const fn union(self, other: Set) -> Set {
        Set(self.0 | other.0)
    }

    pub const fn minus(self, other: Set) -> Set {
        Set(self.0 & !other.0)
    }

    pub const fn without(self, names: &[Name]) -> Set {
        let mut bits = self.0;
        let mut i = 0;
        while i < names.len() {
            bits &= !names[i].bit();
            i += 1;
        }
        Set(bits)
    }

    pub const fn all_but(name: Name) -> Set {
        Set(((1u64 << COUNT) - 1) & !name.bit())
    }

    pub fn contains(self, name: Name) -> bool {
        self.0 & name.bit() != 0
    }

    pub fn names(self) -> impl Iterator<Item = Name> {
        CLAUSES
            .iter()
            .map(|c| c.name)
            .filter(move |n| self.contains(*n))
    }

    /// The keywords in the set, as "`as`, `timeout`, ...".
    pub fn listed(self) -> String {
        self.names()
            .map(|n| format!("`{}`", n.keyword()))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

// Here rather than in `ast`, so the tree does not depend on the table.
impl ClauseKind {
    /// The keyword as written in scripts; used to name repeated or misplaced clauses.
    pub fn keyword(&self) -> &'static str {
        Name::of(self).keyword()
    }
}
