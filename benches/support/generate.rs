//! Generates realistic scripts of a given size for the benchmarks: a mix
//! of every action, with clauses, comments, interpolation and parallel
//! groups, with service-style names and paths, about 50 bytes per step
//! (10,000 steps are about 500 KB).

pub fn script(steps: usize) -> String {
    let mut out = String::with_capacity(steps * 56);
    out.push_str(
        "# generated benchmark script\nretry backoff 3 initial 1s max 30s\ndefaults timeout 45s\n",
    );
    let mut i = 0;
    while i < steps {
        match i % 10 {
            0 => out.push_str(&format!(
                "wait tcp postgres-{i}.db.internal:5432 timeout 30s on-fail warn\n"
            )),
            1 => out.push_str(&format!(
                "wait http http://api-{i}.svc.local:8080/healthz status 200..299\n"
            )),
            2 => out.push_str(&format!(
                "run \"./bin/migrate up --step {i} --verbose\" timeout 5m retry 2\n"
            )),
            3 => out.push_str(&format!(
                "wait file /var/run/app/ready-{i}.flag every 250ms # written by the app\n"
            )),
            4 => out.push_str(&format!(
                "start [\"./bin/worker\", \"--queue\", \"jobs-{i}\"] as worker-{i}\n"
            )),
            5 => out.push_str(&format!(
                "wait tcp ${{CACHE_HOST_{i}:-redis.internal}}:{} closed\n",
                1000 + i % 60000
            )),
            6 => out.push_str("sleep 250ms\n"),
            7 => out.push_str(&format!(
                "run ['./bin/check', '--id', '{i}'] env MODE=prod RUN_ID={i} cwd /srv/app\n"
            )),
            8 => {
                out.push_str(&format!(
                    "parallel as group-{i} timeout 2m {{\n    wait tcp kafka-{i}.internal:9092\n    wait tcp zookeeper-{i}.internal:2181\n}}\n"
                ));
                i += 2;
            }
            _ => out.push_str(&format!(
                "wait http https://auth-{i}.example.com/ready body contains \"ok\"\n"
            )),
        }
        i += 1;
    }
    out
}

/// A script of roughly `bytes` bytes.
pub fn script_of_size(bytes: usize) -> String {
    let sample = 10_000;
    let per_step = script(sample).len() as f64 / sample as f64;
    script((bytes as f64 / per_step) as usize)
}
