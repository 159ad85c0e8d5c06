//! Transfer failures, worded for the person reading the run log.

use object_store::client::{HttpError, HttpErrorKind};
use std::error::Error as StdError;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum S3Error {
    #[error("{url}: object not found")]
    NotFound { url: String },
    #[error("{url}: bucket `{bucket}` does not exist")]
    NoSuchBucket { url: String, bucket: String },
    #[error("{url}: access denied{detail}")]
    AccessDenied { url: String, detail: String },
    #[error("{url}: connection refused to {endpoint}")]
    ConnectionRefused { url: String, endpoint: String },
    /// No connection: DNS, TLS handshake, connect timeout.
    #[error("{url}: cannot reach {endpoint}: {detail}")]
    Unreachable {
        url: String,
        endpoint: String,
        detail: String,
    },
    /// Any other answer from the server.
    #[error("{url}: {detail}")]
    Remote { url: String, detail: String },
    #[error("local file {} not found", path.display())]
    LocalMissing { path: PathBuf },
    #[error("{}: {detail}", path.display())]
    Local { path: PathBuf, detail: String },
    /// Bad settings (endpoint, half-set credentials), found before any request.
    #[error("{0}")]
    Config(String),
}

impl S3Error {
    pub(super) fn local(path: &Path, what: &str, err: &std::io::Error) -> S3Error {
        S3Error::Local {
            path: path.to_path_buf(),
            detail: format!("{what}: {err}"),
        }
    }
}

/// What a remote failure is reported against.
pub(super) struct Remote<'a> {
    pub url: String,
    pub bucket: &'a str,
    pub endpoint: String,
    pub anonymous: bool,
}

impl Remote<'_> {
    pub fn error(&self, err: object_store::Error) -> S3Error {
        let url = self.url.clone();
        let text = err.to_string();
        let code = xml_field(&text, "Code");
        if let Some(io) = find_source::<std::io::Error>(&err)
            && io.kind() == std::io::ErrorKind::ConnectionRefused
        {
            return S3Error::ConnectionRefused {
                url,
                endpoint: self.endpoint.clone(),
            };
        }
        match &err {
            object_store::Error::NotFound { .. } if code == Some("NoSuchBucket") => {
                S3Error::NoSuchBucket {
                    url,
                    bucket: self.bucket.to_string(),
                }
            }
            object_store::Error::NotFound { .. } => S3Error::NotFound { url },
            object_store::Error::PermissionDenied { .. }
            | object_store::Error::Unauthenticated { .. } => S3Error::AccessDenied {
                url,
                detail: self.denied_detail(code, xml_field(&text, "Message")),
            },
            _ if code.is_some() => S3Error::Remote {
                url,
                detail: server_detail(code, xml_field(&text, "Message")),
            },
            _ if text.contains("redirect without LOCATION") => S3Error::Remote {
                url,
                detail: "the bucket answered with a redirect: it is probably in another \
                         region; set `region` or AWS_REGION"
                    .into(),
            },
            _ => match find_source::<HttpError>(&err) {
                Some(http) if http.kind() == HttpErrorKind::Connect => S3Error::Unreachable {
                    url,
                    endpoint: self.endpoint.clone(),
                    detail: innermost(http),
                },
                Some(http) => S3Error::Remote {
                    url,
                    detail: format!(
                        "the connection to {} broke off: {}",
                        self.endpoint,
                        innermost(http)
                    ),
                },
                None => S3Error::Remote { url, detail: text },
            },
        }
    }

    fn denied_detail(&self, code: Option<&str>, message: Option<&str>) -> String {
        let mut detail = String::new();
        if code.is_some() {
            detail = format!(" ({})", server_detail(code, message));
        }
        if self.anonymous {
            detail.push_str(
                "; no credentials were sent: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY",
            );
        }
        detail
    }
}

fn server_detail(code: Option<&str>, message: Option<&str>) -> String {
    match (code, message) {
        (Some(code), Some(message)) => format!("{code}: {message}"),
        (Some(code), None) => code.to_string(),
        (None, Some(message)) => message.to_string(),
        (None, None) => String::new(),
    }
}

/// The text of `<NAME>...</NAME>` in an S3 XML error body quoted in `text`.
fn xml_field<'t>(text: &'t str, name: &str) -> Option<&'t str> {
    let open = format!("<{name}>");
    let start = text.find(&open)? + open.len();
    let len = text[start..].find(&format!("</{name}>"))?;
    Some(text[start..start + len].trim()).filter(|s| !s.is_empty())
}

fn find_source<'e, T: StdError + 'static>(err: &'e (dyn StdError + 'static)) -> Option<&'e T> {
    let mut next: Option<&(dyn StdError + 'static)> = Some(err);
    while let Some(e) = next {
        if let Some(found) = e.downcast_ref::<T>() {
            return Some(found);
        }
        next = e.source();
    }
    None
}

/// The root cause, which names the real problem ("dns error", "certificate").
fn innermost(err: &(dyn StdError + 'static)) -> String {
    let mut last = err;
    while let Some(next) = last.source() {
        last = next;
    }
    last.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_fields_of_an_s3_error_body() {
        let body = "Server returned non-2xx status code: 403 Forbidden: <?xml version=\"1.0\"?>\
                    <Error><Code>InvalidAccessKeyId</Code><Message>The AWS Access Key Id you \
                    provided does not exist in our records.</Message></Error>";
        assert_eq!(xml_field(body, "Code"), Some("InvalidAccessKeyId"));
        assert_eq!(
            xml_field(body, "Message"),
            Some("The AWS Access Key Id you provided does not exist in our records.")
        );
        assert_eq!(xml_field(body, "BucketName"), None);
        assert_eq!(xml_field("<Code></Code>", "Code"), None);
    }

    #[test]
    fn anonymous_denials_say_how_to_send_credentials() {
        let remote = Remote {
            url: "s3://b/k".into(),
            bucket: "b",
            endpoint: "http://x".into(),
            anonymous: true,
        };
        let detail = remote.denied_detail(Some("AccessDenied"), Some("Access Denied"));
        assert_eq!(
            detail,
            " (AccessDenied: Access Denied); no credentials were sent: set AWS_ACCESS_KEY_ID \
             and AWS_SECRET_ACCESS_KEY"
        );
    }
}
