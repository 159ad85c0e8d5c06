//! Clause kinds as small copyable names, so accepted-clause tables, defaults
//! and "seen" sets are bitmasks and arrays instead of string searches (a
//! 10 MB script has hundreds of thousands of clauses).

use crate::syntax::ast::ClauseKind;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Name {
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
    Endpoint,
    Region,
}

pub(super) const COUNT: usize = 14;

/// Every name, in the order clauses are listed in help texts.
pub(super) const ALL: [Name; COUNT] = [
    Name::As,
    Name::Timeout,
    Name::OnFail,
    Name::Retry,
    Name::Every,
    Name::Env,
    Name::Cwd,
    Name::Closed,
    Name::Gone,
    Name::Status,
    Name::BodyContains,
    Name::Insecure,
    Name::Endpoint,
    Name::Region,
];

impl Name {
    pub fn of(kind: &ClauseKind) -> Name {
        match kind {
            ClauseKind::As(_) => Name::As,
            ClauseKind::Timeout(_) => Name::Timeout,
            ClauseKind::OnFail(_) => Name::OnFail,
            ClauseKind::Retry(_) => Name::Retry,
            ClauseKind::Every(_) => Name::Every,
            ClauseKind::Env(_) => Name::Env,
            ClauseKind::Cwd(_) => Name::Cwd,
            ClauseKind::Closed => Name::Closed,
            ClauseKind::Gone => Name::Gone,
            ClauseKind::Insecure => Name::Insecure,
            ClauseKind::Status(_) => Name::Status,
            ClauseKind::BodyContains(_) => Name::BodyContains,
            ClauseKind::Endpoint(_) => Name::Endpoint,
            ClauseKind::Region(_) => Name::Region,
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }

    pub const fn bit(self) -> u16 {
        1 << self as u16
    }

    pub fn keyword(self) -> &'static str {
        match self {
            Name::As => "as",
            Name::Timeout => "timeout",
            Name::OnFail => "on-fail",
            Name::Retry => "retry",
            Name::Every => "every",
            Name::Env => "env",
            Name::Cwd => "cwd",
            Name::Closed => "closed",
            Name::Gone => "gone",
            Name::Insecure => "insecure",
            Name::Status => "status",
            Name::BodyContains => "body contains",
            Name::Endpoint => "endpoint",
            Name::Region => "region",
        }
    }
}

/// A set of clause names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Set(u16);

impl Set {
    pub const fn of(names: &[Name]) -> Set {
        let mut bits = 0;
        let mut i = 0;
        while i < names.len() {
            bits |= names[i].bit();
            i += 1;
        }
        Set(bits)
    }

    pub const fn all_but(name: Name) -> Set {
        Set(((1u32 << COUNT) - 1) as u16 & !name.bit())
    }

    pub fn contains(self, name: Name) -> bool {
        self.0 & name.bit() != 0
    }

    /// The keywords in the set, as "`as`, `timeout`, ...".
    pub fn listed(self) -> String {
        ALL.iter()
            .filter(|n| self.contains(**n))
            .map(|n| format!("`{}`", n.keyword()))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_the_ast_keywords_and_order() {
        for (i, name) in ALL.iter().enumerate() {
            assert_eq!(name.index(), i);
        }
        assert_eq!(
            Name::of(&ClauseKind::Gone).keyword(),
            ClauseKind::Gone.keyword()
        );
        assert_eq!(
            Name::of(&ClauseKind::Insecure).keyword(),
            ClauseKind::Insecure.keyword()
        );
        assert!(!Set::all_but(Name::As).contains(Name::As));
        assert!(Set::all_but(Name::As).contains(Name::Region));
    }
}
