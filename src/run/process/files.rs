//! The open-files limit: lifted for zinit, given back to children, and
//! said in words when it runs out.

use nix::sys::resource::{Resource, getrlimit, setrlimit};
use std::os::fd::{AsFd, OwnedFd};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// Descriptors zinit itself needs before its first wait: the event loop,
/// its waker, the signal pipe, the timers and the poller, with room to
/// spare. Below this the runtime or the signal setup would fail half-way
/// (tokio's signal driver panics), so zinit refuses to start instead.
pub const OWN_DESCRIPTORS: usize = 16;

/// The soft open-files limit before [`raise_open_file_limit`] (0: unchanged).
static ORIGINAL_FILES_LIMIT: AtomicU64 = AtomicU64::new(0);

/// A thousand parallel waits need a thousand sockets: lift zinit's soft
/// limit on open files to the hard one. Children get the original back, as
/// some programs walk every possible descriptor at start.
pub fn raise_open_file_limit() {
    if let Ok((soft, hard)) = getrlimit(Resource::RLIMIT_NOFILE) {
        if soft < hard && setrlimit(Resource::RLIMIT_NOFILE, hard, hard).is_ok() {
            ORIGINAL_FILES_LIMIT.store(soft, Ordering::Relaxed);
        }
    }
}

/// The soft limit children get back (0: zinit did not change it).
pub fn original_limit() -> u64 {
    ORIGINAL_FILES_LIMIT.load(Ordering::Relaxed)
}

/// `Err` with the reason in words when fewer than [`OWN_DESCRIPTORS`]
/// descriptors are free. Found by taking them (duplicates of a standard
/// stream, closed again at once), which is exact whatever the numbering.
pub fn ensure_own_descriptors() -> Result<(), String> {
    let mut taken: Vec<OwnedFd> = Vec::with_capacity(OWN_DESCRIPTORS);
    while taken.len() < OWN_DESCRIPTORS {
        let copy = match taken.first() {
            Some(fd) => fd.try_clone(),
            None => copy_of_a_standard_stream(),
        };
        match copy {
            Ok(fd) => taken.push(fd),
            Err(e) if is_out_of_files(&e) => return Err(out_of_files()),
            // Every standard stream closed: nothing to measure with.
            Err(_) => break,
        }
    }
    Ok(())
}

fn copy_of_a_standard_stream() -> std::io::Result<OwnedFd> {
    std::io::stderr()
        .as_fd()
        .try_clone_to_owned()
        .or_else(|_| std::io::stdout().as_fd().try_clone_to_owned())
        .or_else(|_| std::io::stdin().as_fd().try_clone_to_owned())
}

/// EMFILE (this process's limit) or ENFILE (the system's).
pub fn is_out_of_files(e: &std::io::Error) -> bool {
    e.raw_os_error().is_some_and(errno_is_out_of_files)
}

/// [`is_out_of_files`] for a raw errno (the poller keeps those).
pub fn errno_is_out_of_files(errno: i32) -> bool {
    use nix::errno::Errno;
    matches!(Errno::from_raw(errno), Errno::EMFILE | Errno::ENFILE)
}

/// Descriptors ran out, in words: the limit and the fix.
pub fn out_of_files() -> String {
    match getrlimit(Resource::RLIMIT_NOFILE) {
        Ok((soft, hard)) => format!(
            "out of file descriptors: the open-files limit (RLIMIT_NOFILE) is {soft} (hard limit {hard}); \
             raise the hard limit (`ulimit -Hn`, the container's nofile setting) or wait for fewer things at once"
        ),
        Err(_) => "out of file descriptors (RLIMIT_NOFILE)".into(),
    }
}

static TOLD_OUT_OF_FILES: AtomicBool = AtomicBool::new(false);

/// Says once per run, on stderr, that descriptors ran out. Waits keep
/// checking and each names the limit when it times out, but a group that
/// fails first on another step cancels them: this line is what remains.
pub fn tell_out_of_files_once() {
    if !TOLD_OUT_OF_FILES.swap(true, Ordering::Relaxed) {
        crate::run::report::stderr_line(&format!("zinit: {}", out_of_files()));
    }
}
