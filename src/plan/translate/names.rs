//! Names of the containers and services: DNS-1123 labels (what Kubernetes
//! and Compose take), unique within one pod or project.

use std::collections::HashSet;

/// `zinit`, `zinit-2`, …
pub(super) fn numbered(base: &str, n: usize) -> String {
    if n == 1 {
        base.to_string()
    } else {
        format!("{base}-{n}")
    }
}

/// The app's name: `--name` as a label, else the script's file stem;
/// `app` when that leaves nothing (`-e`, stdin, `--name '!!'`).
pub(super) fn app_name(given: Option<&str>, file: &str) -> String {
    let stem = || {
        std::path::Path::new(file)
            .file_stem()
            .and_then(|s| s.to_str())
            .filter(|_| !file.starts_with('<'))
            .unwrap_or_default()
    };
    let name = label(given.unwrap_or_else(stem));
    if name.is_empty() { "app".into() } else { name }
}

/// A DNS-1123 label (what Kubernetes and Compose take as a name): lower
/// case letters, digits and `-`, at most 63, starting and ending with a
/// letter or digit.
pub fn dns_label(text: &str) -> String {
    let name = label(text);
    if name.is_empty() { "step".into() } else { name }
}

/// `text` as a label; empty when nothing of it is left.
fn label(text: &str) -> String {
    let mapped: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let mut label = mapped.trim_matches('-').to_string();
    label.truncate(63);
    label.trim_end_matches('-').to_string()
}

/// Container names, unique within the pod or project.
#[derive(Default)]
pub(super) struct Names {
    taken: HashSet<String>,
}

impl Names {
    pub(super) fn take(&mut self, wanted: &str) -> String {
        let mut name = wanted.to_string();
        let mut n = 2;
        while !self.taken.insert(name.clone()) {
            let suffix = format!("-{n}");
            let mut base = wanted.to_string();
            base.truncate(63 - suffix.len());
            name = format!("{}{suffix}", base.trim_end_matches('-'));
            n += 1;
        }
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_dns_labels_and_unique() {
        assert_eq!(dns_label("wait-tcp-DB_5432"), "wait-tcp-db-5432");
        assert_eq!(dns_label("--x--"), "x");
        assert_eq!(dns_label("___"), "step");
        assert_eq!(dns_label(&"a".repeat(80)).len(), 63);
        let mut names = Names::default();
        assert_eq!(names.take("zinit"), "zinit");
        assert_eq!(names.take("zinit"), "zinit-2");
        assert_eq!(names.take("zinit"), "zinit-3");
        assert_eq!(app_name(None, "examples/Quick start.zinit"), "quick-start");
        assert_eq!(app_name(None, "<inline>"), "app");
        assert_eq!(app_name(Some("Shop API"), "x.zinit"), "shop-api");
        assert_eq!(app_name(Some("!!"), "x.zinit"), "app");
    }
}
