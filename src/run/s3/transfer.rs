//! Streaming transfers. Memory stays bounded by one download chunk or a few
//! upload parts; the destination (local or remote) only ever appears whole.

use super::error::{Remote, S3Error};
use super::settings::S3Settings;
use super::url::S3Target;
use futures_util::StreamExt;
use object_store::path::Path as ObjectPath;
use object_store::{ObjectStoreExt, PutPayload, WriteMultipart};
use std::path::{Path, PathBuf};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Smallest upload part (S3 requires at least 5 MiB for all but the last).
const MIN_PART_SIZE: usize = 8 * 1024 * 1024;
/// S3 allows at most 10 000 parts; keep a margin for a file that grows.
const MAX_PARTS: u64 = 9_000;
/// Parts uploading at once; with the part being filled this bounds memory
/// to (PARTS_IN_FLIGHT + 1) × part size.
const PARTS_IN_FLIGHT: usize = 2;
/// Read size while feeding parts.
const READ_CHUNK: usize = 256 * 1024;

/// Downloads `target` to `path` through a temporary file beside it, renamed
/// into place only when complete. Returns the object's size in bytes.
pub async fn pull_with(
    target: &S3Target,
    path: &Path,
    settings: &S3Settings,
) -> Result<u64, S3Error> {
    let remote = remote(target, settings);
    let store = settings.store(target)?;
    if tokio::fs::metadata(path).await.is_ok_and(|m| m.is_dir()) {
        return Err(S3Error::Local {
            path: path.to_path_buf(),
            detail: "is a directory; give the path of the file to write".into(),
        });
    }
    let object = ObjectPath::from(target.key.as_str());
    let result = store.get(&object).await.map_err(|e| remote.error(e))?;
    let expected = result.meta.size;

    let (mut file, temp) = create_temp_beside(path).await?;
    let mut stream = result.into_stream();
    let mut written: u64 = 0;
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| remote.error(e))?;
        file.write_all(&chunk)
            .await
            .map_err(|e| S3Error::local(&temp, "cannot write", &e))?;
        written += chunk.len() as u64;
    }
    if written != expected {
        return Err(S3Error::Remote {
            url: remote.url,
            detail: format!("download ended after {written} of {expected} bytes"),
        });
    }
    file.sync_all()
        .await
        .map_err(|e| S3Error::local(&temp, "cannot write", &e))?;
    drop(file);
    temp.persist(path)
        .map_err(|e| S3Error::local(path, "cannot move the download into place", &e.error))?;
    Ok(written)
}

/// Uploads the file at `path` to `target`: one request when it fits in a
/// part, a multipart upload otherwise. Returns the bytes sent.
pub async fn push_with(
    path: &Path,
    target: &S3Target,
    settings: &S3Settings,
) -> Result<u64, S3Error> {
    let remote = remote(target, settings);
    let store = settings.store(target)?;
    let mut file = open_source(path).await?;
    let size = file
        .metadata()
        .await
        .map_err(|e| S3Error::local(path, "cannot read", &e))?
        .len();
    let part_size = part_size(size);
    let object = ObjectPath::from(target.key.as_str());

    // Read the first part before choosing: a file that fits goes in one PUT.
    let mut first = Vec::with_capacity(part_size.min(size as usize + 1));
    let read = (&mut file)
        .take(part_size as u64)
        .read_to_end(&mut first)
        .await
        .map_err(|e| S3Error::local(path, "cannot read", &e))?;
    if read < part_size {
        store
            .put(&object, PutPayload::from(first))
            .await
            .map_err(|e| remote.error(e))?;
        return Ok(read as u64);
    }

    let upload = store
        .put_multipart(&object)
        .await
        .map_err(|e| remote.error(e))?;
    let mut upload = AbortOnDrop(Some(WriteMultipart::new_with_chunk_size(upload, part_size)));
    let writer = upload.0.as_mut().expect("upload present until finished");
    writer.write(&first);
    drop(first);
    let mut sent = read as u64;
    let mut buf = vec![0u8; READ_CHUNK];
    loop {
        writer
            .wait_for_capacity(PARTS_IN_FLIGHT)
            .await
            .map_err(|e| remote.error(e))?;
        let n = file
            .read(&mut buf)
            .await
            .map_err(|e| S3Error::local(path, "cannot read", &e))?;
        if n == 0 {
            break;
        }
        writer.write(&buf[..n]);
        sent += n as u64;
    }
    let writer = upload.0.take().expect("upload present until finished");
    // On failure `finish` aborts the upload itself.
    writer.finish().await.map_err(|e| remote.error(e))?;
    Ok(sent)
}

fn remote<'a>(target: &'a S3Target, settings: &S3Settings) -> Remote<'a> {
    Remote {
        url: target.to_string(),
        bucket: &target.bucket,
        endpoint: settings.endpoint_display(&target.bucket),
        anonymous: settings.credentials.is_none(),
    }
}

/// Parts grow past the minimum only for files too big for `MAX_PARTS` parts.
fn part_size(file_size: u64) -> usize {
    const MIB: u64 = 1024 * 1024;
    let needed = file_size.div_ceil(MAX_PARTS).div_ceil(MIB) * MIB;
    needed.max(MIN_PART_SIZE as u64) as usize
}

async fn open_source(path: &Path) -> Result<tokio::fs::File, S3Error> {
    let file = tokio::fs::File::open(path)
        .await
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => S3Error::LocalMissing {
                path: path.to_path_buf(),
            },
            _ => S3Error::local(path, "cannot open", &e),
        })?;
    let meta = file
        .metadata()
        .await
        .map_err(|e| S3Error::local(path, "cannot read", &e))?;
    if meta.is_dir() {
        return Err(S3Error::Local {
            path: path.to_path_buf(),
            detail: "is a directory; `s3 push` uploads one file".into(),
        });
    }
    Ok(file)
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
    let dir_for_blocking = dir.clone();
    let created = tokio::task::spawn_blocking(move || {
        let mut builder = tempfile::Builder::new();
        builder.prefix(&prefix).suffix(".zinit-part");
        // A normal file mode (umask applies), not tempfile's private 0600.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(std::fs::Permissions::from_mode(0o666));
        }
        builder.tempfile_in(&dir_for_blocking)
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

/// Aborts an unfinished multipart upload when the push is cancelled (its
/// future dropped) or fails, so no orphan parts stay billed on the server.
struct AbortOnDrop(Option<WriteMultipart>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        if let Some(upload) = self.0.take()
            && let Ok(runtime) = tokio::runtime::Handle::try_current()
        {
            runtime.spawn(async move {
                // Best effort: a bucket lifecycle rule reaps what this misses.
                let _ = upload.abort().await;
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_stay_at_the_minimum_until_the_part_count_limit_forces_growth() {
        assert_eq!(part_size(0), MIN_PART_SIZE);
        assert_eq!(part_size(50 * 1024 * 1024 * 1024), MIN_PART_SIZE);
        let huge = 200 * 1024 * 1024 * 1024_u64;
        let size = part_size(huge) as u64;
        assert!(size > MIN_PART_SIZE as u64);
        assert!(huge.div_ceil(size) <= MAX_PARTS);
        assert_eq!(size % (1024 * 1024), 0);
    }
}
