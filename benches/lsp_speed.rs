//! `zinit lsp`: how long after a change to a 5,000-line document its
//! diagnostics are published again, through the real binary over stdio
//! (framing, JSON, the check, and the answer — what an editor waits for).
//!
//! Run: `cargo bench --bench lsp_speed`. Prints a table; never asserts.

#[allow(dead_code)] // the sized generator is check_speed's
#[path = "support/generate.rs"]
mod generate;
#[path = "../tests/it/support/lsp.rs"]
mod lsp;

use lsp::Client;
use serde_json::json;
use std::time::{Duration, Instant};

const LINES: usize = 5_000;
const ROUNDS: usize = 100;
const URI: &str = "file:///bench/large.zinit";

fn main() {
    let text = document(LINES);
    let lines = text.lines().count();
    // The change: on a line in the middle, `timeout 30s` loses and regains
    // its unit, so every other round publishes one E020 more.
    let target = text
        .lines()
        .enumerate()
        .skip(lines / 2)
        .find_map(|(n, line)| {
            line.find("timeout 30s")
                .map(|col| (n, col + "timeout 30".len()))
        })
        .expect("a `timeout 30s` line");
    let (mut client, _) = Client::initialized();
    let opened = Instant::now();
    let first = client.open(URI, &text);
    let open_time = opened.elapsed();
    let baseline = first["diagnostics"].as_array().unwrap().len();
    let mut times = Vec::with_capacity(ROUNDS);
    for round in 0..ROUNDS {
        let version = round as i64 + 2;
        let (line, col) = target;
        let change = if round % 2 == 0 {
            json!({"range": {"start": {"line": line, "character": col}, "end": {"line": line, "character": col + 1}}, "text": ""})
        } else {
            json!({"range": {"start": {"line": line, "character": col}, "end": {"line": line, "character": col}}, "text": "s"})
        };
        let sent = Instant::now();
        client.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": URI, "version": version}, "contentChanges": [change]}),
        );
        let published = client
            .wait_for(|m| {
                m["method"] == "textDocument/publishDiagnostics"
                    && m["params"]["version"] == version
            })
            .expect("diagnostics republished");
        times.push(sent.elapsed());
        let count = published["params"]["diagnostics"].as_array().unwrap().len();
        assert_eq!(count, baseline + (round + 1) % 2, "round {round}");
    }
    assert_eq!(client.shutdown(), Some(0));
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let pick = |q: f64| times[((times.len() - 1) as f64 * q) as usize];
    println!("zinit lsp: didChange → publishDiagnostics, real binary over stdio");
    println!(
        "  document: {lines} lines, {} KB; open + first diagnostics {:.2} ms",
        text.len() / 1000,
        ms(open_time)
    );
    println!(
        "  {ROUNDS} changes: best {:.2} ms, median {:.2} ms, p90 {:.2} ms, worst {:.2} ms",
        ms(times[0]),
        ms(pick(0.5)),
        ms(pick(0.9)),
        ms(*times.last().unwrap())
    );
}

/// A generated script of at least `lines` lines.
fn document(lines: usize) -> String {
    let mut steps = lines;
    loop {
        let text = generate::script(steps);
        if text.lines().count() >= lines {
            return text;
        }
        steps += lines / 10;
    }
}
