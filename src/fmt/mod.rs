//! `zinit fmt`: one canonical layout that keeps every comment. The command
//! line and the language server call the same [`format`].
//!
//! The tree says where statements and clauses start and end; the text
//! between is printed as written, token by token, so values keep their
//! spelling (`90s` stays `90s`, quotes as chosen) and only the blanks
//! between tokens change. Comments and blank lines come from the parser's
//! trivia. The layout rules are listed in the book (`commands/fmt.md`).

mod diff;
mod layout;
mod writer;

pub use crate::syntax::order::clause_rank;
pub use diff::unified_diff;

use crate::check::{Diagnostic, from_syntax_error};
use crate::syntax::parse_with_trivia;

/// Four spaces: a group body, and the lines a `\` continues.
pub const INDENT: usize = 4;

/// The formatted text, or the syntax errors that leave the text as it is.
pub fn format(source: &str) -> Result<String, Vec<Diagnostic>> {
    let (parsed, trivia) = parse_with_trivia(source);
    if !parsed.errors.is_empty() {
        return Err(parsed.errors.into_iter().map(from_syntax_error).collect());
    }
    let mut out = layout::script(source, &parsed.script, &trivia);
    if crlf(source) {
        // No token holds a raw newline (strings end at the line), so every
        // `\n` of the output ends a line.
        out = out.replace('\n', "\r\n");
    }
    Ok(out)
}

/// The file ends its lines with `\r\n` (judged by its first line).
fn crlf(source: &str) -> bool {
    source
        .find('\n')
        .is_some_and(|i| source[..i].ends_with('\r'))
}

#[cfg(test)]
mod tests;
