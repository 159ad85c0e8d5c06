//! The book's ```zinit blocks are highlighted by book/theme/zinit-highlight.js
//! (a highlight.js language, loaded through book.toml's `additional-js`),
//! run here on highlight.js 10, the version mdBook ships.

use crate::harness::zinit_blocks;
use crate::support::node::{root, run_script};
use serde::Deserialize;
use std::path::{Path, PathBuf};

const LANGUAGE_JS: &str = "book/theme/zinit-highlight.js";

#[derive(Deserialize)]
struct Highlighted {
    html: String,
}

fn highlight(files: &[PathBuf]) -> Vec<String> {
    let language = root().join(LANGUAGE_JS);
    let mut args: Vec<&Path> = vec![&language];
    args.extend(files.iter().map(PathBuf::as_path));
    let out: Vec<Highlighted> =
        serde_json::from_str(&run_script("hljs-highlight.cjs", &args)).expect("JSON");
    out.into_iter().map(|h| h.html).collect()
}

#[test]
fn the_book_loads_the_language() {
    let text = std::fs::read_to_string(root().join("book/book.toml")).expect("book.toml");
    let book: toml::Table = text.parse().expect("book.toml is TOML");
    let scripts = book["output"]["html"]["additional-js"]
        .as_array()
        .expect("output.html.additional-js");
    let wanted = LANGUAGE_JS.strip_prefix("book/").expect("inside book/");
    assert!(
        scripts.iter().any(|s| s.as_str() == Some(wanted)),
        "book.toml must load {wanted}: {scripts:?}"
    );
}

const SAMPLE: &str = r#"# db must be up within 30s
wait tcp db:5432 timeout 1m30s on-fail warn; retry backoff 3 jitter 25%
wait http http://api:8080/#frag status 200..299,3xx as api-ready
run "echo \"${GREETING:-hi}\" $$5" \
    env MODE=prod
start 'raw'
"#;

#[test]
fn each_kind_gets_its_class() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("sample.zinit");
    std::fs::write(&file, SAMPLE).expect("write sample");
    let html = highlight(&[file]).pop().expect("one result");
    let expected = [
        ("comment", "# db must be up within 30s"),
        ("keyword", "wait"),
        ("built_in", "tcp"),
        ("string", "db"),
        ("number", "5432"),
        ("attribute", "timeout"),
        ("number", "1m30s"),
        ("attribute", "on-fail"),
        ("literal", "warn"),
        ("keyword", "retry"),
        ("keyword", "backoff"),
        ("number", "3"),
        ("number", "25%"),
        ("built_in", "http"),
        ("link", "http://api:8080/#frag"),
        ("number", "200..299,3xx"),
        ("attribute", "as"),
        ("title", "api-ready"),
        ("symbol", "\\&quot;"),
        ("variable", "${GREETING:-hi}"),
        ("symbol", "$$"),
        ("meta", "\\"),
        ("variable", "MODE"),
        ("string", "&#x27;raw&#x27;"),
    ];
    let missing: Vec<String> = expected
        .iter()
        .map(|(class, text)| format!("<span class=\"hljs-{class}\">{text}</span>"))
        .filter(|span| !html.contains(span))
        .collect();
    assert!(missing.is_empty(), "missing {missing:#?} in\n{html}");
}

#[test]
fn every_book_block_is_highlighted() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut files = Vec::new();
    for page in crate::book::pages() {
        let text = std::fs::read_to_string(&page).expect("page");
        for (_, body) in zinit_blocks(&text) {
            let file = dir.path().join(format!("{}.zinit", files.len()));
            std::fs::write(&file, body).expect("write block");
            files.push(file);
        }
    }
    assert!(files.len() >= 100, "found {} blocks", files.len());
    for (file, html) in files.iter().zip(highlight(&files)) {
        let source = std::fs::read_to_string(file).expect("block");
        // A block with a statement shows it as a keyword.
        let has_statement = source.lines().any(|l| {
            let first = l.split_whitespace().next().unwrap_or("");
            [
                "wait", "run", "start", "sleep", "s3", "parallel", "retry", "defaults",
            ]
            .contains(&first)
        });
        assert!(
            !has_statement || html.contains("<span class=\"hljs-keyword\">"),
            "no keyword highlighted in\n{source}\n{html}"
        );
    }
}
