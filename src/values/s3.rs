//! `s3://BUCKET/KEY` locations: S3's naming rules for general-purpose
//! buckets, and keys that name one object and survive the client's path
//! model unchanged. A key that ends with `/` (`s3://BUCKET/PREFIX/`, or
//! `s3://BUCKET/` for the whole bucket) is a prefix: every object below it.

use super::{Invalid, Problem};
use std::fmt;

/// One object, or a prefix (a key that is empty or ends with `/`): a
/// bucket and a key inside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct S3Target {
    pub bucket: String,
    pub key: String,
}

impl S3Target {
    /// Every object below the key rather than one object.
    pub fn is_prefix(&self) -> bool {
        self.key.is_empty() || self.key.ends_with('/')
    }

    /// The object `relative` (`/`-separated) below this target: below the
    /// prefix, or below `KEY/` for an object key (a folder pushed to KEY).
    pub fn below(&self, relative: &str) -> S3Target {
        let key = if self.is_prefix() {
            format!("{}{relative}", self.key)
        } else {
            format!("{}/{relative}", self.key)
        };
        S3Target {
            bucket: self.bucket.clone(),
            key,
        }
    }
}

impl fmt::Display for S3Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "s3://{}/{}", self.bucket, self.key)
    }
}

/// S3 caps keys at 1024 bytes of UTF-8.
const MAX_KEY_BYTES: usize = 1024;
const SCHEME: &str = "s3://";
const EXAMPLE: &str = "write s3://BUCKET/KEY, e.g. `s3://my-bucket/data.tar`";

fn bad(reason: impl Into<String>) -> Invalid {
    Invalid::new(Problem::S3Location, reason)
}

pub fn parse_s3_location(value: &str) -> Result<S3Target, Invalid> {
    let Some(rest) = value.strip_prefix(SCHEME) else {
        return Err(match value.split_once("://") {
            Some((scheme, rest)) if scheme.eq_ignore_ascii_case("s3") => {
                let fixed = format!("{SCHEME}{rest}");
                let d = bad("writes the scheme in capitals; it must be `s3://`")
                    .help("the scheme is lowercase: `s3://BUCKET/KEY`")
                    .part(0..scheme.len());
                if parse_s3_location(&fixed).is_ok() {
                    d.certain_fix(fixed)
                } else {
                    d
                }
            }
            _ => bad("is not an s3:// location").help(EXAMPLE),
        });
    };
    let (bucket, key, slash) = match rest.split_once('/') {
        Some((bucket, key)) => (bucket, key, true),
        None => (rest, "", false),
    };
    let bucket_at = SCHEME.len()..SCHEME.len() + bucket.len();
    if bucket.is_empty() {
        return Err(bad("names no bucket").help(EXAMPLE));
    }
    check_bucket(bucket).map_err(|why| {
        bad(format!("has a bucket name that {why}"))
            .help("bucket names are 3 to 63 lowercase letters, digits, `.` and `-`")
            .part(bucket_at)
    })?;
    if !slash {
        return Err(bad("names no object key").help(format!(
            "{EXAMPLE}; `s3://{bucket}/` is every object in the bucket"
        )));
    }
    // A prefix: its key but for the final `/` follows the rules of keys.
    match key.strip_suffix('/') {
        Some("") => return Err(bad("has a key with an empty path segment (`//`)").help(EXAMPLE)),
        Some(stem) => check_key(stem)?,
        None if key.is_empty() => {}
        None => check_key(key)?,
    }
    Ok(S3Target {
        bucket: bucket.to_string(),
        key: key.to_string(),
    })
}

fn check_bucket(bucket: &str) -> Result<(), &'static str> {
    if !(3..=63).contains(&bucket.len()) {
        return Err("is not 3 to 63 characters long");
    }
    if !bucket
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-')
    {
        return Err("holds characters other than lowercase letters, digits, `.` and `-`");
    }
    let alnum = |b: Option<u8>| b.is_some_and(|b| b.is_ascii_alphanumeric());
    if !alnum(bucket.bytes().next()) || !alnum(bucket.bytes().last()) {
        return Err("does not begin and end with a letter or digit");
    }
    if bucket.contains("..") {
        return Err("holds two adjacent periods");
    }
    if bucket.parse::<std::net::Ipv4Addr>().is_ok() {
        return Err("is formatted as an IP address");
    }
    if ["xn--", "sthree-"].iter().any(|p| bucket.starts_with(p)) {
        return Err("begins with a reserved prefix (`xn--`, `sthree-`)");
    }
    if ["-s3alias", "--ol-s3"].iter().any(|s| bucket.ends_with(s)) {
        return Err("ends with a reserved suffix (`-s3alias`, `--ol-s3`)");
    }
    Ok(())
}

/// An object key: beyond S3's own limits, no empty, `.` or `..` segment and
/// no control character, which the client's path model would rewrite.
pub fn check_key(key: &str) -> Result<(), Invalid> {
    let why = if key.is_empty() {
        "names no object key".to_string()
    } else if key.len() > MAX_KEY_BYTES {
        format!("has a key longer than the {MAX_KEY_BYTES} bytes S3 allows")
    } else if key.ends_with('/') {
        "has a key that ends with `/`, so it names a folder, not an object".into()
    } else if key.starts_with('/') || key.contains("//") {
        "has a key with an empty path segment (`//`)".into()
    } else if key.split('/').any(|s| s == "." || s == "..") {
        "has a key with a `.` or `..` segment, which is not supported".into()
    } else if key.chars().any(|c| c.is_ascii_control()) {
        "has a key that holds a control character".into()
    } else {
        return Ok(());
    };
    Err(bad(why).help(EXAMPLE))
}

/// A local path that can only name a folder: it ends with `/`, or its last
/// segment is `.` or `..`.
pub fn names_folder(path: &str) -> bool {
    path.ends_with('/') || matches!(path.rsplit('/').next(), Some("." | ".."))
}

/// The two sides of a transfer fit: one object goes to or from a file, a
/// prefix to or from a folder. Only what the text shows is judged (a path
/// such as `/data` may be either until run time): a pull of one object to
/// a folder path (E180) and a push of a folder path to one object key
/// (E181). The `Invalid` of E180 concerns the local path, of E181 the key.
pub fn check_shapes(pull: bool, target: &S3Target, local: &str) -> Result<(), Invalid> {
    if target.is_prefix() || !names_folder(local) {
        return Ok(());
    }
    let name = target.key.rsplit('/').next().unwrap_or_default();
    if pull {
        let file = format!(
            "{}{}{name}",
            local,
            if local.ends_with('/') { "" } else { "/" }
        );
        Err(Invalid::new(
            Problem::S3ObjectToFolder,
            format!("names a folder, but `{target}` is one object"),
        )
        .help(format!(
            "give the file to write, e.g. `{file}`; or pull every object below a prefix: `{target}/`"
        ))
        .fix(file))
    } else {
        let prefix = format!("{target}/");
        Err(Invalid::new(
            Problem::S3FolderToObject,
            "is one object key, but the local path names a folder",
        )
        .help(format!(
            "a folder is pushed below a prefix, written with a final `/`: `{prefix}`"
        ))
        .certain_fix(prefix))
    }
}

/// The local side of a transfer: a path, and not an s3:// location (the
/// two sides swapped).
pub fn check_local_path(value: &str) -> Result<(), Invalid> {
    let is_s3 = value
        .split_once("://")
        .is_some_and(|(scheme, _)| scheme.eq_ignore_ascii_case("s3"));
    if is_s3 {
        return Err(bad("is an s3:// location where a local path belongs"));
    }
    super::check_path(value)
}
