//! Where the tests find what `./test.sh` installs from tests/requirements/
//! (Debian programs, the project's Python virtual environment, npm packages),
//! so plain `cargo test` finds them too. A test whose requirement is missing
//! fails with one line naming the command that installs it: never a silent
//! skip, never a pass that tested nothing. Server helpers (s3_server.rs and
//! the ones to come) start their servers from what these functions return.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The command that installs everything the tests need.
pub const INSTALL: &str = "./test.sh";

/// Fails the calling test: `what` is missing, and how to install it.
/// (Here and below `track_caller`: the failure points at the server helper.)
#[track_caller]
pub fn missing(what: &str, install: &str) -> ! {
    panic!("{what} is missing; install it with `{INSTALL}` (or `{install}`)")
}

/// A program on PATH or in one of `dirs` (for servers that Debian keeps off
/// PATH, such as /usr/lib/postgresql/15/bin), from the Debian package
/// `debian_package` (tests/requirements/apt.txt).
#[track_caller]
pub fn program(name: &str, debian_package: &str, dirs: &[&str]) -> PathBuf {
    let Some(path) = find_program(name, dirs) else {
        missing(
            &format!("`{name}` (Debian package {debian_package})"),
            &format!("apt-get install {debian_package}"),
        )
    };
    path
}

fn find_program(name: &str, dirs: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(dirs.iter().map(PathBuf::from))
        .map(|dir| dir.join(name))
        .find(|candidate| is_executable(candidate))
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    path.metadata()
        .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// A Python that can import every one of `modules`: the project's virtual
/// environment's first, then `python3` on PATH (for those who installed the
/// packages themselves). `package` is the PyPI requirement that brings them
/// (tests/requirements/pip.txt).
#[track_caller]
pub fn python_with(modules: &[&str], package: &str) -> PathBuf {
    let venv_python = venv().map(|venv| venv.join("bin/python"));
    let candidates: Vec<PathBuf> = venv_python
        .into_iter()
        .chain(find_program("python3", &[]))
        .filter(|python| is_executable(python))
        .collect();
    if let Some(python) = candidates.iter().find(|p| imports(p, modules)) {
        return python.clone();
    }
    let tried = match candidates.first() {
        Some(python) => format!("not importable by {}", python.display()),
        None => "no python3 found".to_string(),
    };
    missing(
        &format!("PyPI `{package}` ({tried})"),
        &format!("pip install '{package}'"),
    )
}

/// Whether `python` finds all `modules` (found, not imported: fast).
fn imports(python: &Path, modules: &[&str]) -> bool {
    const PROBE: &str = "import importlib.util as u, sys; \
                         sys.exit(any(u.find_spec(m) is None for m in sys.argv[1:]))";
    Command::new(python)
        .args(["-c", PROBE])
        .args(modules)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success())
}

/// The project's virtual environment: `ZINIT_TEST_VENV` (set by
/// `./test.sh`), else `test-venv` in the target folder this test binary was
/// built in.
pub fn venv() -> Option<PathBuf> {
    installed_under("ZINIT_TEST_VENV", "test-venv")
}

/// The `node_modules` folder that holds every package of
/// tests/requirements/npm.txt at its listed version; fails the test naming
/// the first one that is not.
#[track_caller]
pub fn npm_packages() -> PathBuf {
    let list_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/requirements/npm.txt");
    let list = std::fs::read_to_string(&list_path).expect("tests/requirements/npm.txt");
    let folder = installed_under("ZINIT_TEST_NODE", "test-node")
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target/test-node"))
        .join("node_modules");
    require_npm(&folder, &list);
    folder
}

/// Checks each `name@version` line of `list` (`#` comments) against the
/// `package.json` files in `folder`.
#[track_caller]
fn require_npm(folder: &Path, list: &str) {
    let specs = list
        .lines()
        .map(|line| line.split('#').next().unwrap_or_default().trim())
        .filter(|spec| !spec.is_empty());
    for spec in specs {
        // `rsplit`: a scoped name (`@scope/name@1.0.0`) starts with `@` too.
        let (name, version) = spec
            .rsplit_once('@')
            .expect("npm.txt lines are name@version");
        let manifest = folder.join(name).join("package.json");
        let installed = std::fs::read_to_string(&manifest)
            .ok()
            .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
            .and_then(|json| json["version"].as_str().map(str::to_owned));
        if installed.as_deref() != Some(version) {
            let found = match installed {
                Some(other) => format!("{other} installed in {}", folder.display()),
                None => format!("not in {}", folder.display()),
            };
            missing(
                &format!("npm `{spec}` ({found})"),
                &format!("npm install --prefix target/test-node {spec}"),
            );
        }
    }
}

