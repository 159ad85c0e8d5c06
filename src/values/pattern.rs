//! Regular expressions (`wait log SERVICE matches RE`): compiled by the
//! `regex` crate, which runs in time linear in the line whatever the
//! pattern, so no script can make a service's output slow to match.

use super::{Invalid, Problem};
use regex::Regex;

/// A pattern bigger than this once compiled is refused (the `regex` crate's
/// own guard, tightened: one line is at most 4 KiB).
const SIZE_LIMIT: usize = 1 << 20;

/// The compiled expression, or why it does not compile, pointing at the
/// part of the pattern at fault where the parser knows it.
pub fn compile_regex(pattern: &str) -> Result<Regex, Invalid> {
    if let Err(e) = regex_syntax::ast::parse::Parser::new().parse(pattern) {
        let span = e.span();
        let part = span.start.offset..span.end.offset.max(span.start.offset + 1);
        return Err(invalid(&e.kind().to_string()).part(part.start..part.end.min(pattern.len())));
    }
    regex::RegexBuilder::new(pattern)
        .size_limit(SIZE_LIMIT)
        .build()
        .map_err(|e| {
            let reason = match &e {
                regex::Error::CompiledTooBig(_) => "is too big once compiled".to_string(),
                // The last line of the message says why without quoting the pattern.
                other => other
                    .to_string()
                    .lines()
                    .last()
                    .unwrap_or_default()
                    .trim_start_matches("error: ")
                    .to_string(),
            };
            invalid(&reason)
        })
}

fn invalid(reason: &str) -> Invalid {
    Invalid::new(Problem::Regex, format!("does not compile: {reason}")).help(
        "`matches` takes a regular expression in the syntax of Rust's `regex` crate \
         (escape `( ) [ ] { } . * + ? | \\ ^ $` with `\\`); to look for text as written, use `contains`",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compiles_patterns_and_points_at_the_fault() {
        assert!(
            compile_regex(r"listening on \d+")
                .unwrap()
                .is_match("listening on 80")
        );
        let e = compile_regex("ready (now").unwrap_err();
        assert_eq!(e.problem, Problem::Regex);
        assert!(e.reason.contains("unclosed group"), "{}", e.reason);
        assert_eq!(e.part, Some(6..7));
        let e = compile_regex("a{2,1}").unwrap_err();
        assert!(e.reason.contains("invalid"), "{}", e.reason);
        let e = compile_regex(r"\p{NoSuchClass}").unwrap_err();
        assert!(e.reason.starts_with("does not compile"), "{}", e.reason);
        assert!(
            !e.reason.contains("NoSuchClass"),
            "the reason never quotes the value"
        );
    }
}
