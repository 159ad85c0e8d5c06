//! Snapshot harness: every `tests/fixtures/err/*.zinit` rendered with the
//! human (no colour, fixed width) and short renderers; every
//! `tests/fixtures/ok/*.zinit` checked free of errors with its AST
//! snapshotted; every code registered has a fixture and a book page.
//! Fixtures may start with harness directives (see `harness`).

use crate::harness;

use harness::check_bytes;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use zinit::check::codes::all_codes;
use zinit::check::render::{Format, render};
use zinit::check::{CheckOptions, Severity, check_source};

fn display_name(path: &Path) -> String {
    let dir = path.parent().and_then(Path::file_name).expect("a folder");
    let file = path.file_name().expect("a file name");
    format!("{}/{}", dir.to_string_lossy(), file.to_string_lossy())
}

#[test]
fn err_fixtures() {
    insta::glob!("../fixtures/err", "*.zinit", |path| {
        let bytes = std::fs::read(path).expect("fixture readable");
        let report = check_bytes(&display_name(path), &bytes);
        assert!(
            report
                .diagnostics
                .iter()
                .any(|d| d.is_error() || d.severity == Severity::Warning),
            "an err/ fixture must produce a diagnostic"
        );
        let reports = [report];
        let short = render(&reports, Format::Short, false);
        let human = render(&reports, Format::Human, false);
        insta::assert_snapshot!(format!("{short}\n{human}"));
    });
}

#[test]
fn ok_fixtures() {
    insta::glob!("../fixtures/ok", "*.zinit", |path| {
        let text = std::fs::read_to_string(path).expect("fixture readable");
        let checked = check_source(&text, &CheckOptions::default());
        let errors: Vec<_> = checked
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .collect();
        assert!(errors.is_empty(), "{}: {errors:#?}", path.display());
        insta::assert_yaml_snapshot!(checked.script);
    });
}

/// Code → the err/ fixtures producing it.
fn codes_in_fixtures() -> BTreeMap<&'static str, Vec<String>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/err");
    let mut found: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
    for entry in std::fs::read_dir(&dir).expect("err/ fixtures") {
        let path = entry.expect("dir entry").path();
        if path.extension().is_none_or(|e| e != "zinit") {
            continue;
        }
        let bytes = std::fs::read(&path).expect("fixture readable");
        for d in check_bytes(&display_name(&path), &bytes).diagnostics {
            found.entry(d.code).or_default().push(display_name(&path));
        }
    }
    found
}

#[test]
fn every_code_has_a_fixture_and_a_page() {
    let found = codes_in_fixtures();
    let pages = Path::new(env!("CARGO_MANIFEST_DIR")).join("book/src/errors");
    let mut missing = Vec::new();
    for info in all_codes() {
        if !found.contains_key(info.code) {
            missing.push(format!(
                "{}: no fixture under tests/fixtures/err produces it",
                info.code
            ));
        }
        if !pages.join(format!("{}.md", info.code)).is_file() {
            missing.push(format!(
                "{}: no page book/src/errors/{}.md",
                info.code, info.code
            ));
        }
    }
    let registered: BTreeSet<&str> = all_codes().iter().map(|c| c.code).collect();
    for code in found.keys() {
        if !registered.contains(code) {
            missing.push(format!(
                "{code}: reported but not registered in all_codes()"
            ));
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}
