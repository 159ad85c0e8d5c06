//! Download: streamed to a temporary file beside the destination, renamed
//! into place only when complete, so the destination never appears partial.
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
use object_store::ObjectStoreExt;
use std::path::{Path, PathBuf};
use tokio::io::AsyncWriteExt;

/// Downloads `target` to the file `path` (parent folders are created).
/// Memory stays bounded by one network chunk. Returns the bytes written.
pub async fn pull_with(
    target: &S3Target,
    path: &Path,
    settings: &S3Settings,
) -> Result<u64, S3Error> {
    let remote = settings.remote(target);
    let store = settings.store(target)?;
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
