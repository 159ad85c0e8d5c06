//! Latency of `wait postgres`, `wait redis` and `wait mysql`: from the moment a server
//! becomes ready to the moment `zinit run` has exited, side by side with the
//! loops users write today (`until pg_isready ...; do sleep 1; done`,
//! `until redis-cli ping | grep -q PONG; do sleep 1; done`,
//! `until mysqladmin ping ...; do sleep 1; done`), in the same run.
//!
//! The servers are small stand-ins on 127.0.0.1 that speak each protocol's
//! first exchange (pg_isready and redis-cli talk to them as to the real
//! ones), so the moment of readiness is known to the microsecond: the port
//! opens at a random moment, the server answers "not yet" (SQLSTATE 57P03,
//! `-LOADING`, MySQL's `ERROR 1040: Too many connections` in place of its
//! greeting) for a random while, then answers as ready (for MySQL: a
//! greeting, then "Access denied" to the login `mysqladmin ping` tries,
//! which it counts as alive).
//!
//! `wait dns` asks a stand-in DNS server (benches/support/dns.rs) whose
//! name appears at a random moment, beside `until dig ...; do sleep 1;
//! done`.
//!
//! `wait grpc` runs against a real grpcio health server instead
//! (benches/support/grpc.rs), beside a Python health-check client in an
//! `until ...; do sleep 1; done` loop: grpc_health_probe, what users run
//! today, is a Go binary no registry here packages. wait4x, the issue's
//! other peer, cannot be installed here by package name (it is on none of
//! Debian, PyPI, npm or crates.io); npm's `wait-on` can, but it has no
//! Postgres, Redis or gRPC check (TCP, HTTP, files and sockets only), so it
//! appears in benches/readiness.sh, not here.
//!
//! Run: `cargo bench --bench protocol_waits`. Prints a table; never asserts.

#[path = "support/dns.rs"]
mod dns;
#[path = "support/grpc.rs"]
mod grpc;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant, SystemTime};

#[derive(Clone, Copy)]
enum Kind {
    Postgres,
    Redis,
    Mysql,
}

/// A tiny xorshift: random moments without a crate.
struct Rng(u64);

impl Rng {
    fn between(&mut self, lo: Duration, hi: Duration) -> Duration {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        lo + (hi - lo).mul_f64((self.0 % 10_000) as f64 / 10_000.0)
    }
}

/// A port of 127.0.0.1 held (bound, not listening: connects are refused)
/// until the server opens it, so no other process on a busy machine takes
/// it in between.
fn reserved_port() -> (socket2::Socket, SocketAddr) {
    use socket2::{Domain, Socket, Type};
    let socket = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
    socket
        .bind(&SocketAddr::from(([127, 0, 0, 1], 0)).into())
        .unwrap();
    let addr = socket.local_addr().unwrap().as_socket().unwrap();
    (socket, addr)
}

/// Opens `addr` after `open_after`, answers "not yet" for `busy`, then
/// "ready"; sends the instant it became ready, and stops after `serve`.
fn server(
    kind: Kind,
    socket: socket2::Socket,
    open_after: Duration,
    busy: Duration,
    serve: Duration,
) -> mpsc::Receiver<Instant> {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        thread::sleep(open_after);
        socket.listen(128).expect("listen");
        let listener = TcpListener::from(socket);
        listener.set_nonblocking(true).unwrap();
        let ready_at = Instant::now() + busy;
        let _ = tx.send(ready_at);
        let end = ready_at + serve;
        while Instant::now() < end {
            match listener.accept() {
                Ok((stream, _)) => answer(kind, stream, Instant::now() >= ready_at),
                Err(_) => thread::sleep(Duration::from_micros(100)),
            }
        }
    });
    rx
}

