//! Statements: the script policy (`retry ...`), `defaults`, and steps.

use super::cursor::{PResult, Parser, find_keyword, shorten};
use super::suggest::{did_you_mean, guess, one_of, unknown_keyword};
use crate::syntax::ast::{
    Action, DefaultsStmt, PanicAction, PolicyKind, PolicyStmt, Statement, Step, ZLayerStmt,
};
use crate::syntax::codes;
use crate::syntax::span::Spanned;
use crate::syntax::{Span, SyntaxError};

pub(crate) const STATEMENT_KEYWORDS: &[&str] = &[
    "wait", "run", "start", "sleep", "s3", "parallel", "any", "retry", "defaults", "zlayer",
];
pub(crate) const ZLAYER_SETTINGS: &[&str] = &["on-panic"];
pub(crate) const WAIT_KINDS: &[&str] = &[
    "tcp", "http", "file", "postgres", "redis", "mysql", "dns", "exec", "log", "grpc",
];
pub(crate) const S3_KINDS: &[&str] = &["pull", "push"];
pub(crate) const POLICY_KINDS: &[&str] = &["none", "restart", "backoff"];

impl Parser<'_> {
    /// One top-level statement.
    pub fn parse_statement(&mut self, depth: usize) -> PResult<Statement> {
        match self.expect_statement_keyword()? {
            (keyword, "retry") => self.parse_policy(keyword).map(Statement::Policy),
            (keyword, "zlayer") => self.parse_zlayer(keyword).map(Statement::ZLayer),
            (keyword, "defaults") => {
                self.pos = keyword.end();
                let clauses = self.parse_clauses(false)?;
                let end = clauses.last().map_or(keyword.end(), |c| c.span.end());
                Ok(Statement::Defaults(DefaultsStmt {
                    clauses,
                    keyword,
                    span: Span::new(keyword.start(), end),
                }))
            }
            (keyword, word) => self.parse_step(keyword, word, depth).map(Statement::Step),
        }
    }

    /// The statement keyword; a likely misspelling is reported and read as
    /// the keyword it resembles, so the rest of the statement is still checked.
    fn expect_statement_keyword(&mut self) -> PResult<(Span, &'static str)> {
        let Some((span, word)) = self.peek_word() else {
            let error = self.expected(
                codes::UNEXPECTED_TOKEN,
                "a statement such as `wait tcp HOST:PORT`",
            );
            return self.fail(error);
        };
        if let Some(known) = find_keyword(word, STATEMENT_KEYWORDS) {
            return Ok((span, known));
        }
        let error = unknown_statement(span, word);
        match (&error.fix, did_you_mean(word, STATEMENT_KEYWORDS)) {
            (Some(_), Some(guess)) => {
                self.soft(error);
                Ok((span, guess))
            }
            _ => self.fail(error),
        }
    }

    /// One statement of a group's body (`parallel`, `any`): a step.
    pub fn parse_member(&mut self, depth: usize) -> PResult<Step> {
        let (span, word) = self.expect_statement_keyword()?;
        if matches!(word, "retry" | "defaults" | "zlayer") {
            let help = match word {
                "retry" => {
                    "the script policy goes at the top level; to retry one step, add a `retry N` clause to it"
                }
                "zlayer" => "`zlayer` settings are the service's: put them at the top level",
                _ => {
                    "put `defaults` at the top level, before the group; it applies to the members too"
                }
            };
            let error = SyntaxError::new(
                codes::MISPLACED_IN_PARALLEL,
                span,
                format!("`{word}` statements are not allowed inside a group's body"),
            )
            .with_label("only steps can go here")
            .with_help(help);
            return self.fail(error);
        }
        self.parse_step(span, word, depth)
    }

    /// `zlayer on-panic restart|shutdown|isolate`
    fn parse_zlayer(&mut self, keyword: Span) -> PResult<ZLayerStmt> {
        self.pos = keyword.end();
        let setting = self.expect_zlayer_word(ZLAYER_SETTINGS, "after `zlayer`")?;
        let value = self.expect_zlayer_word(PanicAction::WORDS, "after `zlayer on-panic`")?;
        if !self.at_statement_end() {
            let error = self.expected(codes::UNEXPECTED_TOKEN, "the end of the `zlayer` statement");
            return self.fail(error);
        }
        let action = PanicAction::from_word(value.value).unwrap_or(PanicAction::Restart);
        Ok(ZLayerStmt {
            keyword,
            setting: setting.span,
            on_panic: Spanned::new(action, value.span),
            span: Span::new(keyword.start(), self.pos),
        })
    }

    /// One of `words`; a misspelling with a guess is reported and read as it.
    fn expect_zlayer_word(
        &mut self,
        words: &[&'static str],
        place: &str,
    ) -> PResult<Spanned<&'static str>> {
        let Some((span, word)) = self.peek_word() else {
            let what = format!("one of {} {place}", one_of(words));
            let error = self.expected(codes::BAD_ZLAYER_SETTING, &what);
            return self.fail(error);
        };
        self.pos = span.end();
        if let Some(known) = find_keyword(word, words) {
            return Ok(Spanned::new(known, span));
        }
        let error = unknown_keyword(codes::BAD_ZLAYER_SETTING, span, word, words, place);
        match did_you_mean(word, words) {
            Some(guess) => {
                self.soft(error);
                Ok(Spanned::new(guess, span))
            }
            None => self.fail(error),
        }
    }

    /// `retry none | restart [N] | backoff [N] [options]`
    fn parse_policy(&mut self, keyword: Span) -> PResult<PolicyStmt> {
        self.pos = keyword.end();
        let Some((kind_span, word)) = self.peek_word() else {
            let what = format!("one of {} after `retry`", one_of(POLICY_KINDS));
            let error = self.expected(codes::UNKNOWN_POLICY, &what);
            return self.fail(error);
        };
        self.pos = kind_span.end();
        let word = match find_keyword(word, POLICY_KINDS) {
            Some(known) => known,
            None => {
                let error = unknown_keyword(
                    codes::UNKNOWN_POLICY,
                    kind_span,
                    word,
                    POLICY_KINDS,
                    "after `retry`",
                );
                let error = if word.starts_with(|c: char| c.is_ascii_digit()) {
                    error.with_help(format!(
                        "the script policy names its kind: `retry restart {word}` or `retry backoff {word}`"
                    ))
                } else {
                    error
                };
                match did_you_mean(word, POLICY_KINDS) {
                    Some(guess) => {
                        self.soft(error);
                        guess
                    }
                    None => return self.fail(error),
                }
            }
        };
        let kind = match word {
            "none" => PolicyKind::None,
            // Only a count may follow `restart`, so anything there is read as one.
            "restart" => PolicyKind::Restart {
                count: match self.at_statement_end() {
                    true => None,
                    false => Some(self.expect_count("restart")?),
                },
            },
            _ => PolicyKind::Backoff {
                count: self.accept_count("backoff")?,
                options: self.parse_backoff_options(true)?,
            },
        };
        if !self.at_statement_end() {
            let error = match (&kind, self.peek_word()) {
                (PolicyKind::Backoff { .. }, Some((span, word))) => unknown_keyword(
                    codes::UNKNOWN_BACKOFF_OPTION,
                    span,
                    word,
                    super::clause::BACKOFF_OPTIONS,
                    "in `retry backoff`",
                ),
                _ => self.expected(codes::UNEXPECTED_TOKEN, "the end of the `retry` statement"),
            };
            return self.fail(error);
        }
        Ok(PolicyStmt {
            kind,
            keyword,
            span: Span::new(keyword.start(), self.pos),
        })
    }

    /// A step: action, arguments, clauses. `word` is its (resolved) keyword.
    fn parse_step(&mut self, keyword: Span, word: &str, depth: usize) -> PResult<Step> {
        self.pos = keyword.end();
        let (action, head) = match word {
            "wait" => self.parse_wait(keyword)?,
            "run" => (
                Action::Run {
                    command: self.expect_command("run")?,
                },
                keyword,
            ),
            "start" => (
                Action::Start {
                    command: self.expect_command("start")?,
                },
                keyword,
            ),
            "sleep" => (
                Action::Sleep {
                    duration: self.expect_duration("sleep")?,
                },
                keyword,
            ),
            "s3" => self.parse_s3(keyword)?,
            group => return self.parse_group(keyword, group, depth),
        };
        let action_end = self.pos;
        let clauses = self.parse_clauses(false)?;
        let end = clauses.last().map_or(action_end, |c| c.span.end());
        Ok(Step {
            action,
            head,
            clauses,
            span: Span::new(keyword.start(), end),
        })
    }

    fn parse_wait(&mut self, keyword: Span) -> PResult<(Action, Span)> {
        let kind = self.expect_kind(WAIT_KINDS, "wait")?;
        let head = keyword.to(kind.0);
        let action = match kind.1 {
            "tcp" => Action::WaitTcp {
                target: self.expect_text("a target such as `db:5432` after `wait tcp`")?,
            },
            "http" => Action::WaitHttp {
                url: self
                    .expect_text("a URL such as `http://api:8080/health` after `wait http`")?,
            },
            "postgres" => Action::WaitPostgres {
                target: self.expect_text(
                    "a target such as `db:5432` or `postgres://user@db/app` after `wait postgres`",
                )?,
            },
            "redis" => Action::WaitRedis {
                target: self.expect_text(
                    "a target such as `cache:6379` or `redis://cache:6379` after `wait redis`",
                )?,
            },
            "mysql" => Action::WaitMysql {
                target: self.expect_text(
                    "a target such as `db:3306` or `mysql://user@db/app` after `wait mysql`",
                )?,
            },
            "dns" => Action::WaitDns {
                name: self.expect_text("a name such as `db.internal` after `wait dns`")?,
            },
            "grpc" => Action::WaitGrpc {
                target: self.expect_text("a target such as `api:50051` after `wait grpc`")?,
            },
            "exec" => Action::WaitExec {
                command: self.expect_command("wait exec")?,
            },
            "log" => Action::WaitLog {
                service: self
                    .expect_step_id("wait log", "the id of a `start` step such as `api`")?,
            },
            _ => Action::WaitFile {
                path: self.expect_text("a path after `wait file`")?,
            },
        };
        Ok((action, head))
    }

    fn parse_s3(&mut self, keyword: Span) -> PResult<(Action, Span)> {
        let kind = self.expect_kind(S3_KINDS, "s3")?;
        let head = keyword.to(kind.0);
        let (source_what, destination_what) = match kind.1 {
            "pull" => (
                "an object such as `s3://bucket/key` after `s3 pull`",
                "a local path after `to`",
            ),
            _ => (
                "a local path after `s3 push`",
                "an object such as `s3://bucket/key` after `to`",
            ),
        };
        let source = self.expect_text(source_what)?;
        if self.accept_keyword("to").is_none() {
            let error = self.expected(codes::UNEXPECTED_TOKEN, "`to`");
            return self
                .fail(error.with_help(format!("write `s3 {} SOURCE to DESTINATION`", kind.1)));
        }
        let destination = self.expect_text(destination_what)?;
        let action = match kind.1 {
            "pull" => Action::S3Pull {
                source: Box::new(source),
                destination: Box::new(destination),
            },
            _ => Action::S3Push {
                source: Box::new(source),
                destination: Box::new(destination),
            },
        };
        Ok((action, head))
    }

    /// The word after `wait` / `s3`, one of `kinds`.
    fn expect_kind<'k>(&mut self, kinds: &[&'k str], after: &str) -> PResult<(Span, &'k str)> {
        let Some((span, word)) = self.peek_word() else {
            let what = format!("one of {} after `{after}`", one_of(kinds));
            let error = self.expected(codes::UNKNOWN_ACTION, &what);
            return self.fail(error);
        };
        match find_keyword(word, kinds) {
            Some(kind) => {
                self.pos = span.end();
                Ok((span, kind))
            }
            None => {
                let error = unknown_keyword(
                    codes::UNKNOWN_ACTION,
                    span,
                    word,
                    kinds,
                    &format!("after `{after}`"),
                );
                match did_you_mean(word, kinds) {
                    Some(guess) => {
                        self.pos = span.end();
                        self.soft(error);
                        Ok((span, guess))
                    }
                    None => self.fail(error),
                }
            }
        }
    }
}

