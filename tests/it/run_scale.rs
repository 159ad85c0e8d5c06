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

/// A listener whose accept queue is full: the kernel drops further SYNs, so
/// a connect to it stays pending (and holds its socket) until given up.
fn silent_port() -> (Socket, std::net::TcpStream, u16) {
    let (socket, port) = refusing_port();
    socket.listen(0).expect("listen");
    let filler = std::net::TcpStream::connect(("127.0.0.1", port)).expect("fill the queue");
    (socket, filler, port)
}

/// `zinit run SCRIPT` with the open-files limit (soft and hard) at `limit`;
/// stderr and stdout together.
fn run_with_files_limit(script: &str, limit: u64) -> String {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("limited.zinit");
    std::fs::write(&file, script).unwrap();
    let mut cmd = zinit();
    cmd.args(["run", "--format", "plain"]).arg(&file);
    // SAFETY: setrlimit is async-signal-safe and nothing allocates.
    unsafe {
        use std::os::unix::process::CommandExt;
        cmd.pre_exec(move || {
            use nix::sys::resource::{Resource, setrlimit};
            setrlimit(Resource::RLIMIT_NOFILE, limit, limit).map_err(std::io::Error::from)
        });
    }
    let output = cmd.output().expect("zinit run");
    String::from_utf8_lossy(&output.stderr).into_owned() + &String::from_utf8_lossy(&output.stdout)
}

#[test]
fn too_few_descriptors_to_start_is_said_in_words_at_every_limit() {
    let (_socket, port) = refusing_port();
    let script = format!("wait tcp 127.0.0.1:{port} timeout 100ms\n");
    // From far too few up to enough, whatever the harness left open: each
    // run either starts and checks, or says why not; none panics.
    let mut refused_to_start = 0;
    for limit in 4..=40u64 {
        let text = run_with_files_limit(&script, limit);
        assert!(!text.contains("panicked"), "limit {limit}: {text}");
        if text.contains("cannot start") {
            assert!(
                text.contains("out of file descriptors") && text.contains("RLIMIT_NOFILE"),
                "limit {limit}: {text}"
            );
            refused_to_start += 1;
        } else {
            assert!(text.contains("connection refused"), "limit {limit}: {text}");
        }
    }
    assert!(
        refused_to_start > 0,
        "every limit from 4 was enough to start"
    );
}

#[test]
fn waits_beyond_the_descriptor_limit_say_so_and_name_it() {
    // More connects pending at once than descriptors allowed.
    let ports: Vec<_> = (0..100).map(|_| silent_port()).collect();
    let mut script = String::from("parallel {\n");
    for (_, _, port) in &ports {
        script.push_str(&format!("    wait tcp 127.0.0.1:{port} timeout 1s\n"));
    }
    script.push_str("}\n");
    let text = run_with_files_limit(&script, 64);
    assert!(!text.contains("panicked"), "{text}");
    let told: Vec<_> = text
        .lines()
        .filter(|l| l.contains("out of file descriptors"))
        .collect();
    assert_eq!(told.len(), 1, "said once: {text}");
    assert!(
        told[0].contains("RLIMIT_NOFILE) is 64 (hard limit 64)"),
        "{}",
        told[0]
    );
}
