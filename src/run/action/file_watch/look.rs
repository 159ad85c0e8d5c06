//! One look at the file system for `wait file`, made on a blocking thread
//! (a hung network mount holds that thread, never the engine) unless the
//! last look found a local file system: does the
//! path exist, which of its ancestors exist, and is the path somewhere
//! inotify cannot see (a network file system). With an inotify instance,
//! the look also (re)places the watch: on the nearest existing ancestor,
//! for the one name on the way to the path.

use nix::sys::inotify::{AddWatchFlags, Inotify, WatchDescriptor};
use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// What one look saw.
pub struct Look {
    /// `Ok(true)`: exists (links followed); `Err`: neither (permission denied…).
    pub exists: Result<bool, String>,
    /// The watch now in place on the nearest existing ancestor, and the
    /// name under it on the way to the path. None without inotify, or when
    /// watching failed.
    pub watch: Option<(WatchDescriptor, OsString)>,
    /// Why events cannot be trusted here (polling instead), if so.
    pub no_events: Option<String>,
    /// The nearest existing ancestor is on a local file system, which does
    /// not hang: the next look may be made in place.
    pub local: bool,
}

/// Event kinds on a watched directory that can change whether the path exists.
pub fn mask() -> AddWatchFlags {
    AddWatchFlags::IN_CREATE
        | AddWatchFlags::IN_DELETE
        | AddWatchFlags::IN_MOVED_FROM
        | AddWatchFlags::IN_MOVED_TO
        | AddWatchFlags::IN_ATTRIB
        | AddWatchFlags::IN_DELETE_SELF
        | AddWatchFlags::IN_MOVE_SELF
        | AddWatchFlags::IN_ONLYDIR
}

/// Looks at `path` (absolute); with `inotify`, places the watch where it
/// belongs now (the caller lets the previous one go).
pub fn look(path: &Path, inotify: Option<&Inotify>) -> Look {
    let exists = exists(path);
    let nearest = nearest_to_watch(path);
    let kind = nearest.as_ref().map(|(dir, _)| file_system_kind(dir));
    let local = matches!(kind, Some(Ok(None)));
    let no_events = match kind {
        Some(Ok(Some(kind))) => Some(format!(
            "{kind} file system: inotify does not see changes made elsewhere"
        )),
        _ => None,
    };
    let (Some(inotify), Some((watched, name))) = (inotify, nearest) else {
        return Look {
            exists,
            watch: None,
            no_events,
            local,
        };
    };
    // The directory is watched again even when it is the same path: one
    // replaced by another under the same name is a new inode, and the same
    // inode gives back the descriptor it already has.
    match inotify.add_watch(&watched, mask()) {
        // Something may have changed while the watch was placed.
        Ok(wd) => Look {
            exists: self::exists(path),
            watch: Some((wd, name)),
            no_events,
            local,
        },
        // ENOSPC: the user's watches are exhausted.
        Err(e) => Look {
            exists,
            watch: None,
            no_events: Some(format!("cannot watch {}: {}", watched.display(), e.desc())),
            local,
        },
    }
}

pub fn exists(path: &Path) -> Result<bool, String> {
    match std::fs::metadata(path) {
        Ok(_) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        // A file under something that is not a directory cannot appear there.
        Err(e) if e.raw_os_error() == Some(nix::errno::Errno::ENOTDIR as i32) => Ok(false),
        Err(e) => Err(match e.kind() {
            std::io::ErrorKind::PermissionDenied => "permission denied".into(),
            _ => e.to_string(),
        }),
    }
}

/// The nearest existing directory above `path`, with the name under it
/// that leads to `path` (none when not even `/` is a directory).
///
/// Only that one is watched, not the directories above it: the first watch
/// on a directory makes the kernel visit every name it has cached under it
/// (`fsnotify_set_children_dentry_flags`), and `/tmp` or `/` on a busy
/// machine cache hundreds of thousands, which made one `wait file` cost
/// 30–75 ms of CPU. The watched directory's own removal or move is an event
/// (`IN_DELETE_SELF`, `IN_MOVE_SELF`); a move further up is seen at the next
/// re-check (`wait file`'s `RECHECK`).
pub fn nearest_to_watch(path: &Path) -> Option<(PathBuf, OsString)> {
    let mut child = path;
    while let Some(parent) = child.parent() {
        let Some(name) = child.file_name() else { break };
        if std::fs::metadata(parent).is_ok_and(|m| m.is_dir()) {
            return Some((parent.to_path_buf(), name.to_os_string()));
        }
        child = parent;
    }
    None
}

/// The kind of network file system `dir` is on (`Ok(None)`: a local one).
fn file_system_kind(dir: &Path) -> Result<Option<&'static str>, nix::Error> {
    let kind = nix::sys::statfs::statfs(dir)?.filesystem_type().0 as i64;
    Ok(Some(match kind {
        0x6969 => "an NFS",
        0x517B | 0xFF53_4D42 | 0xFE53_4D42 => "an SMB",
        0x0102_1997 => "a 9p",
        0x00C3_6400 => "a Ceph",
        0x6573_5546 => "a FUSE",
        0x5346_414F => "an AFS",
        0x7375_7245 => "a Coda",
        _ => return Ok(None),
    }))
}
