//! The `wait http` settings ZLayer cannot carry.

use crate::plan::model::{HttpRequest, StatusSet};

/// ZLayer's `init.wait_http` client is reqwest's default, which follows up
/// to 10 redirects (zlayer-init-actions 0.14.3 sets no redirect policy).
const ZLAYER_FOLLOWS: u32 = 10;

/// What ZLayer's `init.wait_http` (a GET of the URL, its status compared)
/// cannot express of a `wait http`, each as a warning.
pub(super) fn dropped(request: &HttpRequest, status: &StatusSet) -> Vec<String> {
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
    let accepts_redirect = (300..400).any(|code| status.contains(code));
    if request.follow != ZLAYER_FOLLOWS && (request.follow > 0 || accepts_redirect) {
        let what = match request.follow {
            0 => "a 3xx answer is never seen there, so `status` cannot match it".to_string(),
            n => format!("`follow {n}` cannot be kept"),
        };
        out.push(format!(
            "ZLayer follows up to {ZLAYER_FOLLOWS} redirects whatever the script says: {what}"
        ));
    }
    out
}
