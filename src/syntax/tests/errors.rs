//! Every error code, recovery, and the messages' expectations and fixes.

use super::{errors_of, single_error};
use crate::syntax::ast::Statement;
use crate::syntax::{Span, codes, parse};

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
    assert_eq!(error.fix, Some((Span::new(25, 27), "30s".to_string())));
    assert!(error.help.is_some());
}

#[test]
fn misspelt_action_lists_the_choices() {
    let error = single_error("wait tpc db:5432");
    assert_eq!(error.code, codes::UNKNOWN_ACTION);
    assert_eq!(
        error.message,
        "expected one of `tcp`, `http`, `file` after `wait`, found `tpc`"
    );
    assert_eq!(error.fix, Some((Span::new(5, 8), "tcp".to_string())));
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
        assert_eq!(errors[0].fix.as_ref().map(|f| f.1.as_str()), Some(fix));
    }
}
