//! `zinit plan --format k8s|compose`: manifests the real schemas accept
//! (the Kubernetes OpenAPI schemas through `kubernetes-validate`, the
//! Compose specification through `check-jsonschema`, both offline), the
//! examples' YAML as snapshotted, and the per-step report on stderr.

use crate::support::cli::{Zinit, stderr, stdout};
use crate::support::requirements::python_with;
use std::path::{Path, PathBuf};
use std::process::Command;
use zinit::check::{CheckOptions, check_source};
use zinit::plan::env::Env;
use zinit::plan::translate::{Input, Options, Outcome, Report};
use zinit::plan::{compile, compose, k8s};

const KUBERNETES_VALIDATE: &str = "kubernetes-validate==1.37.0";
const CHECK_JSONSCHEMA: &str = "check-jsonschema==0.39.0";

#[derive(Clone, Copy, PartialEq)]
enum Format {
    K8s,
    Compose,
}

/// The YAML and report of a script, as `zinit plan` writes them.
fn export(source: &str, file: &str, format: Format, options: &Options) -> (String, Report) {
    let checked = check_source(source, &CheckOptions::default());
    assert!(!checked.has_errors(), "{file}: {:?}", checked.diagnostics);
    let plan = compile(&checked.script);
    let env = Env::empty();
    let input = Input {
        plan: &plan,
        script: &checked.script,
        source,
        file,
        env: &env,
    };
    let exported = match format {
        Format::K8s => k8s::export(&input, options).map(|e| (e.yaml, e.report)),
        Format::Compose => compose::export(&input, options).map(|e| (e.yaml, e.report)),
    };
    exported.unwrap_or_else(|e| panic!("{file}: {e:?}"))
}

fn scripts() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paths = Vec::new();
    for dir in ["examples", "tests/fixtures/ok"] {
        for entry in std::fs::read_dir(root.join(dir)).expect("script folder") {
            let path = entry.expect("dir entry").path();
            if path.extension().is_some_and(|e| e == "zinit") {
                paths.push(path);
            }
        }
    }
    paths.sort();
    assert!(paths.len() > 20, "examples and fixtures found: {paths:?}");
    paths
}

/// Every example and valid fixture, exported both ways into `dir`.
fn export_all(dir: &Path, format: Format) -> Vec<PathBuf> {
    let options = Options {
        image: Some("registry.example/app:1".into()),
        command: vec!["./server".into(), "--port".into(), "8080".into()],
        ..Options::default()
    };
    let suffix = if format == Format::K8s {
        "k8s"
    } else {
        "compose"
    };
    scripts()
        .iter()
        .map(|path| {
            let source = std::fs::read_to_string(path).expect("script readable");
            let name = path.to_string_lossy().replace('/', "_");
            let (yaml, _) = export(&source, &path.to_string_lossy(), format, &options);
            let out = dir.join(format!("{name}.{suffix}.yaml"));
            std::fs::write(&out, yaml).expect("write manifest");
            out
        })
        .collect()
}

