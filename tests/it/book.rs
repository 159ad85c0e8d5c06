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

#[test]
fn the_error_index_lists_every_code() {
    let index = std::fs::read_to_string(book_src().join("errors/index.md")).expect("index.md");
    let missing: Vec<&str> = all_codes()
        .into_iter()
        .map(|info| info.code)
        .filter(|code| !index.contains(&format!("| [{code}]({code}.md) |")))
        .collect();
    assert!(
        missing.is_empty(),
        "codes missing from errors/index.md: {missing:?}"
    );
}

/// How mdBook parses pages (mdbook-markdown's options), so links and
/// headings are seen as the built book sees them.
fn markdown_options() -> pulldown_cmark::Options {
    use pulldown_cmark::Options;
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// The ids mdBook gives a page's headings: an explicit `{#id}`, else the
/// heading's text lowercased, spaces as `-`, other punctuation dropped, and
/// `-1`, `-2`... on repeats (mdbook-html's `id_from_content`/`unique_id`).
fn heading_ids(page: &str) -> std::collections::HashSet<String> {
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};
    let mut ids = std::collections::HashSet::new();
    let mut heading: Option<(Option<String>, String)> = None;
    for event in Parser::new_ext(page, markdown_options()) {
        match event {
            Event::Start(Tag::Heading { id, .. }) => {
                heading = Some((id.map(|id| id.to_string()), String::new()));
            }
            Event::Text(text) | Event::Code(text) => {
                if let Some((_, content)) = heading.as_mut() {
                    content.push_str(&text);
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                let Some((explicit, content)) = heading.take() else {
                    continue;
                };
                let base = explicit.unwrap_or_else(|| {
                    content
                        .trim()
                        .to_lowercase()
                        .chars()
                        .filter_map(|c| match c {
                            c if c.is_alphanumeric() || c == '_' || c == '-' => Some(c),
                            c if c.is_whitespace() => Some('-'),
                            _ => None,
                        })
                        .collect()
                });
                let mut id = base.clone();
                let mut repeat = 0;
                while ids.contains(&id) {
                    repeat += 1;
                    id = format!("{base}-{repeat}");
                }
                ids.insert(id);
            }
            _ => {}
        }
    }
    ids
}

/// Every link and image address on a page.
fn link_targets(page: &str) -> Vec<String> {
    use pulldown_cmark::{Event, Parser, Tag};
    Parser::new_ext(page, markdown_options())
        .filter_map(|event| match event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                Some(dest_url.to_string())
            }
            _ => None,
        })
        .collect()
}

/// The page's path inside book/src, as links and SUMMARY.md name it.
fn page_name(page: &Path) -> String {
    let inside = page.strip_prefix(book_src()).expect("inside book");
    inside.display().to_string()
}

/// `page`'s folder joined with `relative`, `.` and `..` resolved; None when
/// it leaves book/src (the built book would not have it).
fn resolve_in_book(page: &Path, relative: &str) -> Option<PathBuf> {
    use std::path::Component;
    let from = page.parent()?.strip_prefix(book_src()).ok()?;
    let mut inside = PathBuf::new();
    for part in from.join(relative).components() {
        match part {
            Component::Normal(name) => inside.push(name),
            Component::CurDir => {}
            Component::ParentDir if inside.pop() => {}
            _ => return None,
        }
    }
    Some(book_src().join(inside))
}

#[test]
fn every_relative_link_in_the_book_finds_its_page_and_heading() {
    let mut broken = Vec::new();
    let mut checked = 0;
    for page in pages() {
        let text = std::fs::read_to_string(&page).expect("read page");
        let name = page_name(&page);
        for link in link_targets(&text) {
            let is_external = link.contains("://") || link.starts_with("mailto:");
            if is_external {
                continue;
            }
            checked += 1;
            let (path, anchor) = link.split_once('#').unwrap_or((&link, ""));
            let target = if path.is_empty() {
                Some(page.clone())
            } else {
                resolve_in_book(&page, path)
            };
            let Some(target) = target.filter(|t| t.is_file()) else {
                broken.push(format!("{name}: `{link}`: not a file inside book/src"));
                continue;
            };
            if anchor.is_empty() {
                continue;
            }
            let has_heading = target.extension().is_some_and(|e| e == "md")
                && heading_ids(&std::fs::read_to_string(&target).expect("read target"))
                    .contains(anchor);
            if !has_heading {
                broken.push(format!("{name}: `{link}`: no heading with id `{anchor}`"));
            }
        }
    }
    assert!(
        checked >= 50,
        "expected the book's cross-references, found {checked} relative links"
    );
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

#[test]
fn heading_ids_are_the_ones_mdbook_writes() {
    let ids = heading_ids("# `wait tcp`: a port\n## Retry, then fail\n## Retry, then fail\n");
    let expected = ["wait-tcp-a-port", "retry-then-fail", "retry-then-fail-1"];
    assert_eq!(ids, expected.iter().map(|s| s.to_string()).collect());
    let explicit = heading_ids("## Exit codes {#codes}\n");
    assert!(explicit.contains("codes") && !explicit.contains("exit-codes"));
}
