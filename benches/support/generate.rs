//! Generates realistic scripts of a given size for the benchmarks: a mix
//! of every action, with clauses, comments, interpolation and parallel
//! groups, with service-style names and paths, about 50 bytes per step
//! (10,000 steps are about 500 KB).

pub fn script(steps: usize) -> String {
    let mut out = String::with_capacity(steps * 56);
    out.push_str(
        "# generated benchmark script\nretry backoff 3 initial 1s max 30s\ndefaults timeout 45s\n",
    );
    // `i` numbers the lines (names stay unique); a `parallel` group of two
    // members is three steps.
    let (mut i, mut written) = (0, 0);
    while written < steps {
        written += match i % 10 {
            0 => line(
                &mut out,
                format_args!("wait tcp postgres-{i}.db:5432 timeout 30s on-fail warn"),
            ),
            1 => line(
                &mut out,
                format_args!("wait http http://api-{i}.svc:8080/healthz status 200..299"),
            ),
            2 => line(
                &mut out,
                format_args!("run \"./bin/migrate up --step {i}\" timeout 5m retry 2"),
            ),
            3 => line(
                &mut out,
                format_args!("wait file /var/run/app/ready-{i}.flag every 250ms # by the app"),
            ),
            4 => line(
                &mut out,
                format_args!("start [\"./bin/worker\", \"--queue\", \"jobs-{i}\"] as worker-{i}"),
            ),
            5 => line(
                &mut out,
                format_args!(
                    "wait tcp ${{CACHE_HOST_{i}:-redis}}:{} closed",
                    1000 + i % 60000
                ),
            ),
            6 => line(&mut out, format_args!("sleep 250ms")),
            7 => line(
                &mut out,
                format_args!(
                    "run ['./bin/check', '--id', '{i}'] env MODE=prod RUN_ID={i} cwd /srv/app"
                ),
            ),
            8 => {
                line(
                    &mut out,
                    format_args!(
                        "parallel as group-{i} timeout 2m {{\n    wait tcp kafka-{i}.internal:9092\n    wait tcp zk-{i}.internal:2181\n}}"
                    ),
                );
                3
            }
            _ => line(
                &mut out,
                format_args!("wait http https://auth-{i}.example.com/ready body contains \"ok\""),
            ),
        };
        i += 1;
    }
    out
}

/// Appends one line; it holds one step.
fn line(out: &mut String, text: std::fmt::Arguments) -> usize {
    use std::fmt::Write;
    writeln!(out, "{text}").expect("writing to a String");
    1
}

/// A script of roughly `bytes` bytes.
pub fn script_of_size(bytes: usize) -> String {
    let sample = 10_000;
    let per_step = script(sample).len() as f64 / sample as f64;
    script((bytes as f64 / per_step) as usize)
}
