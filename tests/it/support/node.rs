//! Runs the node scripts of `tests/it/node/` with the npm packages that
//! `tests/requirements/npm.txt` lists, installed under `target/npm`. A
//! missing package fails the test with the one command that installs them:
//! a grammar test that is skipped proves nothing.

use std::path::{Path, PathBuf};
use std::process::Command;

pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

pub const INSTALL: &str =
    "npm install --no-save --prefix target/npm $(cat tests/requirements/npm.txt)";

fn node_modules() -> PathBuf {
    root().join("target/npm/node_modules")
}

/// Panics with one line naming the install command unless every package of
/// tests/requirements/npm.txt is installed at its listed version.
fn require_packages() {
    let list = std::fs::read_to_string(root().join("tests/requirements/npm.txt"))
        .expect("tests/requirements/npm.txt");
    for line in list.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let (name, version) = line.rsplit_once('@').expect("package@version");
        let manifest = node_modules().join(name).join("package.json");
        let installed = std::fs::read_to_string(&manifest)
            .ok()
            .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
            .and_then(|json| json["version"].as_str().map(str::to_owned));
        assert!(
            installed.as_deref() == Some(version),
            "npm package {line} is not installed (found {installed:?}); run: {INSTALL}"
        );
    }
}

/// Runs `node tests/it/node/SCRIPT ARGS...` and returns its standard output.
pub fn run_script(script: &str, args: &[&Path]) -> String {
    require_packages();
    let output = Command::new("node")
        .arg(root().join("tests/it/node").join(script))
        .args(args)
        .env("NODE_PATH", node_modules())
        .output()
        .unwrap_or_else(|e| panic!("node is not runnable ({e}); install Node.js, then: {INSTALL}"));
    assert!(
        output.status.success(),
        "node {script} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8 output")
}
