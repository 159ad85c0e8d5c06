//! `zinit check` speed: in-process on 10,000 and 100,000 steps (linearity),
//! and the real binary on a 10 MB script side by side with `wc -w`.
//!
//! Run: `cargo bench --bench check_speed`. Prints a table; never asserts.

#[path = "support/generate.rs"]
mod generate;

// The allocator the `zinit` binary uses (src/main.rs), so the in-process
// figures measure what ships.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};
use zinit::check::{CheckOptions, check_source};

fn best_of<T>(runs: usize, mut f: impl FnMut() -> T) -> Duration {
    best_of_with_cpu(runs, &mut f).0
}

/// The shortest wall time and the smallest CPU time (all threads of this
/// process) of `runs` runs. Large scripts are parsed on several threads, so
/// linearity is judged on CPU time too: wall time alone would flatter it.
/// The result is dropped after the clock stops: freeing the tree is the
/// caller's business (`zinit check` leaves it to the OS), not the check's.
fn best_of_with_cpu<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, Duration) {
    let mut best = (Duration::MAX, Duration::MAX);
    for _ in 0..runs {
        let (start, cpu_start) = (Instant::now(), cpu_time());
        let result = std::hint::black_box(f());
        best.0 = best.0.min(start.elapsed());
        best.1 = best.1.min(cpu_time().saturating_sub(cpu_start));
        drop(result);
    }
    best
}

/// User and system time of this process so far.
fn cpu_time() -> Duration {
    use nix::sys::resource::{UsageWho, getrusage};
    let usage = getrusage(UsageWho::RUSAGE_SELF).expect("getrusage");
    let time = |t: nix::sys::time::TimeVal| {
        Duration::from_secs(t.tv_sec() as u64) + Duration::from_micros(t.tv_usec() as u64)
    };
    time(usage.user_time()) + time(usage.system_time())
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
    let t_small = best_of_with_cpu(20, || check_source(&small, &options));
    let t_large = best_of_with_cpu(5, || check_source(&large, &options));
    println!("check_source, in process (best of runs; CPU = all threads)");
    println!(
        "  10,000 steps ({:>6} KB): {:>8.2} ms wall {:>8.2} ms CPU",
        small.len() / 1000,
        ms(t_small.0),
        ms(t_small.1)
    );
    println!(
        "  100,000 steps ({:>5} KB): {:>8.2} ms wall {:>8.2} ms CPU",
        large.len() / 1000,
        ms(t_large.0),
        ms(t_large.1)
    );
    println!(
        "  10x input -> {:.2}x wall, {:.2}x CPU (goal <= 11x)",
        t_large.0.as_secs_f64() / t_small.0.as_secs_f64(),
        t_large.1.as_secs_f64() / t_small.1.as_secs_f64()
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
