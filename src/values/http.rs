//! What a `wait http` sends and expects besides its URL: the method, the
//! headers, a regular expression for the body, JSON Pointers and JSON values.

use super::{Invalid, Problem};

/// `follow N` follows at most this many redirects (browsers stop at 20).
pub const MAX_FOLLOW: u64 = 20;

/// Methods that are spelt in capitals everywhere; a method is case-sensitive
/// (RFC 9110 §9.1), so `get` is another method that servers refuse.
const KNOWN_METHODS: [&str; 8] = [
    "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE",
];

/// RFC 9110 `tchar`: what a method or a header name is made of.
fn is_token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// The first byte of `s` that is not a token byte, as a range.
fn first_non_token(s: &str) -> Option<std::ops::Range<usize>> {
    let (at, c) = s
        .char_indices()
        .find(|&(_, c)| !c.is_ascii() || !is_token_byte(c as u8))?;
    Some(at..at + c.len_utf8())
}

pub fn check_method(method: &str) -> Result<(), Invalid> {
    let bad = |reason: &str| {
        Invalid::new(Problem::Method, reason)
            .help("a method is a word such as `GET`, `HEAD`, `POST`, `PUT` or `DELETE`")
    };
    if method.is_empty() {
        return Err(bad("is empty"));
    }
    if let Some(at) = first_non_token(method) {
        return Err(bad("is not a method name").part(at));
    }
    let upper = method.to_ascii_uppercase();
    if upper != method && KNOWN_METHODS.contains(&upper.as_str()) {
        return Err(Invalid::new(Problem::Method, "is not in capitals")
            .help(format!(
                "methods are case-sensitive and servers know `{upper}`, not `{method}`"
            ))
            .certain_fix(upper));
    }
    Ok(())
}

/// `Name: value`, as (name, value) with the value's surrounding blanks removed.
pub fn parse_header(header: &str) -> Result<(String, String), Invalid> {
    const FORM: &str =
        "write a header as `\"Name: value\"`, e.g. `header \"Accept: application/json\"`";
    let bad = |reason: &str| Invalid::new(Problem::Header, reason).help(FORM);
    let Some((name, value)) = header.split_once(':') else {
        let invalid = bad("has no `:` between the name and the value");
        return Err(match header.split_once('=') {
            Some((name, value)) if !name.is_empty() && first_non_token(name).is_none() => {
                invalid.fix(format!("{name}: {}", value.trim()))
            }
            _ => invalid,
        });
    };
    if name.is_empty() {
        return Err(bad("has no name before the `:`"));
    }
    if let Some(at) = first_non_token(name) {
        return Err(bad("has a name that is not a header name (letters, digits, `-`)").part(at));
    }
    if let Some(at) = value.find(['\r', '\n', '\0']) {
        let at = name.len() + 1 + at;
        return Err(bad("has a line break or NUL in its value").part(at..at + 1));
    }
    let value = value.trim_matches([' ', '\t']);
    Ok((name.to_string(), value.to_string()))
}

/// A regular expression (the `regex` crate's syntax), compiled.
pub fn compile_regex(pattern: &str) -> Result<regex::Regex, Invalid> {
    const HELP: &str = "the syntax is the `regex` crate's (like RE2): escape a literal `(`, `[`, `{`, `.`, `*`, `+`, `?` or `\\` with `\\`";
    // The parser of the syntax alone says where the mistake is.
    if let Err(e) = regex_syntax::ast::parse::Parser::new().parse(pattern) {
        let span = e.span();
        let at = span.start.offset
            ..span
                .end
                .offset
                .max(span.start.offset + 1)
                .min(pattern.len());
        let mut invalid =
            Invalid::new(Problem::Regex, format!("does not compile: {}", e.kind())).help(HELP);
        if at.start < at.end {
            invalid = invalid.part(at);
        }
        return Err(invalid);
    }
    regex::Regex::new(pattern).map_err(|e| {
        let why = match &e {
            regex::Error::CompiledTooBig(limit) => {
                format!("does not compile: it would take more than {limit} bytes")
            }
            other => format!(
                "does not compile: {}",
                other
                    .to_string()
                    .lines()
                    .last()
                    .unwrap_or_default()
                    .trim_start_matches("error: ")
            ),
        };
        Invalid::new(Problem::Regex, why).help(HELP)
    })
}

/// An RFC 6901 JSON Pointer: empty or `/`-separated keys, `~0` for `~`, `~1` for `/`.
pub fn check_json_pointer(pointer: &str) -> Result<(), Invalid> {
    const HELP: &str = "a JSON Pointer (RFC 6901) names a value from the top of the document: `/status`, `/checks/0/ok`";
    if !pointer.starts_with('/') {
        let invalid = Invalid::new(Problem::JsonPointer, "does not start with `/`").help(HELP);
        let fixed = from_dotted(pointer);
        let fixable = fixed.starts_with('/') && check_json_pointer(&fixed).is_ok();
        return Err(if fixable { invalid.fix(fixed) } else { invalid });
    }
    let mut bytes = pointer.char_indices().peekable();
    while let Some((at, c)) = bytes.next() {
        if c == '~' && !matches!(bytes.peek(), Some((_, '0' | '1'))) {
            return Err(
                Invalid::new(Problem::JsonPointer, "has a `~` not followed by `0` or `1`")
                    .help("in a JSON Pointer `~0` stands for `~` and `~1` for `/` within a key")
                    .part(at..at + 1),
            );
        }
    }
    Ok(())
}

