//! Every renderer on the same multi-file set of diagnostics.

use super::*;
use crate::check::diagnostic::{Diagnostic, FileReport, SourceFile};
use crate::syntax::Span;

const APP: &str = "wait tcp db:5432 timeout 30 on-fail warn\n\
                   wait http http://api:8080/health insecure\n\
                   retry backoff 3\n";
const IDS: &str = "run \"echo ünï\" as löad\r\nsleep 1s as löad\n";

fn at(text: &str, needle: &str) -> Span {
    let start = text.find(needle).expect("needle in text");
    Span::new(start, start + needle.len())
}

fn reports() -> Vec<FileReport> {
    let app = vec![
        Diagnostic::error(
            "E020",
            Span::new(25, 27),
            "expected a duration such as `30s`, found `30`",
        )
        .with_label("a bare number")
        .with_help("durations always carry a unit")
        .with_safe_fix("add the unit: `30s`", Span::new(25, 27), "30s"),
        Diagnostic::warning(
            "W104",
            at(APP, "insecure"),
            "`insecure` has no effect on an http:// URL",
        )
        .with_label("nothing to verify without TLS")
        .with_safe_fix("remove `insecure`", at(APP, " insecure"), ""),
        Diagnostic::warning(
            "W101",
            at(APP, "retry backoff 3"),
            "the script policy can never apply",
        )
        .with_label("never used")
        .with_secondary(at(APP, "on-fail warn"), "this step cannot fail the script"),
    ];
    let second = IDS.rfind("löad").expect("second id");
    let ids = vec![
        Diagnostic::error(
            "E100",
            Span::new(second, second + "löad".len()),
            "duplicate step id `löad`",
        )
        .with_label("used again here")
        .with_secondary(at(IDS, "löad"), "first used here")
        .with_help("ids name steps in plans, logs and `--fail`: 100% unique, please")
        .with_unsafe_fix(
            "rename it",
            Span::new(second, second + "löad".len()),
            "löad-2",
        ),
    ];
    vec![
        FileReport {
            file: SourceFile::new("deploy/app.zinit", APP),
            diagnostics: app,
        },
        FileReport {
            file: SourceFile::new("./clean.zinit", "sleep 1s\n"),
            diagnostics: vec![],
        },
        FileReport {
            file: SourceFile::new("my dir/ids,v2.zinit", IDS),
            diagnostics: ids,
        },
    ]
}

fn without_version(out: String) -> String {
    out.replace(env!("CARGO_PKG_VERSION"), "[VERSION]")
}

#[test]
fn human() {
    insta::assert_snapshot!(render(&reports(), Format::Human, false));
}

#[test]
fn short() {
    insta::assert_snapshot!(render(&reports(), Format::Short, false));
}

#[test]
fn json() {
    let out = render(&reports(), Format::Json, false);
    let parsed: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
    assert_eq!(parsed.as_array().map(Vec::len), Some(4));
    insta::assert_snapshot!(out);
}

#[test]
fn sarif() {
    let out = render(&reports(), Format::Sarif, false);
    let log: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
    let run = &log["runs"][0];
    // Every result's rule is declared, and ruleIndex points at it.
    for result in run["results"].as_array().expect("results") {
        let index = result["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(
            run["tool"]["driver"]["rules"][index]["id"],
            result["ruleId"]
        );
    }
    insta::assert_snapshot!(without_version(out));
}

#[test]
fn github() {
    insta::assert_snapshot!(render(&reports(), Format::Github, false));
}

#[test]
fn color_only_when_asked() {
    let plain = render(&reports(), Format::Human, false);
    let colored = render(&reports(), Format::Human, true);
    assert!(!plain.contains('\u{1b}'));
    assert!(colored.contains('\u{1b}'));
    for format in [Format::Short, Format::Json, Format::Sarif, Format::Github] {
        assert!(!render(&reports(), format, true).contains('\u{1b}'));
    }
}

#[test]
fn summary_counts_errors_warnings_and_files() {
    assert_eq!(summary(&reports()), "2 errors, 2 warnings in 3 files");
    let clean = &reports()[1..2];
    assert_eq!(summary(clean), "no problems in 1 file");
}

#[test]
fn spans_past_the_text_or_inside_a_character_never_panic() {
    let text = "sleep ü";
    let report = FileReport {
        file: SourceFile::new("x.zinit", text),
        diagnostics: vec![
            Diagnostic::error("E100", Span::new(7, 99), "inside ü and past the end")
                .with_secondary(Span::new(200, 300), "far away"),
        ],
    };
    for format in [
        Format::Human,
        Format::Short,
        Format::Json,
        Format::Sarif,
        Format::Github,
    ] {
        assert!(render(std::slice::from_ref(&report), format, false).contains("E100"));
    }
    assert_eq!(clamp(Span::new(7, 99), text), Span::new(6, 8));
}
