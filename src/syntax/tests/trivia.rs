//! Comments and blank lines beside the tree.

use crate::syntax::{Span, parse, parse_with_trivia};

fn comments(source: &str) -> Vec<&str> {
    let (_, trivia) = parse_with_trivia(source);
    trivia.comments.iter().map(|c| c.slice(source)).collect()
}

#[test]
fn own_line_trailing_and_in_lists() {
    let source = "# top\r\nsleep 1s # after\nrun [ # open\n  \"a\", # item\n  # own\n]\n\
                  parallel { # body\n    sleep 2s # member\n} # close\nwait http http://h/#frag";
    assert_eq!(
        comments(source),
        [
            "# top", "# after", "# open", "# item", "# own", "# body", "# member", "# close"
        ]
    );
}

#[test]
fn blank_lines_are_the_empty_lines_between_statements() {
    let source = "sleep 1s\n\n  \nsleep 2s\n# c\n\nsleep 3s\n";
    let (_, trivia) = parse_with_trivia(source);
    let lines: Vec<usize> = trivia.blank_lines;
    assert_eq!(lines, [9, 10, 26]);
    assert_eq!(trivia.comments, [Span::new(22, 25)]);
}

#[test]
fn a_failed_group_header_records_its_comments_once() {
    let (parsed, trivia) = parse_with_trivia("parallel\n# c\nsleep 1s\n");
    assert!(!parsed.errors.is_empty());
    assert_eq!(trivia.comments, [Span::new(9, 12)]);
}

#[test]
fn the_tree_is_the_same_with_or_without_trivia() {
    let source = "# c\nsleep 1s # d\n\nparallel {\n  wait tcp a:1 # e\n}\n";
    assert_eq!(parse_with_trivia(source).0, parse(source));
}
