//! Edge cases of the formatter's input; the layout rules themselves are
//! fixtures (`tests/fixtures/fmt`, snapshotted by `tests/it/fmt_layout.rs`).

use super::format;

fn fmt(source: &str) -> String {
    let once = format(source).unwrap_or_else(|d| panic!("{source:?}: {d:#?}"));
    let twice = format(&once).unwrap_or_else(|d| panic!("{once:?}: {d:#?}"));
    assert_eq!(twice, once, "not idempotent for {source:?}");
    once
}

#[test]
fn empty_and_comment_only_files() {
    assert_eq!(fmt(""), "");
    assert_eq!(fmt("\n\n  \n"), "");
    assert_eq!(fmt("# only"), "# only\n");
    assert_eq!(fmt("  # a\n\n\n# b  \n"), "# a\n\n# b\n");
}

#[test]
fn line_endings_and_the_bom_are_kept() {
    assert_eq!(
        fmt("\u{feff}sleep  1s # c\r\n\r\n\r\nsleep 2s\r\n"),
        "\u{feff}sleep 1s # c\r\n\r\nsleep 2s\r\n"
    );
    assert_eq!(fmt("sleep 1s\nsleep 2s\r\n"), "sleep 1s\nsleep 2s\n");
}

#[test]
fn an_unclosed_group_is_a_syntax_error_and_not_formatted() {
    let diagnostics = format("parallel {\n  sleep 1s\n").expect_err("unclosed");
    assert!(diagnostics.iter().any(|d| d.is_error()));
}
