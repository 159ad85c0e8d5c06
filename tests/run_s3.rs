//! `s3 pull` / `s3 push` against a real S3-compatible server (moto) on
//! 127.0.0.1, plus a fake server that stalls or hangs up mid-download.

#[path = "support/s3_server.rs"]
mod s3_server;
#[path = "support/stalling_http.rs"]
mod stalling_http;

use s3_server::S3Server;
use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};
use zinit::run::s3::{
    Credentials, S3Error, S3Settings, S3Target, parse_s3_url, pull_with, push_with,
};

const MIB: usize = 1024 * 1024;
/// Bound on every wait loop below.
const PATIENCE: Duration = Duration::from_secs(30);

fn settings(endpoint: &str, key_id: &str) -> S3Settings {
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

fn moto() -> S3Settings {
    settings(&s3_server::server().endpoint, "testing")
}

fn target(bucket: &str, key: &str) -> S3Target {
    parse_s3_url(&format!("s3://{bucket}/{key}")).expect("valid test url")
}

/// Bytes that differ at every offset, so a reordered or repeated part shows.
fn pattern(len: usize) -> Vec<u8> {
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

fn names_in(dir: &Path) -> Vec<String> {
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

async fn head(server: &S3Server, bucket: &str, key: &str) -> reqwest::Response {
    reqwest::Client::new()
        .head(format!("{}/{bucket}/{key}", server.endpoint))
        .send()
        .await
        .expect("HEAD request")
}

#[tokio::test]
async fn push_then_pull_gives_back_identical_bytes() {
    let server = s3_server::server();
    server.create_bucket("round-trip").await;
    let local = tempfile::tempdir().unwrap();
    let out = local.path().join("out/nested");
    let cases: [(&str, Vec<u8>); 3] = [
        ("notes/hello.txt", b"hello, s3\n".to_vec()),
        ("empty", Vec::new()),
        // Over two 8 MiB parts: goes up as a three-part multipart upload.
        ("blobs/big.bin", pattern(20 * MIB + 123)),
    ];
    for (key, data) in &cases {
        let source = local.path().join(key.replace('/', "_"));
        std::fs::write(&source, data).unwrap();
        let sent = push_with(&source, &target("round-trip", key), &moto()).await;
        assert_eq!(sent.unwrap(), data.len() as u64, "{key}");

        let dest = out.join(key.replace('/', "_"));
        let got = pull_with(&target("round-trip", key), &dest, &moto()).await;
        assert_eq!(got.unwrap(), data.len() as u64, "{key}");
        assert!(
            std::fs::read(&dest).unwrap() == *data,
            "{key}: bytes differ after the round trip"
        );
    }
    assert_eq!(
        names_in(&out),
        ["blobs_big.bin", "empty", "notes_hello.txt"]
    );

    let etag = head(server, "round-trip", "blobs/big.bin").await.headers()["etag"].clone();
    assert!(
        etag.to_str().unwrap().ends_with("-3\""),
        "not a 3-part upload: {etag:?}"
    );
}

#[tokio::test]
async fn pull_replaces_an_existing_file_whole() {
    let server = s3_server::server();
    server.create_bucket("replace").await;
    let local = tempfile::tempdir().unwrap();
    let source = local.path().join("new.txt");
    std::fs::write(&source, b"new").unwrap();
    push_with(&source, &target("replace", "config.txt"), &moto())
        .await
        .unwrap();

    let dest = local.path().join("config.txt");
    std::fs::write(&dest, b"an older and much longer content").unwrap();
    pull_with(&target("replace", "config.txt"), &dest, &moto())
        .await
        .unwrap();
    assert_eq!(std::fs::read(&dest).unwrap(), b"new");
    assert_eq!(names_in(local.path()), ["config.txt", "new.txt"]);
}

#[tokio::test]
async fn pull_of_a_missing_key_says_so_and_leaves_no_file() {
    let server = s3_server::server();
    server.create_bucket("missing-key").await;
    let local = tempfile::tempdir().unwrap();

    let dest = local.path().join("fresh/dir/seed.sql");
    let err = pull_with(&target("missing-key", "nope.sql"), &dest, &moto())
        .await
        .unwrap_err();
    assert!(matches!(err, S3Error::NotFound { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        "s3://missing-key/nope.sql: object not found"
    );
    assert!(
        names_in(local.path()).is_empty(),
        "left {:?}",
        names_in(local.path())
    );

    let existing = local.path().join("kept.sql");
    std::fs::write(&existing, b"old").unwrap();
    pull_with(&target("missing-key", "nope.sql"), &existing, &moto())
        .await
        .unwrap_err();
    assert_eq!(std::fs::read(&existing).unwrap(), b"old");
    assert_eq!(names_in(local.path()), ["kept.sql"]);
}

#[tokio::test]
async fn pull_from_a_missing_bucket_names_the_bucket() {
    let local = tempfile::tempdir().unwrap();
    let dest = local.path().join("x");
    let err = pull_with(&target("no-such-bucket", "k"), &dest, &moto())
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "s3://no-such-bucket/k: bucket `no-such-bucket` does not exist"
    );
    assert!(names_in(local.path()).is_empty());
}

#[tokio::test]
async fn pull_into_a_directory_is_refused_before_downloading() {
    let local = tempfile::tempdir().unwrap();
    let err = pull_with(&target("any-bucket", "k"), local.path(), &moto())
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .ends_with("is a directory; give the path of the file to write"),
        "{err}"
    );
}

#[tokio::test]
async fn push_of_a_missing_or_unreadable_source_fails_before_any_request() {
    let local = tempfile::tempdir().unwrap();
    let missing = local.path().join("nope.json");
    // Nothing listens at this endpoint: the error must come from the file.
    let nowhere = settings("http://127.0.0.1:9", "testing");
    let err = push_with(&missing, &target("reports", "r.json"), &nowhere)
        .await
        .unwrap_err();
    assert!(matches!(err, S3Error::LocalMissing { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        format!("local file {} not found", missing.display())
    );

    let err = push_with(local.path(), &target("reports", "r.json"), &nowhere)
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .ends_with("is a directory; `s3 push` uploads one file"),
        "{err}"
    );
}

#[tokio::test]
async fn a_closed_port_is_reported_as_connection_refused() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let endpoint = format!("http://127.0.0.1:{port}");
    let local = tempfile::tempdir().unwrap();
    let source = local.path().join("a.txt");
    std::fs::write(&source, b"a").unwrap();

    let err = pull_with(
        &target("bucket", "k"),
        &local.path().join("b"),
        &settings(&endpoint, "k"),
    )
    .await
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("s3://bucket/k: connection refused to {endpoint}")
    );
    let err = push_with(&source, &target("bucket", "k"), &settings(&endpoint, "k"))
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("s3://bucket/k: connection refused to {endpoint}")
    );
    assert_eq!(names_in(local.path()), ["a.txt"]);
}

#[tokio::test]
async fn unknown_credentials_are_reported_as_access_denied() {
    let strict = s3_server::strict_server();
    let local = tempfile::tempdir().unwrap();
    let source = local.path().join("a.txt");
    std::fs::write(&source, b"a").unwrap();
    let made_up = settings(&strict.endpoint, "AKIAMADEUPKEY0000000");

    let err = push_with(&source, &target("locked", "a.txt"), &made_up)
        .await
        .unwrap_err();
    assert!(matches!(err, S3Error::AccessDenied { .. }), "{err:?}");
    assert!(
        err.to_string()
            .starts_with("s3://locked/a.txt: access denied"),
        "{err}"
    );
    let dest = local.path().join("b.txt");
    let err = pull_with(&target("locked", "a.txt"), &dest, &made_up)
        .await
        .unwrap_err();
    assert!(matches!(err, S3Error::AccessDenied { .. }), "{err:?}");
    assert!(!dest.exists());
}

/// Polls (bounded) until a partial download exists in `dir`.
async fn until_partial_download_in(dir: &Path) {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let partial = names_in(dir).into_iter().any(|name| {
            name.ends_with(".zinit-part")
                && std::fs::metadata(dir.join(&name)).is_ok_and(|m| m.len() > 0)
        });
        if partial {
            return;
        }
        assert!(Instant::now() < deadline, "no partial download appeared");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

#[tokio::test]
async fn a_cancelled_pull_leaves_no_file_behind() {
    let server = stalling_http::start(MIB, 64 * 1024, stalling_http::After::Stall, PATIENCE);
    let local = tempfile::tempdir().unwrap();
    let dest = local.path().join("data/dump.bin");
    let data_dir = local.path().join("data");
    let (settings, slow) = (
        settings(&server.endpoint, "testing"),
        target("slow", "dump.bin"),
    );

    // Dropping the pull future is how the engine applies a step timeout.
    tokio::select! {
        result = pull_with(&slow, &dest, &settings) => {
            panic!("the pull ended although the server stalled: {result:?}")
        }
        () = until_partial_download_in(&data_dir) => {}
    }
    assert!(names_in(&data_dir).is_empty(), "{:?}", names_in(&data_dir));
}

#[tokio::test]
async fn an_interrupted_download_fails_and_leaves_no_file_behind() {
    let server = stalling_http::start(MIB, 64 * 1024, stalling_http::After::HangUp, PATIENCE);
    let local = tempfile::tempdir().unwrap();
    let dest = local.path().join("dump.bin");
    let err = pull_with(
        &target("flaky", "dump.bin"),
        &dest,
        &settings(&server.endpoint, "testing"),
    )
    .await
    .unwrap_err();
    let message = err.to_string();
    assert!(
        message.starts_with("s3://flaky/dump.bin: the connection to http://127.0.0.1:"),
        "{message}"
    );
    assert!(message.contains("broke off"), "{message}");
    assert!(
        names_in(local.path()).is_empty(),
        "{:?}",
        names_in(local.path())
    );
}

#[tokio::test]
async fn a_cancelled_multipart_push_aborts_the_upload() {
    let server = s3_server::server();
    server.create_bucket("cancel-push").await;
    let local = tempfile::tempdir().unwrap();
    // A FIFO whose writer never finishes: the push reads a part and a bit,
    // starts a multipart upload, then waits for more input.
    let fifo = local.path().join("endless");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo");
    assert!(made.success());
    let (release, released) = std::sync::mpsc::channel::<()>();
    let writer = std::thread::spawn({
        let fifo = fifo.clone();
        move || {
            let mut pipe = std::fs::OpenOptions::new()
                .write(true)
                .open(&fifo)
                .expect("open fifo");
            // The reader may go away mid-write: that is the point.
            let _ = pipe.write_all(&vec![7u8; 9 * MIB]);
            let _ = released.recv_timeout(PATIENCE);
        }
    });

    let (settings, stream) = (moto(), target("cancel-push", "stream.bin"));
    let push = push_with(&fifo, &stream, &settings);
    tokio::select! {
        result = push => panic!("the push ended although its source never did: {result:?}"),
        () = until_uploads(server, "cancel-push", |open| open == 1) => {}
    }
    // The abort runs in the background once the push future is dropped.
    until_uploads(server, "cancel-push", |open| open == 0).await;
    release.send(()).unwrap();
    writer.join().unwrap();
    assert_eq!(
        head(server, "cancel-push", "stream.bin").await.status(),
        404
    );
}

async fn until_uploads(server: &S3Server, bucket: &str, wanted: impl Fn(usize) -> bool) {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let open = server.open_multipart_uploads(bucket).await;
        if wanted(open) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{open} multipart uploads still open in {bucket}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn without_credentials_requests_go_unsigned() {
    let server = s3_server::server();
    server.create_bucket("unsigned").await;
    let local = tempfile::tempdir().unwrap();
    let source = local.path().join("index.html");
    std::fs::write(&source, b"<h1>hi</h1>").unwrap();
    let anonymous = S3Settings {
        credentials: None,
        ..moto()
    };
    // moto lets anyone write, but reads of a private object need a signature.
    push_with(&source, &target("unsigned", "index.html"), &anonymous)
        .await
        .unwrap();
    let dest = local.path().join("copy.html");
    pull_with(&target("unsigned", "index.html"), &dest, &moto())
        .await
        .unwrap();
    assert_eq!(std::fs::read(&dest).unwrap(), b"<h1>hi</h1>");

    let err = pull_with(&target("unsigned", "index.html"), &dest, &anonymous)
        .await
        .unwrap_err();
    assert!(matches!(err, S3Error::AccessDenied { .. }), "{err:?}");
    assert!(
        err.to_string()
            .ends_with("no credentials were sent: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"),
        "{err}"
    );
}
