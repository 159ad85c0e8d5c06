//! A real gRPC health server (tests/it/support/grpc_health_server.py, PyPI
//! `grpcio` and `grpcio-health-checking` from tests/requirements/pip.txt)
//! on 127.0.0.1, on an ephemeral port the server picks itself. Statuses are
//! switched through its stdin, each switch confirmed before `set` returns;
//! the server exits when dropped (stdin closed, then killed).

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

pub const SCRIPT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/it/support/grpc_health_server.py"
);

pub struct GrpcServer {
    child: Child,
    stdin: Option<ChildStdin>,
    stdout: BufReader<ChildStdout>,
    pub port: u16,
}

/// TLS for the server: its certificate chain and key, PEM files.
pub struct ServerTls<'a> {
    pub cert: &'a Path,
    pub key: &'a Path,
}

impl GrpcServer {
    /// Started with `statuses` (`("-", "NOT_SERVING")`: the server as a whole).
    pub fn start(statuses: &[(&str, &str)], tls: Option<ServerTls<'_>>) -> GrpcServer {
        let python =
            super::requirements::python_with(&["grpc", "grpc_health.v1"], "grpcio-health-checking");
        let mut cmd = Command::new(python);
        cmd.arg(SCRIPT);
        if let Some(tls) = tls {
            cmd.arg("--cert").arg(tls.cert).arg("--key").arg(tls.key);
        }
        // `--`: `-=SERVING` is a status, not an option.
        cmd.arg("--");
        cmd.args(
            statuses
                .iter()
                .map(|(service, status)| format!("{service}={status}")),
        );
        let mut child = cmd
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("start the gRPC health server");
        let stdin = child.stdin.take();
        let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
        // The first line, bounded by the server itself: it prints its port or exits.
        let mut line = String::new();
        stdout.read_line(&mut line).expect("read the port");
        let Some(port) = line
            .trim()
            .strip_prefix("PORT ")
            .and_then(|p| p.parse().ok())
        else {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the gRPC health server did not start: {line:?}");
        };
        GrpcServer {
            child,
            stdin,
            stdout,
            port,
        }
    }

    /// Sets `service`'s status (`-`: the server as a whole); returns once
    /// the server has it.
    pub fn set(&mut self, service: &str, status: &str) {
        let stdin = self.stdin.as_mut().expect("running");
        writeln!(stdin, "{service} {status}").expect("write to the server");
        stdin.flush().expect("flush");
        let mut line = String::new();
        self.stdout.read_line(&mut line).expect("read the answer");
        assert_eq!(line.trim(), "OK", "the server refused `{service} {status}`");
    }

    pub fn address(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }
}

impl Drop for GrpcServer {
    fn drop(&mut self) {
        drop(self.stdin.take());
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
