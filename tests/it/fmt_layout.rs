//! The layout rules of `zinit fmt`, one fixture each: every
//! `tests/fixtures/fmt/*.zinit` and its formatted text, which is itself
//! formatted (idempotence).

use zinit::fmt::format;

#[test]
fn layout_rules() {
    insta::glob!("../fixtures/fmt", "*.zinit", |path| {
        let input = std::fs::read_to_string(path).expect("fixture readable");
        let output = format(&input).unwrap_or_else(|d| panic!("{}: {d:#?}", path.display()));
        assert_eq!(
            format(&output).expect("formatted text parses"),
            output,
            "formatting {} twice changes it",
            path.display()
        );
        insta::assert_snapshot!(format!("{input}\n---- formatted ----\n{output}"));
    });
}

#[test]
fn a_script_with_syntax_errors_is_not_formatted() {
    let diagnostics = format("wait tcp db:5432 timeout 30\nsleep   1s\n").expect_err("E0xx");
    assert_eq!(diagnostics.len(), 1);
    assert!(diagnostics[0].code.starts_with('E'), "{diagnostics:?}");
}
