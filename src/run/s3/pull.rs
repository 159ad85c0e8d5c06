//! Download: streamed to a temporary file beside the destination, renamed
//! into place only when complete, so the destination never appears partial.
//! A prefix (`s3://BUCKET/PREFIX/`) is every object below it, each pulled
//! so into the destination folder.
//!
//! Over an existing file the download keeps that file's permission bits (a
//! 0600 secret stays 0600). A destination that is a symbolic link is
//! written *through*: the file the link points to is replaced (atomically,
//! beside it) and the link stays, as `cp` does — config folders made of
//! links (Kubernetes ConfigMaps, dotfile managers) keep working.

use super::error::S3Error;
use super::object_path;
use super::settings::S3Settings;
use crate::values::S3Target;
use futures_util::StreamExt;
use object_store::aws::AmazonS3;
use object_store::path::Path as ObjectPath;
use object_store::{ObjectStore, ObjectStoreExt};
use std::path::{Path, PathBuf};
use tokio::io::AsyncWriteExt;

/// Downloads `target` to the file `path` (parent folders are created), or
/// a prefix's every object into the folder `path`. Memory stays bounded by
/// one network chunk (and, for a prefix, the list of its keys). Returns the
/// bytes written.
pub async fn pull_with(
    target: &S3Target,
    path: &Path,
    settings: &S3Settings,
) -> Result<u64, S3Error> {
    let store = settings.store(target)?;
    if target.is_prefix() {
        return pull_prefix(&store, target, path, settings).await;
    }
    pull_object(&store, target, path, settings).await
}

/// Every object below the prefix, one after the other, each to
/// `DIR/RELATIVE/PATH` through its own temporary file: files appear one by
/// one, each complete. A prefix with no object is an error (nothing to
/// pull yet), and nothing is created then.
async fn pull_prefix(
    store: &AmazonS3,
    target: &S3Target,
    dir: &Path,
    settings: &S3Settings,
) -> Result<u64, S3Error> {
    let remote = settings.remote(target);
    let dir = &through_links(dir).await;
    if tokio::fs::metadata(dir).await.is_ok_and(|m| !m.is_dir()) {
        return Err(S3Error::Local {
            path: dir.to_path_buf(),
            detail: format!(
                "is a file, but `{target}` is a prefix: give the folder to pull it into"
            ),
        });
    }
    let objects = list_below(store, target, &remote).await?;
    if objects.is_empty() {
        return Err(S3Error::Remote {
            url: remote.url,
            detail: "holds no object below this prefix".into(),
        });
    }
    let mut written = 0;
    for relative in objects {
        let object = target.below(&relative);
        written += pull_object(store, &object, &dir.join(&relative), settings).await?;
    }
    Ok(written)
}

/// The keys below the prefix, relative to it, sorted. Zero-byte folder
/// markers (`dir/` objects made by consoles) are left out: they name
/// folders, not files.
async fn list_below(
    store: &AmazonS3,
    target: &S3Target,
    remote: &super::error::Remote<'_>,
) -> Result<Vec<String>, S3Error> {
    let stem = target.key.strip_suffix('/').unwrap_or(&target.key);
    let prefix =
        if stem.is_empty() {
            None
        } else {
            Some(ObjectPath::parse(stem).map_err(|e| {
                S3Error::Config(format!("{target}: the prefix cannot be used: {e}"))
            })?)
        };
    let mut listing = store.list(prefix.as_ref());
    let mut found: Vec<(String, u64)> = Vec::new();
    while let Some(meta) = listing.next().await {
        let meta = meta.map_err(|e| remote.error(e))?;
        let key = meta.location.to_string();
        let Some(relative) = key.strip_prefix(&target.key) else {
            continue;
        };
        // A key the folder could not hold as written (`a//b`, `..`) would
        // land elsewhere than its name says: refused, never rewritten.
        if relative
            .split('/')
            .any(|s| s.is_empty() || s == "." || s == "..")
        {
            return Err(S3Error::Remote {
                url: remote.url.clone(),
                detail: format!("holds the object `{key}`, whose name cannot be a local path"),
            });
        }
        found.push((relative.to_string(), meta.size));
    }
    found.sort();
    let is_marker = |i: usize| {
        let (name, size) = &found[i];
        *size == 0
            && found.get(i + 1).is_some_and(|(next, _)| {
                next.strip_prefix(name.as_str())
                    .is_some_and(|r| r.starts_with('/'))
            })
    };
    let keep: Vec<bool> = (0..found.len()).map(|i| !is_marker(i)).collect();
    Ok(found
        .into_iter()
        .zip(keep)
        .filter_map(|((name, _), keep)| keep.then_some(name))
        .collect())
}

