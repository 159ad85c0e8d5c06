//! The static binary (`+crt-static` on the GNU target, as `cargo
//! build-static` makes it) in an empty root: a fresh mount and pid
//! namespace (`unshare --mount --pid --fork`) and a `chroot` into a folder
//! holding only the binary and a script — no libc, no loader, no /etc, no
//! /proc, no /dev. `check`, `plan` and a `run` whose waits reach a listener
//! on loopback (the network namespace is shared) must all succeed, the
//! waits naming `localhost`, which resolves without /etc/hosts.
//!
//! The test builds the binary itself (profile `static-test`, in its own
//! target folder so it never waits on the lock of the running `cargo test`).

use crate::support::requirements;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

const TARGET: &str = "x86_64-unknown-linux-gnu";

/// Builds the static binary once per test run; later builds are incremental.
fn static_binary() -> &'static Path {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let target_dir = root.join("target/static-test");
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let started = std::time::Instant::now();
        let out = Command::new(cargo)
            .current_dir(root)
            .args([
                "build",
                "--profile",
                "static-test",
                "--bin",
                "zinit",
                "--target",
                TARGET,
            ])
            .args(["--config", &static_rustflags()])
            .arg("--message-format=json-render-diagnostics")
            .env("CARGO_TARGET_DIR", &target_dir)
            // The flags of the test build itself must not leak into this one.
            .env_remove("RUSTFLAGS")
            .env_remove("CARGO_ENCODED_RUSTFLAGS")
            .output()
            .expect("cargo runs");
        assert!(
            out.status.success(),
            "the static build failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        eprintln!("static build: {:.1}s", started.elapsed().as_secs_f64());
        // The executable cargo reports for this build, not a guessed path.
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
            .filter(|m| m["reason"] == "compiler-artifact" && m["target"]["name"] == "zinit")
            .find_map(|m| m["executable"].as_str().map(PathBuf::from))
            .unwrap_or_else(|| {
                panic!(
                    "cargo named no zinit executable:\n{}\n{}",
                    String::from_utf8_lossy(&out.stdout),
                    String::from_utf8_lossy(&out.stderr)
                )
            })
    })
}

/// The rustflags of `cargo build-static`, from its alias, so the test
/// builds what the alias builds.
fn static_rustflags() -> String {
    let alias = build_static_alias();
    let at = alias
        .iter()
        .position(|a| a == "--config")
        .expect("--config in the alias");
    alias[at + 1].clone()
}

fn build_static_alias() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = std::fs::read_to_string(root.join(".cargo/config.toml")).unwrap();
    let config: toml::Table = toml::from_str(&config).unwrap();
    config["alias"]["build-static"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
}

fn run(program: impl AsRef<std::ffi::OsStr>, args: &[&str]) -> Output {
    Command::new(program)
        .args(args)
        .output()
        .expect("program runs")
}

