use super::*;
use crate::plan::model::{OnFail, StepRetry};
use crate::run::action::resources::Resources;
use crate::run::event::{Event, Reporter};
use crate::run::model::{RunAction, RunStep};
use tokio_util::sync::CancellationToken;

struct Quiet;

impl Reporter for Quiet {
    fn event(&self, _: &Event) {}
}

fn step(every: Duration) -> RunStep {
    RunStep {
        id: "file".into(),
        action: RunAction::Sleep(Duration::ZERO),
        timeout: Some(Duration::from_secs(10)),
        on_fail: OnFail::Fail,
        retry: StepRetry::none(),
        poll: every,
    }
}

/// Runs one attempt of a file wait, with events or polling, while `act`
/// changes the file system from another thread.
fn attempt(
    timeout: Duration,
    path: &Path,
    gone: bool,
    polling: bool,
    every: Duration,
    act: impl FnOnce() + Send + 'static,
) -> Attempt {
    let paths = [path.to_path_buf()];
    let (mut results, _) = in_one_run(&paths, gone, polling, every, timeout, act);
    results.remove(0)
}

/// Runs the waits for `paths` at once in one run (sharing its inotify
/// instance, unless `polling`) while `act` changes the file system; their
/// results, and whether the instance is still open once they ended.
fn in_one_run(
    paths: &[std::path::PathBuf],
    gone: bool,
    polling: bool,
    every: Duration,
    timeout: Duration,
    act: impl FnOnce() + Send + 'static,
) -> (Vec<Attempt>, bool) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let resources = Resources::new(
        Arc::new(Quiet),
        Duration::from_millis(100),
        CancellationToken::new(),
        false,
    );
    let mut step = step(every);
    step.timeout = Some(timeout);
    let actor = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(100));
        act();
    });
    let results = runtime.block_on(async {
        let ctx = AttemptCtx {
            resources: &resources,
            step: &step,
            deadline: Some(tokio::time::Instant::now() + timeout),
            cancel: CancellationToken::new(),
        };
        let waits = paths.iter().map(|path| async {
            if polling {
                wait_with(&ctx, path, gone, None).await
            } else {
                wait(&ctx, path, gone).await
            }
        });
        futures_util::future::join_all(waits).await
    });
    actor.join().unwrap();
    let open = resources.file_waits().is_open();
    (results, open)
}

/// Long enough for a loaded machine; the waits end by events well before.
const LONG: Duration = Duration::from_secs(10);

/// A cadence (and so a re-check) far longer than the timeout: only an
/// event can end these waits before they time out.
const SLOW: Duration = Duration::from_secs(30);

#[test]
fn parents_that_do_not_exist_yet_are_watched_from_the_nearest_ancestor() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a/b/c/ready");
    let dirs = watched_dirs(&path);
    // Only the nearest: a watch on `/tmp` or `/` costs a walk of every
    // name the kernel has cached there.
    assert_eq!(dirs, vec![dir.path().to_path_buf()]);
    let target = path.clone();
    let result = attempt(LONG, &path, false, false, SLOW, move || {
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(&target, "x").unwrap();
    });
    assert_eq!(result, Attempt::Ok);
}

/// Waits for `wait` (under a temporary directory) while `from` is renamed to `to`.
fn renamed_into_place(wait: &str, from: &str, to: &str, staged_file: &str) -> Attempt {
    let dir = tempfile::tempdir().unwrap();
    let (from, to) = (dir.path().join(from), dir.path().join(to));
    if let Some(parent) = dir.path().join(staged_file).parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(dir.path().join(staged_file), "x").unwrap();
    attempt(
        LONG,
        &dir.path().join(wait),
        false,
        false,
        SLOW,
        move || {
            std::fs::rename(&from, &to).unwrap();
        },
    )
}

