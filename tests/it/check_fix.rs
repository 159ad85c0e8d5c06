//! `zinit check --fix`: the fixes of every err fixture remove exactly their
//! diagnostics, and the command rewrites, diffs and reports.

use crate::harness::check_bytes;
use crate::support::cli::zinit;
use std::collections::BTreeMap;
use std::path::Path;
use zinit::check::Diagnostic;
use zinit::check::fix::apply_fixes;
use zinit::syntax::parse;

/// Code and message of each diagnostic, counted (positions move with edits).
fn counted<'d>(
    diagnostics: impl Iterator<Item = &'d Diagnostic>,
) -> BTreeMap<(String, String), usize> {
    let mut counts = BTreeMap::new();
    for d in diagnostics {
        *counts
            .entry((d.code.to_string(), d.message.clone()))
            .or_default() += 1;
    }
    counts
}

/// A new diagnostic that an unsafe fix is known to bring: the fixture,
/// the code, and why. The test fails when it stops happening, so the entry
/// goes with the cause.
const KNOWN_NEW_AFTER_UNSAFE: &[(&str, &str, &str)] = &[(
    "mixed-every-diagnostic.zinit",
    "W104",
    "E106's guess adds `http://` to `localhost:8080`, next to an `insecure` that only means something for https",
)];

/// Applies every fix of every err fixture that has one (safe ones, then
/// all), re-checks, and requires the diagnostics to be the ones before
/// minus the fixed ones. Whole-script conclusions (W101) are only drawn
/// once a script parses completely, so fixing the last syntax error may
/// uncover one; that is the check seeing more, not a fix breaking something.
fn fixes_remove_exactly_their_diagnostics(include_unsafe: bool) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/err");
    let mut fixtures_with_fixes = 0;
    let mut failures = Vec::new();
    let mut known_seen = Vec::new();
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    for path in paths {
        let bytes = std::fs::read(&path).unwrap();
        let Ok(text) = String::from_utf8(bytes.clone()) else {
            continue; // not valid UTF-8: never rewritten
        };
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let before = check_bytes(&name, &bytes).diagnostics;
        let (fixed, applied) = apply_fixes(&text, &before, include_unsafe);
        if applied.is_empty() {
            continue;
        }
        fixtures_with_fixes += 1;
        let mut expected = counted(before.iter());
        for fix in &applied {
            let key = (fix.code.to_string(), fix.problem.clone());
            let count = expected
                .get_mut(&key)
                .expect("an applied fix is a diagnostic's");
            *count -= 1;
            if *count == 0 {
                expected.remove(&key);
            }
        }
        let completed = !parse(&text).errors.is_empty() && parse(&fixed).errors.is_empty();
        let after = check_bytes(&name, fixed.as_bytes()).diagnostics;
        let after = counted(after.iter().filter(|d| {
            let uncovered = completed && d.code == "W101";
            let known = include_unsafe
                && KNOWN_NEW_AFTER_UNSAFE
                    .iter()
                    .any(|(f, code, _)| *f == name && *code == d.code);
            if known {
                known_seen.push((name.clone(), d.code));
            }
            !uncovered && !known
        }));
        if after != expected {
            failures.push(format!(
                "{name}: expected {expected:?}\nfound {after:?}\n{fixed}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    assert!(
        fixtures_with_fixes >= 10,
        "only {fixtures_with_fixes} fixtures have fixes"
    );
    if include_unsafe {
        for (fixture, code, why) in KNOWN_NEW_AFTER_UNSAFE {
            assert!(
                known_seen.iter().any(|(f, c)| f == fixture && c == code),
                "{fixture} no longer gets {code} after its fixes ({why}): remove the entry"
            );
        }
    }
}

#[test]
fn every_safe_fix_removes_exactly_its_diagnostic() {
    fixes_remove_exactly_their_diagnostics(false);
}

#[test]
fn every_fix_removes_exactly_its_diagnostic() {
    fixes_remove_exactly_their_diagnostics(true);
}

#[test]
fn fix_rewrites_diff_shows_and_unsafe_waits_to_be_asked() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a.zinit");
    let text = "wait tcp db:5432 timout 30\nwait tcp a:1 on-fail ignore\n";
    std::fs::write(&file, text).unwrap();

    let diff = zinit()
        .args(["check", "--diff"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(diff.status.code(), Some(1));
    let stdout = String::from_utf8(diff.stdout).unwrap();
    assert!(
        stdout.contains("-wait tcp db:5432 timout 30\n+wait tcp db:5432 timeout 30s\n"),
        "{stdout}"
    );
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        text,
        "--diff writes nothing"
    );

    let fix = zinit()
        .args(["check", "--fix", "--format", "short"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(fix.status.code(), Some(1), "the unsafe fix's error remains");
    let stderr = String::from_utf8(fix.stderr).unwrap();
    assert!(
        stderr.contains(":1:18: fixed E004: replace with `timeout`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("applied 2 fixes in 1 file; 1 unsafe fix left"),
        "{stderr}"
    );
    let stdout = String::from_utf8(fix.stdout).unwrap();
    assert!(
        stdout.contains(":2:22: error[E007]"),
        "what remains: {stdout}"
    );
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        "wait tcp db:5432 timeout 30s\nwait tcp a:1 on-fail ignore\n"
    );

    let all = zinit()
        .args(["check", "--fix", "--unsafe-fixes"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(
        all.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&all.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        "wait tcp db:5432 timeout 30s\nwait tcp a:1 on-fail continue\n"
    );
}

#[test]
fn unsafe_fixes_alone_is_a_usage_error() {
    let output = zinit()
        .args(["check", "--unsafe-fixes", "-e", "sleep 1s"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
}
