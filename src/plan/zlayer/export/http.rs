//! The `wait http` settings ZLayer cannot carry.

use crate::plan::model::HttpRequest;

/// What ZLayer's `init.wait_http` (a GET of the URL, its status compared)
/// cannot express of a `wait http`, each as a warning.
pub(super) fn dropped(request: &HttpRequest) -> Vec<String> {
    let mut out = Vec::new();
    if request.method() != "GET" {
        out.push(format!(
            "`method {}` dropped: ZLayer always sends GET",
            request.method()
        ));
    }
    if !request.headers.is_empty() {
        out.push("`header` dropped: ZLayer sends no request headers of its own".into());
    }
    if request.data.is_some() {
        out.push("`data` dropped: ZLayer sends no request body".into());
    }
    if request.body_matches.is_some() {
        out.push("`body matches` dropped: ZLayer checks the status only".into());
    }
    if !request.json.is_empty() {
        out.push("`json` dropped: ZLayer checks the status only".into());
    }
    if request.ca.is_some() {
        out.push("`ca` dropped: ZLayer trusts only its system roots".into());
    }
    if request.cert.is_some() {
        out.push("`cert` dropped: ZLayer presents no client certificate".into());
    }
    if request.follow > 0 {
        out.push(format!(
            "`follow {}` dropped: ZLayer's `init.wait_http` has no redirect setting",
            request.follow
        ));
    }
    out
}
