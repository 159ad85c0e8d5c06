//! `wait file` on a hung mount, through the real binary: a FUSE file
//! system that never answers (mounted on `/dev/fuse`, whose requests
//! nobody reads) stands for a network mount whose server is gone. A look
//! at it blocks in the kernel; zinit must time the step out, say why, stay
//! responsive to signals and run the steps beside it meanwhile.

use crate::support::cli::*;
use nix::libc;
use std::ffi::CString;
use std::os::fd::{AsRawFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

/// A mounted FUSE file system whose daemon never answers. Dropping it
/// detaches the mount and closes the connection, which ends the kernel's
/// waits with ENOTCONN, so nothing stays stuck after the test.
struct HungMount {
    dir: tempfile::TempDir,
    _connection: OwnedFd,
}

impl HungMount {
    /// `None` where FUSE cannot be mounted (no `/dev/fuse`, no privilege).
    fn new() -> Option<HungMount> {
        let dir = tempfile::tempdir().unwrap();
        let connection: OwnedFd = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open("/dev/fuse")
            .ok()?
            .into();
        let target = CString::new(dir.path().as_os_str().as_bytes()).unwrap();
        let options = CString::new(format!(
            "fd={},rootmode=40000,user_id=0,group_id=0",
            connection.as_raw_fd()
        ))
        .unwrap();
        // SAFETY: every pointer is a NUL-terminated string that outlives the call.
        let mounted = unsafe {
            libc::mount(
                c"zinit-hung-test".as_ptr(),
                target.as_ptr(),
                c"fuse".as_ptr(),
                0,
                options.as_ptr().cast(),
            )
        } == 0;
        mounted.then_some(HungMount {
            dir,
            _connection: connection,
        })
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
}

impl Drop for HungMount {
    fn drop(&mut self) {
        let target = CString::new(self.dir.path().as_os_str().as_bytes()).unwrap();
        // SAFETY: a NUL-terminated path; MNT_DETACH never blocks on the daemon.
        unsafe { libc::umount2(target.as_ptr(), libc::MNT_DETACH) };
    }
}

fn mount_or_say_why() -> Option<HungMount> {
    let mount = HungMount::new();
    if mount.is_none() {
        eprintln!("no FUSE mount here (/dev/fuse or the privilege to mount is missing)");
    }
    mount
}

fn quoted(path: &Path) -> String {
    format!("\"{}\"", path.display())
}

#[test]
fn a_hung_mount_times_the_wait_out_and_says_the_file_system_is_silent() {
    let Some(mount) = mount_or_say_why() else {
        return;
    };
    let ready = quoted(&mount.path("ready"));
    // The beat ends while the look at the mount is stuck: the engine is free.
    let script = format!(
        "parallel {{\n    wait file {ready} timeout 1s as hung\n    sleep 100ms as beat\n}}"
    );
    let started = Instant::now();
    let out = Zinit::new()
        .args(["run", "--format", "json", "-e", &script])
        .output();
    let took = started.elapsed();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(took < Duration::from_secs(10), "zinit took {took:?}");
    let events = json_events(&out.stdout);
    let (hung, beat) = (ended(&events, "hung"), ended(&events, "beat"));
    assert_eq!(beat["outcome"], "ok", "{beat}");
    assert!(
        beat["t_ms"].as_f64() < hung["t_ms"].as_f64(),
        "the beat waited for the hung look: {beat} {hung}"
    );
    let reason = hung["reason"].as_str().unwrap_or_default();
    assert!(
        reason.contains("timed out after 1s")
            && reason.contains("no answer from the file system for")
            && reason.contains("(a hung mount?)"),
        "{reason}"
    );
}

/// More hung looks than the run makes at once: each gives up its place,
/// so a wait elsewhere still gets its look.
#[test]
fn hung_looks_do_not_hold_up_the_looks_of_other_waits() {
    let Some(mount) = mount_or_say_why() else {
        return;
    };
    let local = tempfile::tempdir().unwrap();
    let present = local.path().join("present");
    std::fs::write(&present, "x").unwrap();
    let mut script = String::from("parallel {\n");
    for i in 0..8 {
        let path = quoted(&mount.path(&format!("ready-{i}")));
        script.push_str(&format!("    wait file {path} timeout 3s on-fail warn\n"));
    }
    // Without its look it would time out: the hung looks never end.
    script.push_str(&format!(
        "    wait file {} timeout 6s as here\n}}",
        quoted(&present)
    ));
    let out = Zinit::new()
        .args(["run", "--format", "json", "-e", &script])
        .output();
    let here = ended(&json_events(&out.stdout), "here");
    assert_eq!(here["outcome"], "ok", "{here}");
}

fn ended(events: &[serde_json::Value], id: &str) -> serde_json::Value {
    step_ended(events, id)
        .unwrap_or_else(|| panic!("no step_ended for {id}: {events:?}"))
        .clone()
}

#[test]
fn a_wait_stuck_on_a_hung_mount_still_ends_at_sigterm() {
    let Some(mount) = mount_or_say_why() else {
        return;
    };
    for gone in ["", " gone"] {
        let script = format!(
            "wait file {}{gone} timeout 60s",
            quoted(&mount.path("ready"))
        );
        let mut child = zinit()
            .args(["run", "--format", "plain", "-e", &script])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn zinit");
        std::thread::sleep(Duration::from_millis(500));
        let pid = nix::unistd::Pid::from_raw(child.id() as i32);
        nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGTERM).unwrap();
        let code = wait_exit(&mut child, Duration::from_secs(5));
        assert_eq!(code, Some(143), "wait file{gone}: not ended by SIGTERM");
    }
}
