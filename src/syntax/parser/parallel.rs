//! Groups: `parallel [CLAUSES] { STEPS }` and `any [CLAUSES] { STEPS }`,
//! nested (in any mix) at most `MAX_PARALLEL_DEPTH` deep.

use super::cursor::{PResult, Parser, Token};
use crate::syntax::ast::{Action, Step};
use crate::syntax::codes;
use crate::syntax::{Span, SyntaxError};

/// How deep groups (`parallel`, `any`) may nest; deeper is an error, so the
/// parser's recursion is bounded whatever the input.
pub const MAX_PARALLEL_DEPTH: usize = 16;

impl Parser<'_> {
    /// `keyword` is the consumed `parallel` or `any` (`word`); `depth`
    /// counts the enclosing groups.
    pub fn parse_group(&mut self, keyword: Span, word: &str, depth: usize) -> PResult<Step> {
        let clauses = self.parse_clauses(true)?;
        let open = self.expect_block_open(word)?;
        if depth >= MAX_PARALLEL_DEPTH {
            self.pos = open;
            self.skip_block();
            let error = SyntaxError::new(
                codes::PARALLEL_TOO_DEEP,
                keyword,
                format!("groups (`parallel`, `any`) are nested more than {MAX_PARALLEL_DEPTH} deep"),
            )
            .with_label("too deeply nested")
            .with_help("members of nested groups all run at once anyway: merge the inner groups into their parent");
            return self.fail(error);
        }
        // The members' own errors leave them out, not the group.
        let header_failed = self.statement_failed;
        self.pos = open + 1;
        let steps = self.parse_sequence(depth + 1, Self::parse_member);
        self.statement_failed = header_failed;
        let body = if self.byte() == Some(b'}') {
            self.pos += 1;
            Span::new(open, self.pos)
        } else {
            self.errors.push(
                SyntaxError::new(
                    codes::UNCLOSED_BLOCK,
                    Span::empty(self.src.len()),
                    format!("the `{{` of this `{word}` group is never closed"),
                )
                .with_label("expected `}` before the end of the file")
                .with_secondary(Span::new(open, open + 1), "the group opens here")
                .with_help("add `}` after the group's last step"),
            );
            Span::new(open, self.src.len())
        };
        if !self.at_statement_end() {
            let what = format!("the end of the statement after the `}}` of a `{word}` group");
            let error = self
                .expected(codes::UNEXPECTED_TOKEN, &what)
                .with_help(format!("clauses of a `{word}` group go between `{word}` and `{{`: `{word} timeout 1m {{ ... }}`"));
            self.soft(error);
        }
        let action = match word {
            "any" => Action::Any { steps, body },
            _ => Action::Parallel { steps, body },
        };
        Ok(Step {
            action,
            head: keyword,
            clauses,
            span: Span::new(keyword.start(), body.end()),
        })
    }

    /// The `{` of a group: on the header's line, or on a later line.
    fn expect_block_open(&mut self, word: &str) -> PResult<usize> {
        if self.peek() == Token::Open {
            return Ok(self.blank_end());
        }
        let (header_end, comments) = (self.pos, self.trivia.comments.len());
        self.skip_blank_lines();
        if self.byte() == Some(b'{') {
            return Ok(self.pos);
        }
        // Not a body: the lines skipped are read again as statements.
        self.pos = header_end;
        self.trivia.comments.truncate(comments);
        let what = format!("`{{` to open the body of the `{word}` group");
        let error = self
            .expected(codes::MISSING_BLOCK, &what)
            .with_help(format!("write the steps to run at once in braces: `{word} {{ wait tcp db:5432; wait tcp cache:6379 }}`"));
        self.fail(error)
    }
}
