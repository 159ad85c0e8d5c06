//! Upload: one file, or every file under a folder (below `KEY/`, or below
//! a prefix `s3://BUCKET/PREFIX/`; a file pushed to a prefix keeps its name). An object only appears
//! on the server once complete (single PUT, or a multipart upload that is
//! completed at the end and aborted if the push fails or is cancelled).

use super::error::S3Error;
use super::object_path;
use super::settings::S3Settings;
use crate::values::{S3Target, check_key};
use object_store::aws::AmazonS3;
use object_store::{ObjectStoreExt, PutPayload, WriteMultipart};
use std::path::{Path, PathBuf};
use tokio::io::AsyncReadExt;

/// Smallest upload part (S3 requires at least 5 MiB for all but the last).
const MIN_PART_SIZE: usize = 8 * 1024 * 1024;
/// S3 allows at most 10 000 parts; keep a margin for a file that grows.
const MAX_PARTS: u64 = 9_000;
/// Parts uploading at once; with the part being filled this bounds memory
/// to (PARTS_IN_FLIGHT + 1) × part size.
const PARTS_IN_FLIGHT: usize = 2;
/// Read size while feeding parts.
const READ_CHUNK: usize = 256 * 1024;

/// Uploads the file at `path` to `target`. When `path` is a folder, every
/// file under it goes to `KEY/RELATIVE/PATH` (as ZLayer's `init.s3_push`
/// does) or `PREFIX/RELATIVE/PATH`, one after the other, each streamed.
/// Returns the bytes sent.
pub async fn push_with(
    path: &Path,
    target: &S3Target,
    settings: &S3Settings,
) -> Result<u64, S3Error> {
    let store = settings.store(target)?;
    let meta = tokio::fs::metadata(path)
        .await
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => S3Error::LocalMissing {
                path: path.to_path_buf(),
            },
            _ => S3Error::local(path, "cannot read", &e),
        })?;
    if !meta.is_dir() {
        if !target.is_prefix() {
            return push_file(&store, path, target, settings).await;
        }
        // A file pushed below a prefix keeps its name, as `aws s3 cp` does.
        let name = relative_key(path.parent().unwrap_or(Path::new("")), path)?;
        let object = object_below(target, &name, path)?;
        return push_file(&store, path, &object, settings).await;
    }
    let mut sent = 0;
    for (file, relative) in files_under(path).await? {
        let object = object_below(target, &relative, &file)?;
        sent += push_file(&store, &file, &object, settings).await?;
    }
    Ok(sent)
}

/// Where the file `relative` to the pushed folder goes, if S3 can take it.
fn object_below(target: &S3Target, relative: &str, file: &Path) -> Result<S3Target, S3Error> {
    let object = target.below(relative);
    check_key(&object.key).map_err(|invalid| S3Error::Local {
        path: file.to_path_buf(),
        detail: format!("cannot be uploaded as `{object}`, which {}", invalid.reason),
    })?;
    Ok(object)
}

/// One file: a single PUT when it fits in a part, multipart otherwise.
async fn push_file(
    store: &AmazonS3,
    path: &Path,
    target: &S3Target,
    settings: &S3Settings,
) -> Result<u64, S3Error> {
    let remote = settings.remote(target);
    let read_err = |e: std::io::Error| S3Error::local(path, "cannot read", &e);
    let mut file = tokio::fs::File::open(path)
        .await
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => S3Error::LocalMissing {
                path: path.to_path_buf(),
            },
            _ => S3Error::local(path, "cannot open", &e),
        })?;
    let size = file.metadata().await.map_err(read_err)?.len();
    let part_size = part_size(size);
    let object = object_path(target)?;

    // Read the first part before choosing, so a file that grew still fits.
    let mut first = Vec::with_capacity(part_size.min(size as usize + 1));
    let read = (&mut file)
        .take(part_size as u64)
        .read_to_end(&mut first)
        .await
        .map_err(read_err)?;
    if read < part_size {
        store
            .put(&object, PutPayload::from(first))
            .await
            .map_err(|e| remote.error(e))?;
        return Ok(read as u64);
    }

    // Created on a task of its own: a push cancelled while the server
    // creates the upload (it may already be listed there) still aborts it.
    let mut creating = AbortWhenCreated(Some(tokio::spawn({
        let (store, object) = (store.clone(), object.clone());
        async move { store.put_multipart(&object).await }
    })));
    let created = creating.0.as_mut().expect("set just above").await;
    creating.0 = None;
    let upload = created
        .unwrap_or_else(|join| {
            Err(object_store::Error::Generic {
                store: "S3",
                source: Box::new(join),
            })
        })
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
        let n = file.read(&mut buf).await.map_err(read_err)?;
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

/// Parts grow past the minimum only for files too big for `MAX_PARTS` parts.
fn part_size(file_size: u64) -> usize {
    const MIB: u64 = 1024 * 1024;
    let needed = file_size.div_ceil(MAX_PARTS).div_ceil(MIB) * MIB;
    needed.max(MIN_PART_SIZE as u64) as usize
}

/// Every regular file under `root` (symlinks to files included), sorted,
/// with its `/`-separated path relative to `root`. Symlinked folders are
/// not entered, so a link cycle cannot make the walk endless.
async fn files_under(root: &Path) -> Result<Vec<(PathBuf, String)>, S3Error> {
    let mut files = Vec::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let mut entries = tokio::fs::read_dir(&dir)
            .await
            .map_err(|e| S3Error::local(&dir, "cannot list the folder", &e))?;
        while let Some(entry) = entries
            .next_entry()
            .await
            .map_err(|e| S3Error::local(&dir, "cannot list the folder", &e))?
        {
            let path = entry.path();
            let kind = entry
                .file_type()
                .await
                .map_err(|e| S3Error::local(&path, "cannot read", &e))?;
            if kind.is_dir() {
                pending.push(path);
            } else if kind.is_file() || tokio::fs::metadata(&path).await.is_ok_and(|m| m.is_file())
            {
                let relative = relative_key(root, &path)?;
                files.push((path, relative));
            }
        }
    }
    files.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(files)
}

fn relative_key(root: &Path, path: &Path) -> Result<String, S3Error> {
    let relative = path.strip_prefix(root).unwrap_or(path);
    let parts: Option<Vec<&str>> = relative
        .components()
        .map(|c| c.as_os_str().to_str())
        .collect();
    parts.map(|p| p.join("/")).ok_or_else(|| S3Error::Local {
        path: path.to_path_buf(),
        detail: "the name is not valid UTF-8, so it cannot be an S3 key".into(),
    })
}

/// Aborts an unfinished multipart upload when the push is cancelled (its
/// future dropped) or fails, so no orphan parts stay stored on the server.
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

/// Aborts the multipart upload being created when the push is cancelled
/// before the server answered, once it has.
struct AbortWhenCreated(
    Option<tokio::task::JoinHandle<object_store::Result<Box<dyn object_store::MultipartUpload>>>>,
);

impl Drop for AbortWhenCreated {
    fn drop(&mut self) {
        if let Some(creating) = self.0.take()
            && let Ok(runtime) = tokio::runtime::Handle::try_current()
        {
            runtime.spawn(async move {
                if let Ok(Ok(mut upload)) = creating.await {
                    // Best effort, as for AbortOnDrop.
                    let _ = upload.abort().await;
                }
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
