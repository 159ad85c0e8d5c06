//! Running the real `zinit` binary from tests.

use serde_json::Value;
use std::path::Path;
use std::process::{Child, Command, Output};
use std::time::{Duration, Instant};

pub fn zinit() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_zinit"));
    cmd.env("ZINIT_KILL_GRACE_MS", "300").env_remove("NO_COLOR");
    cmd
}

pub fn run_script(script: &str, extra: &[&str]) -> Output {
    zinit()
        .args(["run", "--format", "plain", "-e", script])
        .args(extra)
        .output()
        .unwrap()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

pub fn json_events(stdout: &[u8]) -> Vec<Value> {
    String::from_utf8_lossy(stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

/// Waits (bounded) for the child to exit; kills it if it does not.
pub fn wait_exit(child: &mut Child, limit: Duration) -> Option<i32> {
    let end = Instant::now() + limit;
    while Instant::now() < end {
        if let Some(status) = child.try_wait().unwrap() {
            return status.code();
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let _ = child.kill();
    let _ = child.wait();
    None
}

pub fn wait_for_file(path: &Path) {
    let end = Instant::now() + Duration::from_secs(5);
    while !path.exists() && Instant::now() < end {
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(path.exists(), "{} never appeared", path.display());
}
