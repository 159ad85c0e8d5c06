//! Resolved values in the shapes ZLayer's actions take.

/// `host:port` or `[v6]:port` → host (without brackets) and a non-zero port.
pub fn split_host_port(value: &str) -> Option<(String, u16)> {
    let (host, port) = value.rsplit_once(':')?;
    let host = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    let port = port.parse::<u16>().ok().filter(|p| *p != 0)?;
    (!host.is_empty()).then(|| (host.to_string(), port))
}

/// `s3://bucket/key/path` → bucket and key, both non-empty.
pub fn split_s3_url(value: &str) -> Option<(String, String)> {
    let (bucket, key) = value.strip_prefix("s3://")?.split_once('/')?;
    (!bucket.is_empty() && !key.is_empty()).then(|| (bucket.to_string(), key.to_string()))
}

/// One shell word: as is when it is plain, else single-quoted.
pub fn shell_quote(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_./:=@%+,-".contains(c));
    if plain {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_words_are_quoted_only_when_needed() {
        assert_eq!(shell_quote("./migrate"), "./migrate");
        assert_eq!(shell_quote("two words"), "'two words'");
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
        assert_eq!(shell_quote(""), "''");
    }

    #[test]
    fn host_and_port_split_at_the_last_colon() {
        assert_eq!(split_host_port("db:5432"), Some(("db".into(), 5432)));
        assert_eq!(split_host_port("[::1]:5432"), Some(("::1".into(), 5432)));
        assert_eq!(split_host_port("db:0"), None);
        assert_eq!(split_host_port("db:pg"), None);
        assert_eq!(split_host_port(":5432"), None);
        assert_eq!(split_host_port("db"), None);
    }

    #[test]
    fn s3_urls_need_a_bucket_and_a_key() {
        assert_eq!(split_s3_url("s3://b/k/x"), Some(("b".into(), "k/x".into())));
        assert_eq!(split_s3_url("s3://b/"), None);
        assert_eq!(split_s3_url("s3:///k"), None);
        assert_eq!(split_s3_url("https://b/k"), None);
    }
}
