//! Download: streamed to a temporary file beside the destination, renamed
//! into place only when complete, so the destination never appears partial.

use super::error::S3Error;
use super::object_path;
use super::settings::S3Settings;
use super::url::S3Target;
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

    let (mut file, temp) = create_temp_beside(path).await?;
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

/// A hidden temporary file in the destination's folder (created if need
/// be), so the final rename stays on one file system. Dropping the returned
/// path deletes the file: a failed or cancelled pull leaves nothing behind.
async fn create_temp_beside(path: &Path) -> Result<(tokio::fs::File, tempfile::TempPath), S3Error> {
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
        // A normal file mode (umask applies), not tempfile's private 0600.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(std::fs::Permissions::from_mode(0o666));
        }
        builder.tempfile_in(&in_dir)
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
