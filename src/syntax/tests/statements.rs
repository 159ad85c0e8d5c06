//! Every statement and clause parses to the expected tree.

use super::{only_step, parse_ok};
use crate::syntax::ast::*;
use crate::syntax::{Span, Spanned};

fn bare(text: &str, start: usize) -> Text {
    Text {
        parts: Box::new([TextPart::Literal(text.into())]),
        quote: Quote::Bare,
        span: Span::new(start, start + text.len()),
    }
}

#[test]
fn the_spec_example_line() {
    let script = parse_ok("wait tcp db:5432 timeout 30s on-fail warn; retry backoff 3");
    let expected = vec![
        Statement::Step(Step {
            action: Action::WaitTcp {
                target: bare("db:5432", 9),
            },
            head: Span::new(0, 8),
            clauses: Box::new([
                Clause {
                    kind: ClauseKind::Timeout(DurationLit {
                        millis: Some(30_000),
                        span: Span::new(25, 28),
                    }),
                    keyword: Span::new(17, 24),
                    span: Span::new(17, 28),
                },
                Clause {
                    kind: ClauseKind::OnFail(Spanned::new(OnFail::Warn, Span::new(37, 41))),
                    keyword: Span::new(29, 36),
                    span: Span::new(29, 41),
                },
            ]),
            span: Span::new(0, 41),
        }),
        Statement::Policy(PolicyStmt {
            kind: PolicyKind::Backoff {
                count: Some(Spanned::new(3, Span::new(57, 58))),
                options: vec![],
            },
            keyword: Span::new(43, 48),
            span: Span::new(43, 58),
        }),
    ];
    assert_eq!(script.statements, expected);
    assert_eq!(script.span, Span::new(0, 58));
}

#[test]
fn policies() {
    let kinds: Vec<PolicyKind> = parse_ok(
        "retry none\nretry restart\nretry restart 5\nretry backoff\n\
         retry backoff 4 jitter 25% initial 2s factor 1.5 max 1m",
    )
    .statements
    .into_iter()
    .map(|s| match s {
        Statement::Policy(p) => p.kind,
        other => panic!("not a policy: {other:?}"),
    })
    .collect();
    assert_eq!(kinds[0], PolicyKind::None);
    assert_eq!(kinds[1], PolicyKind::Restart { count: None });
    assert!(matches!(&kinds[2], PolicyKind::Restart { count: Some(n) } if n.value == 5));
    assert_eq!(
        kinds[3],
        PolicyKind::Backoff {
            count: None,
            options: vec![]
        }
    );
    let PolicyKind::Backoff {
        count: Some(count),
        options,
    } = &kinds[4]
    else {
        panic!("{:?}", kinds[4]);
    };
    assert_eq!(count.value, 4);
    let options: Vec<String> = options
        .iter()
        .map(|o| match &o.kind {
            BackoffOptionKind::Initial(d) => format!("initial {:?}", d.millis),
            BackoffOptionKind::Max(d) => format!("max {:?}", d.millis),
            BackoffOptionKind::Factor(f) => format!("factor {}", f.value),
            BackoffOptionKind::Jitter(p) => format!("jitter {}", p.value),
        })
        .collect();
    assert_eq!(
        options,
        [
            "jitter 25",
            "initial Some(2000)",
            "factor 1.5",
            "max Some(60000)"
        ]
    );
}

#[test]
fn defaults_hold_clauses() {
    let script = parse_ok("defaults timeout 10s on-fail continue");
    let [Statement::Defaults(defaults)] = &script.statements[..] else {
        panic!("{:?}", script.statements);
    };
    assert_eq!(defaults.keyword, Span::new(0, 8));
    assert_eq!(defaults.clauses.len(), 2);
    assert_eq!(defaults.span, Span::new(0, 37));
}

