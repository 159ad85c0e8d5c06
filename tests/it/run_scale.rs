//! Waiting at scale (issue #11), through the real binary: many waits share
//! one poller thread, and descriptors running out is said in words.

use crate::support::cli::zinit;
use socket2::{Domain, Socket, Type};
use std::net::SocketAddr;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

/// A loopback port that refuses connections until `listen` is called on
/// it (bound meanwhile, so nothing else can take it).
fn refusing_port() -> (Socket, u16) {
    let socket = Socket::new(Domain::IPV4, Type::STREAM, None).expect("socket");
    socket
        .bind(&SocketAddr::from(([127, 0, 0, 1], 0)).into())
        .expect("bind");
    let port = socket.local_addr().unwrap().as_socket().unwrap().port();
    (socket, port)
}

fn threads_of(child: &Child) -> usize {
    std::fs::read_dir(format!("/proc/{}/task", child.id()))
        .map(|d| d.count())
        .unwrap_or(0)
}

/// Waits for the child to end within `limit`, killing it otherwise.
fn wait_bounded(child: &mut Child, limit: Duration) -> std::process::ExitStatus {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("try_wait") {
            return status;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("zinit did not end within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_thousand_concurrent_waits_succeed_on_a_bounded_number_of_threads() {
    const WAITS: usize = 1000;
    let ports: Vec<_> = (0..WAITS).map(|_| refusing_port()).collect();
    let mut script = String::from("parallel timeout 60s {\n");
    for (_, port) in &ports {
        script.push_str(&format!("    wait tcp 127.0.0.1:{port}\n"));
    }
    script.push_str("}\n");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("many.zinit");
    std::fs::write(&file, script).unwrap();
    let mut child = zinit()
        .args(["run", "--format", "plain"])
        .arg(&file)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("zinit run");
    // Watch the threads while every wait is registered and refused.
    let mut most = 0;
    let watching = Instant::now();
    while watching.elapsed() < Duration::from_millis(1500) {
        most = most.max(threads_of(&child));
        std::thread::sleep(Duration::from_millis(10));
    }
    for (socket, _) in &ports {
        socket.listen(8).expect("listen");
    }
    let status = wait_bounded(&mut child, Duration::from_secs(60));
    let mut stderr = String::new();
    use std::io::Read;
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert!(status.success(), "{status}: {stderr}");
    assert!(
        (1..=4).contains(&most),
        "{most} threads for {WAITS} waits (at most 4 wanted)"
    );
}

#[test]
fn a_wait_without_descriptors_left_says_so_and_names_the_limit() {
    let (_socket, port) = refusing_port();
    // Few enough descriptors that a connect cannot get a socket once the
    // runtime has its own.
    let mut out = None;
    for limit in [10u64, 12, 14, 16] {
        let mut cmd = zinit();
        cmd.args([
            "run",
            "--format",
            "plain",
            "-e",
            &format!("wait tcp 127.0.0.1:{port} timeout 300ms"),
        ]);
        unsafe {
            use std::os::unix::process::CommandExt;
            cmd.pre_exec(move || {
                use nix::sys::resource::{Resource, setrlimit};
                setrlimit(Resource::RLIMIT_NOFILE, limit, limit).map_err(std::io::Error::from)
            });
        }
        let output = cmd.output().expect("zinit run");
        let text = String::from_utf8_lossy(&output.stderr).into_owned()
            + &String::from_utf8_lossy(&output.stdout);
        if text.contains("RLIMIT_NOFILE") {
            out = Some(text);
            break;
        }
    }
    let text = out.expect("no run reached the limit in a wait");
    assert!(text.contains("out of file descriptors"), "{text}");
    assert!(!text.contains("panicked"), "{text}");
}
