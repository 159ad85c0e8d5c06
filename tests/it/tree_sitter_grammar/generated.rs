//! Differential properties over generated scripts, beyond the corpus:
//! tree-sitter accepts every script zinit prints, and on mutated scripts
//! and token soup it never reports an error where zinit's parser sees
//! none. (The other direction does not hold everywhere: tree-sitter
//! does not insist on a blank between tokens, so `30stimeout` or
//! `"a"gone` pass there; see the Grammars decisions in the book.)
use super::{first_error, parse};
use crate::syntax_props::{CORPUS, apply, edit, token_soup, trees};
use proptest::prelude::*;
use zinit::syntax::{parse as zinit_parse, print};

/// Inputs where the two lexers differ by design, left out here:
/// - U+0000: tree-sitter's lexer reads it as the end of the input;
/// - `\` at the very end of the file, or `\` then a blank that is not
///   the line's end: zinit looks ahead for the newline, tree-sitter's
///   continuation token needs one.
fn comparable(text: &str) -> bool {
    !text.contains('\0')
        && !text.trim_end_matches([' ', '\t', '\r']).ends_with('\\')
        && !text.contains("\\ ")
        && !text.contains("\\\t")
}

fn never_stricter(text: &str) -> Result<(), TestCaseError> {
    prop_assume!(comparable(text));
    let error = first_error(&parse(text.as_bytes()));
    prop_assert!(
        error.is_none() || !zinit_parse(text).errors.is_empty(),
        "tree-sitter {error:?}, zinit no error, in\n{text:?}"
    );
    Ok(())
}

/// 512 cases, or `PROPTEST_CASES` when set (to search harder).
fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(512)
}

proptest! {
    // More cases reject more inputs: the limit on rejects grows with them.
    #![proptest_config(ProptestConfig {
        max_global_rejects: cases().saturating_mul(2).max(1024),
        ..ProptestConfig::with_cases(cases())
    })]

    /// Every script zinit prints (every statement, clause, value form,
    /// nesting, quoting) parses without an ERROR or MISSING node.
    #[test]
    fn printed_scripts_parse_cleanly(script in trees::script()) {
        let text = print(&script);
        prop_assume!(zinit_parse(&text).errors.is_empty() && comparable(&text));
        let error = first_error(&parse(text.as_bytes()));
        prop_assert!(error.is_none(), "{error:?} in\n{text}");
    }

    #[test]
    fn never_stricter_on_token_soup(text in token_soup()) {
        never_stricter(&text)?;
    }

    #[test]
    fn never_stricter_on_mutated_scripts(
        base in prop::sample::select(CORPUS),
        edits in prop::collection::vec(edit(), 1..6),
    ) {
        never_stricter(&apply(base, &edits))?;
    }
}