#[test]
fn wait_actions() {
    let step = only_step(
        "wait http http://api:8080/health#frag status 200,204..206,3xx body contains 'ok' insecure",
    );
    assert_eq!(step.head, Span::new(0, 9));
    let Action::WaitHttp { url } = &step.action else {
        panic!()
    };
    assert_eq!(
        url.literal().as_deref(),
        Some("http://api:8080/health#frag")
    );
    let ClauseKind::Status(status) = &step.clauses[0].kind else {
        panic!()
    };
    let items: Vec<StatusItem> = status.items.iter().map(|i| i.value).collect();
    assert_eq!(
        items,
        [
            StatusItem::Code(200),
            StatusItem::Range(204, 206),
            StatusItem::Class(3)
        ]
    );
    let ClauseKind::BodyContains(body) = &step.clauses[1].kind else {
        panic!()
    };
    assert_eq!(
        (body.quote, body.literal().as_deref()),
        (Quote::Single, Some("ok"))
    );
    assert_eq!(step.clauses[2].kind, ClauseKind::Insecure);

    let step = only_step("wait tcp [::1]:5432 closed every 100ms");
    assert!(
        matches!(&step.action, Action::WaitTcp { target } if target.literal().as_deref() == Some("[::1]:5432"))
    );
    assert_eq!(step.clauses[0].kind, ClauseKind::Closed);

    let step = only_step("wait file /run/ready gone");
    assert!(
        matches!(&step.action, Action::WaitFile { path } if path.literal().as_deref() == Some("/run/ready"))
    );
    assert_eq!(step.clauses[0].kind, ClauseKind::Gone);
}

#[test]
fn commands_shell_and_argv() {
    let step = only_step("run \"./migrate up\" as migrate env A=1 B=\"x y\" C= cwd /app");
    let Action::Run {
        command: CommandSpec::Shell(shell),
    } = &step.action
    else {
        panic!()
    };
    assert_eq!(shell.literal().as_deref(), Some("./migrate up"));
    assert_eq!(shell.span, Span::new(4, 18));
    assert!(matches!(&step.clauses[0].kind, ClauseKind::As(id) if id.value == "migrate"));
    let ClauseKind::Env(pairs) = &step.clauses[1].kind else {
        panic!()
    };
    let pairs: Vec<(&str, Option<String>, Quote)> = pairs
        .iter()
        .map(|p| (p.key.value.as_str(), p.value.literal(), p.value.quote))
        .collect();
    assert_eq!(
        pairs,
        [
            ("A", Some("1".into()), Quote::Bare),
            ("B", Some("x y".into()), Quote::Double),
            ("C", Some(String::new()), Quote::Bare)
        ]
    );
    assert!(
        matches!(&step.clauses[2].kind, ClauseKind::Cwd(t) if t.literal().as_deref() == Some("/app"))
    );

    let step =
        only_step("start [\n  \"./server\",  # the binary\n  '--port', \"8080\",\n] timeout 5s");
    let Action::Start {
        command: CommandSpec::Argv { args, span },
    } = &step.action
    else {
        panic!()
    };
    let args: Vec<String> = args.iter().filter_map(Text::literal).collect();
    assert_eq!(args, ["./server", "--port", "8080"]);
    assert_eq!(span.start(), 6);
    assert_eq!(step.clauses.len(), 1);
}

#[test]
fn sleep_and_s3() {
    let step = only_step("sleep 1m30s");
    assert!(matches!(&step.action, Action::Sleep { duration } if duration.millis == Some(90_000)));

    let step = only_step(
        "s3 pull s3://bucket/key to /data/key region eu-west-1 endpoint http://minio:9000",
    );
    let Action::S3Pull {
        source,
        destination,
    } = &step.action
    else {
        panic!()
    };
    assert_eq!(source.literal().as_deref(), Some("s3://bucket/key"));
    assert_eq!(destination.literal().as_deref(), Some("/data/key"));
    assert_eq!(step.head, Span::new(0, 7));
    assert_eq!(step.clauses.len(), 2);

    let step = only_step("s3 push /out.tar to s3://b/out.tar");
    assert!(matches!(&step.action, Action::S3Push { .. }));
}

