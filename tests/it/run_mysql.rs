//! `wait mysql` run by the real binary against a real MariaDB on 127.0.0.1
//! (tests/it/support/servers/mariadb.rs): not ready before it listens,
//! the server's own words when it refuses a login, ready after. Logins
//! need the `mysql` feature (not a default; `./test.sh` turns it on); a
//! default build refusing them is tested on the static binary
//! (tests/it/static_binary.rs).

use crate::support::cli::{run_script, stderr};
use crate::support::servers::mariadb::Mariadb;
use std::process::Output;

fn run(script: &str) -> Output {
    run_script(script, &[])
}

#[test]
fn mysql_not_listening_names_the_refusal() {
    let db = Mariadb::new();
    let out = run(&format!("wait mysql 127.0.0.1:{} timeout 200ms", db.port));
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(&format!(
            "(last: 127.0.0.1:{}: connection refused)",
            db.port
        )),
        "{}",
        stderr(&out)
    );
}

/// What needs a login (the `mysql` feature).
#[cfg(feature = "mysql")]
mod logins {
    use super::*;
    use crate::support::cli::{spawn_script as spawn_wait, wait_exit};
    use std::time::{Duration, Instant};

    fn login_url(db: &Mariadb, password: &str) -> String {
        format!("mysql://{}:{password}@127.0.0.1:{}", Mariadb::USER, db.port)
    }

    #[test]
    fn mysql_is_not_ready_until_the_server_is_up() {
        let mut db = Mariadb::new();
        let mut greeting = spawn_wait(&format!("wait mysql 127.0.0.1:{} timeout 60s", db.port));
        let mut login = spawn_wait(&format!(
            "wait mysql {} timeout 60s",
            login_url(&db, Mariadb::PASSWORD)
        ));
        std::thread::sleep(Duration::from_millis(300));
        assert_eq!(greeting.try_wait().unwrap(), None, "no server yet");
        assert_eq!(login.try_wait().unwrap(), None, "no server yet");
        db.start(&[]);
        assert_eq!(
            wait_exit(&mut greeting, Duration::from_secs(60)),
            Some(0),
            "{}",
            db.log()
        );
        assert_eq!(
            wait_exit(&mut login, Duration::from_secs(60)),
            Some(0),
            "{}",
            db.log()
        );
    }

    #[test]
    fn mysql_login_fails_with_the_servers_message_and_passes_with_the_password() {
        let mut db = Mariadb::new();
        db.start(&[]);
        db.until_ready();
        let wrong = run(&format!(
            "wait mysql {} timeout 1s",
            login_url(&db, "wrong-pw")
        ));
        assert_eq!(wrong.status.code(), Some(1), "{}", stderr(&wrong));
        let text = stderr(&wrong);
        assert!(
            text.contains("(last: ERROR 1045: Access denied for user 'app'@"),
            "{text}"
        );
        assert!(
            !text.contains("wrong-pw"),
            "the password is never shown: {text}"
        );
        let right = run(&format!(
            "wait mysql {} timeout 20s",
            login_url(&db, Mariadb::PASSWORD)
        ));
        assert!(right.status.success(), "{}", stderr(&right));
        let greeting = run(&format!("wait mysql 127.0.0.1:{} timeout 20s", db.port));
        assert!(greeting.status.success(), "{}", stderr(&greeting));
    }

    /// MariaDB's smallest `max_connections`.
    const MAX_CONNECTIONS: usize = 10;

    #[test]
    fn mysql_with_no_free_connection_is_not_ready_until_one_frees() {
        let mut db = Mariadb::new();
        db.start(&[&format!("--max-connections={MAX_CONNECTIONS}")]);
        db.until_ready();
        let mut holders = db.fill(MAX_CONNECTIONS);
        let url = login_url(&db, Mariadb::PASSWORD);
        let out = run(&format!("wait mysql {url} timeout 1s"));
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        assert!(
            stderr(&out).contains("(last: ERROR 1040: Too many connections)"),
            "{}",
            stderr(&out)
        );
        // MariaDB greets before it counts the connection (MySQL sends the
        // error in the greeting's place): without a user the server is up.
        let greeting = run(&format!("wait mysql 127.0.0.1:{} timeout 5s", db.port));
        assert!(greeting.status.success(), "{}", stderr(&greeting));
        let mut waiting = spawn_wait(&format!("wait mysql {url} timeout 60s"));
        std::thread::sleep(Duration::from_millis(200));
        assert_eq!(waiting.try_wait().unwrap(), None, "no connection free yet");
        let mut freed = holders.pop().expect("a holder");
        let _ = freed.kill();
        let _ = freed.wait();
        let code = wait_exit(&mut waiting, Duration::from_secs(60));
        for mut holder in holders {
            let _ = holder.kill();
            let _ = holder.wait();
        }
        assert_eq!(code, Some(0), "{}", db.log());
    }

    #[test]
    fn mysql_checks_leave_no_session_behind() {
        let mut db = Mariadb::new();
        db.start(&[]);
        db.until_ready();
        let before = db.sessions();
        for target in [
            format!("127.0.0.1:{}", db.port),
            login_url(&db, Mariadb::PASSWORD),
        ] {
            let out = run(&format!("wait mysql {target} timeout 20s"));
            assert!(out.status.success(), "{}", stderr(&out));
        }
        // The server notices a closed connection at once, but give it a moment on a loaded machine.
        let end = Instant::now() + Duration::from_secs(10);
        while db.sessions() > before {
            assert!(Instant::now() < end, "a wait left a session open");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}
