//! Where and as whom to talk to the object store: endpoint, region and
//! credentials, from the step first and the standard AWS variables second.

use super::error::{Remote, S3Error};
use crate::values::S3Target;
use object_store::aws::{AmazonS3, AmazonS3Builder};
use object_store::client::{HttpClient, HttpConnector};
use object_store::{BackoffConfig, ClientConfigKey, ClientOptions, RetryConfig};
use std::time::Duration;

/// The region when neither the step nor the environment names one.
pub const DEFAULT_REGION: &str = "us-east-1";

/// Static credentials from `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY`
/// (and `AWS_SESSION_TOKEN` for temporary ones).
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    pub access_key_id: String,
    pub secret_access_key: String,
    pub session_token: Option<String>,
}

impl std::fmt::Debug for Credentials {
    // Never print secrets, even in debug output.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .finish_non_exhaustive()
    }
}

/// Everything needed to reach a bucket, resolved once per transfer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct S3Settings {
    /// A custom S3-compatible endpoint (`http://minio:9000`); `None` means AWS.
    pub endpoint: Option<String>,
    pub region: String,
    /// `None` sends unsigned (anonymous) requests, which public buckets accept.
    pub credentials: Option<Credentials>,
}

impl S3Settings {
    /// The step's `endpoint` / `region` (already resolved), falling back to
    /// the process environment.
    pub fn from_env(endpoint: Option<&str>, region: Option<&str>) -> Result<Self, S3Error> {
        Self::from_lookup(endpoint, region, |name| std::env::var(name).ok())
    }

    /// As [`S3Settings::from_env`], reading variables through `lookup`.
    /// Empty values count as unset, as in the AWS tools.
    pub fn from_lookup(
        endpoint: Option<&str>,
        region: Option<&str>,
        lookup: impl Fn(&str) -> Option<String>,
    ) -> Result<Self, S3Error> {
        let var = |name: &str| lookup(name).filter(|v| !v.is_empty());
        let endpoint = endpoint
            .map(str::to_string)
            .or_else(|| var("AWS_ENDPOINT_URL_S3"))
            .or_else(|| var("AWS_ENDPOINT_URL"))
            .map(|e| check_endpoint(&e))
            .transpose()?;
        let region = region
            .filter(|r| !r.is_empty())
            .map(str::to_string)
            .or_else(|| var("AWS_REGION"))
            .or_else(|| var("AWS_DEFAULT_REGION"))
            .unwrap_or_else(|| DEFAULT_REGION.to_string());
        let credentials = match (var("AWS_ACCESS_KEY_ID"), var("AWS_SECRET_ACCESS_KEY")) {
            (Some(access_key_id), Some(secret_access_key)) => Some(Credentials {
                access_key_id,
                secret_access_key,
                session_token: var("AWS_SESSION_TOKEN"),
            }),
            (None, None) => None,
            (Some(_), None) => {
                return Err(half_credentials(
                    "AWS_ACCESS_KEY_ID",
                    "AWS_SECRET_ACCESS_KEY",
                ));
            }
            (None, Some(_)) => {
                return Err(half_credentials(
                    "AWS_SECRET_ACCESS_KEY",
                    "AWS_ACCESS_KEY_ID",
                ));
            }
        };
        Ok(S3Settings {
            endpoint,
            region,
            credentials,
        })
    }

    /// The base URL requests go to, for messages.
    pub fn endpoint_display(&self, bucket: &str) -> String {
        match &self.endpoint {
            Some(endpoint) => endpoint.clone(),
            None if virtual_hosted(bucket) => {
                format!("https://{bucket}.s3.{}.amazonaws.com", self.region)
            }
            None => format!("https://s3.{}.amazonaws.com", self.region),
        }
    }

