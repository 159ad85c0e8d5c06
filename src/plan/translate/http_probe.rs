//! The `wait http` request clauses in a translation: written back as the
//! script has them, and why a probe cannot stand in for them.

use crate::plan::model::HttpRequest;
use crate::syntax::print::text;

/// The request clauses of a `wait http`, as the script would write them.
pub(super) fn request_clauses(request: &HttpRequest) -> String {
    let mut out = String::new();
    if let Some(method) = &request.method {
        out.push_str(&format!(" method {method}"));
    }
    for header in &request.headers {
        out.push_str(&format!(" header {}", text(header)));
    }
    if let Some(data) = &request.data {
        out.push_str(&format!(" data {}", text(data)));
    }
    if request.follow > 0 {
        out.push_str(&format!(" follow {}", request.follow));
    }
    if let Some(pattern) = &request.body_matches {
        out.push_str(&format!(" body matches {}", text(pattern)));
    }
    for check in &request.json {
        out.push_str(&match &check.equals {
            Some(value) => format!(" json {} == {}", text(&check.pointer), text(value)),
            None => format!(" json {} exists", text(&check.pointer)),
        });
    }
    if let Some(ca) = &request.ca {
        out.push_str(&format!(" ca {}", text(ca)));
    }
    if let Some((cert, key)) = &request.cert {
        out.push_str(&format!(" cert {} key {}", text(cert), text(key)));
    }
    out
}

/// Why an HTTP probe (a plain GET, its status judged) cannot do what the
/// request clauses ask, if it cannot.
pub(super) fn beyond_a_probe(request: &HttpRequest) -> Option<String> {
    let why = if request.method() != "GET" {
        format!("a probe sends GET, not `method {}`", request.method())
    } else if !request.headers.is_empty() || request.data.is_some() {
        "a probe sends no request headers or body of the script's".into()
    } else if request.body_matches.is_some() || !request.json.is_empty() {
        "a probe checks the status, not the body".into()
    } else if request.ca.is_some() || request.cert.is_some() {
        "a probe cannot trust a CA or present a client certificate".into()
    } else if request.follow > 0 {
        format!(
            "a probe does not follow redirects as `follow {}` does",
            request.follow
        )
    } else {
        return None;
    };
    Some(why)
}
