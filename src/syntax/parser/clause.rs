//! Step clauses (`timeout 30s`, `on-fail warn`, `retry 3 every 2s` ...) and
//! backoff options. Every clause parses on every step; the checker decides
//! which belong where.

use super::cursor::{PResult, Parser, Token, exact, find_keyword, shorten};
use super::suggest::{Guess, did_you_mean, guess, one_of, unknown_keyword};
use super::text::var_name;
use crate::syntax::ast::{
    BackoffOption, BackoffOptionKind, Clause, ClauseKind, EnvPair, JsonCheck, JsonTest, Literal,
    OnFail, Quote, RetrySchedule, StepRetry, Text,
};
use crate::syntax::clauses::takes_a_value;
use crate::syntax::codes;
use crate::syntax::{Span, Spanned, SyntaxError};

/// The words that start a clause, from the one clause table.
pub(crate) const CLAUSE_KEYWORDS: &[&str] = &crate::syntax::clauses::WORDS;

pub(crate) const BACKOFF_OPTIONS: &[&str] = &["initial", "max", "factor", "jitter"];

pub(crate) const ON_FAIL_VALUES: &[&str] = &["fail", "warn", "continue"];

impl Parser<'_> {
    /// Clauses up to the end of the statement (or a `{` when `before_block`).
    pub fn parse_clauses(&mut self, before_block: bool) -> PResult<Box<[Clause]>> {
        // Borrowed, not shared: an error (`?`) just drops this buffer.
        let mut clauses = std::mem::take(&mut self.scratch.clauses);
        clauses.clear();
        loop {
            match self.peek() {
                Token::End | Token::Close => break,
                Token::Open if before_block => break,
                _ => {}
            }
            let after_backoff = matches!(
                clauses.last(),
                Some(Clause {
                    kind: ClauseKind::Retry(retry),
                    ..
                }) if matches!(retry.schedule, Some(RetrySchedule::Backoff { .. }))
            );
            let clause = self.parse_clause(after_backoff)?;
            clauses.push(clause);
        }
        let exact = exact(&mut clauses);
        self.scratch.clauses = clauses;
        Ok(exact.into_boxed_slice())
    }

    fn parse_clause(&mut self, after_backoff: bool) -> PResult<Clause> {
        let Some((keyword, word)) = self.peek_word() else {
            let error = self.expected(
                codes::UNEXPECTED_TOKEN,
                "a clause such as `timeout 30s` or the end of the statement",
            );
            return self.fail(error);
        };
        if let Some(known) = self.accept_clause_with_equals(keyword, word) {
            return self.parse_clause_value(
                known,
                Span::new(keyword.start(), keyword.start() + known.len()),
            );
        }
        let word = match find_keyword(word, CLAUSE_KEYWORDS) {
            Some(known) => known,
            None => {
                let error = unknown_clause(keyword, word, after_backoff);
                match did_you_mean(word, CLAUSE_KEYWORDS) {
                    // Read it as the clause it resembles, to check the rest.
                    Some(guess)
                        if error
                            .fix
                            .as_ref()
                            .is_some_and(|fix| fix.replacement == guess) =>
                    {
                        self.soft(error);
                        guess
                    }
                    _ => return self.fail(error),
                }
            }
        };
        self.pos = keyword.end();
        self.parse_clause_value(word, keyword)
    }

    /// `timeout=30s`: a clause keyword that takes a value, glued to it with
    /// `=`. Reported with the certain fix (a blank for the `=`), and read
    /// as the clause, with the cursor on the value.
    fn accept_clause_with_equals(&mut self, span: Span, word: &str) -> Option<&'static str> {
        let (name, _) = word.split_once('=')?;
        let known = find_keyword(name, CLAUSE_KEYWORDS).filter(|k| takes_a_value(k))?;
        let equals = Span::new(span.start() + name.len(), span.start() + name.len() + 1);
        self.soft(
            SyntaxError::new(
                codes::UNKNOWN_CLAUSE,
                span,
                format!("unknown clause `{}`", shorten(word)),
            )
            .with_label("`=` between a clause and its value")
            .with_help(format!(
                "a clause and its value are separated by a blank: `{known} {}`",
                shorten(&word[name.len() + 1..])
            ))
            .with_safe_fix(span, format!("{known} {}", &word[name.len() + 1..])),
        );
        self.pos = equals.end();
        Some(known)
    }

    /// The rest of a clause after its keyword (the cursor is past it).
    fn parse_clause_value(&mut self, word: &str, keyword: Span) -> PResult<Clause> {
        let kind = match word {
            "as" => ClauseKind::As(self.expect_step_id("as", "a step id such as `db-ready`")?),
            "timeout" => ClauseKind::Timeout(self.expect_duration("timeout")?),
            "on-fail" => ClauseKind::OnFail(self.expect_on_fail()?),
            "retry" => ClauseKind::Retry(Box::new(self.expect_step_retry()?)),
            "every" => ClauseKind::Every(self.expect_duration("every")?),
            "env" => ClauseKind::Env(self.expect_env_pairs()?),
            "cwd" => ClauseKind::Cwd(self.expect_text("a directory after `cwd`")?),
            "closed" => ClauseKind::Closed,
            "gone" => ClauseKind::Gone,
            "insecure" => ClauseKind::Insecure,
            "status" => ClauseKind::Status(self.expect_status()?),
            "body" => {
                if self.accept_keyword("contains").is_some() {
                    ClauseKind::BodyContains(
                        self.expect_text("the text to look for after `body contains`")?,
                    )
                } else if self.accept_keyword("matches").is_some() {
                    ClauseKind::BodyMatches(
                        self.expect_text("a regular expression after `body matches`")?,
                    )
                } else {
                    let error = self.expected(
                        codes::UNEXPECTED_TOKEN,
                        "`contains` or `matches` after `body`",
                    );
                    return self.fail(
                        error.with_help(
                            "write `body contains \"TEXT\"` or `body matches \"REGEX\"`",
                        ),
                    );
                }
            }
            "method" => ClauseKind::Method(self.expect_method()?),
            "header" => ClauseKind::Header(self.expect_text("`\"Name: value\"` after `header`")?),
            "data" => ClauseKind::Data(self.expect_text("the request body after `data`")?),
            "json" => ClauseKind::Json(Box::new(self.expect_json_check()?)),
            "ca" => ClauseKind::Ca(self.expect_text("a CA certificate file after `ca`")?),
            "cert" => {
                let cert = Box::new(self.expect_text("a certificate file after `cert`")?);
                let key = match self.accept_keyword("key") {
                    Some(_) => Some(Box::new(
                        self.expect_text("a private key file after `key`")?,
                    )),
                    None => None,
                };
                ClauseKind::Cert { cert, key }
            }
            "follow" => ClauseKind::Follow(self.expect_count("follow")?),
            "service" => ClauseKind::Service(
                self.expect_text("a service name such as `app.v1.Orders` after `service`")?,
            ),
            "tls" => ClauseKind::Tls,
            "endpoint" => ClauseKind::Endpoint(self.expect_text("a URL after `endpoint`")?),
            "type" => ClauseKind::RecordType(
                self.expect_text("a record type (A, AAAA, CNAME, TXT, SRV or MX) after `type`")?,
            ),
            "server" => ClauseKind::Server(
                self.expect_text("a DNS server such as `127.0.0.1:5353` after `server`")?,
            ),
            "value" => ClauseKind::Value(self.expect_text("the answer to wait for after `value`")?),
            "contains" => {
                ClauseKind::Contains(self.expect_text("the text to look for after `contains`")?)
            }
            "matches" => ClauseKind::Matches(self.expect_text(
                "a regular expression such as `'listening on \\d+'` after `matches`",
            )?),
            "times" => ClauseKind::Times(self.expect_count("times")?),
            "by" => {
                ClauseKind::By(self.expect_step_id("by", "the id of a `start` step such as `api`")?)
            }
            _ => ClauseKind::Region(self.expect_text("a region name after `region`")?),
        };
        Ok(Clause {
            kind,
            keyword,
            span: Span::new(keyword.start(), self.pos.max(keyword.end())),
        })
    }

    /// `method M`: one word, judged by the checker (E139).
    fn expect_method(&mut self) -> PResult<Spanned<Literal>> {
        let Some((span, word)) = self.peek_word() else {
            let error = self.expected(
                codes::UNEXPECTED_TOKEN,
                "a request method such as `POST` after `method`",
            );
            return self.fail(error);
        };
        self.pos = span.end();
        Ok(Spanned::new(word.into(), span))
    }

    /// `json POINTER == VALUE` or `json POINTER exists`.
    fn expect_json_check(&mut self) -> PResult<JsonCheck> {
        let pointer = self.expect_text("a JSON Pointer such as `/status` after `json`")?;
        let test = if let Some(span) = self.accept_keyword("exists") {
            JsonTest::Exists(span)
        } else if self.accept_keyword("==").is_some() {
            JsonTest::Equals(
                self.expect_text("a JSON value such as `\"up\"`, `true` or `3` after `==`")?,
            )
        } else {
            let error = self.expected(
                codes::UNEXPECTED_TOKEN,
                "`==` or `exists` after the JSON Pointer",
            );
            return self
                .fail(error.with_help("write `json /status == \"up\"` or `json /status exists`"));
        };
        Ok(JsonCheck { pointer, test })
    }

    fn expect_on_fail(&mut self) -> PResult<Spanned<OnFail>> {
        let Some((span, word)) = self.peek_word() else {
            let what = format!("one of {} after `on-fail`", one_of(ON_FAIL_VALUES));
            let error = self.expected(codes::UNKNOWN_ON_FAIL, &what);
            return self.fail(error);
        };
        self.pos = span.end();
        let value = match word {
            "fail" => OnFail::Fail,
            "warn" => OnFail::Warn,
            "continue" => OnFail::Continue,
            _ => {
                let mut error = SyntaxError::new(
                    codes::UNKNOWN_ON_FAIL,
                    span,
                    format!(
                        "expected one of {} after `on-fail`, found `{}`",
                        one_of(ON_FAIL_VALUES),
                        shorten(word)
                    ),
                )
                .with_label("unknown failure action");
                // Other tools' words for the actions mean about the same: guesses.
                let guess = guess(word, ON_FAIL_VALUES).or(match word {
                    "warning" | "ignore-warn" => Some(unsafe_guess("warn")),
                    "ignore" | "skip" => Some(unsafe_guess("continue")),
                    "abort" | "error" | "exit" => Some(unsafe_guess("fail")),
                    _ => None,
                });
                if let Some(guess) = guess {
                    error = error
                        .with_help(format!("did you mean `{}`?", guess.keyword))
                        .with_fix(guess.applicability, span, guess.keyword);
                }
                self.soft(error);
                OnFail::Fail
            }
        };
        Ok(Spanned::new(value, span))
    }

    /// `retry N [every D | backoff [options]]` on a step.
    fn expect_step_retry(&mut self) -> PResult<StepRetry> {
        let count = self.expect_count("retry")?;
        let schedule = if self.accept_keyword("every").is_some() {
            Some(RetrySchedule::Every(self.expect_duration("every")?))
        } else if let Some(keyword) = self.accept_keyword("backoff") {
            Some(RetrySchedule::Backoff {
                keyword,
                options: self.parse_backoff_options(false)?,
            })
        } else {
            None
        };
        Ok(StepRetry { count, schedule })
    }

    /// Backoff options in any order, as long as they come. In the script
    /// policy (`guess`), nothing else may follow, so a misspelt option is
    /// reported and read as the option it resembles.
    pub fn parse_backoff_options(&mut self, guess: bool) -> PResult<Vec<BackoffOption>> {
        let mut options = Vec::new();
        while let Some((keyword, word)) = self.peek_word() {
            let word = match find_keyword(word, BACKOFF_OPTIONS) {
                Some(known) => known,
                None => match did_you_mean(word, BACKOFF_OPTIONS) {
                    Some(option) if guess => {
                        let error = unknown_keyword(
                            codes::UNKNOWN_BACKOFF_OPTION,
                            keyword,
                            word,
                            BACKOFF_OPTIONS,
                            "in `retry backoff`",
                        );
                        self.soft(error);
                        option
                    }
                    _ => break,
                },
            };
            self.pos = keyword.end();
            let kind = match word {
                "initial" => BackoffOptionKind::Initial(self.expect_duration("initial")?),
                "max" => BackoffOptionKind::Max(self.expect_duration("max")?),
                "factor" => BackoffOptionKind::Factor(self.expect_decimal("factor")?),
                _ => BackoffOptionKind::Jitter(self.expect_percent("jitter")?),
            };
            options.push(BackoffOption {
                kind,
                keyword,
                span: Span::new(keyword.start(), self.pos),
            });
        }
        options.shrink_to_fit();
        Ok(options)
    }

    /// `env K=V [K=V ...]`: pairs as long as the next word holds a `=`.
    fn expect_env_pairs(&mut self) -> PResult<Vec<EnvPair>> {
        let mut pairs = Vec::new();
        let mut seen = 0;
        while let Some((span, word)) = self.peek_word() {
            if seen > 0 && !word.contains('=') {
                break;
            }
            seen += 1;
            let Some(key) = env_key(word) else {
                self.pos = span.end();
                self.reject_glued_quote(span.start());
                self.soft(
                    SyntaxError::new(
                        codes::INVALID_ENV_PAIR,
                        Span::new(span.start(), self.pos),
                        format!(
                            "expected `KEY=VALUE` after `env`, found `{}`",
                            shorten(word)
                        ),
                    )
                    .with_label("not a `KEY=VALUE` pair")
                    .with_help(
                        "KEY is [A-Za-z_][A-Za-z0-9_]*, e.g. `env MODE=prod NAME=\"my app\"`",
                    ),
                );
                continue;
            };
            let key_span = Span::new(span.start(), span.start() + key.len());
            let value_start = key_span.end() + 1;
            self.pos = value_start;
            let value = match self.byte() {
                Some(b'"' | b'\'') => self.parse_quoted()?,
                _ => self.env_bare_value(value_start),
            };
            self.reject_glued_quote(value.span.start());
            pairs.push(EnvPair {
                key: Spanned::new(key.into(), key_span),
                span: Span::new(span.start(), self.pos),
                value,
            });
        }
        if seen == 0 {
            let error = self.expected(codes::INVALID_ENV_PAIR, "`KEY=VALUE` after `env`");
            return self.fail(error);
        }
        pairs.shrink_to_fit();
        Ok(pairs)
    }

    /// The bare value after `KEY=`; empty when nothing follows the `=`.
    fn env_bare_value(&mut self, start: usize) -> Text {
        if self.peek() == Token::Word && self.blank_end() == start {
            self.parse_bare_text()
        } else {
            Text {
                parts: Box::default(),
                quote: Quote::Bare,
                span: Span::empty(start),
            }
        }
    }
}

