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

/// The examples of the layout rules in the book are laid out by them.
#[test]
fn the_book_examples_of_the_layout_are_formatted() {
    let page = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("book/src/commands/fmt.md");
    let page = std::fs::read_to_string(page).expect("fmt.md");
    let blocks = crate::harness::zinit_blocks(&page);
    assert!(blocks.len() >= 5, "the page shows its rules");
    for (_, block) in blocks {
        assert_eq!(format(&block).expect("valid"), block);
    }
}
