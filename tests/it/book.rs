//! The book is part of the product: every ```zinit block in it is checked
//! (a plain block must have no errors; a block tagged `expect=CODE` must
//! produce that code), every error code has its page, and SUMMARY.md lists
//! every page so none is left out of the built book.

use crate::harness;

use harness::{check_bytes, zinit_blocks};
use std::path::{Path, PathBuf};
use zinit::check::codes::all_codes;

fn book_src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("book/src")
}

fn markdown_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read book dir") {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            markdown_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "md") {
            out.push(path);
        }
    }
}

/// Every page of the book, sorted (also read by the grammar tests).
pub(crate) fn pages() -> Vec<PathBuf> {
    let mut files = Vec::new();
    markdown_files(&book_src(), &mut files);
    files.sort();
    files
}

#[test]
fn every_zinit_block_in_the_book_checks_as_marked() {
    let mut failures = Vec::new();
    let mut count = 0;
    for page in pages() {
        let text = std::fs::read_to_string(&page).expect("read page");
        let name = page
            .strip_prefix(book_src())
            .expect("inside book")
            .display()
            .to_string();
        for (info, body) in zinit_blocks(&text) {
            count += 1;
            let expect = info
                .split_whitespace()
                .find_map(|a| a.strip_prefix("expect="));
            let report = check_bytes(&name, body.as_bytes());
            let codes: Vec<&str> = report.diagnostics.iter().map(|d| d.code).collect();
            match expect {
                Some(code) if !codes.contains(&code) => {
                    failures.push(format!("{name}: expected {code}, got {codes:?}\n{body}"));
                }
                Some(_) => {}
                None => {
                    let errors: Vec<String> = report
                        .diagnostics
                        .iter()
                        .filter(|d| d.is_error())
                        .map(|d| format!("{} {}", d.code, d.message))
                        .collect();
                    if !errors.is_empty() {
                        failures.push(format!(
                            "{name}: expected no errors, got {errors:?}\n{body}"
                        ));
                    }
                }
            }
        }
    }
    assert!(
        count >= 100,
        "expected the book to hold its examples, found {count} blocks"
    );
    assert!(failures.is_empty(), "book blocks:\n{}", failures.join("\n"));
}

#[test]
fn every_code_has_a_page_with_an_example_and_its_fix() {
    let mut problems = Vec::new();
    for info in all_codes() {
        let path = book_src().join(format!("errors/{}.md", info.code));
        let Ok(page) = std::fs::read_to_string(&path) else {
            problems.push(format!("{}: no page at {}", info.code, path.display()));
            continue;
        };
        if !page.starts_with(&format!("# {}: ", info.code)) {
            problems.push(format!(
                "{}: the page must start with `# {}: TITLE`",
                info.code, info.code
            ));
        }
        let blocks = zinit_blocks(&page);
        let expect = format!("zinit expect={}", info.code);
        let has_example = blocks.iter().any(|(i, _)| *i == expect);
        let has_fix = blocks.iter().any(|(i, _)| i == "zinit");
        // Invalid UTF-8 cannot be written in a markdown page.
        if info.code != "E000" && !(has_example && has_fix) {
            problems.push(format!(
                "{}: needs a ```{expect} block and a clean ```zinit block",
                info.code
            ));
        }
        for (_, body) in blocks.iter().filter(|(i, _)| i == "zinit") {
            let report = check_bytes("fixed.zinit", body.as_bytes());
            if report.diagnostics.iter().any(|d| d.code == info.code) {
                problems.push(format!(
                    "{}: the fixed block still produces it:\n{body}",
                    info.code
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

#[test]
fn the_summary_lists_every_page() {
    let summary = std::fs::read_to_string(book_src().join("SUMMARY.md")).expect("SUMMARY.md");
    let missing: Vec<String> = pages()
        .iter()
        .map(|p| {
            p.strip_prefix(book_src())
                .expect("inside book")
                .display()
                .to_string()
        })
        .filter(|p| p != "SUMMARY.md" && !summary.contains(&format!("]({p})")))
        .collect();
    assert!(
        missing.is_empty(),
        "pages missing from SUMMARY.md: {missing:?}"
    );
}
