//! Runs the node scripts of `tests/it/node/` with the npm packages that
//! `tests/requirements/npm.txt` lists, which `./test.sh` installs
//! (support::requirements finds them). A missing package fails the test
//! with the one command that installs them: a grammar test that is skipped
//! proves nothing.

use std::path::Path;
use std::process::Command;

use super::requirements::{npm_packages, program};

pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `node tests/it/node/SCRIPT ARGS...` and returns its standard output.
pub fn run_script(script: &str, args: &[&Path]) -> String {
    let node_modules = npm_packages();
    let output = Command::new(program("node", "nodejs", &[]))
        .arg(root().join("tests/it/node").join(script))
        .args(args)
        .env("NODE_PATH", node_modules)
        .output()
        .unwrap_or_else(|e| panic!("cannot run node: {e}"));
    assert!(
        output.status.success(),
        "node {script} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8 output")
}