fn validate(program: &[&str], python: &Path, files: &[PathBuf]) -> (bool, String) {
    let output = Command::new(python)
        .args(program)
        .args(files)
        .output()
        .expect("validator runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

const KUBE_ARGS: &[&str] = &["-m", "kubernetes_validate", "--strict"];
const COMPOSE_ARGS: &[&str] = &[
    "-m",
    "check_jsonschema",
    "--builtin-schema",
    "vendor.compose-spec",
];

#[test]
fn every_script_exports_to_k8s_that_the_kubernetes_schemas_accept() {
    let python = python_with(&["kubernetes_validate"], KUBERNETES_VALIDATE);
    let dir = tempfile::tempdir().expect("temp dir");
    let files = export_all(dir.path(), Format::K8s);
    let (ok, text) = validate(KUBE_ARGS, &python, &files);
    assert!(ok, "{text}");
    // Each file's PodTemplate was validated (the ConfigMap too where there is one).
    let pods = text.matches("passed for resource podtemplate/").count();
    assert_eq!(pods, files.len(), "{text}");
    assert!(text.contains("passed for resource configmap/"), "{text}");

    // The validator is real: a wrong type is refused.
    let (ok, text) = validate_broken(
        KUBE_ARGS,
        &python,
        &files[0],
        "image: ",
        "imagePullPolicy: 3\n      image: ",
    );
    assert!(!ok && text.contains("imagePullPolicy"), "{text}");
}

#[test]
fn every_script_exports_to_compose_that_the_compose_specification_accepts() {
    let python = python_with(&["check_jsonschema"], CHECK_JSONSCHEMA);
    let dir = tempfile::tempdir().expect("temp dir");
    let files = export_all(dir.path(), Format::Compose);
    let (ok, text) = validate(COMPOSE_ARGS, &python, &files);
    assert!(ok, "{text}");
    assert!(text.contains("ok -- validation done"), "{text}");
    let (ok, text) = validate_broken(
        COMPOSE_ARGS,
        &python,
        &files[0],
        "service_completed_successfully",
        "service_done",
    );
    assert!(!ok && text.contains("broken.yaml"), "{text}");
}

/// The validator's verdict on a copy of `file` with `from` replaced.
fn validate_broken(
    program: &[&str],
    python: &Path,
    file: &Path,
    from: &str,
    to: &str,
) -> (bool, String) {
    let broken = file.with_file_name("broken.yaml");
    let yaml = std::fs::read_to_string(file).expect("manifest");
    assert!(yaml.contains(from), "{yaml}");
    std::fs::write(&broken, yaml.replace(from, to)).expect("write");
    validate(program, python, &[broken])
}

/// The examples' manifests and reports, as the book shows them.
#[test]
fn examples_export_as_snapshotted() {
    insta::glob!("../../examples", "*.zinit", |path| {
        let source = std::fs::read_to_string(path).expect("example readable");
        let file = format!(
            "examples/{}",
            path.file_name().expect("name").to_string_lossy()
        );
        let options = Options {
            image: Some("registry.example/app:1".into()),
            command: vec!["./server".into()],
            ..Options::default()
        };
        for (format, name) in [(Format::K8s, "k8s"), (Format::Compose, "compose")] {
            let (yaml, report) = export(&source, &file, format, &options);
            insta::assert_snapshot!(name, format!("{report}\n{yaml}"));
        }
    });
}

fn documents(yaml: &str) -> Vec<serde_norway::Value> {
    use serde::Deserialize;
    serde_norway::Deserializer::from_str(yaml)
        .map(|d| serde_norway::Value::deserialize(d).expect("yaml document"))
        .collect()
}

fn outcome(report: &Report, id: &str) -> (Outcome, String) {
    let entry = report
        .of_step(id)
        .unwrap_or_else(|| panic!("no entry for `{id}` in\n{report}"));
    (entry.outcome, entry.detail.clone())
}

const SERVICES: &str = "\
start [\"redis-server\"] as redis
wait tcp 127.0.0.1:6379 as redis-up timeout 20s every 2s
start \"./api\" as api env MODE=test cwd /srv
wait http http://localhost:8080/healthz as api-up status 200..399 timeout 30s
start [\"./worker\"] as worker
wait redis 127.0.0.1:6379 as worker-up timeout 5s
wait tcp db:5432 as db
run [\"./migrate\"] as migrate
";

#[test]
fn a_start_and_the_wait_after_it_become_a_sidecar_with_a_startup_probe() {
    let (yaml, report) = export(SERVICES, "svc.zinit", Format::K8s, &Options::default());
    let docs = documents(&yaml);
    let spec = &docs[1]["template"]["spec"];
    let init = spec["initContainers"]
        .as_sequence()
        .expect("init containers");
    let names: Vec<&str> = init.iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["redis", "api", "worker", "zinit"]);
    for sidecar in &init[..3] {
        assert_eq!(sidecar["restartPolicy"], "Always");
    }
    // every 2s, timeout 20s: period 2, threshold 10.
    let redis = &init[0]["startupProbe"];
    assert_eq!(redis["tcpSocket"]["port"], 6379);
    assert_eq!(redis["periodSeconds"], 2);
    assert_eq!(redis["failureThreshold"], 10);
    let api = &init[1];
    assert_eq!(api["command"][0], "sh");
    assert_eq!(api["command"][2], "./api");
    assert_eq!(api["env"][0]["name"], "MODE");
    assert_eq!(api["workingDir"], "/srv");
    assert_eq!(api["startupProbe"]["httpGet"]["path"], "/healthz");
    assert_eq!(api["startupProbe"]["httpGet"]["port"], 8080);
    assert_eq!(api["startupProbe"]["failureThreshold"], 30);
    let worker = &init[2]["startupProbe"]["exec"]["command"];
    assert_eq!(worker[0], "zinit");
    assert_eq!(
        worker[4], "wait redis 127.0.0.1:6379 timeout 1s",
        "one attempt per probe"
    );
    assert_eq!(init[3]["command"][2], "/etc/zinit/svc.zinit");
    let script = docs[0]["data"]["svc.zinit"].as_str().expect("script");
    assert!(
        script.contains("wait tcp db:5432 as db\nrun [\"./migrate\"] as migrate\n"),
        "{script}"
    );
    assert!(!script.contains("start"), "{script}");

    assert_eq!(outcome(&report, "redis").0, Outcome::Native);
    let (o, detail) = outcome(&report, "redis-up");
    assert!(
        o == Outcome::Native && detail.contains("tcpSocket port 6379"),
        "{detail}"
    );
    let (o, detail) = outcome(&report, "api-up");
    assert!(
        o == Outcome::Native && detail.contains("httpGet HTTP"),
        "{detail}"
    );
    let (o, detail) = outcome(&report, "worker-up");
    assert!(
        o == Outcome::ViaZinit && detail.contains("no probe asks Redis"),
        "{detail}"
    );
    let (o, detail) = outcome(&report, "db");
    assert!(
        o == Outcome::ViaZinit && detail.contains("init container `zinit`"),
        "{detail}"
    );
}

#[test]
fn a_wait_a_probe_cannot_express_exactly_is_not_made_native() {
    let script = "\
start [\"./a\"] as a
wait http http://127.0.0.1:80/ as a-up
start [\"./b\"] as b
wait tcp 127.0.0.1:81 as b-up on-fail warn
start [\"./c\"] as c
wait http https://127.0.0.1:82/ as c-up status 200..399
";
    let (yaml, report) = export(script, "x.zinit", Format::K8s, &Options::default());
    // The default 2xx is narrower than a probe's 200–399.
    let (o, detail) = outcome(&report, "a-up");
    assert!(
        o == Outcome::ViaZinit && detail.contains("200–399"),
        "{detail}"
    );
    // A probe that fails restarts the service; it cannot `warn` and go on.
    let (o, detail) = outcome(&report, "b-up");
    assert!(
        o == Outcome::ViaZinit
            && detail.contains("init container")
            && detail.contains("on-fail warn"),
        "{detail}"
    );
    assert!(outcome(&report, "b").1.contains("no readiness check"));
    // A probe skips certificate checks, which this wait makes.
    let (o, detail) = outcome(&report, "c-up");
    assert!(
        o == Outcome::ViaZinit && detail.contains("certificate"),
        "{detail}"
    );
    assert!(!yaml.contains("httpGet"), "{yaml}");
}

#[test]
fn steps_split_by_a_start_run_in_zinit_containers_of_their_own_in_order() {
    let script = "retry restart 2\nwait tcp db:5432\nstart [\"./api\"] as api\nrun [\"./smoke\"]\n";
    let (yaml, report) = export(script, "s.zinit", Format::K8s, &Options::default());
    let docs = documents(&yaml);
    let names: Vec<&str> = docs[1]["template"]["spec"]["initContainers"]
        .as_sequence()
        .expect("init containers")
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["zinit", "api", "zinit-2"]);
    let first = docs[0]["data"]["s.zinit"].as_str().expect("first script");
    let second = docs[0]["data"]["s-2.zinit"]
        .as_str()
        .expect("second script");
    assert!(
        first.contains("retry restart 2\nwait tcp db:5432\n"),
        "{first}"
    );
    assert!(
        second.contains("retry restart 2\nrun [\"./smoke\"]\n"),
        "{second}"
    );
    let policy = report
        .entries
        .iter()
        .find(|e| e.subject.starts_with("script policy"))
        .expect("policy reported");
    assert_eq!(policy.outcome, Outcome::ViaZinit);
    assert!(
        policy.detail.contains("each zinit container"),
        "{}",
        policy.detail
    );
}

#[test]
fn a_step_keeps_its_id_when_the_steps_beside_it_move_out() {
    // The second `wait tcp localhost:80` is `...-2` in the plan; alone in
    // the zinit script it would be `...` again, so its id is written out.
    let script = "start [\"./a\"]\nwait tcp localhost:80\nwait tcp localhost:80\n";
    let (yaml, report) = export(script, "i.zinit", Format::K8s, &Options::default());
    assert!(
        yaml.contains("wait tcp localhost:80 as wait-tcp-localhost-80-2"),
        "{yaml}"
    );
    assert_eq!(
        outcome(&report, "wait-tcp-localhost-80-2").0,
        Outcome::ViaZinit
    );

    // In a group too, whose members are reported one by one.
    let script = "start [\"./a\"]\nwait tcp localhost:80\nany {\n    wait tcp localhost:80\n    sleep 1s\n}\n";
    let (yaml, report) = export(script, "i.zinit", Format::K8s, &Options::default());
    assert!(
        yaml.contains("    wait tcp localhost:80 as wait-tcp-localhost-80-2\n"),
        "{yaml}"
    );
    let (o, detail) = outcome(&report, "sleep-1s");
    assert!(
        o == Outcome::ViaZinit && detail.contains("member of"),
        "{detail}"
    );
}

#[test]
fn a_policy_with_nothing_left_to_rerun_is_reported_dropped() {
    let script = "retry backoff 3\nstart [\"./api\"] as api\nwait tcp 127.0.0.1:80\n";
    let (yaml, report) = export(script, "p.zinit", Format::K8s, &Options::default());
    assert!(!yaml.contains("ConfigMap"), "no script to hold: {yaml}");
    let policy = report
        .entries
        .iter()
        .find(|e| e.subject.starts_with("script policy"))
        .expect("policy reported");
    assert_eq!(policy.outcome, Outcome::Dropped);
}

/// zinit in its own container cannot see another container's output or
/// processes: such a step is dropped, said so, and not left in a script
/// where it could never succeed.
#[test]
fn waits_on_a_sidecars_output_or_sockets_are_dropped_on_both_platforms() {
    let script = "start [\"./api\"] as api\nwait log api contains ready\n\
                  wait tcp 127.0.0.1:80 by api\nrun \"./migrate\"\n";
    for format in [Format::K8s, Format::Compose] {
        let (yaml, report) = export(script, "p.zinit", format, &Options::default());
        for id in ["wait-log-api", "wait-tcp-127-0-0-1-80"] {
            let (outcome, detail) = outcome(&report, id);
            assert_eq!(outcome, Outcome::Dropped, "{id}: {detail}");
            assert!(detail.contains("names `api`"), "{detail}");
        }
        assert!(!yaml.contains("wait log"), "{yaml}");
        assert!(!yaml.contains(" by api"), "{yaml}");
        assert!(yaml.contains("./migrate"), "{yaml}");
    }
}

/// The kubelet's `grpc` probe is the standard health check, plaintext only.
#[test]
fn a_plaintext_wait_grpc_after_a_start_is_a_native_grpc_probe() {
    let script = "start [\"./api\"] as api\nwait grpc 127.0.0.1:50051 service shop.v1.Orders\n\
                  start [\"./gw\"] as gw\nwait grpc 127.0.0.1:8443 tls\n";
    let (yaml, report) = export(script, "g.zinit", Format::K8s, &Options::default());
    let probe = yaml
        .split("startupProbe:")
        .nth(1)
        .expect("the first sidecar has a startup probe");
    let probe: Vec<&str> = probe.lines().skip(1).take(3).map(str::trim).collect();
    assert_eq!(
        probe,
        ["grpc:", "port: 50051", "service: shop.v1.Orders"],
        "{yaml}"
    );
    let (native, detail) = outcome(&report, "wait-grpc-127-0-0-1-50051");
    assert_eq!(native, Outcome::Native, "{detail}");
    assert!(
        detail.contains("grpc port 50051 service shop.v1.Orders"),
        "{detail}"
    );
    let (via_zinit, detail) = outcome(&report, "wait-grpc-127-0-0-1-8443");
    assert_eq!(via_zinit, Outcome::ViaZinit, "{detail}");
    assert!(detail.contains("plaintext only"), "{detail}");
}

#[test]
fn probe_timing_saturates_at_int32() {
    let script = "start [\"./a\"]\nwait tcp 127.0.0.1:80 timeout 365d retry 100\n";
    let (yaml, _) = export(script, "t.zinit", Format::K8s, &Options::default());
    assert!(
        yaml.contains(&format!("failureThreshold: {}", i32::MAX)),
        "{yaml}"
    );
}

#[test]
fn compose_services_get_healthchecks_and_the_app_waits_for_everything() {
    let options = Options {
        command: vec!["./server".into()],
        ..Options::default()
    };
    let (yaml, report) = export(SERVICES, "svc.zinit", Format::Compose, &options);
    let file: serde_norway::Value = serde_norway::from_str(&yaml).expect("yaml");
    let services = &file["services"];
    let redis = &services["redis"]["healthcheck"];
    assert_eq!(redis["test"][0], "CMD");
    assert_eq!(redis["test"][1], "zinit");
    assert_eq!(
        redis["test"][5],
        "wait tcp 127.0.0.1:6379 every 2s timeout 2s"
    );
    assert_eq!(redis["interval"], "2s");
    assert_eq!(redis["retries"], 10);
    assert_eq!(services["api"]["environment"]["MODE"], "test");
    assert_eq!(services["api"]["working_dir"], "/srv");
    // Each unit waits for the one before it.
    assert_eq!(
        services["api"]["depends_on"]["redis"]["condition"],
        "service_healthy"
    );
    assert_eq!(
        services["zinit"]["depends_on"]["worker"]["condition"],
        "service_healthy"
    );
    // Like a pod: after the first service, every container shares its
    // network, so `localhost` in a check or the script is the same place.
    assert!(services["redis"].get("network_mode").is_none());
    for joined in ["api", "worker", "zinit", "svc"] {
        assert_eq!(
            services[joined]["network_mode"], "service:redis",
            "{joined}"
        );
    }
    let app = &services["svc"];
    assert_eq!(app["command"][0], "./server");
    assert_eq!(
        app["depends_on"]["zinit"]["condition"],
        "service_completed_successfully"
    );
    for service in ["redis", "api", "worker"] {
        assert_eq!(
            app["depends_on"][service]["condition"], "service_healthy",
            "{service}"
        );
    }
    assert_eq!(
        services["zinit"]["configs"][0]["target"],
        "/etc/zinit/svc.zinit"
    );
    assert!(
        file["configs"]["svc-zinit"]["content"]
            .as_str()
            .expect("content")
            .contains("wait tcp db:5432 as db")
    );
    let (o, detail) = outcome(&report, "redis-up");
    assert!(
        o == Outcome::ViaZinit && detail.contains("healthcheck"),
        "{detail}"
    );
}

#[test]
fn compose_keeps_dollars_for_the_container_and_warns_of_its_own_networks() {
    let script = "wait tcp ${DB:-127.0.0.1}:5432\nrun \"echo $$HOME\"\n";
    let (yaml, report) = export(script, "d.zinit", Format::Compose, &Options::default());
    // Compose interpolates every value; `$$` hands a `$` on to zinit.
    assert!(yaml.contains("wait tcp $${DB:-127.0.0.1}:5432"), "{yaml}");
    assert!(yaml.contains("echo $$$$HOME"), "{yaml}");
    let (_, detail) = outcome(&report, "wait-tcp-db-5432");
    assert!(detail.contains("zinit container itself"), "{detail}");
}

#[test]
fn a_wait_exec_is_a_native_check_on_both_platforms() {
    let script = "start [\"./api\"] as api\nwait exec [\"./api\", \"--ready\"] as ready\n";
    let (k8s_yaml, k8s_report) = export(script, "e.zinit", Format::K8s, &Options::default());
    assert!(
        k8s_yaml.contains("exec:\n          command:\n          - ./api\n          - --ready"),
        "{k8s_yaml}"
    );
    assert_eq!(outcome(&k8s_report, "ready").0, Outcome::Native);
    let (yaml, report) = export(script, "e.zinit", Format::Compose, &Options::default());
    assert!(
        yaml.contains("- CMD\n      - ./api\n      - --ready"),
        "{yaml}"
    );
    assert_eq!(outcome(&report, "ready").0, Outcome::Native);
}

#[test]
fn the_cli_prints_the_manifest_on_stdout_and_the_report_on_stderr() {
    let output = Zinit::new()
        .args([
            "plan",
            "--format",
            "k8s",
            "--image",
            "app:1",
            "--name",
            "shop",
            "-e",
            "start [\"./api\"] as api; wait tcp localhost:80 as up; run [\"./migrate\"]",
            "--",
            "./server",
            "--port",
            "80",
        ])
        .output();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let out = stdout(&output);
    assert!(
        out.contains("name: shop-zinit") && out.contains("image: app:1"),
        "{out}"
    );
    assert!(
        out.contains("- ./server\n      - --port\n      - '80'"),
        "{out}"
    );
    let err = stderr(&output);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 4, "{err}");
    assert!(lines[0].starts_with("k8s export: step `api`: native: the sidecar `api`"));
    assert!(lines[1].starts_with("k8s export: step `up`: native: the startupProbe"));
    assert!(lines[2].starts_with(
        "k8s export: step `run-migrate`: via zinit: runs in the init container `zinit`"
    ));
    assert!(lines[3].starts_with("k8s export: command: native: `-- ./server --port 80`"));

    let output = Zinit::new()
        .args(["plan", "--format", "compose", "-e", "wait tcp db:5432"])
        .output();
    assert_eq!(output.status.code(), Some(0));
    assert!(stderr(&output).contains("compose export: step `wait-tcp-db-5432`: via zinit"));
    assert!(stdout(&output).contains("service_completed_successfully"));
}

#[test]
fn manifest_flags_with_other_formats_and_unset_variables_are_usage_errors() {
    for args in [
        &["plan", "-e", "sleep 1s", "--image", "x"][..],
        &[
            "plan", "--format", "json", "-e", "sleep 1s", "--", "./server",
        ],
        &["plan", "--format", "k8s", "--fail", "x", "-e", "sleep 1s"],
    ] {
        let output = Zinit::new().args(args).output();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
    }
    // A sidecar's command is written into the manifest, so it must resolve now.
    let output = Zinit::new()
        .args([
            "plan",
            "--format",
            "k8s",
            "-e",
            "start [\"./api\", \"${PORT}\"]",
        ])
        .output();
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("E150"), "{}", stderr(&output));
    let output = Zinit::new()
        .args([
            "plan",
            "--format",
            "k8s",
            "--env",
            "PORT=81",
            "-e",
            "start [\"./api\", \"${PORT}\"]",
        ])
        .output();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stdout(&output).contains("- '81'"));
}

/// The first fenced block of `info` in a page.
fn fenced<'a>(page: &'a str, info: &str) -> &'a str {
    let open = format!("```{info}\n");
    let start = page.find(&open).expect("block") + open.len();
    let len = page[start..].find("```").expect("block end");
    &page[start..start + len]
}

