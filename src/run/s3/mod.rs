//! `s3 pull` / `s3 push`: one object between a local file and an S3 bucket
//! (AWS or any S3-compatible server). Engine-agnostic: the caller resolves
//! the step's texts, calls [`pull`] or [`push`], and bounds the call with the
//! step timeout by dropping the future, which is safe at any point — a pull
//! never leaves a partial destination file, and an unfinished multipart
//! upload is aborted.

mod error;
mod pull;
mod push;
mod settings;

/// The address checks live with the other value validators.
pub use crate::values::S3Target;
pub use error::S3Error;
pub use pull::pull_with;
pub use push::push_with;
pub use settings::{Credentials, DEFAULT_REGION, S3Settings};

use object_store::path::Path as ObjectPath;
use std::path::Path;

/// Downloads `target` to `path`, with `endpoint` / `region` from the step
/// (`None`: from the AWS variables) and credentials from the environment.
/// Returns the bytes written.
pub async fn pull(
    target: &S3Target,
    path: &Path,
    endpoint: Option<&str>,
    region: Option<&str>,
) -> Result<u64, S3Error> {
    let settings = S3Settings::from_env(endpoint, region)?;
    pull_with(target, path, &settings).await
}

/// Uploads the file at `path` to `target` (a folder: every file under it,
/// below `KEY/`); settings as for [`pull`]. Returns the bytes sent.
pub async fn push(
    path: &Path,
    target: &S3Target,
    endpoint: Option<&str>,
    region: Option<&str>,
) -> Result<u64, S3Error> {
    let settings = S3Settings::from_env(endpoint, region)?;
    push_with(path, target, &settings).await
}

/// The key as the client's path, kept verbatim: `ObjectPath::from` would
/// percent-encode characters such as `%` or `~` into a different key.
fn object_path(target: &S3Target) -> Result<ObjectPath, S3Error> {
    ObjectPath::parse(&target.key)
        .map_err(|e| S3Error::Config(format!("{target}: the key cannot be used: {e}")))
}
