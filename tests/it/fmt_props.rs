//! Properties of `zinit fmt` over generated scripts with comments and
//! blank lines: idempotent, the same plan, the same tree (clause order
//! aside), and every comment kept, in order.

use crate::syntax_props::trees;
use proptest::prelude::*;
use zinit::fmt::format;
use zinit::plan::env::Env;
use zinit::plan::{compile, json, plan_timing};
use zinit::syntax::ast::Script;
use zinit::syntax::order::canonical;
use zinit::syntax::walk::erase_spans;
use zinit::syntax::{parse, parse_with_trivia, print};

/// What may go around a printed line: comments before it on their own
/// lines, blank lines, a trailing comment, extra blanks.
#[derive(Debug, Clone)]
struct Around {
    comments_before: Vec<String>,
    blank_before: bool,
    trailing: Option<String>,
    indent: usize,
}

fn comment() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9 #;{}\\[\\]\"'\\\\$é-]{0,12}".prop_map(|text| format!("#{text}"))
}

fn around() -> impl Strategy<Value = Around> {
    (
        prop::collection::vec(comment(), 0..2),
        any::<bool>(),
        prop::option::of(comment()),
        0usize..3,
    )
        .prop_map(|(comments_before, blank_before, trailing, indent)| Around {
            comments_before,
            blank_before,
            trailing,
            indent,
        })
}

/// A generated tree printed, with comments and blank lines woven in.
fn script_with_comments() -> impl Strategy<Value = String> {
    (
        trees::script(),
        prop::collection::vec(around(), 1..40),
        prop::option::of(comment()),
    )
        .prop_map(|(script, arounds, last)| {
            let mut out = String::new();
            for (i, line) in print(&script).lines().enumerate() {
                let around = &arounds[i % arounds.len()];
                if around.blank_before {
                    out.push('\n');
                }
                for comment in &around.comments_before {
                    out.push_str(&format!("{}{comment}\n", " ".repeat(around.indent)));
                }
                out.push_str(&" ".repeat(around.indent));
                out.push_str(line.trim_start());
                if let Some(trailing) = &around.trailing {
                    out.push_str("  ");
                    out.push_str(trailing);
                }
                out.push('\n');
            }
            if let Some(last) = last {
                out.push_str(&last);
            }
            out
        })
}

fn plan_json(source: &str) -> serde_json::Value {
    let plan = compile(&parse(source).script);
    let text = json::render_json(&plan, &plan_timing(&plan), &Env::empty());
    serde_json::from_str(&text).expect("plan JSON")
}

/// The comments, in order (without blanks at their ends, which `fmt` drops).
fn comments(source: &str) -> Vec<String> {
    let (_, trivia) = parse_with_trivia(source);
    trivia
        .comments
        .iter()
        .map(|c| c.slice(source).trim_end().to_string())
        .collect()
}

/// The tree without positions, every clause list in the canonical order.
fn normalized(source: &str) -> Script {
    canonical(&erase_spans(&parse(source).script))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn formatting_keeps_meaning_and_comments(source in script_with_comments()) {
        let parsed = parse(&source);
        prop_assert!(parsed.errors.is_empty(), "generated script invalid: {:?}\n{source}", parsed.errors);
        let once = format(&source).expect("a valid script formats");
        let twice = format(&once).expect("formatted text parses");
        prop_assert_eq!(&twice, &once, "not idempotent; from\n{}", source);
        prop_assert_eq!(plan_json(&once), plan_json(&source), "plan changed:\n{}\n---\n{}", source, once);
        prop_assert_eq!(normalized(&once), normalized(&source), "tree changed:\n{}\n---\n{}", source, once);
        prop_assert_eq!(comments(&once), comments(&source), "comments:\n{}\n---\n{}", source, once);
    }
}

/// Clauses in every order, so any two meet: a `retry N` next to an
/// `every D` is where an order could change the meaning.
fn shuffled_clauses() -> impl Strategy<Value = String> {
    let clauses = vec![
        "as s",
        "timeout 5s",
        "every 1s",
        "retry 2",
        "retry 3 every 2s",
        "on-fail warn",
        "env A=1 B='x y'",
        "cwd /srv",
        "status 200",
        "body contains ok",
        "insecure",
        "closed",
        "retry 1 backoff initial 1s max 4s",
        "every 250ms",
    ];
    (
        prop::sample::select(vec![
            "wait tcp db:1",
            "wait http http://h/",
            "run 'x'",
            "defaults",
        ]),
        prop::sample::subsequence(clauses, 0..6).prop_shuffle(),
    )
        .prop_map(|(head, clauses)| format!("{head} {}\n", clauses.join(" ")))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn clause_order_keeps_meaning(source in shuffled_clauses()) {
        let once = format(&source).expect("a valid script formats");
        prop_assert_eq!(format(&once).expect("parses"), once.clone());
        prop_assert_eq!(normalized(&once), normalized(&source), "tree changed:\n{}---\n{}", source, once);
    }
}

/// An argv list over several lines, comments beside and between its
/// items, alone or in a group.
fn multiline_argv() -> impl Strategy<Value = String> {
    let item = (
        trees::quoted(),
        prop::option::of(comment()),
        prop::option::of(comment()),
    );
    (
        prop::collection::vec(item, 1..4),
        prop::option::of(comment()),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(items, after_open, trailing_comma, in_group)| {
            let mut list = String::from("[");
            if let Some(c) = after_open {
                list.push_str(&format!(" {c}"));
            }
            for (i, (arg, before, beside)) in items.iter().enumerate() {
                list.push('\n');
                if let Some(c) = before {
                    list.push_str(&format!("  {c}\n"));
                }
                list.push_str("  ");
                list.push_str(&zinit::syntax::print::text(arg));
                if i + 1 < items.len() || trailing_comma {
                    list.push(',');
                }
                if let Some(c) = beside {
                    list.push_str(&format!(" {c}"));
                }
            }
            list.push_str("\n] timeout 5s\n");
            match in_group {
                true => format!("parallel {{\nrun {list}}}\n"),
                false => format!("run {list}"),
            }
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn argv_lists_keep_their_comments(source in multiline_argv()) {
        prop_assert!(parse(&source).errors.is_empty(), "generated script invalid:\n{}", source);
        let once = format(&source).expect("a valid script formats");
        prop_assert_eq!(format(&once).expect("parses"), once.clone());
        prop_assert_eq!(normalized(&once), normalized(&source), "tree changed:\n{}---\n{}", source, once);
        prop_assert_eq!(comments(&once), comments(&source), "comments:\n{}---\n{}", source, once);
    }
}
