//! Whether an answer's body holds what the step expects: `body contains`,
//! `body matches`, `json POINTER == VALUE|exists`. At most
//! [`MAX_BODY_BYTES`] are read.

use super::MAX_BODY_BYTES;
use crate::run::model::{HttpWait, JsonExpect};
use serde_json::Value;

/// What the body lacks, in words; `None` when it holds everything.
pub fn lacks(wait: &HttpWait, body: &[u8]) -> Option<String> {
    if let Some(needle) = &wait.body_contains
        && !contains(body, needle.as_bytes())
    {
        return Some(format!("body without `{needle}`"));
    }
    if let Some(re) = &wait.call.body_matches {
        let text = String::from_utf8_lossy(body);
        if !re.is_match(&text) {
            return Some(format!("body not matching `{re}`"));
        }
    }
    if wait.call.json.is_empty() {
        return None;
    }
    let document: Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        Err(e) => return Some(format!("body is not JSON ({e})")),
    };
    wait.call
        .json
        .iter()
        .find_map(|check| json_lacks(&document, check))
}

fn json_lacks(document: &Value, check: &JsonExpect) -> Option<String> {
    let pointer = &check.pointer;
    let Some(found) = document.pointer(pointer) else {
        return Some(format!("json {pointer} absent"));
    };
    let expected = check.equals.as_ref()?;
    if same(found, expected) {
        None
    } else {
        Some(format!(
            "json {pointer} is {}, not {}",
            short(found),
            short(expected)
        ))
    }
}

/// JSON equality, with numbers compared by value (`3` equals `3.0`).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_f64(), y.as_f64()) {
            (Some(x), Some(y)) if !(x.fract() == 0.0 && x.abs() > 2f64.powi(53)) => x == y,
            _ => x == y,
        },
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

/// A JSON value for a message, cut when long.
fn short(value: &Value) -> String {
    const MAX: usize = 60;
    let text = value.to_string();
    match text.char_indices().nth(MAX) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text,
    }
}

/// Reads the body, at most [`MAX_BODY_BYTES`]; stops early once `enough`
/// says the bytes so far settle the question.
pub async fn read(
    response: &mut reqwest::Response,
    enough: impl Fn(&[u8]) -> bool,
) -> reqwest::Result<Vec<u8>> {
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await? {
        let room = MAX_BODY_BYTES - body.len();
        body.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if body.len() >= MAX_BODY_BYTES || enough(&body) {
            break;
        }
    }
    Ok(body)
}

pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    needle.is_empty() || memchr::memmem::find(haystack, needle).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn finds_needles() {
        assert!(contains(b"status: ready", b"ready"));
        assert!(!contains(b"status: starting", b"ready"));
        assert!(contains(b"x", b""));
    }

    #[test]
    fn json_numbers_compare_by_value_and_the_rest_exactly() {
        assert!(same(&json!(3), &json!(3.0)));
        assert!(same(&json!({"a": [1, 2.0]}), &json!({"a": [1.0, 2]})));
        assert!(!same(&json!(3), &json!("3")));
        assert!(!same(&json!([1]), &json!([1, 2])));
        assert!(!same(&json!(u64::MAX), &json!(u64::MAX - 1)));
        let check = |pointer: &str, equals| JsonExpect {
            pointer: pointer.into(),
            equals,
        };
        let doc = json!({"status": "starting", "checks": [{"ok": null}]});
        assert_eq!(json_lacks(&doc, &check("/checks/0/ok", None)), None);
        assert_eq!(
            json_lacks(&doc, &check("/checks/1", None)).as_deref(),
            Some("json /checks/1 absent")
        );
        assert_eq!(
            json_lacks(&doc, &check("/status", Some(json!("up")))).as_deref(),
            Some(r#"json /status is "starting", not "up""#)
        );
    }
}
