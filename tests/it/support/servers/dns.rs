//! A real DNS server on 127.0.0.1 (UDP and TCP, one ephemeral port):
//! tests/dns_server.py on dnslib (tests/requirements/pip.txt). It answers
//! from a zone file that the test rewrites to make names appear, change or
//! fail; the server reads it anew on each change. It exits when the test's
//! end of its standard input closes (on drop, or however the test ends).

use crate::support::requirements::python_with;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// How long Python may take to import dnslib and bind on a busy machine.
const START_TIMEOUT: Duration = Duration::from_secs(30);

pub struct DnsServer {
    dir: tempfile::TempDir,
    /// `127.0.0.1:PORT`, as `server` takes it.
    pub addr: String,
    child: Child,
}

impl DnsServer {
    /// A server answering from `zone` (zone-file lines; `; servfail NAME`).
    pub fn start(zone: &str) -> Self {
        let python = python_with(&["dnslib"], "dnslib");
        let dir = tempfile::Builder::new()
            .prefix("zinit-dns")
            .tempdir()
            .unwrap();
        let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/dns_server.py");
        let server = DnsServer {
            addr: String::new(),
            child: Command::new(python)
                .arg(script)
                .arg(dir.path().join("zone"))
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::inherit())
                .spawn()
                .expect("spawn the DNS server"),
            dir,
        };
        server.set_zone(zone);
        server.ready()
    }

    /// The port it prints once both sockets are bound.
    fn ready(mut self) -> Self {
        let stdout = self.child.stdout.take().expect("piped");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(line);
        });
        let line = rx
            .recv_timeout(START_TIMEOUT)
            .expect("the DNS server printed no port");
        let port: u16 = line
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("the DNS server said {line:?}, not its port"));
        self.addr = format!("127.0.0.1:{port}");
        self
    }

    /// Replaces the zone; the next question is answered from it. Written
    /// aside and renamed, so the server never reads half a file.
    pub fn set_zone(&self, zone: &str) {
        let next = self.dir.path().join("zone.next");
        std::fs::write(&next, zone).unwrap();
        std::fs::rename(&next, self.dir.path().join("zone")).unwrap();
    }
}

impl Drop for DnsServer {
    fn drop(&mut self) {
        drop(self.child.stdin.take());
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
