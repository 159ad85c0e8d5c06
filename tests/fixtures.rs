//! Snapshot harness: every `tests/fixtures/err/*.zinit` rendered with the
//! human (no colour, fixed width) and short renderers; every
//! `tests/fixtures/ok/*.zinit` checked free of errors with its AST
//! snapshotted; every code registered has a fixture and a book page whose
//! examples behave as the page says.
//!
//! A fixture (or a book example) may start with harness directives, which
//! are comments to zinit: `#! env K=V ...` checks against that environment
//! (as `--env`; `#! env` alone is an empty one), `#! max-duration D` as
//! `--max-duration D`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use zinit::check::codes::all_codes;
use zinit::check::env::Env;
use zinit::check::render::{Format, render};
use zinit::check::{CheckOptions, FileReport, Severity, check_source};
use zinit::cli::check::{check_one, parse_max_duration};
use zinit::cli::input::LoadedScript;
use zinit::syntax::source::decode;

struct Directives {
    options: CheckOptions,
    max_duration: Option<std::time::Duration>,
}

fn directives(text: &str) -> Directives {
    let mut options = CheckOptions::default();
    let mut max_duration = None;
    for line in text.lines().map_while(|l| l.strip_prefix("#!")) {
        let mut words = line.split_whitespace();
        match words.next() {
            Some("env") => {
                let mut env = Env::empty();
                for pair in words {
                    let (k, v) = pair.split_once('=').expect("#! env K=V");
                    env.set(k, v);
                }
                options.env = Some(env);
            }
            Some("max-duration") => {
                let value = words.next().expect("#! max-duration D");
                max_duration = Some(parse_max_duration(value).expect("a valid duration"));
            }
            other => panic!("unknown harness directive {other:?}"),
        }
    }
    Directives {
        options,
        max_duration,
    }
}

/// Checks bytes exactly as `zinit check` does, under a stable display name.
fn check_bytes(name: &str, bytes: &[u8]) -> FileReport {
    let (text, decode_error) = decode(bytes);
    let directives = directives(&text);
    let loaded = LoadedScript {
        file: zinit::check::SourceFile::new(name, text),
        decode_error,
    };
    check_one(loaded, &directives.options, directives.max_duration)
}

fn display_name(path: &Path) -> String {
    let dir = path.parent().and_then(Path::file_name).expect("a folder");
    let file = path.file_name().expect("a file name");
    format!("{}/{}", dir.to_string_lossy(), file.to_string_lossy())
}

#[test]
fn err_fixtures() {
    insta::glob!("fixtures/err/*.zinit", |path| {
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
    insta::glob!("fixtures/ok/*.zinit", |path| {
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

/// The fenced `zinit` blocks of a page: (info string, body).
fn zinit_blocks(page: &str) -> Vec<(String, String)> {
    let mut blocks = Vec::new();
    let mut lines = page.lines();
    while let Some(line) = lines.next() {
        let Some(info) = line.trim_start().strip_prefix("```") else {
            continue;
        };
        let body: Vec<&str> = lines
            .by_ref()
            .take_while(|l| !l.trim_start().starts_with("```"))
            .collect();
        if info.split_whitespace().next() == Some("zinit") {
            blocks.push((info.trim().to_string(), body.join("\n") + "\n"));
        }
    }
    blocks
}

/// Codes whose example cannot be written in a Markdown page (they are about
/// the bytes of the file); their pages describe the bytes instead.
const NOT_WRITABLE_AS_TEXT: &[&str] = &["E000"];

#[test]
fn error_pages_show_the_code_and_a_clean_fix() {
    let pages = Path::new(env!("CARGO_MANIFEST_DIR")).join("book/src/errors");
    let mut problems = Vec::new();
    for info in all_codes() {
        let path = pages.join(format!("{}.md", info.code));
        let Ok(page) = std::fs::read_to_string(&path) else {
            continue;
        };
        if !page.starts_with(&format!("# {}: ", info.code)) {
            problems.push(format!(
                "{}: page must start with `# {}: TITLE`",
                info.code, info.code
            ));
        }
        if NOT_WRITABLE_AS_TEXT.contains(&info.code) {
            continue;
        }
        let blocks = zinit_blocks(&page);
        let expect = format!("zinit expect={}", info.code);
        let examples: Vec<_> = blocks.iter().filter(|(i, _)| *i == expect).collect();
        let clean: Vec<_> = blocks.iter().filter(|(i, _)| i == "zinit").collect();
        if examples.is_empty() || clean.is_empty() {
            problems.push(format!(
                "{}: needs a ```{expect} block and a clean ```zinit block",
                info.code
            ));
        }
        for (_, body) in &examples {
            let report = check_bytes("example.zinit", body.as_bytes());
            if !report.diagnostics.iter().any(|d| d.code == info.code) {
                problems.push(format!(
                    "{}: the example does not produce it:\n{body}",
                    info.code
                ));
            }
        }
        for (_, body) in &clean {
            let report = check_bytes("fixed.zinit", body.as_bytes());
            let bad: Vec<_> = report
                .diagnostics
                .iter()
                .filter(|d| d.is_error() || d.code == info.code)
                .map(|d| format!("{} {}", d.code, d.message))
                .collect();
            if !bad.is_empty() {
                problems.push(format!(
                    "{}: the fixed block is not clean: {bad:?}\n{body}",
                    info.code
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}
