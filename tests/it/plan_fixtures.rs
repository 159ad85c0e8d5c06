//! Every valid fixture and bundled example: its text preview, plan JSON
//! and ZLayer export.

use zinit::check::{CheckOptions, check_source};
use zinit::plan::env::Env;
use zinit::plan::{compile, json, plan_timing, preview, zlayer};
use zinit::syntax::ast::Script;
use zinit::syntax::parse;

/// Valid scripts: the checker finds no error, and the plan is as snapshotted.
#[test]
fn ok_fixtures_plan_as_snapshotted() {
    insta::glob!(
        "../fixtures/ok",
        "*.zinit",
        |path| check_clean_and_snapshot(path, "")
    );
}

/// The bundled examples are real scripts: each checks without errors
/// (warnings allowed) and its plan is as snapshotted.
#[test]
fn examples_check_clean_and_plan_as_snapshotted() {
    insta::glob!(
        "../../examples",
        "*.zinit",
        |path| check_clean_and_snapshot(path, "example-")
    );
}

fn check_clean_and_snapshot(path: &std::path::Path, kind: &str) {
    let source = std::fs::read_to_string(path).expect("script readable");
    let checked = check_source(&source, &CheckOptions::default());
    assert!(
        !checked.has_errors(),
        "{}: {:?}",
        path.display(),
        checked.diagnostics
    );
    snapshot_plan(&checked.script, kind);
}

/// Scripts past the checker's limits (E110, E114) that the plan must still
/// handle without overflowing, e.g. through the language server.
#[test]
fn limits_fixtures_plan_as_snapshotted() {
    // Not `glob!`: with a single match it would drop the `@NAME` suffix.
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/limits");
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .expect("limits fixtures")
        .map(|entry| entry.expect("dir entry").path())
        .collect();
    paths.sort();
    for path in paths {
        let name = path
            .file_name()
            .expect("file name")
            .to_string_lossy()
            .into_owned();
        let source = std::fs::read_to_string(&path).expect("fixture readable");
        let parsed = parse(&source);
        assert!(parsed.errors.is_empty(), "{name}: {:?}", parsed.errors);
        insta::with_settings!({snapshot_suffix => name, input_file => &path}, {
            snapshot_plan(&parsed.script, "");
        });
    }
}

/// Snapshots named `{kind}text`, `{kind}json` and `{kind}zlayer`.
fn snapshot_plan(script: &Script, kind: &str) {
    let plan = compile(script);
    let timing = plan_timing(&plan);
    let env = Env::empty();
    insta::assert_snapshot!(
        format!("{kind}text"),
        preview::render_text(&plan, &timing, &env)
    );
    insta::assert_snapshot!(
        format!("{kind}json"),
        json::render_json(&plan, &timing, &env)
    );
    let exported = match zlayer::export(&plan, &env) {
        Ok(export) => {
            let warnings: Vec<String> = export.warnings.iter().map(|w| w.to_string()).collect();
            format!("{}\n{}", export.yaml, warnings.join("\n"))
        }
        Err(errors) => errors
            .iter()
            .map(|d| format!("{} {} at {:?}", d.code, d.message, d.primary.span))
            .collect::<Vec<_>>()
            .join("\n"),
    };
    insta::assert_snapshot!(format!("{kind}zlayer"), exported);
}
