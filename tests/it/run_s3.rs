//! `s3 pull` / `s3 push` against a real S3-compatible server (moto) on
//! 127.0.0.1: round trips and the errors a user can run into.

use crate::support::s3_fixtures as fixtures;
use crate::support::s3_server;

use fixtures::{MIB, head, moto, names_in, pattern, settings, target};
use zinit::run::s3::{S3Error, S3Settings, pull_with, push_with};

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
async fn keys_with_unusual_characters_are_stored_verbatim() {
    let server = s3_server::server();
    server.create_bucket("odd-keys").await;
    let local = tempfile::tempdir().unwrap();
    let source = local.path().join("a.txt");
    std::fs::write(&source, b"odd").unwrap();
    let key = r"déjà vu/50% off ~[x]#1?*+=,;:@$!(){}^`|\.txt";
    push_with(&source, &target("odd-keys", key), &moto())
        .await
        .unwrap();
    assert_eq!(server.keys("odd-keys").await, [key]);
    let dest = local.path().join("b.txt");
    pull_with(&target("odd-keys", key), &dest, &moto())
        .await
        .unwrap();
    assert_eq!(std::fs::read(&dest).unwrap(), b"odd");
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
async fn push_of_a_missing_source_fails_before_any_request() {
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
}

#[tokio::test]
async fn push_of_a_folder_uploads_every_file_under_the_key() {
    let server = s3_server::server();
    server.create_bucket("folders").await;
    let local = tempfile::tempdir().unwrap();
    let site = local.path().join("site");
    std::fs::create_dir_all(site.join("css/empty")).unwrap();
    std::fs::write(site.join("index.html"), b"<h1>hi</h1>").unwrap();
    std::fs::write(site.join("css/main.css"), b"h1{}").unwrap();
    // A link back to the root must not make the walk endless.
    std::os::unix::fs::symlink(&site, site.join("css/loop")).unwrap();

    let sent = push_with(&site, &target("folders", "www"), &moto()).await;
    assert_eq!(sent.unwrap(), 15);
    for (key, data) in [
        ("www/index.html", "<h1>hi</h1>"),
        ("www/css/main.css", "h1{}"),
    ] {
        let dest = local.path().join("back").join(key);
        pull_with(&target("folders", key), &dest, &moto())
            .await
            .unwrap();
        assert_eq!(std::fs::read_to_string(&dest).unwrap(), data, "{key}");
    }
    assert_eq!(
        head(server, "folders", "www/css/loop/index.html")
            .await
            .status(),
        404
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

#[tokio::test]
async fn pull_over_a_file_keeps_its_mode_and_writes_through_a_symlink() {
    use std::os::unix::fs::{PermissionsExt, symlink};
    let server = s3_server::server();
    server.create_bucket("modes").await;
    let local = tempfile::tempdir().unwrap();
    let source = local.path().join("src.txt");
    std::fs::write(&source, b"fresh").unwrap();
    push_with(&source, &target("modes", "secret.env"), &moto())
        .await
        .unwrap();

    let secret = local.path().join("secret.env");
    std::fs::write(&secret, b"old").unwrap();
    std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o600)).unwrap();
    pull_with(&target("modes", "secret.env"), &secret, &moto())
        .await
        .unwrap();
    assert_eq!(std::fs::read(&secret).unwrap(), b"fresh");
    let mode = std::fs::metadata(&secret).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "the pull changed the mode to {mode:o}");

    // A link (as in a ConfigMap folder): the file behind it is replaced, the link stays.
    let real = local.path().join("data").join("real.env");
    std::fs::create_dir(real.parent().unwrap()).unwrap();
    std::fs::write(&real, b"old").unwrap();
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o640)).unwrap();
    let link = local.path().join("linked.env");
    symlink("data/real.env", &link).unwrap();
    pull_with(&target("modes", "secret.env"), &link, &moto())
        .await
        .unwrap();
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(std::fs::read(&real).unwrap(), b"fresh");
    let mode = std::fs::metadata(&real).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o640);
    assert_eq!(names_in(real.parent().unwrap()), ["real.env"]);
}
