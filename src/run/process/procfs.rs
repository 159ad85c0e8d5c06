//! Linux `/proc/PID/stat`: what zinit needs to know about processes it did
//! not start itself (grandchildren, orphans it adopted).

/// One process, from `/proc/PID/stat`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProcStat {
    pub pid: i32,
    /// `R`, `S`, `D`, `Z` (zombie), ...
    pub state: char,
    pub ppid: i32,
    pub pgrp: i32,
}

impl ProcStat {
    /// Parses `PID (COMM) STATE PPID PGRP ...`; COMM may hold anything,
    /// spaces and parentheses included, but ends at the last `)`.
    pub fn parse(stat: &str) -> Option<ProcStat> {
        let (head, rest) = stat.rsplit_once(')')?;
        let pid = head.split_once(" (")?.0.trim().parse().ok()?;
        let mut fields = rest.split_whitespace();
        let state = fields.next()?.chars().next()?;
        let ppid = fields.next()?.parse().ok()?;
        let pgrp = fields.next()?.parse().ok()?;
        Some(ProcStat {
            pid,
            state,
            ppid,
            pgrp,
        })
    }

    pub fn is_zombie(&self) -> bool {
        self.state == 'Z'
    }
}

/// Every process visible in `/proc`, or `None` without `/proc`.
pub fn processes() -> Option<impl Iterator<Item = ProcStat>> {
    let entries = std::fs::read_dir("/proc").ok()?;
    Some(entries.flatten().filter_map(|entry| {
        let name = entry.file_name();
        let name = name.to_str()?;
        if !name.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let stat = std::fs::read_to_string(entry.path().join("stat")).ok()?;
        ProcStat::parse(&stat)
    }))
}

#[cfg(test)]
mod tests {
    use super::ProcStat;

    #[test]
    fn parses_stat_lines_whatever_the_command_name() {
        let stat = "4242 (odd) name (x)) Z 1 4240 4240 0 -1 4194560 88 0 0 0";
        assert_eq!(
            ProcStat::parse(stat),
            Some(ProcStat {
                pid: 4242,
                state: 'Z',
                ppid: 1,
                pgrp: 4240
            })
        );
        assert_eq!(ProcStat::parse("garbage"), None);
    }

    #[test]
    fn reads_this_process() {
        let me = std::process::id() as i32;
        let found = super::processes().unwrap().find(|p| p.pid == me).unwrap();
        assert_eq!(found.ppid, std::os::unix::process::parent_id() as i32);
        assert!(!found.is_zombie());
    }
}
