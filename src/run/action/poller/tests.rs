use super::*;
use nix::errno::Errno;
use std::net::TcpListener;
use std::time::Instant;

fn block_on<F: Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(f)
}

/// A loopback port that refuses connections: bound, not listening, so no
/// other test can take it meanwhile. `listen` on it opens it.
fn refusing_port() -> (socket2::Socket, SocketAddr) {
    use socket2::{Domain, Socket, Type};
    let socket = Socket::new(Domain::IPV4, Type::STREAM, None).expect("socket");
    socket
        .bind(&SocketAddr::from(([127, 0, 0, 1], 0)).into())
        .expect("bind");
    let addr = socket
        .local_addr()
        .expect("addr")
        .as_socket()
        .expect("inet");
    (socket, addr)
}

#[test]
fn notices_a_port_that_opens_late_and_remembers_the_refusal() {
    let poller = TcpPoller::default();
    let (socket, addr) = refusing_port();
    let watching = poller
        .watch(Goal::Accepting, Duration::from_millis(2), vec![addr])
        .expect("poller");
    let reached = block_on(async {
        tokio::time::sleep(Duration::from_millis(50)).await;
        let last = watching.last().expect("a check ran");
        assert!(last.contains("connection refused"), "{last}");
        socket.listen(16).expect("listen");
        tokio::time::timeout(Duration::from_secs(10), watching.reached()).await
    });
    assert_eq!(reached.expect("noticed"), addr);
    assert!(poller.started());
}

#[test]
fn a_closed_wait_is_reached_when_every_address_refuses() {
    let poller = TcpPoller::default();
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let (_refusing, closed) = refusing_port();
    let open = listener.local_addr().expect("addr");
    let watching = poller
        .watch(Goal::Refusing, Duration::from_millis(2), vec![open, closed])
        .expect("poller");
    block_on(async {
        let early = tokio::time::timeout(Duration::from_millis(100), watching.reached()).await;
        assert!(early.is_err(), "one address still accepts");
        let last = watching.last().expect("a check ran");
        assert!(last.contains("accepts connections"), "{last}");
        drop(listener);
        tokio::time::timeout(Duration::from_secs(10), watching.reached())
            .await
            .expect("both refuse now");
    });
}

#[test]
fn each_wait_keeps_its_own_cadence() {
    // A `closed` wait on an open port connects once per cadence and is
    // never reached: the listener counts its checks.
    let poller = TcpPoller::default();
    let fast = TcpListener::bind("127.0.0.1:0").expect("bind");
    let slow = TcpListener::bind("127.0.0.1:0").expect("bind");
    let every = |ms| Duration::from_millis(ms);
    let _a = poller.watch(Goal::Refusing, every(5), vec![fast.local_addr().unwrap()]);
    let _b = poller.watch(Goal::Refusing, every(250), vec![slow.local_addr().unwrap()]);
    std::thread::sleep(Duration::from_millis(600));
    let count = |l: &TcpListener| {
        l.set_nonblocking(true).unwrap();
        std::iter::from_fn(|| l.accept().ok()).count()
    };
    let (fast, slow) = (count(&fast), count(&slow));
    // About 120 and 2; generous bounds for a loaded machine.
    assert!(fast >= 20, "5ms cadence checked only {fast} times");
    assert!(
        (1..=4).contains(&slow),
        "250ms cadence checked {slow} times"
    );
}

#[test]
fn a_dropped_wait_is_no_longer_checked() {
    let poller = TcpPoller::default();
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let watching = poller.watch(
        Goal::Refusing,
        Duration::from_millis(2),
        vec![listener.local_addr().unwrap()],
    );
    std::thread::sleep(Duration::from_millis(50));
    drop(watching);
    // Let it notice, then empty the backlog and see that nothing comes.
    std::thread::sleep(Duration::from_millis(50));
    listener.set_nonblocking(true).unwrap();
    while listener.accept().is_ok() {}
    std::thread::sleep(Duration::from_millis(100));
    assert!(listener.accept().is_err(), "still checked after the drop");
}

#[test]
fn no_address_yet_checks_nothing_until_addresses_come() {
    let poller = TcpPoller::default();
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let watching = poller
        .watch(Goal::Refusing, Duration::from_millis(2), Vec::new())
        .expect("poller");
    block_on(async {
        let early = tokio::time::timeout(Duration::from_millis(50), watching.reached()).await;
        assert!(
            early.is_err(),
            "no address is not the same as every address refusing"
        );
        watching.set_addresses(vec![listener.local_addr().unwrap()]);
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert!(watching.last().unwrap().contains("accepts connections"));
    });
}

#[test]
fn a_thousand_waits_on_one_thread_are_all_noticed() {
    let poller = TcpPoller::default();
    let ports: Vec<_> = (0..1000).map(|_| refusing_port()).collect();
    let waits: Vec<_> = ports
        .iter()
        .map(|(_, addr)| {
            poller
                .watch(Goal::Accepting, Duration::from_millis(5), vec![*addr])
                .expect("poller")
        })
        .collect();
    std::thread::sleep(Duration::from_millis(30));
    for (socket, _) in &ports {
        socket.listen(4).expect("listen");
    }
    let started = Instant::now();
    block_on(async {
        for wait in &waits {
            tokio::time::timeout(Duration::from_secs(20), wait.reached())
                .await
                .expect("noticed");
        }
    });
    assert!(started.elapsed() < Duration::from_secs(20));
}

#[test]
fn out_of_descriptors_names_the_limit() {
    let text = describe_errno(Errno::EMFILE as i32);
    assert!(text.contains("RLIMIT_NOFILE"), "{text}");
    assert!(text.contains("hard limit"), "{text}");
}