fn answer(kind: Kind, mut stream: TcpStream, ready: bool) {
    stream.set_nonblocking(false).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(1)))
        .unwrap();
    let _ = stream.set_nodelay(true);
    match kind {
        Kind::Postgres => {
            let Some(mut code) = packet(&mut stream) else {
                return;
            };
            if code == 80_877_103 {
                // SSLRequest (libpq): no TLS here; the startup packet follows.
                let _ = stream.write_all(b"N");
                let Some(next) = packet(&mut stream) else {
                    return;
                };
                code = next;
            }
            let _ = code;
            let reply: Vec<u8> = if ready {
                // AuthenticationCleartextPassword: a server that takes connections.
                vec![b'R', 0, 0, 0, 8, 0, 0, 0, 3]
            } else {
                let body = b"SFATAL\0C57P03\0Mthe database system is starting up\0\0";
                let mut out = vec![b'E'];
                out.extend_from_slice(&((body.len() + 4) as u32).to_be_bytes());
                out.extend_from_slice(body);
                out
            };
            let _ = stream.write_all(&reply);
        }
        Kind::Mysql => {
            if ready {
                let _ = stream.write_all(&mysql_packet(0, MYSQL_GREETING));
                // The client's login, refused as a server refuses an unknown user.
                let mut login = [0u8; 1024];
                let _ = stream.read(&mut login);
                let denied = b"\xff\x15\x04#28000Access denied for user 'root'@'localhost'";
                let _ = stream.write_all(&mysql_packet(2, denied));
            } else {
                let full = b"\xff\x10\x04Too many connections";
                let _ = stream.write_all(&mysql_packet(0, full));
            }
        }
        Kind::Redis => {
            let mut buf = [0u8; 512];
            let _ = stream.read(&mut buf);
            let reply: &[u8] = if ready {
                b"+PONG\r\n"
            } else {
                b"-LOADING Redis is loading the dataset in memory\r\n"
            };
            let _ = stream.write_all(reply);
        }
    }
    let _ = stream.shutdown(std::net::Shutdown::Write);
    let mut rest = [0u8; 256];
    let _ = stream.read(&mut rest);
}

/// A MariaDB 10.11 greeting as one sends it (protocol 10, no TLS offered,
/// `mysql_native_password`).
const MYSQL_GREETING: &[u8] = b"\x0a5.5.5-10.11.19-MariaDB\x00\x0c\x00\x00\x00I_\"+N*&|\x00\xfe\xf7\x08\x02\x00\xff\x81\x15\x00\x00\x00\x00\x00\x00\x1d\x00\x00\x00d^+Y_R[SpWE4\x00mysql_native_password\x00";

/// A MySQL packet: 3-byte length, sequence number, payload.
fn mysql_packet(sequence: u8, payload: &[u8]) -> Vec<u8> {
    let mut packet = (payload.len() as u32).to_le_bytes()[..3].to_vec();
    packet.push(sequence);
    packet.extend_from_slice(payload);
    packet
}

/// One length-prefixed packet without a type byte; its first word.
fn packet(stream: &mut TcpStream) -> Option<u32> {
    let mut head = [0u8; 8];
    stream.read_exact(&mut head).ok()?;
    let len = u32::from_be_bytes(head[..4].try_into().unwrap()) as usize;
    let mut rest = vec![0u8; len.saturating_sub(8)];
    stream.read_exact(&mut rest).ok()?;
    Some(u32::from_be_bytes(head[4..].try_into().unwrap()))
}

/// The latency of one run of `cmd` against a server that opens late.
fn once(kind: Kind, rng: &mut Rng, cmd: impl FnOnce(SocketAddr) -> Command) -> Duration {
    let (socket, addr) = reserved_port();
    let open_after = rng.between(Duration::from_millis(100), Duration::from_millis(700));
    let busy = rng.between(Duration::from_millis(20), Duration::from_millis(300));
    let ready_at = server(kind, socket, open_after, busy, Duration::from_secs(4));
    let mut child = cmd(addr)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let status = child.wait().expect("wait");
    let exited = Instant::now();
    assert!(status.success(), "the wait failed");
    let ready = ready_at.recv().expect("server");
    exited.saturating_duration_since(ready)
}

fn zinit(kind: Kind) -> impl FnOnce(SocketAddr) -> Command {
    move |addr| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_zinit"));
        let action = match kind {
            Kind::Postgres => "postgres",
            Kind::Redis => "redis",
            Kind::Mysql => "mysql",
        };
        cmd.args([
            "run",
            "--quiet",
            "-e",
            &format!("wait {action} {addr} timeout 10s"),
        ]);
        cmd
    }
}