/// `KEY` when `word` starts with `KEY=`.
fn env_key(word: &str) -> Option<&str> {
    match var_name(word) {
        Ok((rest, key)) if rest.starts_with('=') => Some(key),
        _ => None,
    }
}

fn unknown_clause(span: Span, word: &str, after_backoff: bool) -> SyntaxError {
    let mut candidates = CLAUSE_KEYWORDS.to_vec();
    if after_backoff {
        candidates.extend_from_slice(BACKOFF_OPTIONS);
    }
    let guess = guess(word, &candidates);
    let message = match guess {
        Some(_) => format!("unknown clause `{}`", shorten(word)),
        None => format!(
            "expected a clause such as `timeout 30s` or the end of the statement, found `{}`",
            shorten(word)
        ),
    };
    let error = SyntaxError::new(codes::UNKNOWN_CLAUSE, span, message).with_label("unknown clause");
    match guess {
        Some(guess) => error
            .with_help(format!("did you mean `{}`?", guess.keyword))
            .with_fix(guess.applicability, span, guess.keyword),
        None => {
            // `body` starts two clauses; name it once.
            let mut words: Vec<&str> = Vec::new();
            for word in CLAUSE_KEYWORDS {
                if !words.contains(word) {
                    words.push(word);
                }
            }
            error.with_help(format!("step clauses: {}", one_of(&words)))
        }
    }
}

fn unsafe_guess(keyword: &str) -> Guess<'_> {
    Guess {
        keyword,
        applicability: crate::syntax::Applicability::Unsafe,
    }
}
