use super::*;

fn queued(sink: &Sink) -> Vec<String> {
    sink.state()
        .queue
        .iter()
        .map(|e| match e {
            Entry::Text(t) => t.clone(),
            Entry::Dropped(n) => dropped_notice(*n),
        })
        .collect()
}

#[test]
fn chunks_end_at_line_ends() {
    let text = b"aaaa\nbb\ncccccc\nd\n";
    let chunks: Vec<&[u8]> = line_chunks(text, 8).collect();
    assert_eq!(chunks, [&b"aaaa\nbb\n"[..], b"cccccc\n", b"d\n"]);
    // A line longer than the size is cut where it must be.
    let chunks: Vec<&[u8]> = line_chunks(b"0123456789\n", 4).collect();
    assert_eq!(chunks.concat(), b"0123456789\n");
    assert!(chunks.iter().all(|c| c.len() <= 4));
}

#[test]
fn a_full_queue_drops_and_counts_in_place() {
    // No writer thread: nothing is taken off the queue.
    let sink = Sink {
        shared: Arc::new(Shared {
            state: Mutex::new(State::default()),
            changed: Condvar::new(),
        }),
    };
    for i in 0..QUEUE_LINES + 5 {
        sink.line(i.to_string());
    }
    let lines = queued(&sink);
    assert_eq!(lines.len(), QUEUE_LINES + 1);
    assert_eq!(lines[QUEUE_LINES - 1], (QUEUE_LINES - 1).to_string());
    assert_eq!(lines[QUEUE_LINES], dropped_notice(5));
    assert!(dropped_notice(1).contains("1 line dropped"));
    // zinit's own lines get through a full queue, after the count.
    sink.line_kept("step ended".into());
    let lines = queued(&sink);
    assert_eq!(lines.len(), QUEUE_LINES + 2);
    assert_eq!(lines[QUEUE_LINES + 1], "step ended");
    let event: serde_json::Value = serde_json::from_str(&dropped_event(5)).unwrap();
    assert_eq!(event["event"], "lines_dropped");
    assert_eq!(event["lines"], 5);
}

/// Polls `path` until it holds `want` lines, for at most 2 s.
fn wait_for_lines(path: &std::path::Path, want: usize) -> String {
    let until = Instant::now() + Duration::from_secs(2);
    loop {
        let text = std::fs::read_to_string(path).unwrap();
        if text.lines().count() >= want || Instant::now() > until {
            return text;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
}

#[test]
fn lines_queued_while_the_writer_lingers_are_written_without_a_drain() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out");
    let sink = Sink::start(Target::File(std::fs::File::create(&path).unwrap()));
    sink.line("one".into());
    assert_eq!(wait_for_lines(&path, 1), "one\n");
    // Queued while the writer lingers after writing "one", or after it.
    for line in ["two", "three"] {
        sink.line(line.into());
    }
    assert_eq!(wait_for_lines(&path, 3), "one\ntwo\nthree\n");
    sink.close();
}

#[test]
fn a_drain_returns_only_once_every_line_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out");
    let sink = Sink::start(Target::File(std::fs::File::create(&path).unwrap()));
    for round in 0..200 {
        sink.line(format!("line {round}"));
        sink.drain();
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(
            text.lines().count(),
            round + 1,
            "drained before writing: {text}"
        );
    }
    sink.close();
}
