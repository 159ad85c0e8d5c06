//! cgroup v2: one cgroup per run, which zinit moves itself into, so that
//! everything it starts is born inside and stays there whatever it does
//! (`setsid`, double forks) — how systemd and container runtimes track
//! services. `cgroup.kill` (Linux 5.14) stops all of it at once.

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

#[derive(Debug, Clone)]
pub struct Cgroup {
    dir: PathBuf,
}

/// How long [`Cgroup::remove`] waits for killed processes to leave.
const REMOVE_LIMIT: Duration = Duration::from_secs(1);

impl Cgroup {
    /// zinit's own cgroup in the v2 hierarchy, if one is mounted.
    pub fn own() -> Option<PathBuf> {
        let membership = std::fs::read_to_string("/proc/self/cgroup").ok()?;
        let path = membership.lines().find_map(|l| l.strip_prefix("0::"))?;
        let mounts = std::fs::read_to_string("/proc/self/mountinfo").ok()?;
        own_dir(path, &mounts)
    }

    /// Creates `parent/name`.
    pub fn create(parent: &Path, name: &str) -> std::io::Result<Cgroup> {
        let dir = parent.join(name);
        std::fs::create_dir(&dir)?;
        // A cgroup directory that cannot take processes (no v2 delegation) is no use.
        let probe = dir.join("cgroup.procs");
        nix::unistd::access(&probe, nix::unistd::AccessFlags::W_OK)
            .map_err(std::io::Error::from)
            .inspect_err(|_| {
                let _ = std::fs::remove_dir(&dir);
            })?;
        Ok(Cgroup { dir })
    }

    /// An existing cgroup directory.
    pub fn at(dir: PathBuf) -> Cgroup {
        Cgroup { dir }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Moves the calling process (all its threads) into it.
    pub fn enter(&self) -> std::io::Result<()> {
        std::fs::write(self.dir.join("cgroup.procs"), "0")
    }

    /// Whether any live process is in it or below (zombies have left).
    pub fn populated(&self) -> bool {
        std::fs::read_to_string(self.dir.join("cgroup.events"))
            .map(|events| events.lines().any(|l| l == "populated 1"))
            .unwrap_or(false)
    }

    /// The processes in it and below, but for the caller (zinit is in its own).
    pub fn pids(&self) -> Vec<i32> {
        let mut pids = Vec::new();
        collect_pids(&self.dir, &mut pids);
        let me = std::process::id() as i32;
        pids.retain(|&pid| pid != me);
        pids
    }

    /// Sends `sig` to every process in it and below; how many were found.
    pub fn signal(&self, sig: Signal) -> usize {
        let pids = self.pids();
        for &pid in &pids {
            let _ = kill(Pid::from_raw(pid), sig);
        }
        pids.len()
    }

    /// SIGKILL to everything in it and below but the caller: atomically
    /// with `cgroup.kill` (Linux 5.14; forks racing the kill cannot escape)
    /// when the caller is outside (the watchdog), else process by process
    /// until none is left.
    pub fn kill(&self) {
        let mut all = Vec::new();
        collect_pids(&self.dir, &mut all);
        let inside = all.contains(&(std::process::id() as i32));
        if inside || std::fs::write(self.dir.join("cgroup.kill"), "1").is_err() {
            // Bounded: a process being killed cannot fork, so each round has fewer.
            for _ in 0..100 {
                if self.signal(Signal::SIGKILL) == 0 {
                    break;
                }
            }
        }
    }

    /// Removes it (and its children) once empty; kills what is left first.
    /// A cgroup that stays busy past [`REMOVE_LIMIT`] is left behind.
    pub fn remove(&self) {
        if self.populated() {
            self.kill();
        }
        let end = Instant::now() + REMOVE_LIMIT;
        while self.populated() && Instant::now() < end {
            std::thread::sleep(Duration::from_millis(2));
        }
        remove_tree(&self.dir);
    }
}

/// Whether zinit, as the whole program, would hold its runs in a cgroup
/// here (a cgroup v2 hierarchy where it may create a child of its own).
pub fn available() -> bool {
    let Some(own) = Cgroup::own() else {
        return false;
    };
    let probe = format!("zinit-probe-{}", std::process::id());
    Cgroup::create(&own, &probe).is_ok_and(|cgroup| {
        cgroup.remove();
        true
    })
}

/// The directory of cgroup `path` (from `/proc/self/cgroup`) under the
/// cgroup2 mount in `mountinfo`, which may show only a subtree (`root`).
fn own_dir(path: &str, mountinfo: &str) -> Option<PathBuf> {
    mountinfo.lines().find_map(|line| {
        let (mount, fs) = line.split_once(" - ")?;
        if fs.split_whitespace().next()? != "cgroup2" {
            return None;
        }
        let fields: Vec<&str> = mount.split_whitespace().collect();
        let (root, point) = (fields.get(3)?, fields.get(4)?);
        let inside = Path::new(path).strip_prefix(root).ok()?;
        Some(Path::new(point).join(inside))
    })
}

fn collect_pids(dir: &Path, pids: &mut Vec<i32>) {
    if let Ok(text) = std::fs::read_to_string(dir.join("cgroup.procs")) {
        pids.extend(text.lines().filter_map(|l| l.parse::<i32>().ok()));
    }
    for sub in subdirs(dir) {
        collect_pids(&sub, pids);
    }
}

fn subdirs(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
                .map(|e| e.path())
                .collect()
        })
        .unwrap_or_default()
}

/// Children first: a cgroup with child cgroups cannot be removed.
fn remove_tree(dir: &Path) {
    for sub in subdirs(dir) {
        remove_tree(&sub);
    }
    // Gone already, or still busy: nothing more to do here.
    let _ = std::fs::remove_dir(dir);
}

#[cfg(test)]
mod tests {
    use super::own_dir;
    use std::path::PathBuf;

    #[test]
    fn finds_the_cgroup2_mount_among_v1_mounts_and_subtree_roots() {
        let mounts = "30 25 0:26 / /sys/fs/cgroup/cpu rw - cgroup cgroup rw,cpu\n\
                      41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n";
        assert_eq!(
            own_dir("/a/b", mounts),
            Some(PathBuf::from("/sys/fs/cgroup/unified/a/b"))
        );
        let namespaced = "41 31 0:38 /a /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n";
        assert_eq!(
            own_dir("/a/b", namespaced),
            Some(PathBuf::from("/sys/fs/cgroup/b"))
        );
        assert_eq!(
            own_dir("/", "30 25 0:26 / /x rw - cgroup cgroup rw\n"),
            None
        );
    }
}
