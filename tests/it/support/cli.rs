//! Running the real `zinit` binary from tests: one builder, as casey/just's
//! `Test` is, so every test starts the binary the same way (short kill
//! grace, `NO_COLOR` cleared, standard input written from a thread so a
//! large input cannot deadlock against the output pipes).

use serde_json::Value;
use std::ffi::OsStr;
use std::io::Write;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// `zinit ARGS...`, configured step by step, then run to completion.
pub struct Zinit {
    command: Command,
    stdin: Option<Vec<u8>>,
    /// The resolver files of [`Zinit::without_dns`], kept while it runs.
    _resolver_files: Option<tempfile::TempDir>,
}

impl Default for Zinit {
    fn default() -> Self {
        Self::new()
    }
}

impl Zinit {
    pub fn new() -> Self {
        Self::running(Command::new(env!("CARGO_BIN_EXE_zinit")), None)
    }

    /// `command` (zinit, or what execs it) with the tests' defaults.
    fn running(mut command: Command, resolver_files: Option<tempfile::TempDir>) -> Self {
        command
            .env("ZINIT_KILL_GRACE_MS", "300")
            .env_remove("NO_COLOR");
        Zinit {
            command,
            stdin: None,
            _resolver_files: resolver_files,
        }
    }

    /// `zinit` in a mount namespace whose `/etc/nsswitch.conf` reads
    /// `/etc/hosts` only and whose `/etc/resolv.conf` names a closed
    /// loopback port: a name not in `/etc/hosts` fails to resolve without a
    /// packet leaving the machine, whichever resolver zinit uses (tests
    /// never ask a real DNS server).
    pub fn without_dns() -> Self {
        let files = tempfile::tempdir().expect("temp dir");
        let resolv = files.path().join("resolv.conf");
        let nsswitch = files.path().join("nsswitch.conf");
        std::fs::write(
            &resolv,
            "nameserver 127.0.0.1\noptions timeout:1 attempts:1\n",
        )
        .expect("resolv.conf");
        std::fs::write(&nsswitch, "hosts: files\n").expect("nsswitch.conf");
        let mut command = Command::new("unshare");
        command
            .args(["--mount", "--", "sh", "-c"])
            .arg(
                "mount --bind \"$1\" /etc/resolv.conf && mount --bind \"$2\" /etc/nsswitch.conf \
                 && shift 2 && exec \"$@\"",
            )
            .arg("sh")
            .args([&resolv, &nsswitch])
            .arg(env!("CARGO_BIN_EXE_zinit"));
        Self::running(command, Some(files))
    }

    pub fn args<I, S>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.command.args(args);
        self
    }

    pub fn env(mut self, key: &str, value: impl AsRef<OsStr>) -> Self {
        self.command.env(key, value);
        self
    }

    pub fn env_remove(mut self, key: &str) -> Self {
        self.command.env_remove(key);
        self
    }

    pub fn dir(mut self, dir: &Path) -> Self {
        self.command.current_dir(dir);
        self
    }

    /// Bytes for standard input (otherwise it reads as empty).
    pub fn stdin(mut self, bytes: impl AsRef<[u8]>) -> Self {
        self.stdin = Some(bytes.as_ref().to_vec());
        self
    }

    /// The command, for tests that spawn it and signal it themselves.
    pub fn command(self) -> Command {
        self.command
    }

    /// Runs to completion and collects the output.
    pub fn output(mut self) -> Output {
        let Some(input) = self.stdin.take() else {
            return self.command.output().expect("zinit runs");
        };
        let mut child = self
            .command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("zinit starts");
        let mut pipe = child.stdin.take().expect("stdin");
        // zinit may stop reading early (a size limit): a broken pipe is fine.
        let writer = std::thread::spawn(move || {
            let _ = pipe.write_all(&input);
        });
        let output = child.wait_with_output().expect("zinit ends");
        writer.join().expect("stdin writer");
        output
    }
}

/// `zinit` with the tests' defaults, as a plain command.
pub fn zinit() -> Command {
    Zinit::new().command()
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

pub fn run_script(script: &str, extra: &[&str]) -> Output {
    Zinit::new()
        .args(["run", "--format", "plain", "-e", script])
        .args(extra)
        .output()
}

/// `zinit run` of a script that must fail (exit 1); its stderr.
#[track_caller]
pub fn run_fails(script: &str) -> String {
    let out = run_script(script, &[]);
    let text = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{script}: {text}");
    text
}

/// `zinit run` of a script that must succeed (exit 0).
#[track_caller]
pub fn run_passes(script: &str) {
    let out = run_script(script, &[]);
    assert_eq!(out.status.code(), Some(0), "{script}: {}", stderr(&out));
}

/// `zinit run -e SCRIPT` started and left waiting (stderr piped), for
/// tests that change the world while it waits.
pub fn spawn_script(script: &str) -> Child {
    zinit()
        .args(["run", "--format", "plain", "-e", script])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn zinit")
}

/// The `step_ended` event of step `id` in a JSON run's events.
pub fn step_ended<'e>(events: &'e [Value], id: &str) -> Option<&'e Value> {
    events
        .iter()
        .find(|e| e["event"] == "step_ended" && e["step"] == id)
}

pub fn json_events(stdout: &[u8]) -> Vec<Value> {
    String::from_utf8_lossy(stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

/// Waits (bounded) for the child to exit; kills it if it does not.
pub fn wait_exit(child: &mut Child, limit: Duration) -> Option<i32> {
    let end = Instant::now() + limit;
    while Instant::now() < end {
        if let Some(status) = child.try_wait().unwrap() {
            return status.code();
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let _ = child.kill();
    let _ = child.wait();
    None
}

pub fn wait_for_file(path: &Path) {
    let end = Instant::now() + Duration::from_secs(5);
    while !path.exists() && Instant::now() < end {
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(path.exists(), "{} never appeared", path.display());
}