/// `$variable` if set, else the first folder above the test binary
/// (target/debug/deps/it-HASH, whatever the target folder or profile) that
/// has `name` in it.
fn installed_under(variable: &str, name: &str) -> Option<PathBuf> {
    if let Some(path) = std::env::var_os(variable) {
        return Some(PathBuf::from(path));
    }
    let exe = std::env::current_exe().ok()?;
    exe.ancestors()
        .skip(1)
        .take(4)
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_dir())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn panic_message(f: impl FnOnce() + std::panic::UnwindSafe) -> String {
        let payload = std::panic::catch_unwind(f).expect_err("should fail the test");
        payload
            .downcast_ref::<String>()
            .cloned()
            .expect("a formatted panic message")
    }

    #[test]
    fn a_missing_program_fails_in_one_line_naming_the_install_command() {
        let message = panic_message(|| {
            program(
                "zinit-no-such-server",
                "zinit-no-such-package",
                &["/nonexistent"],
            );
        });
        assert_eq!(
            message,
            "`zinit-no-such-server` (Debian package zinit-no-such-package) is missing; \
             install it with `./test.sh` (or `apt-get install zinit-no-such-package`)"
        );
    }

    #[test]
    fn a_program_is_found_on_path_or_in_the_extra_folders() {
        assert!(program("sh", "dash", &[]).ends_with("sh"));
        let dir = tempfile::tempdir().expect("temp dir");
        let server = dir.path().join("zinit-test-server");
        std::fs::write(&server, "#!/bin/sh\n").expect("write script");
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&server, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        let extra = dir.path().to_str().expect("utf-8 temp path");
        assert_eq!(program("zinit-test-server", "x", &[extra]), server);
    }

    #[test]
    fn a_python_module_that_no_python_has_fails_in_one_line() {
        let message = panic_message(|| {
            python_with(&["zinit_no_such_module"], "zinit-no-such-package");
        });
        assert!(
            message.starts_with("PyPI `zinit-no-such-package` (")
                && message.ends_with(
                    "is missing; install it with `./test.sh` \
                     (or `pip install 'zinit-no-such-package'`)"
                )
                && !message.contains('\n'),
            "{message}"
        );
    }

    #[test]
    fn an_npm_package_missing_or_at_another_version_fails_in_one_line() {
        let folder = tempfile::tempdir().expect("temp dir");
        let package = folder.path().join("zinit-test-pkg");
        std::fs::create_dir(&package).expect("package dir");
        std::fs::write(package.join("package.json"), r#"{"version": "1.2.3"}"#)
            .expect("package.json");
        let list = "# comment\nzinit-test-pkg@1.2.3  # the one installed\n";
        require_npm(folder.path(), list);

        let at = folder.path().display();
        let other = panic_message(|| require_npm(folder.path(), "zinit-test-pkg@2.0.0\n"));
        assert_eq!(
            other,
            format!(
                "npm `zinit-test-pkg@2.0.0` (1.2.3 installed in {at}) is missing; \
                 install it with `./test.sh` \
                 (or `npm install --prefix target/test-node zinit-test-pkg@2.0.0`)"
            )
        );
        let absent = panic_message(|| require_npm(folder.path(), "@scope/absent@1.0.0\n"));
        assert!(
            absent.starts_with(&format!(
                "npm `@scope/absent@1.0.0` (not in {at}) is missing;"
            )),
            "{absent}"
        );
    }

    #[test]
    fn a_python_with_the_standard_library_is_found() {
        let python = python_with(&["json"], "json");
        assert!(imports(&python, &["json"]));
        assert!(!imports(&python, &["zinit_no_such_module"]));
    }
}
