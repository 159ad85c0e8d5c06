//! What a rewrite changes, as a unified diff (`fmt --check`, `check --fix --diff`).

use similar::TextDiff;
use std::time::Duration;

/// Past this, the diff is finished by a faster, less minimal method: a
/// file whose every line changed would otherwise cost quadratic time.
const DEADLINE: Duration = Duration::from_millis(500);

/// `--- NAME` / `+++ NAME` and the changed hunks with three lines of
/// context; empty when the texts are equal.
pub fn unified_diff(name: &str, old: &str, new: &str) -> String {
    if old == new {
        return String::new();
    }
    TextDiff::configure()
        .timeout(DEADLINE)
        .diff_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(name, name)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::unified_diff;

    #[test]
    fn equal_texts_give_no_diff_and_changes_give_hunks() {
        assert_eq!(unified_diff("a.zinit", "x\n", "x\n"), "");
        assert_eq!(
            unified_diff("a.zinit", "a\nb\n", "a\nc\n"),
            "--- a.zinit\n+++ a.zinit\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n"
        );
    }

    #[test]
    fn a_file_whose_every_line_changed_still_diffs_every_line() {
        let (old, new) = ("a\n".repeat(20_000), "b\n".repeat(20_000));
        let diff = unified_diff("big.zinit", &old, &new);
        assert_eq!(diff.lines().filter(|l| *l == "-a").count(), 20_000);
        assert_eq!(diff.lines().filter(|l| *l == "+b").count(), 20_000);
    }
}
