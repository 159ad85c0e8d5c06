//! Bytes → text. Invalid UTF-8 is a diagnostic, never a crash: the text is
//! decoded lossily so the rest of the file is still parsed and checked.

use super::{Span, SyntaxError, codes};

/// The decoded text, and an error at the first invalid byte if there was one.
pub fn decode(bytes: &[u8]) -> (String, Option<SyntaxError>) {
    decode_owned(bytes.to_vec())
}

/// As [`decode`], taking the bytes: valid text (the common case) is not copied.
pub fn decode_owned(bytes: Vec<u8>) -> (String, Option<SyntaxError>) {
    match String::from_utf8(bytes) {
        Ok(text) => (text, None),
        Err(e) => {
            let bytes = e.as_bytes();
            let e = e.utf8_error();
            let at = e.valid_up_to();
            let bad_len = e.error_len().unwrap_or(bytes.len() - at).max(1);
            let error = SyntaxError::new(
                codes::INVALID_UTF8,
                Span::new(at, at + 3.min(bad_len * 3)),
                format!(
                    "the file is not valid UTF-8 (byte 0x{:02x} at offset {at})",
                    bytes[at]
                ),
            )
            .with_label("invalid UTF-8 here")
            .with_help("save the file as UTF-8");
            (String::from_utf8_lossy(bytes).into_owned(), Some(error))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_utf8_points_at_the_first_bad_byte() {
        let (text, error) = decode(b"sleep 1s\nwait file /tmp/\xff\n");
        let error = error.expect("an error");
        assert_eq!(error.code, codes::INVALID_UTF8);
        assert_eq!(error.span.start(), 24);
        assert!(text.is_char_boundary(error.span.end()));
        assert!(error.message.contains("0xff"));
    }

    #[test]
    fn valid_text_passes_through() {
        assert_eq!(
            decode("sleep 1s # ü".as_bytes()),
            ("sleep 1s # ü".to_string(), None)
        );
    }
}