#[test]
fn step_retry_forms() {
    let retry = |source: &str| match &only_step(source).clauses[..] {
        [
            Clause {
                kind: ClauseKind::Retry(retry),
                ..
            },
            ..,
        ] => retry.clone(),
        other => panic!("{other:?}"),
    };
    let plain = retry("run 'x' retry 3");
    assert_eq!((plain.count.value, plain.schedule), (3, None));
    let every = retry("run 'x' retry 2 every 2s");
    assert!(matches!(every.schedule, Some(RetrySchedule::Every(d)) if d.millis == Some(2000)));
    let backoff =
        retry("run 'x' retry 5 backoff initial 1s max 10s factor 3 jitter 10% timeout 5s");
    let Some(RetrySchedule::Backoff { options, .. }) = backoff.schedule else {
        panic!()
    };
    assert_eq!(options.len(), 4);
    // `every` before `retry` is the poll interval.
    let step = only_step("wait tcp a:1 every 1s retry 3");
    assert!(matches!(step.clauses[0].kind, ClauseKind::Every(_)));
    assert!(matches!(&step.clauses[1].kind, ClauseKind::Retry(r) if r.schedule.is_none()));
}

#[test]
fn parallel_groups_nest() {
    let step = only_step(
        "parallel as both timeout 1m on-fail warn {\n  wait tcp a:1\n  parallel { sleep 1s; sleep 2s }\n}",
    );
    let Action::Parallel { steps, body } = &step.action else {
        panic!()
    };
    assert_eq!(step.clauses.len(), 3);
    assert_eq!(steps.len(), 2);
    assert_eq!(body.start(), 41);
    assert_eq!(body.end(), step.span.end());
    let Action::Parallel { steps: inner, .. } = &steps[1].action else {
        panic!()
    };
    assert_eq!(inner.len(), 2);
    // `{` may sit on the next line; `}` may end a member's line.
    let step = only_step("parallel\n{ wait tcp a:1 }");
    assert!(matches!(&step.action, Action::Parallel { steps, .. } if steps.len() == 1));
}

#[test]
fn any_groups_nest_with_parallel_ones() {
    let step = only_step(
        "any as db timeout 1m {\n  wait tcp a:1\n  parallel { sleep 1s; any { sleep 2s } }\n}",
    );
    let Action::Any { steps, body } = &step.action else {
        panic!("{:?}", step.action)
    };
    assert_eq!(step.clauses.len(), 2);
    assert_eq!(steps.len(), 2);
    assert_eq!(body.end(), step.span.end());
    let Action::Parallel { steps: inner, .. } = &steps[1].action else {
        panic!()
    };
    assert!(matches!(&inner[1].action, Action::Any { steps, .. } if steps.len() == 1));
    let step = only_step("any\n{ wait tcp a:1 }");
    assert!(matches!(&step.action, Action::Any { steps, .. } if steps.len() == 1));
}

#[test]
fn group_errors_name_the_group_they_are_in() {
    let errors = crate::syntax::parse("any timeout 1m\nsleep 1s").errors;
    assert_eq!(errors[0].code, crate::syntax::codes::MISSING_BLOCK);
    assert!(errors[0].message.contains("`any` group"), "{:?}", errors[0]);
    let errors = crate::syntax::parse("any {\n  sleep 1s\n").errors;
    assert_eq!(errors[0].code, crate::syntax::codes::UNCLOSED_BLOCK);
    assert!(errors[0].message.contains("`any` group"), "{:?}", errors[0]);
    // Mixed groups count towards one depth limit.
    let deep = "any { parallel { ".repeat(9) + "sleep 1s" + &" } }".repeat(9);
    let errors = crate::syntax::parse(&deep).errors;
    assert!(
        errors
            .iter()
            .any(|e| e.code == crate::syntax::codes::PARALLEL_TOO_DEEP)
    );
}

#[test]
fn every_clause_parses_on_every_step() {
    let step = only_step("sleep 1s closed gone insecure region x endpoint y status 2xx");
    assert_eq!(step.clauses.len(), 6);
}
