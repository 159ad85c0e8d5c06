//! Generators of well-formed trees (spans are arbitrary; they are erased).

use proptest::prelude::*;
use zinit::syntax::ast::*;
use zinit::syntax::{Span, Spanned};

fn s() -> Span {
    Span::default()
}

fn normalize(parts: Vec<TextPart>) -> Vec<TextPart> {
    let mut out: Vec<TextPart> = Vec::new();
    for part in parts {
        match (out.last_mut(), part) {
            (_, TextPart::Literal(l)) if l.is_empty() => {}
            (Some(TextPart::Literal(prev)), TextPart::Literal(l)) => prev.push_str(&l),
            (_, part) => out.push(part),
        }
    }
    out
}

fn var() -> impl Strategy<Value = TextPart> {
    let fallback = prop_oneof![
        Just(Fallback::None),
        "[a-zA-Z0-9 /:._-]{0,10}".prop_map(Fallback::Default),
        "[a-zA-Z0-9 /:._-]{0,10}".prop_map(Fallback::Error),
    ];
    ("[A-Za-z_][A-Za-z0-9_]{0,8}", fallback).prop_map(|(name, fallback)| {
        TextPart::Var(Box::new(VarRef {
            name,
            fallback,
            span: s(),
        }))
    })
}

fn text_with(quote: Quote, literal: &'static str) -> impl Strategy<Value = Text> {
    let part = prop_oneof![
        literal.prop_map(|l| TextPart::Literal(l.into())),
        literal.prop_map(|l| TextPart::Literal(l.into())),
        var()
    ];
    prop::collection::vec(part, 0..4).prop_filter_map("bare text needs a part", move |parts| {
        let parts = normalize(parts);
        (quote != Quote::Bare || !parts.is_empty()).then_some(Text {
            parts: parts.into(),
            quote,
            span: s(),
        })
    })
}

pub fn bare() -> impl Strategy<Value = Text> {
    text_with(
        Quote::Bare,
        "[a-zA-Z0-9/:._@%+=,é$-][a-zA-Z0-9/:._@%+=,#é$-]{0,8}",
    )
}

pub fn quoted() -> BoxedStrategy<Text> {
    prop_oneof![
        text_with(Quote::Double, "\\PC{0,8}|[\"\\\\\n\t\r\0$\u{7f}]{1,3}"),
        "[^'\n]{0,10}".prop_map(|l| Text {
            parts: normalize(vec![TextPart::Literal(l.into())]).into(),
            quote: Quote::Single,
            span: s(),
        }),
    ]
    .boxed()
}

pub fn text() -> BoxedStrategy<Text> {
    prop_oneof![bare(), quoted()].boxed()
}

fn duration() -> impl Strategy<Value = DurationLit> {
    prop_oneof![any::<u64>(), 0u64..100_000_000].prop_map(|ms| DurationLit {
        millis: Some(ms),
        span: s(),
    })
}

fn decimal() -> impl Strategy<Value = Spanned<f64>> {
    prop_oneof![0.0f64..1e6, (0u32..100).prop_map(f64::from)].prop_map(|v| Spanned::new(v, s()))
}

fn count() -> impl Strategy<Value = Spanned<u64>> {
    any::<u64>().prop_map(|n| Spanned::new(n, s()))
}

fn backoff_options() -> impl Strategy<Value = Vec<BackoffOption>> {
    let kind = prop_oneof![
        duration().prop_map(BackoffOptionKind::Initial),
        duration().prop_map(BackoffOptionKind::Max),
        decimal().prop_map(BackoffOptionKind::Factor),
        decimal().prop_map(BackoffOptionKind::Jitter),
    ];
    prop::collection::vec(
        kind.prop_map(|kind| BackoffOption {
            kind,
            keyword: s(),
            span: s(),
        }),
        0..4,
    )
}

fn status() -> impl Strategy<Value = StatusSpec> {
    let item = prop_oneof![
        any::<u16>().prop_map(StatusItem::Code),
        (any::<u16>(), any::<u16>()).prop_map(|(lo, hi)| StatusItem::Range(lo, hi)),
        (0u16..10).prop_map(StatusItem::Class),
    ];
    prop::collection::vec(item.prop_map(|i| Spanned::new(i, s())), 1..4)
        .prop_map(|items| StatusSpec { items, span: s() })
}