#[test]
fn the_book_shows_the_manifests_and_reports_zinit_writes() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for (page, format) in [("kubernetes.md", "k8s"), ("compose.md", "compose")] {
        let text = std::fs::read_to_string(root.join("book/src").join(page)).expect("page");
        let output = Zinit::new()
            .dir(root)
            .args([
                "plan",
                "--format",
                format,
                "examples/test-harness.zinit",
                "--image",
                "registry.example/app:1",
                "--",
                "cargo",
                "test",
                "--test",
                "e2e",
            ])
            .output();
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        assert_eq!(
            fenced(&text, "yaml"),
            stdout(&output),
            "{page}: the manifest"
        );
        assert_eq!(fenced(&text, "text"), stderr(&output), "{page}: the report");
    }
}

#[test]
fn a_start_inside_a_group_is_reported_as_living_only_with_zinit() {
    let script = "parallel as both {\n    start [\"./a\"] as a\n    wait tcp db:5432\n}\n";
    let (yaml, report) = export(script, "g.zinit", Format::K8s, &Options::default());
    assert!(!yaml.contains("restartPolicy"), "no sidecar: {yaml}");
    let (o, detail) = outcome(&report, "a");
    assert!(
        o == Outcome::ViaZinit && detail.contains("lives only as long as the zinit container"),
        "{detail}"
    );
}

