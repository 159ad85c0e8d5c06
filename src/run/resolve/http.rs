//! The `wait http` request clauses, resolved and judged by the validators
//! `check` applies to literals.

use super::Resolver;
use crate::plan::model::HttpRequest;
use crate::run::model::{HttpCall, JsonExpect};
use crate::text::{Quote, Text};
use std::path::PathBuf;

impl Resolver<'_> {
    pub(super) fn http_call(&mut self, request: &HttpRequest) -> Option<HttpCall> {
        // A method is always literal and `check` judged it (E139) before any plan is run.
        let method = reqwest::Method::from_bytes(request.method().as_bytes()).ok()?;
        let headers: Vec<Option<(String, String)>> = (request.headers.iter())
            .map(|header| {
                let value = self.value("the `header`", header)?;
                self.judged(value.header())
            })
            .collect();
        let data = self.optional(&request.data);
        let body_matches = match &request.body_matches {
            Some(pattern) => {
                let value = self.value("the `body matches` pattern", pattern);
                value.and_then(|v| self.judged(v.regex())).map(Some)
            }
            None => Some(None),
        };
        let json: Vec<Option<JsonExpect>> = (request.json.iter())
            .map(|check| {
                let pointer = self.value("the JSON Pointer", &check.pointer);
                let pointer = pointer.and_then(|p| {
                    self.judged(p.json_pointer())?;
                    Some(p.value.into_owned())
                });
                let equals = match &check.equals {
                    Some(expected) => {
                        let value = self.value("the `json` value", expected);
                        let double_quoted = expected.quote == Quote::Double;
                        value.and_then(|v| self.judged(v.json_value(double_quoted)).map(Some))
                    }
                    None => Some(None),
                };
                Some(JsonExpect {
                    pointer: pointer?,
                    equals: equals?,
                })
            })
            .collect();
        let ca = match &request.ca {
            Some(file) => self.file("the `ca` file", file).map(Some),
            None => Some(None),
        };
        let cert = match &request.cert {
            Some((cert, key)) => {
                let cert = self.file("the `cert` file", cert);
                let key = self.file("the `key` file", key);
                cert.zip(key).map(Some)
            }
            None => Some(None),
        };
        Some(HttpCall {
            method,
            headers: headers.into_iter().collect::<Option<_>>()?,
            data: data?,
            body_matches: body_matches?,
            json: json.into_iter().collect::<Option<_>>()?,
            ca: ca?,
            cert: cert?,
            follow: request.follow,
        })
    }

    fn file(&mut self, what: &str, file: &Text) -> Option<PathBuf> {
        self.judge(what, file, |v| v.path()).map(PathBuf::from)
    }
}
