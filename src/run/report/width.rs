//! Text made safe for where it goes: lines cut to the terminal's width
//! (so a live line never wraps and the redraw stays right), and the
//! control characters of child output made visible instead of obeyed.

use unicode_width::UnicodeWidthChar;

/// `line` cut to `width` columns, ending in `…` when cut. Escape sequences
/// (colors) take no room and are kept; a cut colored line is reset.
pub fn fit(line: &str, width: usize) -> String {
    let columns: usize = pieces(line).map(|(_, w)| w).sum();
    if columns <= width {
        return line.to_string();
    }
    let budget = width.saturating_sub(1);
    let mut out = String::with_capacity(width * 4 + 8);
    let mut used = 0;
    let mut escaped = false;
    for (piece, w) in pieces(line) {
        if piece.starts_with('\x1b') {
            escaped = true;
        } else if used + w > budget {
            break;
        }
        used += w;
        out.push_str(piece);
    }
    out.push('…');
    if escaped {
        out.push_str("\x1b[0m");
    }
    out
}

/// A line as pieces with their width in columns: a char, or a whole escape
/// sequence (CSI `ESC [ … final`) of width 0.
fn pieces(line: &str) -> impl Iterator<Item = (&str, usize)> {
    let mut rest = line;
    std::iter::from_fn(move || {
        let c = rest.chars().next()?;
        let len = match rest.strip_prefix("\x1b[") {
            Some(csi) => {
                2 + csi
                    .find(|c: char| ('@'..='~').contains(&c))
                    .map_or(csi.len(), |end| end + 1)
            }
            None => c.len_utf8(),
        };
        let (piece, tail) = rest.split_at(len);
        rest = tail;
        let width = if len == c.len_utf8() && c != '\x1b' {
            c.width().unwrap_or(0)
        } else {
            0
        };
        Some((piece, width))
    })
}

/// Control characters shown in caret notation, as `cat -v` does (`ESC` →
/// `^[`, `CR` → `^M`, `DEL` → `^?`); tabs stay. For plain output, where
/// a child's escape codes must not move the cursor of a log viewer.
pub fn visible_controls(line: &str) -> String {
    if !line.chars().any(is_control) {
        return line.to_string();
    }
    let mut out = String::with_capacity(line.len() + 8);
    for c in line.chars() {
        push_visible(&mut out, c);
    }
    out
}

/// For a terminal: a child's colors (SGR, `ESC [ … m`) kept and reset at
/// the end of the line; every other control shown in caret notation, so
/// nothing moves the cursor under the live region.
pub fn terminal_safe(line: &str) -> String {
    if !line.chars().any(is_control) {
        return line.to_string();
    }
    let mut out = String::with_capacity(line.len() + 8);
    let mut colored = false;
    let mut rest = line;
    while let Some(c) = rest.chars().next() {
        if let Some(sgr) = sgr_at(rest) {
            out.push_str(sgr);
            colored = true;
            rest = &rest[sgr.len()..];
            continue;
        }
        push_visible(&mut out, c);
        rest = &rest[c.len_utf8()..];
    }
    if colored {
        out.push_str("\x1b[0m");
    }
    out
}

/// `ESC [ digits/;/: m` at the start of `text`.
fn sgr_at(text: &str) -> Option<&str> {
    let params = text.strip_prefix("\x1b[")?;
    let len = params
        .bytes()
        .take_while(|b| b.is_ascii_digit() || *b == b';' || *b == b':')
        .count();
    (params.as_bytes().get(len) == Some(&b'm')).then(|| &text[..2 + len + 1])
}

fn is_control(c: char) -> bool {
    c != '\t' && c.is_control()
}

fn push_visible(out: &mut String, c: char) {
    match c {
        '\t' => out.push(c),
        '\x7f' => out.push_str("^?"),
        c if (c as u32) < 0x20 => {
            out.push('^');
            out.push(char::from(b'@' + c as u8));
        }
        c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
        c => out.push(c),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fits_lines_to_the_width_by_columns() {
        assert_eq!(fit("short", 10), "short");
        assert_eq!(fit("exactly ten", 11), "exactly ten");
        assert_eq!(fit("0123456789abc", 10), "012345678…");
        // Wide characters take two columns each.
        assert_eq!(fit("日本語のテキスト", 7), "日本語…");
        // Colors take no room; a cut colored line is reset.
        assert_eq!(
            fit("\x1b[32m✓\x1b[0m 0123456789", 6),
            "\x1b[32m✓\x1b[0m 012…\x1b[0m"
        );
    }

    #[test]
    fn controls_become_visible() {
        assert_eq!(visible_controls("plain"), "plain");
        assert_eq!(
            visible_controls("\x1b[2Jgone\rback\x07\x7f\tok"),
            "^[[2Jgone^Mback^G^?\tok"
        );
        assert_eq!(visible_controls("a\u{9b}b"), "a\\u{9b}b");
    }

    #[test]
    fn terminals_keep_colors_only() {
        assert_eq!(
            terminal_safe("\x1b[1;31mred\x1b[0m \x1b[2K\x1b[1A"),
            "\x1b[1;31mred\x1b[0m ^[[2K^[[1A\x1b[0m"
        );
        assert_eq!(terminal_safe("no codes"), "no codes");
    }
}
