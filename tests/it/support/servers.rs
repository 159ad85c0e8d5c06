//! Real PostgreSQL and Redis servers on 127.0.0.1 (MariaDB and a DNS
//! server in the submodules), each on an ephemeral
//! port in its own temporary directory, stopped when dropped. The Debian
//! packages are listed in tests/requirements/apt.txt; a missing server
//! fails the test in one line naming `./test.sh` (support::requirements).

pub mod dns;
pub mod mariadb;

use super::free_port;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A server program, from PATH or Debian's versioned PostgreSQL directory.
#[track_caller]
pub fn require(program: &str) -> PathBuf {
    let package = if program.starts_with("redis") {
        "redis-server"
    } else {
        "postgresql"
    };
    let versioned: Vec<String> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .map(|version| version.path().join("bin").display().to_string())
        .collect();
    let dirs: Vec<&str> = versioned.iter().map(String::as_str).collect();
    super::requirements::program(program, package, &dirs)
}

/// Runs a command to completion (bounded by the programs themselves), panicking with its output on failure.
fn run(cmd: &mut Command) {
    let out = cmd.stdin(Stdio::null()).output().expect("spawn");
    assert!(
        out.status.success(),
        "{cmd:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// PostgreSQL refuses to run as root: as root, its commands run as the
/// `postgres` user the Debian package creates.
fn as_postgres(program: &Path) -> Command {
    if is_root() {
        let mut cmd = Command::new("runuser");
        cmd.args(["-u", "postgres", "--"]).arg(program);
        cmd
    } else {
        Command::new(program)
    }
}

fn is_root() -> bool {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
}

pub struct Postgres {
    dir: tempfile::TempDir,
    pub port: u16,
    pub password: &'static str,
}

impl Postgres {
    /// A new cluster (not started) whose `postgres` user logs in with a password.
    pub fn init() -> Self {
        let initdb = require("initdb");
        let dir = tempfile::Builder::new()
            .prefix("zinit-pg")
            .tempdir()
            .unwrap();
        let pg = Postgres {
            dir,
            port: free_port(),
            password: "s3cret",
        };
        std::fs::write(pg.dir.path().join("pw"), pg.password).unwrap();
        if is_root() {
            run(Command::new("chown")
                .arg("-R")
                .arg("postgres")
                .arg(pg.dir.path()));
        }
        run(as_postgres(&initdb)
            .arg("-D")
            .arg(pg.data())
            .args([
                "-U",
                "postgres",
                "--auth=scram-sha-256",
                "--no-sync",
                "--pwfile",
            ])
            .arg(pg.dir.path().join("pw")));
        pg
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// Starts the server without waiting for it. `standby`: it stays in
    /// recovery, answering "not accepting connections", until promoted.
    pub fn start(&self, standby: bool) {
        if standby {
            let signal = self.data().join("standby.signal");
            std::fs::write(&signal, "").unwrap();
            if is_root() {
                run(Command::new("chown").arg("postgres").arg(&signal));
            }
        }
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c hot_standby=off -c fsync=off",
            self.port,
            self.dir.path().display()
        );
        run(as_postgres(&require("pg_ctl"))
            .arg("-D")
            .arg(self.data())
            .args(["-o", &options, "-l"])
            .arg(self.dir.path().join("log"))
            .args(["-W", "start"]));
    }

    /// Ends recovery: the server accepts connections soon after.
    pub fn promote(&self) {
        run(as_postgres(&require("pg_ctl"))
            .arg("-D")
            .arg(self.data())
            .args(["-W", "promote"]));
    }

    pub fn stop(&self) {
        let _ = as_postgres(&require("pg_ctl"))
            .arg("-D")
            .arg(self.data())
            .args(["-m", "immediate", "-w", "-t", "20", "stop"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        self.stop();
    }
}

pub struct Redis {
    dir: tempfile::TempDir,
    pub port: u16,
    child: Option<std::process::Child>,
}

impl Redis {
    pub fn new() -> Self {
        Redis {
            dir: tempfile::Builder::new()
                .prefix("zinit-redis")
                .tempdir()
                .unwrap(),
            port: free_port(),
            child: None,
        }
    }

    /// Starts redis-server on its port; `args` are extra options.
    pub fn start(&mut self, args: &[&str]) {
        let child = Command::new(require("redis-server"))
            .args(["--port", &self.port.to_string(), "--bind", "127.0.0.1"])
            .args([
                "--save",
                "",
                "--appendonly",
                "no",
                "--enable-debug-command",
                "yes",
            ])
            .arg("--dir")
            .arg(self.dir.path())
            .args(args)
            .stdout(Stdio::null())
            .stdin(Stdio::null())
            .spawn()
            .unwrap();
        self.child = Some(child);
    }

    /// One command with redis-cli, its answer.
    pub fn cli(&self, args: &[&str]) -> String {
        let out = Command::new(require("redis-cli"))
            .args(["-p", &self.port.to_string()])
            .args(args)
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    /// Waits (bounded) until the server answers PONG.
    pub fn until_pong(&self) {
        let end = Instant::now() + Duration::from_secs(20);
        while self.cli(&["ping"]) != "PONG" {
            assert!(Instant::now() < end, "redis-server did not come up");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Writes an RDB of `keys` keys into the server's directory (the
    /// server is stopped after), so a restart with `key-load-delay`
    /// answers `-LOADING` while it loads.
    pub fn write_dataset(&mut self, keys: u32) {
        self.start(&[]);
        self.until_pong();
        assert_eq!(self.cli(&["debug", "populate", &keys.to_string()]), "OK");
        assert_eq!(self.cli(&["save"]), "OK");
        self.stop();
    }

    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for Redis {
    fn drop(&mut self) {
        self.stop();
    }
}
