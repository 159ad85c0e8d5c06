//! What a rewrite changes, as a unified diff (`fmt --check`, `check --fix --diff`).

use similar::TextDiff;

/// `--- NAME` / `+++ NAME` and the changed hunks with three lines of
/// context; empty when the texts are equal.
pub fn unified_diff(name: &str, old: &str, new: &str) -> String {
    if old == new {
        return String::new();
    }
    TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(name, name)
        .to_string()
}
