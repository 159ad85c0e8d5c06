//! Every valid fixture: its text preview, plan JSON and ZLayer export.

use zinit::plan::env::Env;
use zinit::plan::{compile, json, plan_timing, preview, zlayer};
use zinit::syntax::parse;

#[test]
fn ok_fixtures_plan_as_snapshotted() {
    insta::glob!("fixtures/ok/*.zinit", snapshot_plan);
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
        insta::with_settings!({snapshot_suffix => name, input_file => &path}, {
            snapshot_plan(&path);
        });
    }
}

fn snapshot_plan(path: &std::path::Path) {
    {
        let source = std::fs::read_to_string(path).expect("fixture readable");
        let parsed = parse(&source);
        assert!(
            parsed.errors.is_empty(),
            "{}: {:?}",
            path.display(),
            parsed.errors
        );
        let plan = compile(&parsed.script);
        let timing = plan_timing(&plan);
        let env = Env::empty();
        insta::assert_snapshot!("text", preview::render_text(&plan, &timing, &env));
        insta::assert_snapshot!("json", json::render_json(&plan, &timing, &env));
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
        insta::assert_snapshot!("zlayer", exported);
    }
}