/// One object to the file `path`, through a temporary file beside it.
async fn pull_object(
    store: &AmazonS3,
    target: &S3Target,
    path: &Path,
    settings: &S3Settings,
) -> Result<u64, S3Error> {
    let remote = settings.remote(target);
    let path = &through_links(path).await;
    if tokio::fs::metadata(path).await.is_ok_and(|m| m.is_dir()) {
        return Err(S3Error::Local {
            path: path.to_path_buf(),
            detail: "is a directory; give the path of the file to write".into(),
        });
    }
    // Ask first: a missing object must not leave new folders behind.
    let object = object_path(target)?;
    let result = store.get(&object).await.map_err(|e| remote.error(e))?;
    let expected = result.meta.size;

    let mode = existing_mode(path).await;
    let (mut file, temp) = create_temp_beside(path, mode).await?;
    let write_err = |e: std::io::Error| S3Error::local(path, "cannot write", &e);
    let mut stream = result.into_stream();
    let mut written: u64 = 0;
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| remote.error(e))?;
        file.write_all(&chunk).await.map_err(write_err)?;
        written += chunk.len() as u64;
    }
    if written != expected {
        return Err(S3Error::Remote {
            url: remote.url,
            detail: format!("download ended after {written} of {expected} bytes"),
        });
    }
    file.flush().await.map_err(write_err)?;
    file.sync_all().await.map_err(write_err)?;
    drop(file);
    temp.persist(path)
        .map_err(|e| S3Error::local(path, "cannot move the download into place", &e.error))?;
    Ok(written)
}

/// The file a destination stands for: itself, or where its symbolic links
/// lead (followed even when the last one dangles, so the file is created
/// there). At most 40 links, as the kernel allows.
async fn through_links(path: &Path) -> PathBuf {
    let mut path = path.to_path_buf();
    for _ in 0..40 {
        match tokio::fs::read_link(&path).await {
            Ok(target) => {
                path = match path.parent() {
                    Some(dir) if target.is_relative() => dir.join(target),
                    _ => target,
                }
            }
            Err(_) => break,
        }
    }
    path
}

/// The permission bits of the file being replaced, if there is one.
async fn existing_mode(path: &Path) -> Option<u32> {
    use std::os::unix::fs::PermissionsExt;
    let meta = tokio::fs::metadata(path).await.ok()?;
    meta.is_file().then(|| meta.permissions().mode() & 0o7777)
}

/// A hidden temporary file in the destination's folder (created if need
/// be), so the final rename stays on one file system; with `mode`, the mode
/// of the file it replaces. Dropping the returned path deletes the file: a
/// failed or cancelled pull leaves nothing behind.
async fn create_temp_beside(
    path: &Path,
    mode: Option<u32>,
) -> Result<(tokio::fs::File, tempfile::TempPath), S3Error> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    tokio::fs::create_dir_all(&dir)
        .await
        .map_err(|e| S3Error::local(&dir, "cannot create the folder", &e))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let prefix = format!(".{name}.");
    let in_dir = dir.clone();
    let created = tokio::task::spawn_blocking(move || {
        let mut builder = tempfile::Builder::new();
        builder.prefix(&prefix).suffix(".zinit-part");
        // A normal new file's mode (umask applies), not tempfile's private 0600.
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
        let temp = builder.tempfile_in(&in_dir)?;
        if let Some(mode) = mode {
            // Exactly the replaced file's bits, whatever the umask.
            temp.as_file()
                .set_permissions(std::fs::Permissions::from_mode(mode))?;
        }
        Ok(temp)
    })
    .await
    .map_err(|e| S3Error::Local {
        path: dir.clone(),
        detail: format!("cannot create a temporary file: {e}"),
    })?
    .map_err(|e| S3Error::local(&dir, "cannot create a temporary file", &e))?;
    let (file, temp) = created.into_parts();
    Ok((tokio::fs::File::from_std(file), temp))
}
