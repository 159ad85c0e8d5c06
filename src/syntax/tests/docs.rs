//! The error pages of the book and the error fixtures say what they show:
//! each example produces its code, each fix parses cleanly.

use crate::syntax::codes::SYNTAX_CODES;
use crate::syntax::parse;
use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn codes_of(source: &str) -> Vec<&'static str> {
    parse(source).errors.iter().map(|e| e.code).collect()
}

/// `(info string, body)` of every fenced block tagged `zinit`.
fn zinit_blocks(markdown: &str) -> Vec<(String, String)> {
    let mut blocks = Vec::new();
    let mut current: Option<(String, String)> = None;
    for line in markdown.lines() {
        match current.as_mut() {
            Some(_) if line.starts_with("```") => blocks.extend(current.take()),
            Some((_, body)) => {
                body.push_str(line);
                body.push('\n');
            }
            None => {
                if let Some(info) = line.strip_prefix("```zinit") {
                    current = Some((info.trim().to_string(), String::new()));
                }
            }
        }
    }
    blocks
}

#[test]
fn every_syntax_code_has_a_book_page_whose_examples_hold() {
    for (code, _) in SYNTAX_CODES.iter().skip(1) {
        let path = root().join(format!("book/src/errors/{code}.md"));
        let page =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(page.starts_with(&format!("# {code}: ")), "{code}: heading");
        let blocks = zinit_blocks(&page);
        let expect = format!("expect={code}");
        assert!(
            blocks.iter().any(|(info, _)| *info == expect),
            "{code}: no example"
        );
        assert!(
            blocks.iter().any(|(info, _)| info.is_empty()),
            "{code}: no fix"
        );
        for (info, body) in blocks {
            let found = codes_of(&body);
            if info.is_empty() {
                assert!(
                    found.is_empty(),
                    "{code}: fix block has errors {found:?}:\n{body}"
                );
            } else {
                assert_eq!(found, [*code], "{code}: example:\n{body}");
            }
        }
    }
}

#[test]
fn every_syntax_code_has_a_fixture_that_produces_it() {
    let dir = root().join("tests/fixtures/err");
    let mut covered = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("fixture folder") {
        let path = entry.expect("entry").path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if !name.starts_with("syntax-") {
            continue;
        }
        let source = std::fs::read_to_string(&path).expect("fixture text");
        let code = source
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("# expect: "))
            .and_then(|l| l.split_whitespace().next())
            .unwrap_or_else(|| panic!("{name}: first line must be `# expect: CODE`"));
        let found = codes_of(&source);
        assert!(
            !found.is_empty() && found.iter().all(|c| *c == code),
            "{name}: expected only {code}, got {found:?}"
        );
        covered.push(code.to_string());
    }
    for (code, _) in SYNTAX_CODES.iter().skip(1) {
        assert!(covered.iter().any(|c| c == code), "no fixture for {code}");
    }
}

#[test]
fn grammar_files_name_every_keyword() {
    let ebnf = std::fs::read_to_string(root().join("grammar/zinit.ebnf")).expect("grammar");
    let tm_text =
        std::fs::read_to_string(root().join("grammar/zinit.tmLanguage.json")).expect("tmLanguage");
    let tm: serde_json::Value = serde_json::from_str(&tm_text).expect("valid JSON");
    assert_eq!(tm["scopeName"], "source.zinit");
    for keyword in crate::syntax::parser::keywords() {
        assert!(
            ebnf.contains(&format!("\"{keyword}\"")),
            "`{keyword}` missing from zinit.ebnf"
        );
        let alternative = |sep: char| format!("{sep}{keyword}");
        assert!(
            tm_text.contains(&alternative('(')) || tm_text.contains(&alternative('|')),
            "`{keyword}` missing from zinit.tmLanguage.json"
        );
    }
}
