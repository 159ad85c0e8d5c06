//! "Did you mean ...?" for misspelt keywords.

/// The candidate closest to `word`, if it is close enough to be a likely typo.
/// Case and `_` for `-` do not count as differences (`On_Fail` → `on-fail`).
pub(crate) fn did_you_mean<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    // No keyword is long; a long word is no typo (and costs the edit distance).
    if word.len() > 32 {
        return None;
    }
    let normalized = word.to_ascii_lowercase().replace('_', "-");
    let close = candidates
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
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate);
    // A longer or shorter form of a keyword: `maximum` → `max`, `cont` → `continue`.
    close.or_else(|| {
        candidates.iter().copied().find(|candidate| {
            let shorter = candidate.len().min(normalized.len());
            shorter >= 3
                && (normalized.starts_with(candidate) || candidate.starts_with(normalized.as_str()))
        })
    })
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
    fn unrelated_words_find_nothing() {
        assert_eq!(did_you_mean("banana", &["wait", "run", "timeout"]), None);
        assert_eq!(did_you_mean("x", &["as"]), None);
        assert_eq!(did_you_mean("s", &["as"]), None);
    }
}