/// The statements the exec probes and healthchecks hand to zinit.
fn zinit_checks(value: &serde_norway::Value, out: &mut Vec<String>) {
    match value {
        serde_norway::Value::Sequence(items) => {
            let words: Vec<&str> = items.iter().filter_map(|i| i.as_str()).collect();
            if let Some(at) = words
                .windows(4)
                .position(|w| w == ["zinit", "run", "--quiet", "-e"])
            {
                out.push(words[at + 4].to_string());
            }
            items.iter().for_each(|i| zinit_checks(i, out));
        }
        serde_norway::Value::Mapping(map) => map.values().for_each(|v| zinit_checks(v, out)),
        _ => {}
    }
}

#[test]
fn every_check_that_zinit_runs_is_a_valid_script() {
    let options = Options::default();
    let mut statements = Vec::new();
    let every_kind = "\
defaults every 250ms
start [\"./a\"]
wait http \"https://localhost:8443/ready?x=1\" body contains \"ok\" insecure status 200,204
start [\"./b\"]
wait postgres postgres://app:${PW:-pw}@127.0.0.1/app
start [\"./c\"]
wait file /run/c.ready gone timeout 3s
start [\"./d\"]
wait exec \"test -e /run/d\" env A=1 cwd /tmp retry 2 every 2s
";
    let sources = scripts()
        .into_iter()
        .map(|path| std::fs::read_to_string(path).expect("script"))
        .chain([SERVICES.to_string(), every_kind.to_string()]);
    for source in sources {
        let (yaml, _) = export(&source, "s.zinit", Format::K8s, &options);
        documents(&yaml)
            .iter()
            .for_each(|d| zinit_checks(d, &mut statements));
        let (yaml, _) = export(&source, "s.zinit", Format::Compose, &options);
        // Compose's `$$` is a `$` by the time the container runs it.
        let compose = documents(&yaml.replace("$$", "$"));
        compose
            .iter()
            .for_each(|d| zinit_checks(d, &mut statements));
    }
    assert!(statements.len() >= 12, "{statements:?}");
    for statement in &statements {
        let output = Zinit::new().args(["check", "-e", statement]).output();
        assert_eq!(
            output.status.code(),
            Some(0),
            "{statement}: {}",
            stderr(&output)
        );
    }
}

#[test]
fn a_healthcheck_run_by_zinit_passes_when_the_service_listens_and_fails_when_not() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("listen");
    let port = listener.local_addr().expect("addr").port();
    let script = format!("start [\"./server\"] as server\nwait tcp 127.0.0.1:{port} timeout 5s\n");
    let (yaml, _) = export(&script, "h.zinit", Format::Compose, &Options::default());
    let file: serde_norway::Value = serde_norway::from_str(&yaml).expect("yaml");
    let test: Vec<String> = file["services"]["server"]["healthcheck"]["test"]
        .as_sequence()
        .expect("test")
        .iter()
        .map(|w| w.as_str().expect("word").replace("$$", "$"))
        .collect();
    assert_eq!(test[..2], ["CMD", "zinit"]);
    let check = || Zinit::new().args(&test[2..]).output().status.code();
    assert_eq!(check(), Some(0), "listening");
    drop(listener);
    assert_eq!(check(), Some(1), "nothing listens");
}

#[test]
fn a_zlayer_setting_is_reported_dropped_and_left_out_of_the_script() {
    let script = "zlayer on-panic shutdown\nwait tcp db:5432\n";
    for format in [Format::K8s, Format::Compose] {
        let (yaml, report) = export(script, "z.zinit", format, &Options::default());
        assert!(!yaml.contains("on-panic"), "{yaml}");
        let entry = report
            .entries
            .iter()
            .find(|e| e.subject.contains("zlayer on-panic shutdown"))
            .expect("reported");
        assert_eq!(entry.outcome, Outcome::Dropped);
    }
}