fn clause_kind() -> impl Strategy<Value = ClauseKind> {
    let schedule = prop_oneof![
        Just(None),
        duration().prop_map(|d| Some(RetrySchedule::Every(d))),
        backoff_options().prop_map(|options| Some(RetrySchedule::Backoff {
            keyword: s(),
            options
        })),
    ];
    let env_value = prop_oneof![
        bare(),
        quoted(),
        Just(Text {
            parts: Box::default(),
            quote: Quote::Bare,
            span: s()
        })
    ];
    let pair = ("[A-Za-z_][A-Za-z0-9_]{0,6}", env_value).prop_map(|(key, value)| EnvPair {
        key: Spanned::new(key.into(), s()),
        value,
        span: s(),
    });
    prop_oneof![
        "[A-Za-z0-9][A-Za-z0-9_.-]{0,20}"
            .prop_map(|id| ClauseKind::As(Spanned::new(id.into(), s()))),
        duration().prop_map(ClauseKind::Timeout),
        prop::sample::select(vec![OnFail::Fail, OnFail::Warn, OnFail::Continue])
            .prop_map(|v| ClauseKind::OnFail(Spanned::new(v, s()))),
        (count(), schedule).prop_map(|(count, schedule)| {
            ClauseKind::Retry(Box::new(StepRetry { count, schedule }))
        }),
        duration().prop_map(ClauseKind::Every),
        prop::collection::vec(pair, 1..3).prop_map(ClauseKind::Env),
        text().prop_map(ClauseKind::Cwd),
        Just(ClauseKind::Closed),
        Just(ClauseKind::Gone),
        Just(ClauseKind::Insecure),
        status().prop_map(ClauseKind::Status),
        text().prop_map(ClauseKind::BodyContains),
        text().prop_map(ClauseKind::Endpoint),
        text().prop_map(ClauseKind::Region),
        "[A-Z][A-Z-]{0,7}".prop_map(|m| ClauseKind::Method(Spanned::new(m.into(), s()))),
        text().prop_map(ClauseKind::Header),
        text().prop_map(ClauseKind::Data),
        text().prop_map(ClauseKind::BodyMatches),
        (text(), prop::option::of(text())).prop_map(|(pointer, equals)| {
            ClauseKind::Json(Box::new(JsonCheck {
                pointer,
                test: equals.map_or(JsonTest::Exists(s()), JsonTest::Equals),
            }))
        }),
        text().prop_map(ClauseKind::Ca),
        (text(), prop::option::of(text())).prop_map(|(cert, key)| ClauseKind::Cert {
            cert: Box::new(cert),
            key: key.map(Box::new),
        }),
        count().prop_map(ClauseKind::Follow),
    ]
}

/// Any clauses in any order: the printer writes them in the canonical
/// order, where a `retry N` is never followed by an `every D` it would take.
fn clauses() -> impl Strategy<Value = Vec<Clause>> {
    let clause = clause_kind().prop_map(|kind| Clause {
        kind,
        keyword: s(),
        span: s(),
    });
    prop::collection::vec(clause, 0..4)
}

fn command() -> impl Strategy<Value = CommandSpec> {
    prop_oneof![
        quoted().prop_map(CommandSpec::Shell),
        prop::collection::vec(quoted(), 1..4).prop_map(|args| CommandSpec::Argv {
            args: args.into(),
            span: s()
        }),
    ]
}

fn leaf_action() -> impl Strategy<Value = Action> {
    prop_oneof![
        text().prop_map(|target| Action::WaitTcp { target }),
        text().prop_map(|url| Action::WaitHttp { url }),
        text().prop_map(|path| Action::WaitFile { path }),
        command().prop_map(|command| Action::Run { command }),
        command().prop_map(|command| Action::Start { command }),
        duration().prop_map(|duration| Action::Sleep { duration }),
        (text(), text()).prop_map(|(source, destination)| Action::S3Pull {
            source: Box::new(source),
            destination: Box::new(destination),
        }),
        (text(), text()).prop_map(|(source, destination)| Action::S3Push {
            source: Box::new(source),
            destination: Box::new(destination),
        }),
    ]
}

pub fn step() -> impl Strategy<Value = Step> {
    let leaf = (leaf_action(), clauses()).prop_map(|(action, clauses)| Step {
        action,
        head: s(),
        clauses: clauses.into(),
        span: s(),
    });
    leaf.prop_recursive(3, 12, 3, |inner| {
        (prop::collection::vec(inner, 0..3), clauses()).prop_map(|(steps, clauses)| Step {
            action: Action::Parallel { steps, body: s() },
            head: s(),
            clauses: clauses.into(),
            span: s(),
        })
    })
}

fn statement() -> impl Strategy<Value = Statement> {
    let policy = prop_oneof![
        Just(PolicyKind::None),
        prop::option::of(count()).prop_map(|count| PolicyKind::Restart { count }),
        (prop::option::of(count()), backoff_options())
            .prop_map(|(count, options)| PolicyKind::Backoff { count, options }),
    ];
    prop_oneof![
        policy.prop_map(|kind| Statement::Policy(PolicyStmt {
            kind,
            keyword: s(),
            span: s()
        })),
        clauses().prop_map(|clauses| Statement::Defaults(DefaultsStmt {
            clauses: clauses.into(),
            keyword: s(),
            span: s()
        })),
        step().prop_map(Statement::Step),
        step().prop_map(Statement::Step),
    ]
}

pub fn script() -> impl Strategy<Value = Script> {
    prop::collection::vec(statement(), 0..6).prop_map(|statements| Script {
        statements,
        span: s(),
    })
}
