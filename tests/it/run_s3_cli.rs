//! `s3 pull` / `s3 push` steps through `zinit run`, against the moto server
//! on 127.0.0.1 (see tests/support/s3_server.rs).

use crate::support::s3_server;

use crate::support::cli::Zinit;

fn zinit_run(script: &str) -> std::process::Output {
    Zinit::new()
        .args(["run", "--format", "plain", "-e", script])
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing-secret")
        .output()
}

#[tokio::test]
async fn a_pushed_object_pulls_back_identical() {
    let server = s3_server::server();
    server.create_bucket("zinit-run-e2e").await;
    let dir = tempfile::tempdir().unwrap();
    let local = dir.path().join("seed.sql");
    let back = dir.path().join("back/seed.sql");
    std::fs::write(&local, "insert into t values (1);\n").unwrap();
    let endpoint = &server.endpoint;
    let script = format!(
        "s3 push {} to s3://zinit-run-e2e/seed.sql endpoint {endpoint} region us-east-1\n\
         s3 pull s3://zinit-run-e2e/seed.sql to {} endpoint {endpoint} region us-east-1",
        local.display(),
        back.display()
    );
    let out = zinit_run(&script);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        std::fs::read(&back).unwrap(),
        std::fs::read(&local).unwrap()
    );
}

#[tokio::test]
async fn a_missing_object_fails_the_step_with_the_reason() {
    let server = s3_server::server();
    server.create_bucket("zinit-run-missing").await;
    let dir = tempfile::tempdir().unwrap();
    let script = format!(
        "s3 pull s3://zinit-run-missing/nope to {} endpoint {} timeout 20s",
        dir.path().join("x").display(),
        server.endpoint
    );
    let out = zinit_run(&script);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("not found"), "{stderr}");
    assert!(!dir.path().join("x").exists());
}
