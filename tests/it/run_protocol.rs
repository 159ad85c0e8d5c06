//! `wait postgres`, `wait redis` and `wait exec` run by the real binary
//! against real servers on 127.0.0.1 (tests/it/support/servers.rs).

use crate::support::cli::{run_script, stderr, wait_exit, zinit};
use crate::support::free_port;
use crate::support::servers::{Postgres, Redis};
use std::process::{Output, Stdio};
use std::time::Duration;

fn run(script: &str) -> Output {
    run_script(script, &[])
}

#[test]
fn postgres_in_recovery_is_not_ready_until_promoted() {
    let pg = Postgres::init();
    pg.start(true);
    // The port accepts, but the server answers 57P03: a tcp wait passes, this one does not.
    let tcp = run(&format!("wait tcp 127.0.0.1:{} timeout 20s", pg.port));
    assert!(tcp.status.success(), "{}", stderr(&tcp));
    let out = run(&format!("wait postgres 127.0.0.1:{} timeout 3s", pg.port));
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        // "... is starting up" until recovery reaches a consistent state,
        // "... is not accepting connections" after: both SQLSTATE 57P03.
        stderr(&out).contains("timed out after 3s (last: the database system is "),
        "{}",
        stderr(&out)
    );
    let mut waiting = zinit()
        .args(["run", "--format", "plain", "-e"])
        .arg(format!("wait postgres 127.0.0.1:{} timeout 30s", pg.port))
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(
        waiting.try_wait().unwrap(),
        None,
        "still waiting while in recovery"
    );
    pg.promote();
    assert_eq!(wait_exit(&mut waiting, Duration::from_secs(30)), Some(0));
}

#[test]
fn postgres_login_fails_with_the_servers_message_and_passes_with_the_password() {
    let pg = Postgres::init();
    pg.start(false);
    let wrong = run(&format!(
        "wait postgres postgres://postgres:wrong@127.0.0.1:{}/postgres timeout 2s",
        pg.port
    ));
    assert_eq!(wrong.status.code(), Some(1), "{}", stderr(&wrong));
    let text = stderr(&wrong);
    assert!(
        text.contains(r#"password authentication failed for user "postgres""#),
        "{text}"
    );
    assert!(
        !text.contains("wrong"),
        "the password is never shown: {text}"
    );
    let right = run(&format!(
        "wait postgres postgres://postgres:{}@127.0.0.1:{}/postgres timeout 20s",
        pg.password, pg.port
    ));
    assert!(right.status.success(), "{}", stderr(&right));
    // Without credentials an authentication request means ready.
    let probe = run(&format!("wait postgres 127.0.0.1:{} timeout 20s", pg.port));
    assert!(probe.status.success(), "{}", stderr(&probe));
}

#[test]
fn postgres_not_listening_names_the_refusal() {
    let out = run(&format!(
        "wait postgres 127.0.0.1:{} timeout 3s",
        free_port()
    ));
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("connection refused"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn redis_loading_is_not_ready_and_pong_is() {
    let mut redis = Redis::new();
    redis.write_dataset(3000);
    // 3000 keys at 1ms each: about 3s of -LOADING.
    redis.start(&[
        "--key-load-delay",
        "1000",
        "--loading-process-events-interval-bytes",
        "1024",
    ]);
    let script = format!("wait redis 127.0.0.1:{} timeout 1s", redis.port);
    let mut saw_loading = false;
    for _ in 0..20 {
        let out = run(&script);
        if out.status.success() {
            break;
        }
        let text = stderr(&out);
        if text.contains("(last: LOADING Redis is loading the dataset in memory)") {
            saw_loading = true;
            break;
        }
        // Connection refused: the server has not opened its port yet.
        assert!(text.contains("connection refused"), "{text}");
    }
    assert!(saw_loading, "a loading server is not ready");
    let out = run(&format!("wait redis 127.0.0.1:{} timeout 30s", redis.port));
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        redis.cli(&["dbsize"]),
        "3000",
        "it waited until the data was loaded"
    );
}

#[test]
fn redis_with_a_password_authenticates_first() {
    let mut redis = Redis::new();
    redis.start(&["--requirepass", "s3cret"]);
    let noauth = run(&format!("wait redis 127.0.0.1:{} timeout 1s", redis.port));
    assert_eq!(noauth.status.code(), Some(1));
    assert!(
        stderr(&noauth).contains("(last: NOAUTH Authentication required.)"),
        "{}",
        stderr(&noauth)
    );
    let wrong = run(&format!(
        "wait redis redis://:nope@127.0.0.1:{} timeout 1s",
        redis.port
    ));
    assert_eq!(wrong.status.code(), Some(1));
    assert!(stderr(&wrong).contains("WRONGPASS"), "{}", stderr(&wrong));
    let right = run(&format!(
        "wait redis redis://:s3cret@127.0.0.1:{}/0 timeout 20s",
        redis.port
    ));
    assert!(right.status.success(), "{}", stderr(&right));
}

#[test]
fn exec_reruns_until_success_with_env_and_cwd() {
    let dir = tempfile::tempdir().unwrap();
    // Succeeds on the third run: each run appends a line to a file in cwd.
    let script = format!(
        r#"wait exec "echo x >> runs; [ $(wc -l < runs) -ge $NEED ]" env NEED=3 cwd {} every 50ms timeout 20s"#,
        dir.path().display()
    );
    let out = run(&script);
    assert!(out.status.success(), "{}", stderr(&out));
    let runs = std::fs::read_to_string(dir.path().join("runs")).unwrap();
    assert_eq!(runs.lines().count(), 3);
}

#[test]
fn exec_times_out_naming_the_last_failure_and_leaves_nothing_running() {
    let dir = tempfile::tempdir().unwrap();
    let pids = dir.path().join("pids");
    // Each run leaves a sleeper in its process group and fails.
    let script = format!(
        r#"wait exec "sleep 60 & echo $! >> {}; echo not yet; exit 3" every 100ms timeout 3s"#,
        pids.display()
    );
    let out = run(&script);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stderr(&out);
    assert!(text.contains("timed out after 3s"), "{text}");
    assert!(
        text.contains("not yet"),
        "the last run's output is named: {text}"
    );
    let pids: Vec<i32> = std::fs::read_to_string(&pids)
        .unwrap()
        .lines()
        .filter_map(|l| l.trim().parse().ok())
        .collect();
    assert!(pids.len() >= 2, "re-run until the timeout: {pids:?}");
    for pid in pids {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        assert!(
            stat.is_empty() || stat.contains(") Z "),
            "sleeper {pid} left running"
        );
    }
}

#[test]
fn an_exec_run_that_hangs_is_bounded_by_the_time_left() {
    let started = std::time::Instant::now();
    let out = run("wait exec 'sleep 60' timeout 300ms");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("timed out after 300ms"),
        "{}",
        stderr(&out)
    );
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
}
