//! The `wait grpc` rows of benches/protocol_waits.rs: a real grpcio health
//! server (tests/it/support/grpc_health_server.py, from the project's test
//! virtual environment) answers NOT_SERVING, then switches to SERVING at a
//! random moment; latency is from the switch to the waiter's exit. The
//! switch's instant is taken just before the command is written to the
//! server, so the figure includes the server's own reaction (an upper bound).

use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

const SERVER: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/it/support/grpc_health_server.py"
);
pub const CHECK: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/benches/support/grpc_health_check.py"
);

/// The test venv's Python, if grpcio is installed there (`./test.sh`).
pub fn python() -> Option<PathBuf> {
    let venv = std::env::var_os("ZINIT_TEST_VENV")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/target/test-venv")));
    let python = venv.join("bin/python");
    let imports = Command::new(&python)
        .args(["-c", "import grpc, grpc_health.v1"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    imports.then_some(python)
}

struct Server {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
    port: u16,
}

impl Server {
    fn start(python: &PathBuf) -> Server {
        let mut child = Command::new(python)
            .args([SERVER, "--", "-=NOT_SERVING"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("start the gRPC server");
        let stdin = child.stdin.take().unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        stdout.read_line(&mut line).unwrap();
        let port = line
            .trim()
            .trim_start_matches("PORT ")
            .parse()
            .expect("PORT n");
        Server {
            child,
            stdin,
            stdout,
            port,
        }
    }

    /// Switches to SERVING; the instant just before the switch was asked.
    fn serve(&mut self) -> Instant {
        let at = Instant::now();
        writeln!(self.stdin, "- SERVING").unwrap();
        self.stdin.flush().unwrap();
        let mut line = String::new();
        self.stdout.read_line(&mut line).unwrap();
        assert_eq!(line.trim(), "OK");
        at
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One run of the waiter `cmd(address)`; the switch comes after `after`.
pub fn once(python: &PathBuf, after: Duration, cmd: impl FnOnce(String) -> Command) -> Duration {
    let mut server = Server::start(python);
    let mut child = cmd(format!("127.0.0.1:{}", server.port))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let switch = std::thread::spawn(move || {
        std::thread::sleep(after);
        let at = server.serve();
        (server, at)
    });
    let status = child.wait().expect("wait");
    let exited = Instant::now();
    assert!(status.success(), "the wait failed");
    let (_server, ready) = switch.join().unwrap();
    exited.saturating_duration_since(ready)
}

pub fn zinit(address: String) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_zinit"));
    cmd.args([
        "run",
        "--quiet",
        "-e",
        &format!("wait grpc {address} timeout 20s"),
    ]);
    cmd
}

/// `until python grpc_health_check.py HOST:PORT; do sleep 1; done`.
pub fn python_loop(python: PathBuf) -> impl FnOnce(String) -> Command {
    move |address| {
        let mut cmd = Command::new("sh");
        cmd.args([
            "-c",
            &format!(
                "until {} {CHECK} {address}; do sleep 1; done",
                python.display()
            ),
        ]);
        cmd
    }
}
