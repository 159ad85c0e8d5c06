//! `zinit check --fix`: apply the diagnostics' fixes to the text. Fixes
//! that do not overlap are applied together, from the end of the file
//! backwards so earlier offsets stay valid; then the text is checked again
//! and the fixes found then applied, a bounded number of times.

use super::diagnostic::{Diagnostic, Fix};
use crate::syntax::Span;
use crate::syntax::line_index::line_col;

/// How many check-and-fix rounds at most: a fix can uncover another (a
/// statement left out for a syntax error is checked once it parses), but
/// a fix that never removes its diagnostic must not loop.
pub const MAX_ROUNDS: usize = 8;

/// A fix that was applied, where it was (in the text of its round).
#[derive(Debug, Clone, PartialEq)]
pub struct Applied {
    pub code: &'static str,
    pub line: usize,
    pub column: usize,
    /// The diagnostic's message.
    pub problem: String,
    /// The fix's message.
    pub message: String,
    pub safe: bool,
}

/// The text after every round, what was applied, and the diagnostics of
/// the final text.
#[derive(Debug, Clone)]
pub struct Fixed {
    pub text: String,
    pub applied: Vec<Applied>,
    pub remaining: Vec<Diagnostic>,
}

/// Fixes `text` until no fix applies (safe ones only unless
/// `include_unsafe`), re-checking it with `check` after each round.
pub fn fix_text(
    text: &str,
    include_unsafe: bool,
    mut check: impl FnMut(&str) -> Vec<Diagnostic>,
) -> Fixed {
    let mut text = text.to_string();
    let mut applied = Vec::new();
    let mut diagnostics = check(&text);
    for _ in 0..MAX_ROUNDS {
        let (fixed, round) = apply_fixes(&text, &diagnostics, include_unsafe);
        if round.is_empty() || fixed == text {
            break;
        }
        applied.extend(round);
        text = fixed;
        diagnostics = check(&text);
    }
    Fixed {
        text,
        applied,
        remaining: diagnostics,
    }
}

/// One round: every applicable fix that overlaps no other chosen one,
/// chosen from the end of the file. Returns the new text and what was
/// applied, in source order.
pub fn apply_fixes(
    text: &str,
    diagnostics: &[Diagnostic],
    include_unsafe: bool,
) -> (String, Vec<Applied>) {
    let mut candidates: Vec<(&Diagnostic, &Fix, Span)> = diagnostics
        .iter()
        .filter_map(|d| Some((d, d.fix.as_ref()?)))
        .filter(|(_, fix)| (fix.is_safe() || include_unsafe) && !fix.edits.is_empty())
        .filter_map(|(d, fix)| Some((d, fix, extent(fix, text)?)))
        .collect();
    candidates.sort_by_key(|&(_, _, extent)| std::cmp::Reverse((extent.start(), extent.end())));
    let mut chosen: Vec<(&Diagnostic, &Fix, Span)> = Vec::new();
    for candidate in candidates {
        let fits = chosen
            .last()
            .is_none_or(|&(_, _, after)| apart(candidate.2, after));
        if fits {
            chosen.push(candidate);
        }
    }
    let mut out = text.to_string();
    let mut applied = Vec::with_capacity(chosen.len());
    // `chosen` runs from the end of the file to its start.
    for (diagnostic, fix, extent) in &chosen {
        let mut edits: Vec<_> = fix.edits.iter().collect();
        edits.sort_by_key(|e| std::cmp::Reverse(e.span.start()));
        for edit in edits {
            out.replace_range(edit.span.start()..edit.span.end(), &edit.replacement);
        }
        let (line, column) = line_col(text, extent.start());
        applied.push(Applied {
            code: diagnostic.code,
            line,
            column,
            problem: diagnostic.message.clone(),
            message: fix.message.clone(),
            safe: fix.is_safe(),
        });
    }
    applied.reverse();
    (out, applied)
}

/// The span covering a fix's edits, if they are valid in `text` and do
/// not overlap one another.
fn extent(fix: &Fix, text: &str) -> Option<Span> {
    let mut spans: Vec<Span> = fix.edits.iter().map(|e| e.span).collect();
    spans.sort();
    let valid = spans.iter().all(|s| {
        s.start() <= s.end()
            && s.end() <= text.len()
            && text.is_char_boundary(s.start())
            && text.is_char_boundary(s.end())
    });
    let disjoint = spans.windows(2).all(|w| apart(w[0], w[1]));
    (valid && disjoint).then(|| Span::new(spans[0].start(), spans[spans.len() - 1].end()))
}

/// `before` ends where `after` may start: no shared byte, and not two
/// insertions at one point (their order would be a guess).
fn apart(before: Span, after: Span) -> bool {
    before.end() < after.start()
        || (before.end() == after.start() && !(before.is_empty() && after.is_empty()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::{CheckOptions, check_source};

    fn check(text: &str) -> Vec<Diagnostic> {
        check_source(text, &CheckOptions::default()).diagnostics
    }

    #[test]
    fn safe_fixes_are_applied_and_rechecked() {
        let fixed = fix_text(
            "wait tcp db:5432 timeout 30 timeout 5s\nsleep 2\n",
            false,
            check,
        );
        assert_eq!(fixed.text, "wait tcp db:5432 timeout 30s\nsleep 2s\n");
        assert!(fixed.remaining.is_empty(), "{:#?}", fixed.remaining);
        let codes: Vec<_> = fixed.applied.iter().map(|a| (a.code, a.line)).collect();
        assert_eq!(codes.len(), 3, "{:#?}", fixed.applied);
    }

    #[test]
    fn overlapping_fixes_wait_for_the_next_round() {
        let edit = |start, end, replacement: &str| crate::check::diagnostic::Edit {
            span: Span::new(start, end),
            replacement: replacement.into(),
        };
        let fix = |edits| Fix {
            message: "m".into(),
            edits,
            applicability: crate::syntax::Applicability::Safe,
        };
        let diagnostic = |f| Diagnostic {
            fix: Some(f),
            ..Diagnostic::error("E001", Span::new(0, 1), "x")
        };
        let diagnostics = [
            diagnostic(fix(vec![edit(0, 3, "A")])),
            diagnostic(fix(vec![edit(2, 4, "B")])),
            diagnostic(fix(vec![edit(5, 5, "C")])),
            diagnostic(fix(vec![edit(5, 5, "D")])),
        ];
        let (out, applied) = apply_fixes("abcdefg", &diagnostics, false);
        // The later of two overlapping fixes wins this round; of two
        // insertions at one point, the first listed.
        assert_eq!(applied.len(), 2);
        assert_eq!(out, "abBeCfg");
    }
}
