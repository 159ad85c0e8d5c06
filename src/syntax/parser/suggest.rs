//! "Did you mean ...?" for misspelt keywords.

use super::cursor::shorten;
use crate::syntax::{Applicability, Span, SyntaxError};

/// The candidate closest to `word`, if it is close enough to be a likely typo.
/// Case and `_` for `-` do not count as differences (`On_Fail` → `on-fail`).
pub(crate) fn did_you_mean<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    guess(word, candidates).map(|guess| guess.keyword)
}

/// A keyword guess for a misspelt word, and whether it is certain.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Guess<'a> {
    pub keyword: &'a str,
    pub applicability: Applicability,
}

/// The closest candidate, as `did_you_mean`. It is certain (a safe fix) when
/// one edit (or only case and `_`) separates it from `word` and no other
/// candidate is as close; a longer or shorter form (`maximum` → `max`) and
/// a farther typo are guesses.
pub(crate) fn guess<'a>(word: &str, candidates: &[&'a str]) -> Option<Guess<'a>> {
    // No keyword is long; a long word is no typo (and costs the edit distance).
    if word.len() > 32 {
        return None;
    }
    let normalized = word.to_ascii_lowercase().replace('_', "-");
    let distances: Vec<(usize, &'a str)> = candidates
        .iter()
        .map(|candidate| {
            (
                strsim::damerau_levenshtein(&normalized, candidate),
                *candidate,
            )
        })
        // One- and two-letter words are too short to tell a typo from noise.
        .filter(|(distance, candidate)| {
            *distance == 0 || (normalized.len() >= 3 && *distance <= (candidate.len() / 3).max(1))
        })
        .collect();
    if let Some(&(best, keyword)) = distances.iter().min_by_key(|(distance, _)| *distance) {
        let ties = distances.iter().filter(|(d, _)| *d == best).count();
        let certain = best <= 1 && ties == 1;
        return Some(Guess {
            keyword,
            applicability: if certain {
                Applicability::Safe
            } else {
                Applicability::Unsafe
            },
        });
    }
    // A longer or shorter form of a keyword: `maximum` → `max`, `cont` → `continue`.
    candidates
        .iter()
        .copied()
        .find(|candidate| {
            let shorter = candidate.len().min(normalized.len());
            shorter >= 3
                && (normalized.starts_with(candidate) || candidate.starts_with(normalized.as_str()))
        })
        .map(|keyword| Guess {
            keyword,
            applicability: Applicability::Unsafe,
        })
}

/// "expected one of `a`, `b` PLACE, found `w`", with the guess as its fix.
pub(crate) fn unknown_keyword(
    code: &'static str,
    span: Span,
    word: &str,
    candidates: &[&str],
    place: &str,
) -> SyntaxError {
    let error = SyntaxError::new(
        code,
        span,
        format!(
            "expected one of {} {place}, found `{}`",
            one_of(candidates),
            shorten(word)
        ),
    )
    .with_label("unknown keyword");
    match guess(word, candidates) {
        Some(guess) => error
            .with_help(format!("did you mean `{}`?", guess.keyword))
            .with_fix(guess.applicability, span, guess.keyword),
        None => error,
    }
}

/// "`a`, `b`, `c`" for messages.
pub(crate) fn one_of(candidates: &[&str]) -> String {
    candidates
        .iter()
        .map(|c| format!("`{c}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_find_their_keyword() {
        assert_eq!(did_you_mean("wiat", &["wait", "run"]), Some("wait"));
        assert_eq!(did_you_mean("tpc", &["tcp", "http", "file"]), Some("tcp"));
        assert_eq!(did_you_mean("timout", &["timeout", "as"]), Some("timeout"));
        assert_eq!(did_you_mean("onfail", &["on-fail"]), Some("on-fail"));
        assert_eq!(did_you_mean("on_fail", &["on-fail"]), Some("on-fail"));
        assert_eq!(did_you_mean("Wait", &["wait"]), Some("wait"));
        assert_eq!(did_you_mean("maximum", &["initial", "max"]), Some("max"));
        assert_eq!(
            did_you_mean("cont", &["fail", "continue"]),
            Some("continue")
        );
    }

    #[test]
    fn one_close_typo_is_certain_a_farther_or_tied_one_is_a_guess() {
        let applicability =
            |word, candidates: &[&str]| guess(word, candidates).map(|g| g.applicability);
        assert_eq!(
            applicability("timout", &["timeout", "as"]),
            Some(Applicability::Safe)
        );
        assert_eq!(
            applicability("On_Fail", &["on-fail"]),
            Some(Applicability::Safe)
        );
        // Prefix forms and two edits are guesses.
        assert_eq!(
            applicability("maximum", &["initial", "max"]),
            Some(Applicability::Unsafe)
        );
        assert_eq!(
            applicability("tmieuot", &["timeout"]),
            Some(Applicability::Unsafe)
        );
        // One edit from two keywords: tied, a guess.
        assert_eq!(
            applicability("rum", &["run", "sum"]),
            Some(Applicability::Unsafe)
        );
    }

    #[test]
    fn unrelated_words_find_nothing() {
        assert_eq!(did_you_mean("banana", &["wait", "run", "timeout"]), None);
        assert_eq!(did_you_mean("x", &["as"]), None);
        assert_eq!(did_you_mean("s", &["as"]), None);
    }
}
