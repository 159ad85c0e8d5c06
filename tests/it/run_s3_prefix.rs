//! `s3 push DIR to s3://BUCKET/PREFIX/` and `s3 pull s3://BUCKET/PREFIX/ to
//! DIR` against the moto server: whole trees both ways, the prefix boundary,
//! folder markers, and the failures a user can run into.

use crate::support::cli::{Zinit, stderr};
use crate::support::s3_fixtures as fixtures;
use crate::support::s3_server;

use fixtures::{MIB, moto, names_in, pattern, target};
use std::path::Path;
use zinit::run::s3::{S3Error, pull_with, push_with};

/// A small tree with a nested folder and a file over one upload part.
fn tree(root: &Path) -> Vec<(&'static str, Vec<u8>)> {
    let files = vec![
        ("index.html", b"<h1>hi</h1>\n".to_vec()),
        ("assets/app.js", b"console.log(1)\n".to_vec()),
        ("assets/img/empty.png", Vec::new()),
        ("data/big.bin", pattern(9 * MIB + 7)),
    ];
    for (name, bytes) in &files {
        let path = root.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    files
}

#[tokio::test]
async fn a_folder_goes_up_below_the_prefix_and_comes_back_whole() {
    let server = s3_server::server();
    server.create_bucket("prefix-trip").await;
    let local = tempfile::tempdir().unwrap();
    let source = local.path().join("site");
    let files = tree(&source);
    let total: usize = files.iter().map(|(_, b)| b.len()).sum();

    let sent = push_with(&source, &target("prefix-trip", "site/v1/"), &moto()).await;
    assert_eq!(sent.unwrap(), total as u64);
    // Neighbours that share the text of the prefix but not its folder.
    let other = local.path().join("other.txt");
    std::fs::write(&other, b"not below the prefix").unwrap();
    for key in ["site/v10/x.txt", "site/v1x", "site/other.txt"] {
        push_with(&other, &target("prefix-trip", key), &moto())
            .await
            .unwrap();
    }
    let keys = server.keys("prefix-trip").await;
    for (name, _) in &files {
        assert!(
            keys.contains(&format!("site/v1/{name}")),
            "{name}: {keys:?}"
        );
    }

    let dest = local.path().join("restored");
    let got = pull_with(&target("prefix-trip", "site/v1/"), &dest, &moto()).await;
    assert_eq!(got.unwrap(), total as u64);
    assert_eq!(names_in(&dest), ["assets", "data", "index.html"]);
    assert_eq!(names_in(&dest.join("assets")), ["app.js", "img"]);
    for (name, bytes) in &files {
        let got = std::fs::read(dest.join(name)).unwrap();
        assert!(got == *bytes, "{name}: bytes differ after the round trip");
    }
}

#[tokio::test]
async fn the_whole_bucket_is_a_prefix_and_a_file_keeps_its_name_below_one() {
    let server = s3_server::server();
    server.create_bucket("whole-bucket").await;
    let local = tempfile::tempdir().unwrap();
    let file = local.path().join("seed.sql");
    std::fs::write(&file, b"select 1;").unwrap();
    push_with(&file, &target("whole-bucket", "dumps/"), &moto())
        .await
        .unwrap();
    push_with(&file, &target("whole-bucket", ""), &moto())
        .await
        .unwrap();
    assert_eq!(
        server.keys("whole-bucket").await,
        ["dumps/seed.sql", "seed.sql"]
    );
    let dest = local.path().join("all");
    pull_with(&target("whole-bucket", ""), &dest, &moto())
        .await
        .unwrap();
    assert_eq!(names_in(&dest), ["dumps", "seed.sql"]);
    assert_eq!(
        std::fs::read(dest.join("dumps/seed.sql")).unwrap(),
        b"select 1;"
    );
}

#[tokio::test]
async fn folder_markers_are_not_pulled_as_files() {
    let server = s3_server::server();
    server.create_bucket("markers").await;
    // What a console's "create folder" stores: an empty object named `dir/`.
    for key in ["conf/", "conf/app/", "conf/app/main.toml"] {
        let body = if key.ends_with('/') { "" } else { "x = 1\n" };
        let put = reqwest::Client::new()
            .put(format!("{}/markers/{key}", server.endpoint))
            .body(body)
            .send()
            .await
            .unwrap();
        assert!(put.status().is_success(), "{key}: {}", put.status());
    }
    let local = tempfile::tempdir().unwrap();
    let dest = local.path().join("conf");
    pull_with(&target("markers", "conf/"), &dest, &moto())
        .await
        .unwrap();
    assert_eq!(names_in(&dest), ["app"]);
    assert_eq!(names_in(&dest.join("app")), ["main.toml"]);
}

#[tokio::test]
async fn an_empty_prefix_is_an_error_and_creates_nothing() {
    let server = s3_server::server();
    server.create_bucket("empty-prefix").await;
    let local = tempfile::tempdir().unwrap();
    let dest = local.path().join("never");
    let err = pull_with(&target("empty-prefix", "nothing/"), &dest, &moto())
        .await
        .unwrap_err();
    assert!(
        matches!(&err, S3Error::Remote { detail, .. } if detail.contains("no object below")),
        "{err}"
    );
    assert!(
        err.to_string().contains("s3://empty-prefix/nothing/"),
        "{err}"
    );
    assert!(!dest.exists());
}

#[tokio::test]
async fn a_prefix_is_not_pulled_over_a_file_and_a_failure_leaves_only_whole_files() {
    let server = s3_server::server();
    server.create_bucket("prefix-clash").await;
    let local = tempfile::tempdir().unwrap();
    let source = local.path().join("src");
    tree(&source);
    push_with(&source, &target("prefix-clash", "t/"), &moto())
        .await
        .unwrap();

    let file = local.path().join("a-file");
    std::fs::write(&file, b"keep me").unwrap();
    let err = pull_with(&target("prefix-clash", "t/"), &file, &moto())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("is a file"), "{err}");
    assert_eq!(std::fs::read(&file).unwrap(), b"keep me");

    // `data/big.bin` cannot be written (a folder is in its place): the pull
    // fails there, with the files before it complete and no partial file.
    let dest = local.path().join("dest");
    std::fs::create_dir_all(dest.join("data/big.bin")).unwrap();
    let err = pull_with(&target("prefix-clash", "t/"), &dest, &moto())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("is a directory"), "{err}");
    assert_eq!(
        std::fs::read(dest.join("assets/app.js")).unwrap(),
        b"console.log(1)\n"
    );
    assert_eq!(names_in(&dest.join("data")), ["big.bin"]);
    assert!(names_in(&dest.join("data/big.bin")).is_empty());
}

#[test]
fn the_binary_pushes_and_pulls_a_prefix() {
    let server = s3_server::server();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(server.create_bucket("prefix-cli"));
    let local = tempfile::tempdir().unwrap();
    let source = local.path().join("site");
    let files = tree(&source);
    let script = format!(
        "s3 push {src}/ to s3://prefix-cli/www/ endpoint {e}\n\
         s3 pull s3://prefix-cli/www/ to {dst}/ endpoint {e}\n",
        src = source.display(),
        dst = local.path().join("copy").display(),
        e = server.endpoint,
    );
    let out = Zinit::new()
        .args(["run", "--format", "plain", "-e", &script])
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing-secret")
        .output();
    assert!(out.status.success(), "{}", stderr(&out));
    for (name, bytes) in &files {
        let got = std::fs::read(local.path().join("copy").join(name)).unwrap();
        assert!(got == *bytes, "{name} differs");
    }
}