#[test]
fn a_file_or_directory_renamed_into_place_counts() {
    let file = renamed_into_place("ready", "ready.tmp", "ready", "ready.tmp");
    assert_eq!(file, Attempt::Ok);
    let dir = renamed_into_place("app/ready", "staging", "app", "staging/ready");
    assert_eq!(dir, Attempt::Ok);
}

#[test]
fn gone_sees_a_removal_and_a_rename_away() {
    let dir = tempfile::tempdir().unwrap();
    let removed = dir.path().join("lock");
    std::fs::write(&removed, "x").unwrap();
    let target = removed.clone();
    let result = attempt(LONG, &removed, true, false, SLOW, move || {
        std::fs::remove_file(&target).unwrap();
    });
    assert_eq!(result, Attempt::Ok);

    // The parent directory moves away: the path is gone with it.
    let parent = dir.path().join("run");
    std::fs::create_dir(&parent).unwrap();
    std::fs::write(parent.join("pid"), "1").unwrap();
    let moved = dir.path().join("run.old");
    let result = attempt(LONG, &parent.join("pid"), true, false, SLOW, move || {
        std::fs::rename(&parent, &moved).unwrap();
    });
    assert_eq!(result, Attempt::Ok);
}

#[test]
fn polling_finds_the_file_without_inotify() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x/ready");
    let target = path.clone();
    let result = attempt(
        LONG,
        &path,
        false,
        true,
        Duration::from_millis(5),
        move || {
            std::fs::create_dir_all(target.parent().unwrap()).unwrap();
            std::fs::write(&target, "x").unwrap();
        },
    );
    assert_eq!(result, Attempt::Ok);
    let gone = path.clone();
    let result = attempt(
        LONG,
        &path,
        true,
        true,
        Duration::from_millis(5),
        move || {
            std::fs::remove_file(&gone).unwrap();
        },
    );
    assert_eq!(result, Attempt::Ok);
}

#[test]
fn a_timeout_names_what_was_missing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("never");
    let every = Duration::from_millis(5);
    let result = attempt(
        Duration::from_millis(100),
        &path,
        false,
        false,
        every,
        || {},
    );
    let Attempt::TimedOut { reason, .. } = result else {
        panic!("{result:?}");
    };
    assert!(reason.contains("never: not found"), "{reason}");
}

/// The waits for `paths` at once, ended by events only (see [`SLOW`]).
fn together(
    paths: &[std::path::PathBuf],
    act: impl FnOnce() + Send + 'static,
) -> (Vec<Attempt>, bool) {
    in_one_run(paths, false, false, SLOW, LONG, act)
}

#[test]
fn more_waits_than_the_kernel_allows_inotify_instances_all_end_by_events() {
    // 128 instances per user is the kernel's default; one per wait polled
    // past that, here at a cadence far beyond the timeout.
    let dir = tempfile::tempdir().unwrap();
    let paths: Vec<_> = (0..300)
        .map(|i| dir.path().join(format!("later/{i}")))
        .collect();
    let made = paths.clone();
    let (results, open) = together(&paths, move || {
        std::fs::create_dir(made[0].parent().unwrap()).unwrap();
        for path in &made {
            std::fs::write(path, "x").unwrap();
        }
    });
    assert!(results.iter().all(|r| *r == Attempt::Ok), "{results:?}");
    assert!(!open, "the instance outlived the waits");
}

#[test]
fn a_wait_that_ends_keeps_the_watch_another_wait_shares() {
    let dir = tempfile::tempdir().unwrap();
    let (first, second) = (dir.path().join("first"), dir.path().join("second"));
    let (a, b) = (first.clone(), second.clone());
    let (results, open) = together(&[first, second], move || {
        std::fs::write(&a, "x").unwrap();
        // The first wait has ended and let go of the directory's watch by
        // now; the second must still hear of its file.
        std::thread::sleep(Duration::from_millis(300));
        std::fs::write(&b, "x").unwrap();
    });
    assert_eq!(results, [Attempt::Ok, Attempt::Ok]);
    assert!(!open, "the instance outlived the waits");
}
