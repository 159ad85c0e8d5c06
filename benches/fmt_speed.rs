//! `zinit fmt` speed: the formatter in process on a 10,000-step script
//! (goal: at most 50 ms), and on 100,000 steps for linearity.
//!
//! Run: `cargo bench --bench fmt_speed`. Prints a table; never asserts a time.

#[path = "support/generate.rs"]
// Shared with check_speed, which uses all of it.
#[allow(dead_code)]
mod generate;

// The allocator the `zinit` binary uses (src/main.rs).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::time::{Duration, Instant};
use zinit::fmt::format;

fn best_of(runs: usize, source: &str) -> Duration {
    (0..runs)
        .map(|_| {
            let start = Instant::now();
            let formatted = std::hint::black_box(format(source));
            let elapsed = start.elapsed();
            drop(formatted);
            elapsed
        })
        .min()
        .unwrap_or_default()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    let small = generate::script(10_000);
    let large = generate::script(100_000);
    let formatted = format(&small).expect("the generated script is valid");
    assert_eq!(
        format(&formatted).expect("formatted text parses"),
        formatted,
        "formatting is idempotent"
    );
    let t_small = best_of(20, &small);
    let t_large = best_of(5, &large);
    println!("fmt::format, in process (best of runs)");
    println!(
        "  10,000 steps ({:>6} KB): {:>8.2} ms (goal <= 50 ms)",
        small.len() / 1000,
        ms(t_small)
    );
    println!(
        "  100,000 steps ({:>5} KB): {:>8.2} ms ({:.2}x for 10x input)",
        large.len() / 1000,
        ms(t_large),
        t_large.as_secs_f64() / t_small.as_secs_f64()
    );
}
