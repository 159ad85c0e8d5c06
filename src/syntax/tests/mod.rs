//! Parser unit tests, one file per area.

mod docs;
mod errors;
mod lexical;
mod sizes;
mod statements;
mod trivia;

use super::ast::{Script, Statement, Step};
use super::{Parsed, SyntaxError, parse};

/// Parse text that must have no errors.
fn parse_ok(source: &str) -> Script {
    let Parsed { script, errors } = parse(source);
    assert!(
        errors.is_empty(),
        "unexpected errors for {source:?}: {errors:#?}"
    );
    script
}

/// The only step of a script.
fn only_step(source: &str) -> Step {
    let script = parse_ok(source);
    match <[Statement; 1]>::try_from(script.statements) {
        Ok([Statement::Step(step)]) => step,
        Ok(other) => panic!("expected one step, got {other:?}"),
        Err(statements) => panic!("expected one statement, got {statements:?}"),
    }
}

/// Errors of a script, which must have some.
fn errors_of(source: &str) -> Vec<SyntaxError> {
    let errors = parse(source).errors;
    assert!(!errors.is_empty(), "expected errors for {source:?}");
    errors
}

/// The single error of a script.
fn single_error(source: &str) -> SyntaxError {
    let mut errors = errors_of(source);
    assert_eq!(
        errors.len(),
        1,
        "expected one error for {source:?}: {errors:#?}"
    );
    errors.remove(0)
}