    /// A client for the target's bucket.
    /// What a remote failure at `target` is reported against.
    pub(super) fn remote<'a>(&self, target: &'a S3Target) -> Remote<'a> {
        Remote {
            url: target.to_string(),
            bucket: &target.bucket,
            endpoint: self.endpoint_display(&target.bucket),
            anonymous: self.credentials.is_none(),
        }
    }

    pub(super) fn store(&self, target: &S3Target) -> Result<AmazonS3, S3Error> {
        let mut builder = AmazonS3Builder::new()
            .with_bucket_name(&target.bucket)
            .with_region(&self.region)
            .with_client_options(client_options())
            .with_http_connector(ResolvedConnector)
            .with_retry(retry_config());
        builder = match &self.endpoint {
            // Custom servers rarely resolve BUCKET.host names: path style.
            Some(endpoint) => builder
                .with_endpoint(endpoint)
                .with_allow_http(endpoint.starts_with("http://"))
                .with_virtual_hosted_style_request(false),
            None => builder.with_virtual_hosted_style_request(virtual_hosted(&target.bucket)),
        };
        builder = match &self.credentials {
            Some(c) => {
                builder = builder
                    .with_access_key_id(&c.access_key_id)
                    .with_secret_access_key(&c.secret_access_key);
                match &c.session_token {
                    Some(token) => builder.with_token(token),
                    None => builder,
                }
            }
            // Without this the client would ask the instance metadata service.
            None => builder.with_skip_signature(true),
        };
        builder
            .build()
            .map_err(|e| S3Error::Config(format!("{target}: cannot set up the S3 client: {e}")))
    }
}

/// AWS prefers `BUCKET.s3.REGION.amazonaws.com`, but a dotted bucket name
/// breaks the wildcard TLS certificate there, so those go path style.
fn virtual_hosted(bucket: &str) -> bool {
    !bucket.contains('.')
}

fn half_credentials(set: &str, missing: &str) -> S3Error {
    S3Error::Config(format!(
        "{set} is set but {missing} is not: set both, or neither for anonymous access"
    ))
}

