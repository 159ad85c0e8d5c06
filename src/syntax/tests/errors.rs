//! Every error code, recovery, and the messages' expectations and fixes.

use super::{errors_of, single_error};
use crate::syntax::ast::Statement;
use crate::syntax::{Applicability, Span, codes, parse};

#[test]
fn three_errors_are_all_reported_and_good_statements_kept() {
    let source = "wait tcp db:5432\nwiat tcp x:1 timeout 5s\nsleep 1s\nwait http http://a timeout 30\nrun ./migrate\nwait file /ready\n";
    let parsed = parse(source);
    let codes: Vec<&str> = parsed.errors.iter().map(|e| e.code).collect();
    assert_eq!(
        codes,
        [
            codes::UNKNOWN_STATEMENT,
            codes::DURATION_WITHOUT_UNIT,
            codes::BARE_COMMAND
        ]
    );
    let kept: Vec<&str> = parsed
        .script
        .statements
        .iter()
        .map(|s| match s {
            Statement::Step(step) => step.action.name(),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(kept, ["wait tcp", "sleep", "wait file"]);
}

#[test]
fn missing_unit_has_the_spec_message_and_a_fix() {
    let error = single_error("wait tcp db:5432 timeout 30");
    assert_eq!(error.code, codes::DURATION_WITHOUT_UNIT);
    assert_eq!(
        error.message,
        "expected a duration such as `30s`, found `30`"
    );
    let fix = error.fix.expect("a fix");
    assert_eq!(
        (fix.span, fix.replacement.as_str()),
        (Span::new(25, 27), "30s")
    );
    assert_eq!(fix.applicability, Applicability::Safe);
    assert!(error.help.is_some());
}

#[test]
fn misspelt_action_lists_the_choices() {
    let error = single_error("wait tpc db:5432");
    assert_eq!(error.code, codes::UNKNOWN_ACTION);
    assert_eq!(
        error.message,
        "expected one of `tcp`, `http`, `file`, `postgres`, `redis`, `mysql`, `dns`, `exec`, `log`, `grpc` after `wait`, found `tpc`"
    );
    let fix = error.fix.expect("a fix");
    assert_eq!(
        (fix.span, fix.replacement.as_str()),
        (Span::new(5, 8), "tcp")
    );
    assert_eq!(fix.applicability, Applicability::Safe);
}

#[test]
fn misspelt_clauses_suggest_the_keyword() {
    for (word, fix) in [
        ("timout 5s", "timeout"),
        ("onfail warn", "on-fail"),
        ("on_fail warn", "on-fail"),
    ] {
        let errors = errors_of(&format!("wait tcp a:1 {word}"));
        assert_eq!(errors.len(), 1, "{word}: {errors:?}");
        assert_eq!(errors[0].code, codes::UNKNOWN_CLAUSE);
        assert_eq!(
            errors[0].fix.as_ref().map(|f| f.replacement.as_str()),
            Some(fix)
        );
    }
}

/// One script per code that must produce it (E000 is the decoder's).
const EXAMPLES: &[(&str, &str)] = &[
    (codes::UNEXPECTED_TOKEN, "wait tcp"),
    (codes::UNKNOWN_STATEMENT, "launch \"./server\""),
    (codes::UNKNOWN_ACTION, "wait udp db:5432"),
    (codes::UNKNOWN_CLAUSE, "wait tcp db:5432 deadline 5s"),
    (codes::UNKNOWN_POLICY, "retry forever"),
    (codes::UNKNOWN_BACKOFF_OPTION, "retry backoff 3 ceiling 10s"),
    (codes::UNKNOWN_ON_FAIL, "wait tcp db:5432 on-fail panic"),
    (codes::UNTERMINATED_STRING, "run \"./migrate up"),
    (codes::INVALID_ESCAPE, r#"run "echo \q""#),
    (codes::INVALID_UNICODE_ESCAPE, r#"run "echo \u{110000}""#),
    (
        codes::MALFORMED_INTERPOLATION,
        "wait tcp ${DB_HOST:db}:5432",
    ),
    (
        codes::INTERPOLATION_NOT_ALLOWED,
        "wait tcp db:5432 timeout ${TIMEOUT}",
    ),
    (codes::GLUED_QUOTE, "wait file /data/\"my file\""),
    (codes::DURATION_WITHOUT_UNIT, "sleep 5"),
    (codes::UNKNOWN_DURATION_UNIT, "sleep 5sec"),
    (codes::DURATION_OVERFLOW, "sleep 99999999999999999999h"),
    (codes::INVALID_DURATION, "sleep soon"),
    (codes::INVALID_NUMBER, "retry restart three"),
    (codes::NUMBER_OVERFLOW, "retry restart 99999999999999999999"),
    (codes::JITTER_WITHOUT_PERCENT, "retry backoff 3 jitter 25"),
    (
        codes::INVALID_STATUS,
        "wait http http://api/ status 2xx-3xx",
    ),
    (codes::UNCLOSED_BLOCK, "parallel {\n  wait tcp db:5432\n"),
    (codes::UNEXPECTED_CLOSE_BRACE, "wait tcp db:5432\n}"),
    (
        codes::PARALLEL_TOO_DEEP,
        "parallel { parallel { parallel { parallel { parallel { parallel { parallel { parallel { parallel { parallel { parallel { parallel { parallel { parallel { parallel { parallel { parallel { sleep 1s } } } } } } } } } } } } } } } } }",
    ),
    (codes::MISSING_BLOCK, "parallel timeout 1m"),
    (
        codes::MISPLACED_IN_PARALLEL,
        "parallel {\n  retry backoff 3\n}",
    ),
    (codes::INVALID_STEP_ID, "wait tcp db:5432 as db/primary"),
    (codes::BARE_COMMAND, "run ./migrate up"),
    (codes::MALFORMED_ARGV, "run [\"./migrate\" \"up\"]"),
    (codes::EMPTY_ARGV, "run []"),
    (codes::INVALID_ENV_PAIR, "run \"./app\" env MODE"),
    (codes::TYPOGRAPHIC_QUOTES, "wait file “/tmp/ready”"),
    (codes::BAD_ZLAYER_SETTING, "zlayer on-panic reboot"),
];

#[test]
fn every_code_has_an_example_that_produces_it() {
    for (code, summary) in codes::SYNTAX_CODES.iter().skip(1) {
        let (_, source) = EXAMPLES
            .iter()
            .find(|(c, _)| c == code)
            .unwrap_or_else(|| panic!("no example for {code} ({summary})"));
        let found: Vec<&str> = parse(source).errors.iter().map(|e| e.code).collect();
        assert_eq!(found, [*code], "{source:?}");
    }
}

#[test]
fn fixes_are_applied_where_known() {
    let fixed = |source: &str| {
        let error = single_error(source);
        let fix = error.fix.expect("a fix");
        let mut out = source.to_string();
        out.replace_range(fix.span.start()..fix.span.end(), &fix.replacement);
        assert!(parse(&out).errors.is_empty(), "{out:?} still has errors");
        out
    };
    assert_eq!(fixed("sleep 5sec"), "sleep 5s");
    assert_eq!(
        fixed("wait tcp a:1 timeout 30 sec on-fail warn"),
        "wait tcp a:1 timeout 30s on-fail warn"
    );
    assert_eq!(fixed("sleep 1min30"), "sleep 1m30s");
    assert_eq!(
        fixed("retry backoff 3 jitter 25"),
        "retry backoff 3 jitter 25%"
    );
    assert_eq!(
        fixed("run ./migrate up timeout 1m"),
        "run \"./migrate up\" timeout 1m"
    );
    assert_eq!(
        fixed("run [\"./migrate\", up]"),
        "run [\"./migrate\", \"up\"]"
    );
    assert_eq!(
        fixed("wait tcp db:1 on-fail warning"),
        "wait tcp db:1 on-fail warn"
    );
    assert_eq!(fixed("retry restrat 2"), "retry restart 2");
    assert_eq!(fixed("wait tcp a:1\n}"), "wait tcp a:1\n");
    assert_eq!(fixed(r#"run "C:\dir""#), r#"run "C:\\dir""#);
}
