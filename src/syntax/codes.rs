//! The syntax error codes (E000–E049). Each code names one kind of mistake and
//! is stable: scripts, editors and the book's error index refer to it.

pub const INVALID_UTF8: &str = "E000";
pub const UNEXPECTED_TOKEN: &str = "E001";
pub const UNKNOWN_STATEMENT: &str = "E002";
pub const UNKNOWN_ACTION: &str = "E003";
pub const UNKNOWN_CLAUSE: &str = "E004";
pub const UNKNOWN_POLICY: &str = "E005";
pub const UNKNOWN_BACKOFF_OPTION: &str = "E006";
pub const UNKNOWN_ON_FAIL: &str = "E007";
pub const BAD_ZLAYER_SETTING: &str = "E008";
pub const UNTERMINATED_STRING: &str = "E010";
pub const INVALID_ESCAPE: &str = "E011";
pub const INVALID_UNICODE_ESCAPE: &str = "E012";
pub const MALFORMED_INTERPOLATION: &str = "E013";
pub const INTERPOLATION_NOT_ALLOWED: &str = "E014";
pub const GLUED_QUOTE: &str = "E015";
pub const DURATION_WITHOUT_UNIT: &str = "E020";
pub const UNKNOWN_DURATION_UNIT: &str = "E021";
pub const DURATION_OVERFLOW: &str = "E022";
pub const INVALID_DURATION: &str = "E023";
pub const INVALID_NUMBER: &str = "E024";
pub const NUMBER_OVERFLOW: &str = "E025";
pub const JITTER_WITHOUT_PERCENT: &str = "E026";
pub const INVALID_STATUS: &str = "E027";
pub const UNCLOSED_BLOCK: &str = "E030";
pub const UNEXPECTED_CLOSE_BRACE: &str = "E031";
pub const PARALLEL_TOO_DEEP: &str = "E032";
pub const MISSING_BLOCK: &str = "E033";
pub const MISPLACED_IN_PARALLEL: &str = "E034";
pub const INVALID_STEP_ID: &str = "E040";
pub const BARE_COMMAND: &str = "E041";
pub const MALFORMED_ARGV: &str = "E042";
pub const EMPTY_ARGV: &str = "E043";
pub const INVALID_ENV_PAIR: &str = "E044";
pub const TYPOGRAPHIC_QUOTES: &str = "E045";

/// Every syntax code with a one-line summary, in code order.
pub const SYNTAX_CODES: &[(&str, &str)] = &[
    (INVALID_UTF8, "the file is not valid UTF-8"),
    (
        UNEXPECTED_TOKEN,
        "unexpected token: something else was expected here",
    ),
    (UNKNOWN_STATEMENT, "unknown statement keyword"),
    (UNKNOWN_ACTION, "unknown action after `wait` or `s3`"),
    (UNKNOWN_CLAUSE, "unknown step clause"),
    (
        UNKNOWN_POLICY,
        "unknown script retry policy (expected `none`, `restart` or `backoff`)",
    ),
    (
        UNKNOWN_BACKOFF_OPTION,
        "unknown backoff option (expected `initial`, `max`, `factor` or `jitter`)",
    ),
    (
        UNKNOWN_ON_FAIL,
        "unknown `on-fail` value (expected `fail`, `warn` or `continue`)",
    ),
    (
        BAD_ZLAYER_SETTING,
        "malformed `zlayer` statement (expected `zlayer on-panic restart|shutdown|isolate`)",
    ),
    (
        UNTERMINATED_STRING,
        "a quoted string is not closed on its line",
    ),
    (
        INVALID_ESCAPE,
        "unknown escape sequence in a double-quoted string",
    ),
    (
        INVALID_UNICODE_ESCAPE,
        "malformed `\\u{...}` escape or not a Unicode scalar value",
    ),
    (MALFORMED_INTERPOLATION, "malformed `${...}` interpolation"),
    (
        INTERPOLATION_NOT_ALLOWED,
        "interpolation where only a literal is allowed",
    ),
    (GLUED_QUOTE, "a quoted string glued to a bare word"),
    (
        DURATION_WITHOUT_UNIT,
        "a duration without a unit (`30` instead of `30s`)",
    ),
    (
        UNKNOWN_DURATION_UNIT,
        "unknown duration unit (use `ms`, `s`, `m`, `h` or `d`)",
    ),
    (DURATION_OVERFLOW, "a duration too large to represent"),
    (INVALID_DURATION, "expected a duration such as `30s`"),
    (INVALID_NUMBER, "expected a number"),
    (NUMBER_OVERFLOW, "a number too large to represent"),
    (JITTER_WITHOUT_PERCENT, "a jitter without `%`"),
    (INVALID_STATUS, "malformed HTTP status list"),
    (UNCLOSED_BLOCK, "a `{` is never closed"),
    (UNEXPECTED_CLOSE_BRACE, "a `}` without a matching `{`"),
    (
        PARALLEL_TOO_DEEP,
        "`parallel` groups nested more than 16 deep",
    ),
    (MISSING_BLOCK, "`parallel` without a `{ ... }` body"),
    (
        MISPLACED_IN_PARALLEL,
        "`retry` or `defaults` statement inside a parallel body",
    ),
    (INVALID_STEP_ID, "invalid step id after `as`"),
    (BARE_COMMAND, "a command that is not quoted"),
    (MALFORMED_ARGV, "malformed argv list `[...]`"),
    (EMPTY_ARGV, "an empty argv list"),
    (
        INVALID_ENV_PAIR,
        "malformed `env` pair (expected `KEY=VALUE`)",
    ),
    (TYPOGRAPHIC_QUOTES, "a value in typographic quotes"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_sorted_and_in_the_owned_range() {
        let codes: Vec<&str> = SYNTAX_CODES.iter().map(|(c, _)| *c).collect();
        let mut sorted = codes.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(codes, sorted);
        for code in codes {
            let n: u32 = code[1..].parse().expect("numeric code");
            assert!(code.starts_with('E') && n <= 49, "{code}");
        }
    }
}
