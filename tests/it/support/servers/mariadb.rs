//! A real MariaDB server on 127.0.0.1: Debian's `mariadb-server`, its data
//! directory made by `mariadb-install-db` once (a template kept in the
//! target's tmp folder) and copied for each server, which runs
//! on an ephemeral port until dropped. The user `app` (password
//! [`Mariadb::PASSWORD`], no privileges beyond logging in) is created by
//! the server's `--init-file` at every start.

use crate::support::free_port;
use crate::support::requirements::program;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

const PACKAGE: &str = "mariadb-server";

/// Small and unsynced: a throwaway server that starts in a fraction of a second.
const FAST: &[&str] = &[
    "--innodb-log-file-size=4M",
    "--innodb-buffer-pool-size=16M",
    "--innodb-flush-log-at-trx-commit=0",
    "--innodb-doublewrite=0",
    "--innodb-flush-method=nosync",
    "--skip-log-bin",
];

const INIT: &str = "CREATE USER IF NOT EXISTS 'app'@'%' IDENTIFIED BY 's3cret';\n";

fn require(name: &str) -> PathBuf {
    program(name, PACKAGE, &["/usr/sbin"])
}

fn is_root() -> bool {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
}

/// mariadbd refuses to run as root unless told to.
fn user_option() -> &'static [&'static str] {
    if is_root() { &["--user=root"] } else { &[] }
}

/// The data directory of a fresh server, made once and kept in the
/// target's tmp folder for later runs (made under another name, then
/// renamed, so concurrent test binaries never see half of one).
fn template() -> &'static Path {
    static TEMPLATE: OnceLock<PathBuf> = OnceLock::new();
    TEMPLATE.get_or_init(|| {
        let root = Path::new(env!("CARGO_TARGET_TMPDIR"));
        let template = root.join("mariadb-template");
        if template.join("mysql").is_dir() {
            return template;
        }
        let making = root.join(format!("mariadb-template.{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&making);
        let out = Command::new(require("mariadb-install-db"))
            .args(["--no-defaults", "--auth-root-authentication-method=normal"])
            .args(["--skip-test-db", "--skip-name-resolve"])
            .arg(format!("--datadir={}", making.display()))
            .args(user_option())
            .args(FAST)
            .stdin(Stdio::null())
            .output()
            .expect("spawn mariadb-install-db");
        assert!(
            out.status.success(),
            "mariadb-install-db: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        if std::fs::rename(&making, &template).is_err() {
            // Another binary made it first.
            let _ = std::fs::remove_dir_all(&making);
        }
        template
    })
}

pub struct Mariadb {
    dir: tempfile::TempDir,
    pub port: u16,
    child: Option<Child>,
}

impl Mariadb {
    pub const USER: &str = "app";
    pub const PASSWORD: &str = "s3cret";

    /// A server with its own copy of the data directory, not started.
    pub fn new() -> Self {
        let dir = tempfile::Builder::new()
            .prefix("zinit-mariadb")
            .tempdir()
            .unwrap();
        let status = Command::new("cp")
            .arg("-a")
            .arg(template())
            .arg(dir.path().join("data"))
            .status()
            .unwrap();
        assert!(status.success(), "copying the MariaDB template");
        std::fs::write(dir.path().join("init.sql"), INIT).unwrap();
        Mariadb {
            dir,
            port: free_port(),
            child: None,
        }
    }

    /// Starts mariadbd without waiting for it; `args` are extra options.
    pub fn start(&mut self, args: &[&str]) {
        let dir = self.dir.path();
        let path = |name: &str| dir.join(name).display().to_string();
        let child = Command::new(require("mariadbd"))
            .arg("--no-defaults")
            .args(user_option())
            .arg(format!("--datadir={}", path("data")))
            .arg(format!("--port={}", self.port))
            .args(["--bind-address=127.0.0.1", "--skip-name-resolve"])
            .arg(format!("--socket={}", path("sock")))
            .arg(format!("--pid-file={}", path("pid")))
            .arg(format!("--log-error={}", path("error.log")))
            .arg(format!("--init-file={}", path("init.sql")))
            .args(FAST)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        self.child = Some(child);
    }

    /// The `mariadb` client, logged in as `app` over TCP; quiet unless the
    /// caller asks for its output.
    pub fn client(&self) -> Command {
        let mut cmd = Command::new(require("mariadb"));
        cmd.args(["-h", "127.0.0.1", "-P", &self.port.to_string()])
            .args(["-u", Self::USER, &format!("-p{}", Self::PASSWORD)])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        cmd
    }

    /// A client that runs `sql` (e.g. `SELECT SLEEP(30)`), holding its
    /// connection meanwhile; killed by the caller.
    pub fn hold(&self, sql: &str) -> Child {
        self.client().args(["-e", sql]).spawn().unwrap()
    }

    /// Waits (bounded) until `app` can log in and run a query.
    pub fn until_ready(&self) {
        let end = Instant::now() + Duration::from_secs(60);
        while !self
            .client()
            .args(["-e", "SELECT 1"])
            .status()
            .is_ok_and(|s| s.success())
        {
            assert!(Instant::now() < end, "{}", self.log());
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// One answer of root over the Unix socket: root may use the connection
    /// MariaDB keeps spare for administrators, so this works on a full server.
    fn root_query(&self, sql: &str) -> usize {
        let out = Command::new(require("mariadb"))
            .arg(format!(
                "--socket={}",
                self.dir.path().join("sock").display()
            ))
            .args(["-u", "root", "-N", "-e", sql])
            .stdin(Stdio::null())
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        text.split_whitespace()
            .last()
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("{sql}: {text}{}", String::from_utf8_lossy(&out.stderr)))
    }

    /// The sessions the server holds now, this one's included.
    pub fn sessions(&self) -> usize {
        self.root_query("SHOW STATUS LIKE 'Threads_connected'")
    }

    /// The clients of [`Mariadb::hold`] that are connected and sleeping now.
    fn holding(&self) -> usize {
        self.root_query(
            "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE 'SELECT SLEEP%'",
        )
    }

    /// `n` clients that each hold a connection (`SELECT SLEEP(120)`), made
    /// one at a time: a client refused because the counting session took
    /// the last slot is started again. Killed by the caller.
    pub fn fill(&self, n: usize) -> Vec<Child> {
        let end = Instant::now() + Duration::from_secs(60);
        let mut holders: Vec<Child> = Vec::new();
        while holders.len() < n {
            let mut holder = self.hold("SELECT SLEEP(120)");
            loop {
                assert!(
                    Instant::now() < end,
                    "{} of {n} connections held",
                    holders.len()
                );
                if holder.try_wait().unwrap().is_some() {
                    break;
                }
                if self.holding() == holders.len() + 1 {
                    holders.push(holder);
                    break;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
        }
        holders
    }

    /// The server's error log, for failure messages.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("error.log")).unwrap_or_default()
    }

    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for Mariadb {
    fn drop(&mut self) {
        self.stop();
    }
}
