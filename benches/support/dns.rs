//! The `wait dns` rows of benches/protocol_waits.rs: a stand-in DNS server
//! on 127.0.0.1 (UDP) answers NXDOMAIN for the name until a random moment,
//! then its A record, as a cluster's DNS does once a service is created.
//! Latency is from the moment the name exists to the waiter's exit. The
//! peer is what users write today: `until dig ... +short | grep -q .; do
//! sleep 1; done` (Debian `bind9-dnsutils`).

use std::net::{SocketAddr, UdpSocket};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, Instant};

pub const NAME: &str = "db.bench.test";

const TYPE_A: u16 = 1;
const NXDOMAIN: u16 = 3;

/// The reply to `query`: the question echoed, with 127.0.0.1 as the answer
/// to an A question once `exists`, else NXDOMAIN (no answer for other types).
fn reply(query: &[u8], exists: bool) -> Option<Vec<u8>> {
    let question_end = question_end(query)?;
    let qtype = u16::from_be_bytes([query[question_end - 4], query[question_end - 3]]);
    let answer = exists && qtype == TYPE_A;
    let rcode = if exists { 0 } else { NXDOMAIN };
    let mut out = Vec::with_capacity(question_end + 16);
    out.extend_from_slice(&query[..2]); // the id
    // QR, the query's RD, RA, and the rcode.
    let flags = 0x8080 | (u16::from(query[2] & 1) << 8) | rcode;
    out.extend_from_slice(&flags.to_be_bytes());
    out.extend_from_slice(&[0, 1, 0, u8::from(answer), 0, 0, 0, 0]);
    out.extend_from_slice(&query[12..question_end]);
    if answer {
        // A pointer to the question's name, A, IN, TTL 0, 4 bytes.
        out.extend_from_slice(&[0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 0, 0, 4, 127, 0, 0, 1]);
    }
    Some(out)
}

/// Where the (one) question ends: its labels, a zero byte, type and class.
fn question_end(query: &[u8]) -> Option<usize> {
    let mut at = 12;
    loop {
        let len = *query.get(at)? as usize;
        at += 1;
        if len == 0 {
            break;
        }
        at += len;
    }
    (at + 4 <= query.len()).then_some(at + 4)
}

/// A server whose name appears `after` from now; it stops when dropped.
pub struct Server {
    pub addr: SocketAddr,
    stop: Arc<AtomicBool>,
    ready_at: thread::JoinHandle<Instant>,
}

impl Server {
    pub fn start(after: Duration) -> Server {
        let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
        socket
            .set_read_timeout(Some(Duration::from_millis(5)))
            .unwrap();
        let addr = socket.local_addr().unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        let stopping = stop.clone();
        let ready_at = thread::spawn(move || {
            let exists_from = Instant::now() + after;
            let mut buf = [0u8; 1500];
            while !stopping.load(Ordering::Relaxed) {
                let Ok((len, peer)) = socket.recv_from(&mut buf) else {
                    continue;
                };
                if let Some(out) = reply(&buf[..len], Instant::now() >= exists_from) {
                    let _ = socket.send_to(&out, peer);
                }
            }
            exists_from
        });
        Server {
            addr,
            stop,
            ready_at,
        }
    }

    fn stop(self) -> Instant {
        self.stop.store(true, Ordering::Relaxed);
        self.ready_at.join().unwrap()
    }
}

/// One run of the waiter `cmd(server)`; the name appears after `after`.
pub fn once(after: Duration, cmd: impl FnOnce(SocketAddr) -> Command) -> Duration {
    let server = Server::start(after);
    let status = cmd(server.addr)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("spawn");
    let exited = Instant::now();
    assert!(status.success(), "the wait failed");
    exited.saturating_duration_since(server.stop())
}

pub fn zinit(server: SocketAddr) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_zinit"));
    cmd.args([
        "run",
        "--quiet",
        "-e",
        &format!("wait dns {NAME} server {server} timeout 20s"),
    ]);
    cmd
}

/// `until dig @IP -p PORT +short NAME | grep -q .; do sleep 1; done`.
pub fn dig_loop(server: SocketAddr) -> Command {
    let mut cmd = Command::new("sh");
    cmd.args([
        "-c",
        &format!(
            "until dig @{} -p {} +short +tries=1 +time=1 {NAME} | grep -q .; do sleep 1; done",
            server.ip(),
            server.port()
        ),
    ]);
    cmd
}
