//! Secrets never printed: the one place that decides what zinit masks in
//! any output (run progress, plain lines, JSON events, `plan` text and JSON).
//!
//! - the password of a URL (`scheme://user:PASSWORD@host`), wherever a URL
//!   shows in text zinit prints, a child's output included;
//! - the value of an `env K=V` pair, wherever zinit shows the pair.
//!
//! The user name and everything else stay readable, so the line still says
//! which host and account it is about.

use std::borrow::Cow;

/// What a secret is printed as.
pub const MASK: &str = "***";

/// `text` with the password of every URL in it replaced by [`MASK`].
pub fn redact_urls(text: &str) -> Cow<'_, str> {
    if !text.contains("://") || !text.contains('@') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("://") {
        let (before, after) = rest.split_at(at + 3);
        out.push_str(before);
        // The authority ends at the path, query, fragment or the end of the word.
        let end = after
            .find(|c: char| matches!(c, '/' | '?' | '#') || c.is_whitespace() || is_quote(c))
            .unwrap_or(after.len());
        let authority = &after[..end];
        match authority.rfind('@') {
            Some(user_end) => match authority[..user_end].find(':') {
                Some(colon) => {
                    out.push_str(&authority[..=colon]);
                    out.push_str(MASK);
                    out.push_str(&authority[user_end..]);
                }
                None => out.push_str(authority),
            },
            None => out.push_str(authority),
        }
        rest = &after[end..];
    }
    out.push_str(rest);
    Cow::Owned(out)
}

fn is_quote(c: char) -> bool {
    matches!(c, '"' | '\'' | '`' | '<' | '>')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_passwords_are_masked_user_names_kept() {
        assert_eq!(
            redact_urls("postgres://app:Pa55w0rd@db:5432/app"),
            "postgres://app:***@db:5432/app"
        );
        assert_eq!(
            redact_urls("GET http://u:p@127.0.0.1:80/x?q=a@b and https://h/ ok"),
            "GET http://u:***@127.0.0.1:80/x?q=a@b and https://h/ ok"
        );
        // An `@` in the password: the host starts after the last one.
        assert_eq!(redact_urls("redis://:p@ss@r:6379"), "redis://:***@r:6379");
        assert_eq!(
            redact_urls("`http://a:b@h/` and 'ftp://c:d@e'"),
            "`http://a:***@h/` and 'ftp://c:***@e'"
        );
    }

    #[test]
    fn text_without_credentials_is_untouched() {
        for text in [
            "http://user@host/",
            "mail me@example.org",
            "http://h/p@x",
            "no url",
        ] {
            assert_eq!(redact_urls(text), text);
        }
    }
}