fn check_endpoint(endpoint: &str) -> Result<String, S3Error> {
    let bad = |why: &str| S3Error::Config(format!("endpoint `{endpoint}` {why}"));
    let url = reqwest::Url::parse(endpoint).map_err(|e| {
        bad(&format!(
            "is not a URL ({e}): expected e.g. `http://minio:9000`"
        ))
    })?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(bad("must start with `http://` or `https://`"));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(bad("has no host"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(bad("must not have a query or fragment"));
    }
    Ok(endpoint.trim_end_matches('/').to_string())
}

/// The step timeout bounds the whole transfer, so no per-request timeout
/// (it would cut off large downloads); only connecting is bounded here.
fn client_options() -> ClientOptions {
    ClientOptions::new()
        .with_timeout_disabled()
        .with_connect_timeout(CONNECT_TIMEOUT)
}

/// object_store's own reqwest client, but with host names looked up by
/// [`crate::run::lookup`] (no getaddrinfo, so a static binary works in an
/// empty image). It sets what [`client_options`] asks for: no overall
/// timeout, a connect timeout, plain http only for an http:// endpoint, and
/// no transfer compression (sizes are read from `Content-Length`).
#[derive(Debug)]
struct ResolvedConnector;

impl HttpConnector for ResolvedConnector {
    fn connect(&self, options: &ClientOptions) -> object_store::Result<HttpClient> {
        let allow_http = options
            .get_config_value(&ClientConfigKey::AllowHttp)
            .is_some_and(|v| v == "true");
        let client = reqwest::Client::builder()
            .connect_timeout(CONNECT_TIMEOUT)
            .user_agent(concat!("zinit/", env!("CARGO_PKG_VERSION")))
            .dns_resolver(std::sync::Arc::new(crate::run::lookup::ForReqwest))
            .https_only(!allow_http)
            .build()
            .map_err(|e| object_store::Error::Generic {
                store: "S3",
                source: Box::new(e),
            })?;
        Ok(HttpClient::new(client))
    }
}

const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// A few quick retries of transient errors inside one attempt; the step's
/// own `retry` clause handles anything longer.
fn retry_config() -> RetryConfig {
    RetryConfig {
        backoff: BackoffConfig {
            init_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(2),
            base: 2.0,
        },
        max_retries: 3,
        retry_timeout: Duration::from_secs(60),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn settings(
        endpoint: Option<&str>,
        region: Option<&str>,
        vars: &[(&str, &str)],
    ) -> Result<S3Settings, S3Error> {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        S3Settings::from_lookup(endpoint, region, |k| vars.get(k).cloned())
    }

    #[test]
    fn step_values_win_over_the_environment() {
        let env = [
            ("AWS_REGION", "eu-west-1"),
            ("AWS_ENDPOINT_URL", "http://env:9000"),
        ];
        let s = settings(Some("http://step:9000/"), Some("ap-south-1"), &env).unwrap();
        assert_eq!(s.endpoint.as_deref(), Some("http://step:9000"));
        assert_eq!(s.region, "ap-south-1");
    }

    #[test]
    fn region_falls_back_to_aws_region_then_default_region_then_us_east_1() {
        let both = [
            ("AWS_REGION", "eu-west-1"),
            ("AWS_DEFAULT_REGION", "eu-west-2"),
        ];
        assert_eq!(settings(None, None, &both).unwrap().region, "eu-west-1");
        let default_only = [("AWS_REGION", ""), ("AWS_DEFAULT_REGION", "eu-west-2")];
        assert_eq!(
            settings(None, None, &default_only).unwrap().region,
            "eu-west-2"
        );
        assert_eq!(settings(None, None, &[]).unwrap().region, "us-east-1");
    }

    #[test]
    fn endpoint_falls_back_to_the_s3_specific_variable_first() {
        let env = [
            ("AWS_ENDPOINT_URL", "http://generic:1"),
            ("AWS_ENDPOINT_URL_S3", "http://s3only:2"),
        ];
        let s = settings(None, None, &env).unwrap();
        assert_eq!(s.endpoint.as_deref(), Some("http://s3only:2"));
        let s = settings(None, None, &env[..1]).unwrap();
        assert_eq!(s.endpoint.as_deref(), Some("http://generic:1"));
        assert_eq!(settings(None, None, &[]).unwrap().endpoint, None);
    }

    #[test]
    fn credentials_need_both_halves() {
        let full = [
            ("AWS_ACCESS_KEY_ID", "AKID"),
            ("AWS_SECRET_ACCESS_KEY", "secret"),
            ("AWS_SESSION_TOKEN", "tok"),
        ];
        let c = settings(None, None, &full).unwrap().credentials.unwrap();
        assert_eq!(c.access_key_id, "AKID");
        assert_eq!(c.session_token.as_deref(), Some("tok"));
        assert!(
            !format!("{c:?}").contains("secret"),
            "debug output leaks the secret"
        );

        let e = settings(None, None, &full[..1]).unwrap_err().to_string();
        assert!(
            e.contains("AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not"),
            "{e}"
        );
        assert_eq!(settings(None, None, &[]).unwrap().credentials, None);
    }

    #[test]
    fn rejects_endpoints_that_are_not_http_urls() {
        for (endpoint, why) in [
            ("minio:9000", "must start with"),
            ("ftp://minio", "must start with"),
            ("not a url", "is not a URL"),
            ("http://minio:9000/?x=1", "query"),
        ] {
            let e = settings(Some(endpoint), None, &[]).unwrap_err().to_string();
            assert!(e.contains(why), "{endpoint}: {e}");
        }
    }

    #[test]
    fn names_the_url_requests_go_to() {
        let aws = settings(None, Some("eu-west-1"), &[]).unwrap();
        assert_eq!(
            aws.endpoint_display("logs"),
            "https://logs.s3.eu-west-1.amazonaws.com"
        );
        assert_eq!(
            aws.endpoint_display("my.logs"),
            "https://s3.eu-west-1.amazonaws.com"
        );
        let custom = settings(Some("http://127.0.0.1:9000"), None, &[]).unwrap();
        assert_eq!(custom.endpoint_display("logs"), "http://127.0.0.1:9000");
    }
}
