//! Latency of `wait log`: from the moment a service writes the line a wait
//! looks for to the moment the engine reports that wait as ended (its
//! `step_ended` event), in the real engine with a real child process.
//!
//! One service (Python, for a clock read right before the write) prints
//! `mark K <ns since the epoch>` every 20 ms; the script has one
//! `wait log svc contains "mark K "` step per mark, each begun before its
//! line comes. A reporter stamps each `step_ended` with the same clock. The
//! goal (issue #9) is a median of 1 ms or less.
//!
//! Run: `cargo bench --bench log_wait`. Prints the figures; never asserts.

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use zinit::run::event::{Event, Reporter};

const MARKS: usize = 200;
const ROUNDS: usize = 3;

/// Step ids with the time (ns since the epoch) each `wait log` ended.
#[derive(Default)]
struct Stamps(Mutex<Vec<(String, u128)>>);

impl Reporter for Stamps {
    fn event(&self, event: &Event) {
        if let Event::StepEnded { step, .. } = event {
            let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
            self.0.lock().unwrap().push((step.clone(), now.as_nanos()));
        }
    }
}

fn script(marks: usize) -> String {
    // Marks start after the first wait has surely begun.
    let service = format!(
        "import time\\n\
         time.sleep(0.3)\\n\
         for k in range({marks}):\\n\
         \x20   print(f'mark {{k}} {{time.time_ns()}}', flush=True)\\n\
         \x20   time.sleep(0.02)\\n\
         time.sleep(30)\\n"
    );
    let mut script = format!("start [\"python3\", \"-c\", \"{service}\"] as svc\n");
    for k in 0..marks {
        script.push_str(&format!(
            "wait log svc contains \"mark {k} \" as mark-{k} timeout 10s\n"
        ));
    }
    script
}

/// Latencies of one run, in microseconds.
fn round() -> Vec<f64> {
    let text = script(MARKS);
    let parsed = zinit::syntax::parse(&text);
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
    let plan = zinit::plan::compile(&parsed.script);
    let plan = zinit::run::resolve::resolve_plan(&plan, &zinit::check::env::Env::from_process())
        .expect("the script resolves");
    let stamps = Arc::new(Stamps::default());
    let lines = Arc::new(Lines::default());
    let reporter = Arc::new(Both(stamps.clone(), lines.clone()));
    let options = zinit::run::Options {
        grace: Duration::from_millis(200),
        ..zinit::run::Options::default()
    };
    let code = zinit::run::execute(&plan, &options, reporter);
    assert_eq!(code, 0, "the run failed");
    let written = lines.0.lock().unwrap();
    let ended = stamps.0.lock().unwrap();
    (0..MARKS)
        .filter_map(|k| {
            let id = format!("mark-{k}");
            let end = ended.iter().find(|(s, _)| *s == id)?.1;
            let prefix = format!("mark {k} ");
            let at: u128 = written
                .iter()
                .find_map(|l| l.strip_prefix(&prefix))?
                .parse()
                .ok()?;
            Some((end.saturating_sub(at)) as f64 / 1000.0)
        })
        .collect()
}

/// The service's lines, as the engine reported them.
#[derive(Default)]
struct Lines(Mutex<Vec<String>>);

struct Both(Arc<Stamps>, Arc<Lines>);

impl Reporter for Both {
    fn event(&self, event: &Event) {
        self.0.event(event);
        if let Event::Output { line, .. } = event {
            self.1.0.lock().unwrap().push(line.clone());
        }
    }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn main() {
    if std::process::Command::new("python3")
        .arg("-c")
        .arg("")
        .status()
        .map_or(true, |s| !s.success())
    {
        println!("log_wait: python3 is missing (apt-get install python3); skipped");
        return;
    }
    let mut samples = Vec::new();
    for _ in 0..ROUNDS {
        samples.extend(round());
    }
    samples.sort_by(f64::total_cmp);
    println!(
        "wait log: write → match, {} samples: median {:.3} ms, p90 {:.3} ms, p99 {:.3} ms, max {:.3} ms (goal: median ≤ 1 ms)",
        samples.len(),
        percentile(&samples, 0.5) / 1000.0,
        percentile(&samples, 0.9) / 1000.0,
        percentile(&samples, 0.99) / 1000.0,
        samples.last().copied().unwrap_or_default() / 1000.0,
    );
}
