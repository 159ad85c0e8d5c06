//! The book's clause table is the clause table: rendered from
//! `zinit::syntax::clauses` and compared with
//! `book/src/reference/clauses.md`, so the book cannot drift from what the
//! parser, checker and compiler read.

use std::path::Path;
use zinit::check::{CheckOptions, check_source};
use zinit::syntax::clauses::{ACTIONS, CLAUSES, Name, clauses_of};

const START: &str = "<!-- clause-table: generated from src/syntax/clauses/mod.rs -->\n";
const END: &str = "<!-- end of clause-table -->";

#[test]
fn the_book_table_is_rendered_from_the_clause_table() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("book/src/reference/clauses.md");
    let page = std::fs::read_to_string(&path).expect("clauses.md");
    let start = page
        .find(START)
        .expect("the page marks the generated table")
        + START.len();
    let end = page[start..].find(END).expect("the end marker") + start;
    let expected = zinit::syntax::clauses::markdown_table();
    assert!(
        page[start..end] == expected,
        "book/src/reference/clauses.md differs from the clause table; replace the table with:\n{expected}"
    );
}

/// A step of each action, to which a clause can be appended.
fn sample(action: &str) -> &'static str {
    match action {
        "wait tcp" => "wait tcp db:5432",
        "wait http" => "wait http https://api/health",
        "wait file" => "wait file /tmp/ready",
        "wait postgres" => "wait postgres db:5432",
        "wait redis" => "wait redis redis://cache/0",
        "wait mysql" => "wait mysql mysql://app@db/shop",
        "wait dns" => "wait dns db.internal",
        "wait exec" => "wait exec \"pg_isready\"",
        "wait grpc" => "wait grpc api:50051",
        // Without its pattern (E133, not E102), so each clause is the only one.
        "wait log" => "wait log api",
        "run" => "run \"./migrate\"",
        "start" => "start \"./server\"",
        "sleep" => "sleep 1s",
        "s3 pull" => "s3 pull s3://bucket/key to /tmp/x",
        "s3 push" => "s3 push /tmp/x to s3://bucket/key",
        "parallel" => "parallel { sleep 1s }",
        "any" => "any { sleep 1s }",
        other => panic!("add a sample step for `{other}`"),
    }
}

/// The clause as a script writes it, from its `form`.
fn written(name: Name) -> &'static str {
    match name {
        Name::As => "as step-a",
        Name::Timeout => "timeout 5s",
        Name::OnFail => "on-fail warn",
        Name::Retry => "retry 2",
        Name::Every => "every 1s",
        Name::Env => "env A=1",
        Name::Cwd => "cwd /tmp",
        Name::Closed => "closed",
        Name::Gone => "gone",
        Name::Status => "status 200",
        Name::BodyContains => "body contains ok",
        Name::Insecure => "insecure",
        Name::Service => "service shop.v1.Orders",
        Name::Tls => "tls",
        Name::Endpoint => "endpoint http://minio:9000",
        Name::Region => "region eu-west-1",
        Name::Type => "type A",
        Name::Server => "server 127.0.0.1:5353",
        Name::Value => "value 10.0.0.5",
        Name::Contains => "contains ready",
        Name::Matches => "matches 'listening on \\d+'",
        Name::Times => "times 2",
        Name::By => "by api",
        Name::Method => "method POST",
        Name::Header => "header \"Accept: text/plain\"",
        Name::Data => "data '{}'",
        Name::BodyMatches => "body matches \"^ok$\"",
        Name::Json => "json /status == \"up\"",
        Name::Ca => "ca /etc/ca.pem",
        Name::Cert => "cert c.pem key k.pem",
        Name::Follow => "follow 3",
    }
}

/// Every action with every clause: parsed as that clause, and misplaced
/// (E102) exactly where the table says it does not belong.
#[test]
fn parser_and_checker_agree_with_the_table() {
    for row in ACTIONS {
        for info in &CLAUSES {
            let src = match row.action {
                group @ ("parallel" | "any") => {
                    format!("{group} {} {{ sleep 1s }}\n", written(info.name))
                }
                action => format!("{} {}\n", sample(action), written(info.name)),
            };
            let checked = check_source(&src, &CheckOptions::default());
            let syntax: Vec<_> = checked
                .diagnostics
                .iter()
                .filter(|d| d.code < "E100")
                .collect();
            assert!(syntax.is_empty(), "{src}: {syntax:?}");
            let zinit::syntax::ast::Statement::Step(step) = &checked.script.statements[0] else {
                panic!("{src}: not a step");
            };
            assert_eq!(clauses_of(&step.action).action, row.action);
            let parsed: Vec<Name> = step.clauses.iter().map(|c| Name::of(&c.kind)).collect();
            assert_eq!(parsed, [info.name], "{src}");
            let misplaced = checked.diagnostics.iter().any(|d| d.code == "E102");
            assert_eq!(misplaced, !row.accepts.contains(info.name), "{src}");
        }
    }
}