fn text(out: &Output) -> String {
    format!(
        "status {:?}\nstdout:\n{}\nstderr:\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn the_static_binary_needs_no_loader_and_no_shared_library() {
    let binary = static_binary();
    let readelf = requirements::program("readelf", "binutils", &[]);
    let headers = run(
        &readelf,
        &["--program-headers", "--dynamic", binary.to_str().unwrap()],
    );
    assert!(headers.status.success(), "{}", text(&headers));
    let headers = String::from_utf8_lossy(&headers.stdout);
    assert!(!headers.contains("INTERP"), "asks for a loader:\n{headers}");
    assert!(
        !headers.contains("(NEEDED)"),
        "needs shared libraries:\n{headers}"
    );
}

#[test]
fn check_plan_and_run_succeed_in_an_empty_root() {
    let binary = static_binary();
    let root = tempfile::tempdir().unwrap();
    std::fs::copy(binary, root.path().join("zinit")).unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    // localhost resolves with no /etc/hosts, through zinit's own resolver.
    let script = format!(
        "wait tcp localhost:{port} timeout 20s\n\
         wait tcp 127.0.0.1:{port} timeout 20s every 50ms\n\
         sleep 10ms\n"
    );
    std::fs::write(root.path().join("init.zinit"), script).unwrap();
    let mut entries: Vec<_> = std::fs::read_dir(root.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    entries.sort();
    assert_eq!(
        entries,
        ["init.zinit", "zinit"],
        "the root holds only these"
    );

    let unshare = requirements::program("unshare", "util-linux", &[]);
    let chroot = requirements::program("chroot", "coreutils", &["/usr/sbin"]);
    let inside = |args: &[&str]| {
        let mut command = Command::new(&unshare);
        command
            .args(["--mount", "--pid", "--fork"])
            .arg(&chroot)
            .arg(root.path())
            .arg("/zinit")
            .args(args)
            .env_clear();
        command.output().expect("unshare runs")
    };

    let out = inside(&["check", "/init.zinit"]);
    assert!(out.status.success(), "check: {}", text(&out));

    let out = inside(&["plan", "/init.zinit"]);
    assert!(out.status.success(), "plan: {}", text(&out));
    let plan = String::from_utf8_lossy(&out.stdout);
    assert!(plan.contains(&format!("localhost:{port}")), "{plan}");

    let out = inside(&["run", "--format", "json", "/init.zinit"]);
    assert!(out.status.success(), "run: {}", text(&out));
    let events = crate::support::cli::json_events(&out.stdout);
    let passed = events
        .iter()
        .filter(|e| e["event"] == "step_ended" && e["outcome"] == "ok")
        .count();
    assert_eq!(passed, 3, "{}", text(&out));
    drop(listener);
}

/// The static binary has the default features, so it shows what a default
/// build does with a MySQL login (the `mysql` feature is not a default, to
/// keep the binary under 8 MB): it fails the step at once and says how to
/// get a build that can, instead of waiting out the timeout.
#[test]
fn a_default_build_refuses_a_mysql_login_at_once_and_names_the_feature() {
    let binary = static_binary();
    let started = std::time::Instant::now();
    let out = run(
        binary.to_str().unwrap(),
        &[
            "run",
            "--format",
            "plain",
            "-e",
            "wait mysql mysql://app:secret@127.0.0.1:9/shop timeout 60s",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        started.elapsed() < std::time::Duration::from_secs(30),
        "waited instead of failing: {}",
        text(&out)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("built without the `mysql` feature")
            && stderr.contains("`--features mysql`"),
        "{stderr}"
    );
}

/// No docker daemon here, so the Dockerfiles are not built; their parts
/// that must agree with the repository are checked instead.
#[test]
fn the_dockerfiles_copy_what_the_static_build_makes() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let read = |p: &str| std::fs::read_to_string(root.join(p)).expect(p);
    let alias: toml::Table = toml::from_str(&read(".cargo/config.toml")).unwrap();
    let alias = alias["alias"]["build-static"].as_array().unwrap();
    let alias: Vec<&str> = alias.iter().map(|v| v.as_str().unwrap()).collect();
    assert!(
        alias.windows(2).any(|w| w == ["--target", TARGET]),
        "{alias:?}"
    );
    assert!(alias.iter().any(|a| a.contains("+crt-static")), "{alias:?}");
    assert!(
        alias.windows(2).any(|w| w == ["--profile", "image"]),
        "{alias:?}"
    );

    let scratch = read("docker/Dockerfile.scratch");
    assert!(scratch.contains("RUN cargo build-static"));
    assert!(scratch.contains(&format!("cp target/{TARGET}/image/zinit /zinit")));
    assert!(scratch.contains("FROM scratch\nCOPY --from=build /zinit /zinit\n"));

    let app = read("docker/Dockerfile.app");
    assert!(app.contains("COPY --from=zinit /zinit /usr/local/bin/zinit"));
    let (source, dest) = app
        .lines()
        .find_map(|l| l.strip_prefix("COPY ").filter(|l| !l.starts_with("--")))
        .and_then(|l| l.split_once(' '))
        .expect("the script's COPY");
    let entrypoint = app
        .lines()
        .find_map(|l| l.strip_prefix("ENTRYPOINT "))
        .expect("ENTRYPOINT");
    let entrypoint: Vec<String> = serde_json::from_str(entrypoint).unwrap();
    assert_eq!(entrypoint, ["/usr/local/bin/zinit", "run", dest, "--"]);
    // The Images page shows the script as it is.
    let script = read(source);
    assert!(read("book/src/images.md").contains(&format!("```zinit\n{script}```")));
    let out = crate::support::cli::Zinit::new()
        .args(["check", root.join(source).to_str().unwrap()])
        .output();
    assert!(
        out.status.success(),
        "{}",
        crate::support::cli::stderr(&out)
    );
}
