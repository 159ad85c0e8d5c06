//! `s3://BUCKET/KEY` addresses. Pure string checks with no client behind
//! them, so a bad address fails before any connection is made.

use std::fmt;

/// One object: a bucket and a key inside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct S3Target {
    pub bucket: String,
    pub key: String,
}

impl fmt::Display for S3Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "s3://{}/{}", self.bucket, self.key)
    }
}

/// S3 caps keys at 1024 bytes of UTF-8.
const MAX_KEY_BYTES: usize = 1024;

/// Parses `s3://BUCKET/KEY`. The bucket must follow the S3 naming rules for
/// general-purpose buckets; the key must name one object.
pub fn parse_s3_url(url: &str) -> Result<S3Target, String> {
    let rest = url
        .strip_prefix("s3://")
        .ok_or_else(|| format!("`{url}` is not an S3 address: expected `s3://BUCKET/KEY`"))?;
    let (bucket, key) = rest
        .split_once('/')
        .ok_or_else(|| format!("`{url}` has no key: expected `s3://BUCKET/KEY`"))?;
    check_bucket(bucket).map_err(|why| format!("`{url}`: bucket `{bucket}` {why}"))?;
    check_key(key).map_err(|why| format!("`{url}`: {why}"))?;
    Ok(S3Target {
        bucket: bucket.to_string(),
        key: key.to_string(),
    })
}

fn check_bucket(bucket: &str) -> Result<(), &'static str> {
    if bucket.is_empty() {
        return Err("is empty");
    }
    if !(3..=63).contains(&bucket.len()) {
        return Err("must be 3 to 63 characters long");
    }
    if !bucket
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-')
    {
        return Err("may hold only lowercase letters, digits, `.` and `-`");
    }
    let alnum = |b: Option<u8>| b.is_some_and(|b| b.is_ascii_alphanumeric());
    if !alnum(bucket.bytes().next()) || !alnum(bucket.bytes().last()) {
        return Err("must begin and end with a letter or digit");
    }
    if bucket.contains("..") {
        return Err("must not hold two adjacent periods");
    }
    if bucket.parse::<std::net::Ipv4Addr>().is_ok() {
        return Err("must not be formatted as an IP address");
    }
    if ["xn--", "sthree-"].iter().any(|p| bucket.starts_with(p)) {
        return Err("must not begin with the reserved prefixes `xn--` or `sthree-`");
    }
    if ["-s3alias", "--ol-s3"].iter().any(|s| bucket.ends_with(s)) {
        return Err("must not end with the reserved suffixes `-s3alias` or `--ol-s3`");
    }
    Ok(())
}

/// Beyond S3's own limits, the key must survive the client's path model
/// unchanged: no empty, `.` or `..` segment, no control character.
pub(super) fn check_key(key: &str) -> Result<(), String> {
    if key.is_empty() {
        return Err("the key is empty: expected `s3://BUCKET/KEY`".into());
    }
    if key.len() > MAX_KEY_BYTES {
        return Err(format!(
            "the key is {} bytes long; S3 allows at most {MAX_KEY_BYTES}",
            key.len()
        ));
    }
    if key.ends_with('/') {
        return Err(format!(
            "the key `{key}` ends with `/`, so it names a folder, not an object"
        ));
    }
    if key.starts_with('/') || key.contains("//") {
        return Err(format!("the key `{key}` has an empty path segment (`//`)"));
    }
    if key.split('/').any(|s| s == "." || s == "..") {
        return Err(format!(
            "the key `{key}` has a `.` or `..` segment, which is not supported"
        ));
    }
    if key.chars().any(|c| c.is_ascii_control()) {
        return Err("the key holds a control character".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(url: &str) -> S3Target {
        parse_s3_url(url).unwrap_or_else(|e| panic!("{url}: {e}"))
    }

    fn err(url: &str) -> String {
        parse_s3_url(url).expect_err(url)
    }

    #[test]
    fn splits_bucket_from_key_at_the_first_slash() {
        let t = ok("s3://fixtures/dumps/2024/seed.sql");
        assert_eq!(t.bucket, "fixtures");
        assert_eq!(t.key, "dumps/2024/seed.sql");
        assert_eq!(t.to_string(), "s3://fixtures/dumps/2024/seed.sql");
    }

    #[test]
    fn accepts_dotted_and_dashed_buckets_and_unicode_keys() {
        assert_eq!(ok("s3://my.bucket-1/k").bucket, "my.bucket-1");
        assert_eq!(ok("s3://abc/données é.txt").key, "données é.txt");
        assert_eq!(ok("s3://abc/a b+c=d").key, "a b+c=d");
    }

    #[test]
    fn rejects_other_schemes_and_missing_keys() {
        assert!(err("http://b/k").contains("expected `s3://BUCKET/KEY`"));
        assert!(err("s3://bucket").contains("has no key"));
        assert!(err("s3://bucket/").contains("the key is empty"));
    }

    #[test]
    fn enforces_bucket_naming_rules() {
        assert!(err("s3:///k").contains("is empty"));
        assert!(err("s3://ab/k").contains("3 to 63"));
        assert!(err(&format!("s3://{}/k", "a".repeat(64))).contains("3 to 63"));
        assert!(err("s3://My-Bucket/k").contains("lowercase"));
        assert!(err("s3://my_bucket/k").contains("lowercase"));
        assert!(err("s3://-bucket/k").contains("begin and end"));
        assert!(err("s3://bucket./k").contains("begin and end"));
        assert!(err("s3://a..b/k").contains("adjacent periods"));
        assert!(err("s3://192.168.1.1/k").contains("IP address"));
        assert!(err("s3://xn--bucket/k").contains("reserved prefixes"));
        assert!(err("s3://bucket-s3alias/k").contains("reserved suffixes"));
        assert!(ok(&format!("s3://{}/k", "a".repeat(63))).bucket.len() == 63);
    }

    #[test]
    fn rejects_keys_the_client_would_rewrite() {
        assert!(err("s3://bucket/dir/").contains("names a folder"));
        assert!(err("s3://bucket//k").contains("empty path segment"));
        assert!(err("s3://bucket/a//b").contains("empty path segment"));
        assert!(err("s3://bucket/a/../b").contains("`..`"));
        assert!(err("s3://bucket/./b").contains("`.`"));
        assert!(err("s3://bucket/a\tb").contains("control character"));
        assert!(err(&format!("s3://bucket/{}", "k".repeat(1025))).contains("at most 1024"));
        assert_eq!(
            ok(&format!("s3://bucket/{}", "k".repeat(1024))).key.len(),
            1024
        );
    }
}
