//! Shared helpers of the S3 tests: client settings for the test servers,
//! addresses, test data, and a look at what a folder holds.

// Each S3 test binary uses a different part of this module.
#![allow(dead_code)]

use super::s3_server::{self, S3Server};
use std::path::Path;
use std::time::Duration;
use zinit::run::s3::{Credentials, S3Settings, S3Target};
use zinit::values::parse_s3_location;

pub const MIB: usize = 1024 * 1024;
/// Bound on every wait loop of the S3 tests.
pub const PATIENCE: Duration = Duration::from_secs(30);

pub fn settings(endpoint: &str, key_id: &str) -> S3Settings {
    S3Settings {
        endpoint: Some(endpoint.to_string()),
        region: "us-east-1".to_string(),
        credentials: Some(Credentials {
            access_key_id: key_id.to_string(),
            secret_access_key: "testing-secret".to_string(),
            session_token: None,
        }),
    }
}

pub fn moto() -> S3Settings {
    settings(&s3_server::server().endpoint, "testing")
}

pub fn target(bucket: &str, key: &str) -> S3Target {
    parse_s3_location(&format!("s3://{bucket}/{key}")).expect("valid test url")
}

/// Bytes that differ at every offset, so a reordered or repeated part shows.
pub fn pattern(len: usize) -> Vec<u8> {
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state as u8
        })
        .collect()
}

pub fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .map(|e| {
                    e.expect("dir entry")
                        .file_name()
                        .to_string_lossy()
                        .into_owned()
                })
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

pub async fn head(server: &S3Server, bucket: &str, key: &str) -> reqwest::Response {
    reqwest::Client::new()
        .head(format!("{}/{bucket}/{key}", server.endpoint))
        .send()
        .await
        .expect("HEAD request")
}
