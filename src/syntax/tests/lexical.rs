//! Lexical rules: blanks, comments, continuations, encodings, strings.

use super::{only_step, parse_ok, single_error};
use crate::syntax::ast::*;
use crate::syntax::{Span, codes};

fn text_of(step: &Step) -> &Text {
    match &step.action {
        Action::WaitTcp { target: t }
        | Action::WaitHttp { url: t }
        | Action::WaitFile { path: t } => t,
        Action::Run {
            command: CommandSpec::Shell(t),
        } => t,
        other => panic!("no text argument: {other:?}"),
    }
}

#[test]
fn empty_and_blank_files_have_no_statements() {
    for source in [
        "",
        "\n\n",
        "  \t ",
        "# only a comment",
        ";;;",
        "\u{feff}",
        "\r\n\r\n",
    ] {
        let script = parse_ok(source);
        assert!(script.statements.is_empty(), "{source:?}");
        assert_eq!(script.span, Span::new(0, source.len()));
    }
}

#[test]
fn crlf_lines_and_tabs() {
    let script = parse_ok("wait tcp a:1\ttimeout\t5s\r\nsleep 1s\r\n");
    assert_eq!(script.statements.len(), 2);
    let Statement::Step(step) = &script.statements[0] else {
        panic!()
    };
    // The `\r` belongs to no token.
    assert_eq!(step.span, Span::new(0, 23));
    assert_eq!(text_of(step).literal().as_deref(), Some("a:1"));
}

#[test]
fn bom_is_skipped_but_spans_index_the_original_text() {
    let source = "\u{feff}sleep 1s";
    let script = parse_ok(source);
    let Statement::Step(step) = &script.statements[0] else {
        panic!()
    };
    assert_eq!(step.span, Span::new(3, 11));
    assert_eq!(step.span.slice(source), "sleep 1s");
}

#[test]
fn non_ascii_text_keeps_byte_spans() {
    let source = "wait file /tmp/café-☕ # é comment";
    let step = only_step(source);
    let text = text_of(&step);
    assert_eq!(text.literal().as_deref(), Some("/tmp/café-☕"));
    assert_eq!(text.span.slice(source), "/tmp/café-☕");
    // A misspelt keyword with non-ASCII letters is an error, not a panic.
    assert_eq!(single_error("wäit tcp a:1").code, codes::UNKNOWN_STATEMENT);
}

#[test]
fn comments_start_only_where_a_token_could() {
    let step = only_step("wait http http://h/p#frag # a comment");
    assert_eq!(text_of(&step).literal().as_deref(), Some("http://h/p#frag"));
    let script =
        parse_ok("# heading\nsleep 1s # trailing\n  # indented\nsleep 2s;# after semicolon");
    assert_eq!(script.statements.len(), 2);
    let step = only_step("run \"echo # not a comment\"");
    assert_eq!(
        text_of(&step).literal().as_deref(),
        Some("echo # not a comment")
    );
}

#[test]
fn a_backslash_ending_a_comment_continues_nothing() {
    // Glued to `]` or after a blank, the comment ends at its line, `\` and
    // all: the next line is a statement of its own (here, a wrong one).
    for glue in ["", " "] {
        let source = format!("run [\"a\"]{glue}#c \\\n  timeout 5s\nsleep 1s");
        assert_eq!(
            single_error(&source).code,
            codes::UNKNOWN_STATEMENT,
            "{source:?}"
        );
        let script = parse_ok(&format!("run [\"a\"]{glue}#c \\\nsleep 1s"));
        assert_eq!(script.statements.len(), 2);
    }
}

#[test]
fn backslash_newline_continues_the_statement() {
    let step = only_step("wait tcp a:1 \\\n    timeout 5s \\\r\n    on-fail warn");
    assert_eq!(step.clauses.len(), 2);
    let step = only_step("wait file /x\\\n  gone");
    assert_eq!(text_of(&step).literal().as_deref(), Some("/x"));
    assert_eq!(step.clauses[0].kind, ClauseKind::Gone);
    // A `\` inside a word is literal.
    let step = only_step("wait file C:\\dir\\x");
    assert_eq!(text_of(&step).literal().as_deref(), Some("C:\\dir\\x"));
}

#[test]
fn semicolons_and_newlines_end_statements() {
    assert_eq!(
        parse_ok("sleep 1s; sleep 2s\nsleep 3s;").statements.len(),
        3
    );
    // A `;` inside quotes does not.
    let step = only_step("run 'a; b'");
    assert_eq!(text_of(&step).literal().as_deref(), Some("a; b"));
}

#[test]
fn double_quoted_escapes() {
    let step = only_step(r#"run "q\" b\\ n\n t\t r\r z\0 d\$ u\u{41}\u{1F600}""#);
    assert_eq!(
        text_of(&step).literal().as_deref(),
        Some("q\" b\\ n\n t\t r\r z\0 d$ uA😀")
    );
}

#[test]
fn single_quoted_strings_are_raw() {
    let step = only_step(r"run 'no \n escapes, no ${VAR}, no $$'");
    let text = text_of(&step);
    assert_eq!(text.quote, Quote::Single);
    assert_eq!(
        text.literal().as_deref(),
        Some(r"no \n escapes, no ${VAR}, no $$")
    );
}

#[test]
fn interpolation_in_bare_words_and_double_strings() {
    let step = only_step("wait tcp ${DB_HOST:-db}:${PORT}");
    let parts = &text_of(&step).parts;
    assert_eq!(parts.len(), 3);
    let TextPart::Var(host) = &parts[0] else {
        panic!()
    };
    assert_eq!(
        (host.name.as_str(), &host.fallback),
        ("DB_HOST", &Fallback::Default("db".into()))
    );
    assert_eq!(host.span, Span::new(9, 23));
    assert_eq!(parts[1], TextPart::Literal(":".into()));

    let step = only_step(r#"run "echo ${TOKEN:?set TOKEN first} $$HOME $HOME cost=5$""#);
    let parts = &text_of(&step).parts;
    let TextPart::Var(token) = &parts[1] else {
        panic!("{parts:?}")
    };
    assert_eq!(token.fallback, Fallback::Error("set TOKEN first".into()));
    // `$$` is a `$`; `$NAME` is left for the shell.
    assert_eq!(parts[2], TextPart::Literal(" $HOME $HOME cost=5$".into()));
}

#[test]
fn a_default_may_hold_spaces_and_braces_in_blocks_still_close() {
    let step = only_step("wait file ${DIR:-/my dir}/x");
    assert_eq!(text_of(&step).vars().count(), 1);
    let script = parse_ok("parallel { wait file ${DIR}/x }");
    let Statement::Step(Step {
        action: Action::Parallel { steps, .. },
        ..
    }) = &script.statements[0]
    else {
        panic!()
    };
    assert_eq!(text_of(&steps[0]).vars().count(), 1);
}
