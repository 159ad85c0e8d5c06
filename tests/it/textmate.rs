//! `grammar/zinit.tmLanguage.json` run by the TextMate engine VS Code uses
//! (vscode-textmate + vscode-oniguruma, through node): scope snapshots of
//! every example, and the scopes each kind of token must get on a sample.

use crate::support::node::{root, run_script};
use serde::Deserialize;
use std::fmt::Write;
use std::path::{Path, PathBuf};

#[derive(Deserialize)]
struct Token {
    text: String,
    scopes: Vec<String>,
}

#[derive(Deserialize)]
struct Tokenized {
    lines: Vec<Vec<Token>>,
}

fn tokenize(files: &[PathBuf]) -> Vec<Tokenized> {
    let grammar = root().join("grammar/zinit.tmLanguage.json");
    let mut args: Vec<&Path> = vec![&grammar];
    args.extend(files.iter().map(PathBuf::as_path));
    let out = run_script("textmate-tokens.cjs", &args);
    serde_json::from_str(&out).expect("tokenizer JSON")
}

/// One line of source, then each scoped token under it, `.zinit` dropped.
fn render(source: &str, tokenized: &Tokenized) -> String {
    let mut out = String::new();
    for (line, tokens) in source.lines().zip(&tokenized.lines) {
        writeln!(out, "> {line}").unwrap();
        for token in tokens.iter().filter(|t| !t.scopes.is_empty()) {
            let scopes: Vec<&str> = token
                .scopes
                .iter()
                .map(|s| s.strip_suffix(".zinit").unwrap_or(s))
                .collect();
            writeln!(out, "  {:?} {}", token.text, scopes.join(" ")).unwrap();
        }
    }
    out
}

fn examples() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("examples"))
        .expect("examples/")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "zinit"))
        .collect();
    files.sort();
    files
}

#[test]
fn scopes_of_every_example() {
    let files = examples();
    assert!(!files.is_empty(), "no examples found");
    for (file, tokenized) in files.iter().zip(tokenize(&files)) {
        let source = std::fs::read_to_string(file).expect("example text");
        let name = file.file_stem().expect("a name").to_string_lossy();
        insta::assert_snapshot!(format!("textmate_{name}"), render(&source, &tokenized));
    }
}

const SAMPLE: &str = r#"# db must be up within 30s
retry backoff 3 initial 500ms max 1m30s factor 1.5 jitter 25%
wait tcp db:5432 timeout 30s on-fail warn; retry backoff 3
wait tcp [::1]:6379 closed
wait http http://api:8080/#frag status 200..299,3xx as api-ready
run "echo \"${GREETING:-hi}\" costs $$5 \q" \
    env MODE=prod cwd /srv
start 'raw ${NOT_EXPANDED}'
s3 pull s3://bucket/key to /tmp/key
parallel { sleep 1s }
run "./migrate up" retry 2 every 1s
wait http http://api/ status 204
"#;

/// (line, token text, a scope the token must carry, a scope it must not).
const EXPECTED: &[(usize, &str, &str, Option<&str>)] = &[
    (
        0,
        "# db must be up within 30s",
        "comment.line.number-sign",
        None,
    ),
    (1, "retry", "keyword.control.statement", None),
    (1, "backoff", "keyword.other.policy", None),
    (1, "3", "constant.numeric", None),
    (1, "initial", "keyword.other.policy", None),
    (1, "500ms", "constant.numeric.duration", None),
    (1, "1m30s", "constant.numeric.duration", None),
    (1, "1.5", "constant.numeric", None),
    (1, "25%", "constant.numeric.percent", None),
    (2, "wait", "keyword.control.statement", None),
    (2, "tcp", "support.function.action", None),
    (2, "db", "string.unquoted.host", None),
    (2, "5432", "constant.numeric.port", None),
    (2, "timeout", "keyword.other.clause", None),
    (2, "30s", "constant.numeric.duration", None),
    (2, "on-fail", "keyword.other.clause", None),
    (2, "warn", "constant.language.on-fail", None),
    (2, ";", "punctuation.terminator.statement", None),
    (2, "retry", "keyword.control.statement", None),
    (3, "[::1]", "string.unquoted.host", None),
    (3, "6379", "constant.numeric.port", None),
    (3, "closed", "keyword.other.clause", None),
    (4, "http", "support.function.action", None),
    (
        4,
        "http://api:8080/#frag",
        "string.unquoted.url",
        Some("comment.line.number-sign"),
    ),
    (4, "200..299,3xx", "constant.numeric.status", None),
    (4, "api-ready", "entity.name.tag.step-id", None),
    (5, "\\\"", "constant.character.escape", None),
    (5, "GREETING", "variable.other.env", None),
    (5, ":-", "keyword.operator.fallback", None),
    (5, "$$", "constant.character.escape.dollar", None),
    (5, "\\q", "invalid.illegal.escape", None),
    (5, "\\", "constant.character.escape.line-continuation", None),
    (6, "MODE", "variable.other.env-key", None),
    (6, "/srv", "string.unquoted.path", None),
    (
        7,
        "raw ${NOT_EXPANDED}",
        "string.quoted.single",
        Some("meta.interpolation"),
    ),
    (8, "s3://bucket/key", "string.unquoted.url", None),
    (8, "to", "support.function.action", None),
    (9, "{", "punctuation.section.block.begin", None),
    (9, "1s", "constant.numeric.duration", None),
    (10, "retry", "keyword.other.clause", Some("keyword.control")),
    (11, "204", "constant.numeric.status", None),
];

#[test]
fn each_kind_of_token_gets_its_scope() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("sample.zinit");
    std::fs::write(&file, SAMPLE).expect("write sample");
    let tokenized = tokenize(&[file]).pop().expect("one file");
    let mut failures = Vec::new();
    for &(line, text, want, unwanted) in EXPECTED {
        let scopes: Vec<&str> = tokenized.lines[line]
            .iter()
            .filter(|t| t.text.trim() == text)
            .flat_map(|t| t.scopes.iter().map(String::as_str))
            .collect();
        let has = |scope: &str| scopes.iter().any(|s| s.starts_with(scope));
        if !has(want) || unwanted.is_some_and(has) {
            failures.push(format!(
                "line {line} {text:?}: want {want}, not {unwanted:?}; got {scopes:?}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
