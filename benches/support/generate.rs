//! Generates realistic scripts of a given size for the benchmarks: a mix
//! of every action, with clauses, comments, interpolation and parallel
//! groups, about 50 bytes per step.

pub fn script(steps: usize) -> String {
    let mut out = String::with_capacity(steps * 52);
    out.push_str(
        "# generated benchmark script\nretry backoff 3 initial 1s max 30s\ndefaults timeout 45s\n",
    );
    let mut i = 0;
    while i < steps {
        match i % 10 {
            0 => out.push_str(&format!("wait tcp db-{i}:5432 timeout 30s on-fail warn\n")),
            1 => out.push_str(&format!(
                "wait http http://api-{i}:8080/health status 200\n"
            )),
            2 => out.push_str(&format!(
                "run \"./migrate up --step {i}\" timeout 5m retry 2\n"
            )),
            3 => out.push_str(&format!("wait file /run/ready-{i} every 250ms # comment\n")),
            4 => out.push_str(&format!(
                "start [\"./svc\", \"--id\", \"{i}\"] as svc-{i}\n"
            )),
            5 => out.push_str(&format!(
                "wait tcp ${{HOST_{i}:-h}}:{} closed\n",
                1000 + i % 60000
            )),
            6 => out.push_str("sleep 250ms\n"),
            7 => out.push_str(&format!("run ['./check', '{i}'] env K{i}=v cwd /tmp\n")),
            8 => {
                out.push_str(&format!(
                    "parallel as group-{i} {{\n    wait tcp a-{i}:1\n    wait tcp b-{i}:2\n}}\n"
                ));
                i += 2;
            }
            _ => out.push_str(&format!("wait http https://x{i}/ body contains \"ok\"\n")),
        }
        i += 1;
    }
    out
}

/// A script of roughly `bytes` bytes.
pub fn script_of_size(bytes: usize) -> String {
    let per_step = script(1000).len() / 1000;
    script(bytes / per_step.max(1))
}
