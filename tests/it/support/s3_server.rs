//! A real S3-compatible server for tests: moto, on 127.0.0.1, one shared
//! instance per test binary (started on first use). moto comes from
//! tests/requirements/pip.txt; without it the S3 tests fail in one line
//! naming `./test.sh` (support::requirements).
//!
//! moto runs inside a small Python wrapper that exits when its standard
//! input reaches end of file. The test binary holds the other end of that
//! pipe and never closes it, so the server lives exactly as long as the
//! test binary, however that ends (even when killed).

// Each S3 test binary uses a different part of this module.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use super::requirements::python_with;

/// How long moto may take to import and bind (it is slow on a busy machine).
const START_TIMEOUT: Duration = Duration::from_secs(60);

const WRAPPER: &str = r#"
import logging, os, sys
logging.getLogger("werkzeug").setLevel(logging.ERROR)
from moto.server import ThreadedMotoServer
server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
server.start()
print(server.get_host_and_port()[1], flush=True)
sys.stdin.read()
os._exit(0)
"#;

pub struct S3Server {
    /// `http://127.0.0.1:PORT`
    pub endpoint: String,
    // Kept so the wrapper's stdin stays open for the life of the binary.
    _child: Child,
}

/// The shared server that accepts any credentials.
pub fn server() -> &'static S3Server {
    static SERVER: OnceLock<S3Server> = OnceLock::new();
    SERVER.get_or_init(|| S3Server::start(false))
}

/// A second server that checks credentials, so a made-up key is refused.
pub fn strict_server() -> &'static S3Server {
    static SERVER: OnceLock<S3Server> = OnceLock::new();
    SERVER.get_or_init(|| S3Server::start(true))
}

impl S3Server {
    fn start(check_credentials: bool) -> S3Server {
        // `moto[server]` is moto with the Flask app the server runs.
        let python = python_with(&["moto", "flask", "flask_cors"], "moto[server]");
        let mut command = Command::new(&python);
        command
            .args(["-c", WRAPPER])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if check_credentials {
            // moto checks signatures and keys from the first request on.
            command.env("INITIAL_NO_AUTH_ACTION_COUNT", "0");
        }
        let mut child = command
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run {}: {e}", python.display()));
        let stderr = drain(child.stderr.take().expect("piped stderr"));
        let port = read_port(&mut child, stderr);
        let endpoint = format!("http://127.0.0.1:{port}");
        wait_until_answering(&endpoint);
        S3Server {
            endpoint,
            _child: child,
        }
    }

    /// Creates a bucket through moto's S3 API (an unsigned `PUT /BUCKET`).
    pub async fn create_bucket(&self, bucket: &str) {
        let response = reqwest::Client::new()
            .put(format!("{}/{bucket}", self.endpoint))
            .send()
            .await
            .expect("create bucket request");
        assert!(
            response.status().is_success(),
            "creating bucket {bucket}: {}",
            response.status()
        );
    }

    /// The keys in `bucket`, as the server stored them (ListObjectsV2).
    pub async fn keys(&self, bucket: &str) -> Vec<String> {
        let body = reqwest::Client::new()
            .get(format!("{}/{bucket}?list-type=2", self.endpoint))
            .send()
            .await
            .expect("list objects request")
            .text()
            .await
            .expect("list objects body");
        body.split("<Key>")
            .skip(1)
            .filter_map(|rest| rest.split_once("</Key>").map(|(key, _)| key.to_string()))
            .collect()
    }

    /// How many multipart uploads are open in `bucket` (ListMultipartUploads).
    pub async fn open_multipart_uploads(&self, bucket: &str) -> usize {
        let body = reqwest::Client::new()
            .get(format!("{}/{bucket}?uploads", self.endpoint))
            .send()
            .await
            .expect("list multipart uploads request")
            .text()
            .await
            .expect("list multipart uploads body");
        body.matches("<Upload>").count()
    }
}

fn read_port(child: &mut Child, stderr: Drain) -> u16 {
    let stdout = child.stdout.take().expect("piped stdout");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let _ = tx.send(line);
    });
    let line = match rx.recv_timeout(START_TIMEOUT) {
        Ok(line) => line,
        Err(_) => {
            let _ = child.kill();
            panic!("moto did not start within {START_TIMEOUT:?}");
        }
    };
    line.trim().parse().unwrap_or_else(|_| {
        let _ = child.wait();
        // The pipe is closed now, so the drain ends.
        let _ = stderr.thread.join();
        let log = stderr.log.lock().map(|s| s.clone()).unwrap_or_default();
        panic!("moto exited before listening:\n{log}")
    })
}

struct Drain {
    log: Arc<Mutex<String>>,
    thread: std::thread::JoinHandle<()>,
}

/// Collects the server's stderr (so a start failure can be shown) and keeps
/// the pipe from filling up.
fn drain(mut stderr: std::process::ChildStderr) -> Drain {
    let log = Arc::new(Mutex::new(String::new()));
    let sink = Arc::clone(&log);
    let thread = std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = stderr.read(&mut buf) {
            if n == 0 {
                break;
            }
            if let Ok(mut log) = sink.lock()
                && log.len() < 64 * 1024
            {
                log.push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        }
    });
    Drain { log, thread }
}

fn wait_until_answering(endpoint: &str) {
    let address = endpoint.trim_start_matches("http://");
    let deadline = Instant::now() + START_TIMEOUT;
    while std::net::TcpStream::connect(address).is_err() {
        assert!(
            Instant::now() < deadline,
            "moto at {endpoint} never answered"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}
