//! Characters that would let an imported value hide in, or break out of,
//! a line: found and escaped once, for notes and error messages alike.

use std::fmt::Write;

/// Characters a reader cannot see or that change how a line reads:
/// controls (newlines included), line and paragraph separators, zero-width
/// characters and bidirectional overrides ("trojan source").
pub(super) fn invisible(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200b}'..='\u{200f}' | '\u{2028}'..='\u{202e}' | '\u{2060}'..='\u{2069}' | '\u{feff}')
}

/// `text` with every invisible character written as `\u{HEX}`: safe in a
/// comment and in a one-line message.
pub fn escape_invisible(text: &str) -> String {
    if !text.chars().any(invisible) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if invisible(c) {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        } else {
            out.push(c);
        }
    }
    out
}
