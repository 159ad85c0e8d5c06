//! The values of the `wait http` request and answer clauses (E135–E142),
//! judged when written literally by the validators `zinit run` applies once
//! `${...}` is resolved.

use super::{Context, own, targets};
use crate::check::codes::{BODY_ON_HEAD, CERT_WITHOUT_KEY, FOLLOW_RANGE};
use crate::check::values::{Value, Written};
use crate::syntax::ast::{Clause, ClauseKind, JsonTest, Quote, Step};
use crate::syntax::clauses::Name;
use crate::values::MAX_FOLLOW;
use std::borrow::Cow;

/// Checks of one clause's own values, on a step or in `defaults`.
pub(super) fn clause(cx: &mut Context, clause: &Clause) {
    match &clause.kind {
        ClauseKind::Method(method) => {
            let v = Value {
                what: "the `method`",
                value: Cow::Borrowed(&method.value),
                span: method.span,
                written: Written::Literal {
                    spelled: Some(method.span),
                },
            };
            cx.report(v.method());
        }
        ClauseKind::Header(header) => {
            if let Some(v) = targets::value(cx, "the `header`", header) {
                let result = v.header().map(drop);
                cx.report(result);
            }
        }
        ClauseKind::BodyMatches(pattern) => {
            if let Some(v) = targets::value(cx, "the `body matches` pattern", pattern) {
                let result = v.regex().map(drop);
                cx.report(result);
            }
        }
        ClauseKind::Json(check) => {
            if let Some(v) = targets::value(cx, "the JSON Pointer", &check.pointer) {
                cx.report(v.json_pointer());
            }
            if let JsonTest::Equals(expected) = &check.test
                && let Some(v) = targets::value(cx, "the `json` value", expected)
            {
                let result = v.json_value(expected.quote == Quote::Double).map(drop);
                cx.report(result);
            }
        }
        ClauseKind::Ca(file) => targets::path(cx, "the `ca` file", file),
        ClauseKind::Cert { cert, key } => {
            targets::path(cx, "the `cert` file", cert);
            match key {
                Some(key) => targets::path(cx, "the `key` file", key),
                None => cx.push(
                    CERT_WITHOUT_KEY
                        .at(clause.span, "`cert` names no private key")
                        .with_label("no `key FILE` after the certificate")
                        .with_help(
                            "a client certificate is presented with its private key: \
                             `cert client.pem key client-key.pem` (both PEM)",
                        ),
                ),
            }
        }
        ClauseKind::Follow(count) if count.value > MAX_FOLLOW => cx.push(
            FOLLOW_RANGE
                .at(
                    count.span,
                    format!(
                        "`follow {}` is more redirects than zinit follows",
                        count.value
                    ),
                )
                .with_label(format!("at most {MAX_FOLLOW}"))
                .with_help(format!(
                    "`follow N` follows up to N redirects, N from 0 (the default: a 3xx \
                     is the answer) to {MAX_FOLLOW}; a longer chain is a redirect loop"
                )),
        ),
        _ => {}
    }
}

/// E142: a `HEAD` answer has no body, so a body check could never pass.
pub(super) fn body_on_head(cx: &mut Context, step: &Step) {
    let Some(Clause {
        kind: ClauseKind::Method(method),
        ..
    }) = own(step, Name::Method)
    else {
        return;
    };
    if method.value != "HEAD" {
        return;
    }
    let body_check = [Name::BodyContains, Name::BodyMatches, Name::Json]
        .into_iter()
        .find_map(|name| own(step, name));
    if let Some(check) = body_check {
        cx.push(
            BODY_ON_HEAD
                .at(
                    check.span,
                    format!(
                        "`{}` can never pass on a `HEAD` request",
                        check.kind.keyword()
                    ),
                )
                .with_label("checks a body")
                .with_secondary(method.span, "a HEAD answer has no body")
                .with_help(
                    "use `method GET` (the default) to check the body, or check only `status`",
                ),
        );
    }
}
