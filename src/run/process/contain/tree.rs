//! Without a usable cgroup: every process zinit starts carries
//! `ZINIT_SCOPE=RUN/N` in its environment, which what it starts inherits
//! (the way Jenkins finds what a build left behind). A process that clears
//! its environment *and* leaves the process group escapes this tracking;
//! the book says so.

use super::super::procfs;

/// The variable that marks a process as started (directly or not) by a scope.
pub const SCOPE_VAR: &str = "ZINIT_SCOPE";

/// Which processes to find: one scope (`RUN/N`) or a whole run (`RUN/`).
#[derive(Debug, Clone, Copy)]
pub enum Mark<'a> {
    Scope(&'a str),
    Run(&'a str),
}

impl Mark<'_> {
    /// `value` lists marks separated by `:` (a zinit run by a zinit step
    /// adds its own to the outer one's).
    fn matches(&self, value: &[u8]) -> bool {
        value.split(|&b| b == b':').any(|one| self.matches_one(one))
    }

    fn matches_one(&self, value: &[u8]) -> bool {
        match self {
            Mark::Scope(s) => value == s.as_bytes(),
            Mark::Run(run) => {
                value.starts_with(run.as_bytes()) && value.get(run.len()) == Some(&b'/')
            }
        }
    }
}

/// Live processes that carry `mark`, or whose process group is `pgid`.
pub fn members(mark: Mark<'_>, pgid: Option<i32>) -> Vec<i32> {
    let me = std::process::id() as i32;
    let Some(all) = procfs::processes() else {
        return Vec::new();
    };
    all.filter(|p| p.pid != me && !p.is_zombie())
        .filter(|p| pgid == Some(p.pgrp) || marked(p.pid, mark))
        .map(|p| p.pid)
        .collect()
}

pub fn marked(pid: i32, mark: Mark<'_>) -> bool {
    let Ok(environ) = std::fs::read(format!("/proc/{pid}/environ")) else {
        return false;
    };
    let prefix = format!("{SCOPE_VAR}=");
    environ
        .split(|&b| b == 0)
        .filter_map(|entry| entry.strip_prefix(prefix.as_bytes()))
        .any(|value| mark.matches(value))
}

#[cfg(test)]
mod tests {
    use super::Mark;

    #[test]
    fn a_run_mark_matches_its_scopes_only() {
        assert!(Mark::Run("zinit-1-0").matches(b"zinit-1-0/3"));
        assert!(!Mark::Run("zinit-1-0").matches(b"zinit-1-01/3"));
        assert!(Mark::Scope("zinit-1-0/3").matches(b"zinit-1-0/3"));
        assert!(!Mark::Scope("zinit-1-0/3").matches(b"zinit-1-0/31"));
        // A nested zinit's children carry both marks.
        assert!(Mark::Run("zinit-1-0").matches(b"zinit-1-0/3:zinit-9-0/0"));
        assert!(Mark::Scope("zinit-9-0/0").matches(b"zinit-1-0/3:zinit-9-0/0"));
    }
}