fn shell_loop(kind: Kind) -> impl FnOnce(SocketAddr) -> Command {
    move |addr| {
        let check = match kind {
            Kind::Postgres => format!("pg_isready -q -h {} -p {}", addr.ip(), addr.port()),
            Kind::Redis => format!(
                "redis-cli -h {} -p {} ping | grep -q PONG",
                addr.ip(),
                addr.port()
            ),
            Kind::Mysql => format!(
                "mysqladmin ping --silent --connect-timeout=1 -h {} -P {} >/dev/null 2>&1",
                addr.ip(),
                addr.port()
            ),
        };
        let mut cmd = Command::new("sh");
        cmd.args(["-c", &format!("until {check}; do sleep 1; done")]);
        cmd
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn row(name: &str, mut samples: Vec<Duration>) {
    samples.sort();
    let ms = |d: Duration| format!("{:.1} ms", d.as_secs_f64() * 1000.0);
    println!(
        "| {name} | {} | {} | {} | {} |",
        samples.len(),
        ms(percentile(&samples, 0.5)),
        ms(percentile(&samples, 0.9)),
        ms(*samples.last().unwrap())
    );
}

fn have(program: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {program}")])
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn main() {
    let seed = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64;
    let mut rng = Rng(seed | 1);
    let runs: usize = std::env::var("RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(30);
    let loop_runs = (runs / 3).max(3);
    println!("| waiting with | runs | median | p90 | max |");
    println!("| --- | --- | --- | --- | --- |");
    for (kind, name, tool) in [
        (Kind::Postgres, "postgres", "pg_isready"),
        (Kind::Redis, "redis", "redis-cli"),
        (Kind::Mysql, "mysql", "mysqladmin"),
    ] {
        let samples = (0..runs)
            .map(|_| once(kind, &mut rng, zinit(kind)))
            .collect();
        row(&format!("`zinit run -e 'wait {name} ...'`"), samples);
        if have(tool) {
            let samples = (0..loop_runs)
                .map(|_| once(kind, &mut rng, shell_loop(kind)))
                .collect();
            row(&format!("`until {tool} ...; do sleep 1; done`"), samples);
        } else {
            println!("| `{tool}` loop | not installed | | | |");
        }
    }
    grpc_rows(&mut rng, runs, loop_runs);
    dns_rows(&mut rng, runs, loop_runs);
    println!(
        "| wait4x | not installable here by package name (Debian, PyPI, npm, crates.io) | | | |"
    );
}

fn grpc_rows(rng: &mut Rng, runs: usize, loop_runs: usize) {
    let Some(python) = grpc::python() else {
        println!("| `wait grpc` | grpcio not installed (run ./test.sh) | | | |");
        return;
    };
    let mut after = || rng.between(Duration::from_millis(100), Duration::from_millis(700));
    let samples = (0..runs)
        .map(|_| grpc::once(&python, after(), grpc::zinit))
        .collect();
    row("`zinit run -e 'wait grpc ...'`", samples);
    let samples = (0..loop_runs)
        .map(|_| grpc::once(&python, after(), grpc::python_loop(python.clone())))
        .collect();
    row(
        "`until python grpc_health_check.py ...; do sleep 1; done`",
        samples,
    );
}

fn dns_rows(rng: &mut Rng, runs: usize, loop_runs: usize) {
    let mut after = || rng.between(Duration::from_millis(100), Duration::from_millis(700));
    let samples = (0..runs).map(|_| dns::once(after(), dns::zinit)).collect();
    row("`zinit run -e 'wait dns ...'`", samples);
    if have("dig") {
        let samples = (0..loop_runs)
            .map(|_| dns::once(after(), dns::dig_loop))
            .collect();
        row("`until dig ... \\| grep -q .; do sleep 1; done`", samples);
    } else {
        println!("| `dig` loop | not installed (Debian bind9-dnsutils) | | | |");
    }
}
