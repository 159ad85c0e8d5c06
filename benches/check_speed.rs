//! `zinit check` speed: in-process on 10,000 and 100,000 steps (linearity),
//! and the real binary on a 10 MB script side by side with `wc -w`.
//!
//! Run: `cargo bench --bench check_speed`. Prints a table; never asserts.

#[path = "support/generate.rs"]
mod generate;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};
use zinit::check::{CheckOptions, check_source};

fn best_of<T>(runs: usize, mut f: impl FnMut() -> T) -> Duration {
    (0..runs)
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(f());
            start.elapsed()
        })
        .min()
        .expect("at least one run")
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    // `-- --write DIR`: only write the generated scripts, for profiling.
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--write") {
        let dir = Path::new(args.get(i + 1).expect("--write DIR"));
        std::fs::write(dir.join("10k.zinit"), generate::script(10_000)).expect("write");
        std::fs::write(dir.join("10mb.zinit"), generate::script_of_size(10_000_000))
            .expect("write");
        return;
    }
    let options = CheckOptions::default();
    let small = generate::script(10_000);
    let large = generate::script(100_000);
    let checked = check_source(&small, &options);
    assert!(
        checked.diagnostics.iter().all(|d| !d.is_error()),
        "generated script must be valid: {:?}",
        checked.diagnostics.iter().find(|d| d.is_error())
    );
    let t_small = best_of(20, || check_source(&small, &options));
    let t_large = best_of(5, || check_source(&large, &options));
    println!("check_source, in process (best of runs)");
    println!(
        "  10,000 steps ({:>6} KB): {:>8.2} ms",
        small.len() / 1000,
        ms(t_small)
    );
    println!(
        "  100,000 steps ({:>5} KB): {:>8.2} ms",
        large.len() / 1000,
        ms(t_large)
    );
    println!(
        "  10x input -> {:.2}x time (goal <= 11x)",
        t_large.as_secs_f64() / t_small.as_secs_f64()
    );

    let dir = tempfile::tempdir().expect("temp dir");
    let small_file = dir.path().join("10k.zinit");
    std::fs::write(&small_file, &small).expect("write script");
    let big_file = dir.path().join("10mb.zinit");
    std::fs::write(&big_file, generate::script_of_size(10_000_000)).expect("write script");
    let zinit = env!("CARGO_BIN_EXE_zinit");
    let t_bin_small = best_of(10, || {
        run(zinit, &["check", "--format", "short"], &small_file)
    });
    let t_zinit = best_of(5, || run(zinit, &["check", "--format", "short"], &big_file));
    let t_wc = best_of(5, || run("wc", &["-w"], &big_file));
    println!("real binary (best of runs, process start included)");
    println!("  zinit check 10,000 steps: {:>8.2} ms", ms(t_bin_small));
    println!("  zinit check 10 MB:        {:>8.2} ms", ms(t_zinit));
    println!("  wc -w       10 MB:        {:>8.2} ms", ms(t_wc));
    println!(
        "  zinit / wc -w = {:.2}x (goal <= 3x)",
        t_zinit.as_secs_f64() / t_wc.as_secs_f64()
    );
}

fn run(program: &str, args: &[&str], file: &Path) {
    let status = Command::new(program)
        .args(args)
        .arg(file)
        .stdout(std::process::Stdio::null())
        .status()
        .expect("spawn");
    assert!(
        status.code().is_some_and(|c| c <= 1),
        "{program} failed: {status}"
    );
}
