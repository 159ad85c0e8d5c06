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

/// Every fixture that parses (the err/ ones with semantic errors too, and
/// the limits) formats to the same tree and comments, idempotently.
#[test]
fn every_parsing_fixture_keeps_its_tree_and_comments() {
    use zinit::syntax::order::canonical;
    use zinit::syntax::walk::erase_spans;
    use zinit::syntax::{parse, parse_with_trivia};
    let comments = |text: &str| -> Vec<String> {
        let (_, trivia) = parse_with_trivia(text);
        let slices = trivia.comments.iter().map(|c| c.slice(text).trim_end());
        slices.map(str::to_string).collect()
    };
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut formatted = 0;
    for dir in ["err", "limits", "ok"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            let Ok(output) = format(&text) else {
                continue;
            };
            formatted += 1;
            let name = path.display();
            assert_eq!(format(&output).unwrap(), output, "{name}: not idempotent");
            assert_eq!(
                erase_spans(&parse(&output).script),
                canonical(&erase_spans(&parse(&text).script)),
                "{name}: the tree changed"
            );
            assert_eq!(comments(&output), comments(&text), "{name}: comments");
        }
    }
    assert!(formatted >= 40, "only {formatted} fixtures parse");
}
