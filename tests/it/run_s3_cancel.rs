//! Cancelling or breaking off `s3 pull` / `s3 push` halfway leaves nothing
//! partial behind: tested against moto and a fake server that stalls or
//! hangs up mid-download.

use crate::support::s3_fixtures as fixtures;
use crate::support::s3_server;
use crate::support::stalling_http;

use fixtures::{MIB, PATIENCE, head, moto, names_in, settings, target};
use s3_server::S3Server;
use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};
use zinit::run::s3::{pull_with, push_with};

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