/// `status`, `.checks[0].ok` (jq's way) as `/status`, `/checks/0/ok`.
fn from_dotted(path: &str) -> String {
    let keys = path
        .trim_start_matches('.')
        .split(['.', '['])
        .map(|key| key.trim_end_matches(']'))
        .filter(|key| !key.is_empty());
    keys.map(|key| format!("/{}", key.replace('~', "~0").replace('/', "~1")))
        .collect()
}

/// The VALUE of `json POINTER == VALUE`. Written in double quotes it is a
/// JSON string (`"up"`); otherwise its text is JSON (`3`, `true`, `null`,
/// `'{"a": 1}'`).
pub fn parse_json_value(value: &str, double_quoted: bool) -> Result<serde_json::Value, Invalid> {
    if double_quoted {
        return Ok(serde_json::Value::String(value.to_string()));
    }
    serde_json::from_str(value).map_err(|e| {
        let invalid = Invalid::new(Problem::JsonValue, format!("is not JSON ({e})")).help(
            "VALUE is JSON: a string in double quotes (`\"up\"`), a number (`3`), `true`, `false`, `null`, or an array or object in single quotes (`'[1, 2]'`)",
        );
        let word = !value.is_empty()
            && value
                .chars()
                .all(|c| c.is_alphanumeric() || "-_.".contains(c));
        match word {
            // A bare word meant as a string.
            true => invalid.fix(format!("\"{value}\"")),
            false => invalid,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reason<T: std::fmt::Debug>(r: Result<T, Invalid>) -> String {
        r.expect_err("rejected").reason
    }

    #[test]
    fn methods_are_tokens_in_capitals() {
        for ok in ["GET", "HEAD", "POST", "PROPFIND", "M-SEARCH"] {
            check_method(ok).unwrap();
        }
        let lower = check_method("post").unwrap_err();
        assert_eq!(
            (lower.fix.as_deref(), lower.fix_is_certain),
            (Some("POST"), true)
        );
        let spaced = check_method("GE T").unwrap_err();
        assert_eq!(spaced.part, Some(2..3));
        assert_eq!(reason(check_method("")), "is empty");
    }

    #[test]
    fn headers_are_a_name_a_colon_and_a_value() {
        assert_eq!(
            parse_header("Authorization:  Bearer x:y ").unwrap(),
            ("Authorization".into(), "Bearer x:y".into())
        );
        assert_eq!(parse_header("X-Empty:").unwrap().1, "");
        let eq = parse_header("Accept=text/plain").unwrap_err();
        assert_eq!(eq.fix.as_deref(), Some("Accept: text/plain"));
        assert!(reason(parse_header("Accept")).contains("no `:`"));
        assert!(reason(parse_header(": x")).contains("no name"));
        assert_eq!(parse_header("Bad Name: x").unwrap_err().part, Some(3..4));
        assert_eq!(parse_header("X: a\nb").unwrap_err().part, Some(4..5));
    }

    #[test]
    fn regexes_say_where_they_break() {
        assert!(
            compile_regex(r#""status":\s*"up""#)
                .unwrap()
                .is_match(r#"{"status": "up"}"#)
        );
        let open = compile_regex("ready (now").unwrap_err();
        assert!(open.reason.contains("unclosed group"), "{}", open.reason);
        assert_eq!(open.part, Some(6..7));
        let class = compile_regex("[z-a]").unwrap_err();
        assert!(class.reason.contains("invalid"), "{}", class.reason);
        let big = compile_regex(r"\w{1000}\w{1000}\w{1000}").unwrap_err();
        assert!(big.reason.contains("bytes"), "{}", big.reason);
    }

    #[test]
    fn json_pointers_start_with_a_slash() {
        for ok in ["/status", "/checks/0/ok", "/a~1b/c~0d", "/"] {
            check_json_pointer(ok).unwrap();
        }
        let dotted = check_json_pointer(".checks[0].ok").unwrap_err();
        assert_eq!(dotted.fix.as_deref(), Some("/checks/0/ok"));
        assert_eq!(
            check_json_pointer("status").unwrap_err().fix.as_deref(),
            Some("/status")
        );
        assert_eq!(check_json_pointer("").unwrap_err().fix, None);
        assert_eq!(check_json_pointer("/a~2").unwrap_err().part, Some(2..3));
        assert_eq!(check_json_pointer("/a~").unwrap_err().part, Some(2..3));
    }

    #[test]
    fn json_values_are_json_unless_double_quoted() {
        use serde_json::json;
        assert_eq!(parse_json_value("up", true).unwrap(), json!("up"));
        assert_eq!(parse_json_value("3", true).unwrap(), json!("3"));
        assert_eq!(parse_json_value("3", false).unwrap(), json!(3));
        assert_eq!(parse_json_value("true", false).unwrap(), json!(true));
        assert_eq!(
            parse_json_value(r#"{"a": [1, null]}"#, false).unwrap(),
            json!({"a": [1, null]})
        );
        let word = parse_json_value("up", false).unwrap_err();
        assert!(word.reason.starts_with("is not JSON"), "{}", word.reason);
        assert_eq!(word.fix.as_deref(), Some("\"up\""));
        assert_eq!(parse_json_value("{", false).unwrap_err().fix, None);
    }
}
