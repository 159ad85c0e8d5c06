//! The parser. Tokens and values are nom parsers; statements are read by a
//! hand-written loop that records an error and skips to the next statement,
//! so one run reports every syntax error and keeps every good statement.

mod clause;
mod command;
mod cursor;
mod duration;
mod glued;
mod parallel;
mod pieces;
mod recover;
mod statement;
mod suggest;
mod text;
mod typographic;
mod value;

/// The lexical scanners, for the formatter to split values into tokens
/// exactly as the parser does.
pub(crate) use cursor::{blank_end, closing_quote, line_len, word_end};
pub use parallel::MAX_PARALLEL_DEPTH;
pub use text::is_var_name;
pub use value::is_step_id;

use crate::syntax::ast::Script;
use crate::syntax::codes;
use crate::syntax::{Span, SyntaxError, Trivia};
use cursor::{PResult, Parser};

/// The tree of the statements that parsed, and every syntax error.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    pub script: Script,
    pub errors: Vec<SyntaxError>,
}

/// Parse a script. Never fails and never panics: errors are returned with the
/// statements that did parse.
pub fn parse(source: &str) -> Parsed {
    parse_collecting(source, false).0
}

/// `parse`, with the comments and blank lines beside the tree (for the
/// formatter).
pub fn parse_with_trivia(source: &str) -> (Parsed, Trivia) {
    parse_collecting(source, true)
}

fn parse_collecting(source: &str, collect_trivia: bool) -> (Parsed, Trivia) {
    let (statements, mut errors, trivia) = pieces::parse_statements(source, collect_trivia);
    // Stable: errors at the same offset stay in the order they were found.
    errors.sort_by_key(|e| e.span.start());
    let parsed = Parsed {
        script: Script {
            statements,
            span: Span::new(0, source.len()),
        },
        errors,
    };
    (parsed, trivia)
}

/// Every keyword of the language, for the grammar files' tests.
#[cfg(test)]
pub(crate) fn keywords() -> Vec<&'static str> {
    [
        statement::STATEMENT_KEYWORDS,
        statement::WAIT_KINDS,
        statement::S3_KINDS,
        statement::POLICY_KINDS,
        statement::ZLAYER_SETTINGS,
        crate::syntax::ast::PanicAction::WORDS,
        clause::CLAUSE_KEYWORDS,
        clause::BACKOFF_OPTIONS,
        clause::ON_FAIL_VALUES,
        &["contains", "matches", "exists", "key", "to"],
    ]
    .concat()
}

impl Parser<'_> {
    /// The statements of a `{...}` block at `depth`, up to the `}` that
    /// closes it (left for the caller) or the end of the file.
    fn parse_sequence<T>(
        &mut self,
        depth: usize,
        parse_one: fn(&mut Self, usize) -> PResult<T>,
    ) -> Vec<T> {
        let mut items = Vec::new();
        self.parse_sequence_into(&mut items, depth, parse_one, usize::MAX);
        // A block is small: the room a pushed `Vec` keeps would be most of it.
        items.shrink_to_fit();
        items
    }

    /// Statements into `items`, up to the end of the file, or (in a block,
    /// `depth > 0`) up to the `}` that closes it, which is left for the
    /// caller. Also stops where a statement would start at or after `stop`,
    /// with the cursor there (see `pieces`).
    fn parse_sequence_into<T>(
        &mut self,
        items: &mut Vec<T>,
        depth: usize,
        parse_one: fn(&mut Self, usize) -> PResult<T>,
        stop: usize,
    ) {
        loop {
            self.skip_separators();
            if self.pos >= stop {
                return;
            }
            match self.byte() {
                None => break,
                Some(b'}') if depth > 0 => break,
                Some(b'}') => {
                    let span = Span::new(self.pos, self.pos + 1);
                    self.errors.push(
                        SyntaxError::new(
                            codes::UNEXPECTED_CLOSE_BRACE,
                            span,
                            "unexpected `}` without a matching `{`",
                        )
                        .with_label("nothing to close")
                        .with_help("remove it, or open the group with `parallel {`")
                        .with_unsafe_fix(span, ""),
                    );
                    self.pos += 1;
                    continue;
                }
                Some(_) => {}
            }
            let start = self.pos;
            self.statement_failed = false;
            if let Ok(item) = parse_one(self, depth)
                && !self.statement_failed
            {
                items.push(item);
            }
            self.recover();
            if self.pos == start {
                // Defensive: always make progress, whatever the input.
                self.pos += self.rest().chars().next().map_or(1, char::len_utf8);
            }
        }
    }
}