/// "expected one of `a`, `b` WHERE, found `x`" with a did-you-mean fix.
fn unknown_statement(span: Span, word: &str) -> SyntaxError {
    if super::clause::CLAUSE_KEYWORDS.contains(&word) && word != "retry" {
        return SyntaxError::new(
            codes::UNKNOWN_STATEMENT,
            span,
            format!("`{word}` is a step clause, not a statement"),
        )
        .with_label("clause on a line of its own")
        .with_help("put the clause on the same line as its step, or end the step's line with `\\` to continue it");
    }
    let error = SyntaxError::new(
        codes::UNKNOWN_STATEMENT,
        span,
        format!("unknown statement `{}`", shorten(word)),
    )
    .with_label("unknown statement");
    match guess(word, STATEMENT_KEYWORDS) {
        Some(guess) => error
            .with_help(format!("did you mean `{}`?", guess.keyword))
            .with_fix(guess.applicability, span, guess.keyword),
        None => error.with_help(format!(
            "statements start with one of {}",
            one_of(STATEMENT_KEYWORDS)
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_statement_suggests_the_keyword() {
        let error = unknown_statement(Span::new(0, 4), "wiat");
        assert_eq!(error.code, codes::UNKNOWN_STATEMENT);
        let fix = error.fix.expect("a fix");
        assert_eq!(
            (fix.span, fix.replacement.as_str()),
            (Span::new(0, 4), "wait")
        );
        assert_eq!(fix.applicability, crate::syntax::Applicability::Safe);
    }

    #[test]
    fn a_clause_at_statement_start_explains_itself() {
        let error = unknown_statement(Span::new(0, 7), "timeout");
        assert!(error.message.contains("step clause"), "{}", error.message);
    }

    #[test]
    fn token_kind_is_independent_of_case() {
        assert_eq!(did_you_mean("TCP", WAIT_KINDS), Some("tcp"));
    }
}
