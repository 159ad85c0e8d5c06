//! The tree-sitter grammar (grammar/tree-sitter-zinit) against zinit's own
//! parser, over every example, fixture and ```zinit block of the book: a
//! script zinit parses without a syntax error has no ERROR or MISSING node,
//! and one with a syntax error (E000–E049) has one, except for the codes of
//! `NOT_SEEN_BY_TREE_SITTER`. The highlight and fold queries capture what
//! editors show.

use crate::harness::{check_bytes, zinit_blocks};
use crate::support::node::{root, run_script};
use std::collections::BTreeSet;
use std::path::PathBuf;
use tree_sitter::{Language, Parser, Query, QueryCursor, StreamingIterator, Tree};
use zinit::syntax::codes::SYNTAX_CODES;

mod generated;

/// Syntax codes that tree-sitter's grammar cannot report, and why. For the
/// rest, the grammar is as strict as zinit's parser on every input below.
/// The list is kept exact: a script whose only syntax errors are these
/// codes must parse cleanly (else the code belongs off the list), and every
/// code here must occur in some fixture.
const NOT_SEEN_BY_TREE_SITTER: &[(&str, &str)] = &[
    (
        "E000",
        "editors hand tree-sitter decoded text; an undecodable byte reaches \
         it as one more word character, not as a token error",
    ),
    (
        "E022",
        "a duration too large for 64-bit milliseconds is lexically a \
         duration; the bound is on its value",
    ),
    (
        "E025",
        "a number too large for 64 bits is lexically a number; the bound is \
         on its value",
    ),
    (
        "E032",
        "nesting deeper than 16 groups is a count, which a context-free \
         grammar does not keep",
    ),
    (
        "E045",
        "a typographic quote mark is a word character to a lexer: `‘/tmp/x’` \
         is a well-formed bare word, which zinit rejects for what it means",
    ),
];

fn language() -> Language {
    tree_sitter_zinit::LANGUAGE.into()
}

fn parse(bytes: &[u8]) -> Tree {
    let mut parser = Parser::new();
    parser
        .set_language(&language())
        .expect("grammar ABI matches the tree-sitter runtime");
    parser.parse(bytes, None).expect("a tree")
}

/// The first ERROR or MISSING node, as tree-sitter prints it. A MISSING
/// hidden token (a word's first piece) is not visited, so `has_error` decides.
fn first_error(tree: &Tree) -> Option<String> {
    if !tree.root_node().has_error() {
        return None;
    }
    let mut cursor = tree.walk();
    let mut descend = true;
    loop {
        let node = cursor.node();
        if node.is_error() || node.is_missing() {
            let p = node.start_position();
            let kind = if node.is_missing() {
                "MISSING"
            } else {
                "ERROR"
            };
            return Some(format!(
                "{kind} {} at {}:{}",
                node.kind(),
                p.row + 1,
                p.column + 1
            ));
        }
        if descend && node.has_error() && cursor.goto_first_child() {
            continue;
        }
        if cursor.goto_next_sibling() {
            descend = true;
            continue;
        }
        if !cursor.goto_parent() {
            return Some("a MISSING hidden token".into());
        }
        descend = false;
    }
}

fn zinit_files(dir: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join(dir))
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "zinit"))
        .collect();
    files.sort();
    files
}

/// Lexical corners where the two parsers once disagreed, each either valid
/// or a syntax error in both.
const CORNERS: &[&str] = &[
    "wait http http://host/#frag\n",
    "sleep 1s;# a comment after `;`\n",
    "run \"a$\"\n",
    "run \"$#1 ${A} $$ $x\"\n",
    "run \"#${A}#\"\n",
    "run \"${bad\"\n",
    "run \"\\u{D83D}\"\n",
    "run \"\\u{10FFFF} \\u{000041}\"\n",
    "run \"\\u{110000}\"\n",
    "wait file A$$${A}\n",
    "wait file a\u{b}b\n",
    "wait tcp ${A}:${B}x\n",
    "run \"x\" env A=B=1 C=${D}\n",
    "run \"x\" env _=A=# timeout 1s\n",
    "run [\"a\",\n  \"b\",]\n",
    "wait tcp\nrun \"x\"\n",
    "wait http http://a/ method \"POST\"\n",
    "wait http http://a/ method POST\n",
];

/// Every script the project has: examples, fixtures and the book's blocks.
fn corpus() -> Vec<(String, Vec<u8>)> {
    let mut scripts: Vec<(String, Vec<u8>)> = CORNERS
        .iter()
        .map(|text| (format!("corner {text:?}"), text.as_bytes().to_vec()))
        .collect();
    for dir in ["examples", "tests/fixtures/ok", "tests/fixtures/err"] {
        for file in zinit_files(dir) {
            let name = file
                .strip_prefix(root())
                .expect("in repo")
                .display()
                .to_string();
            scripts.push((name, std::fs::read(&file).expect("script bytes")));
        }
    }
    for page in crate::book::pages() {
        let text = std::fs::read_to_string(&page).expect("page text");
        let name = page.strip_prefix(root()).expect("in repo").display();
        for (n, (_, body)) in zinit_blocks(&text).into_iter().enumerate() {
            scripts.push((format!("{name} block {}", n + 1), body.into_bytes()));
        }
    }
    scripts
}

/// The syntax codes zinit's parser reports for a script.
fn syntax_codes(name: &str, bytes: &[u8]) -> BTreeSet<&'static str> {
    let syntax: BTreeSet<&str> = SYNTAX_CODES.iter().map(|(code, _)| *code).collect();
    check_bytes(name, bytes)
        .diagnostics
        .iter()
        .filter_map(|d| syntax.get(d.code).copied())
        .collect()
}

#[test]
fn tree_sitter_flags_exactly_the_scripts_zinit_rejects_as_syntax() {
    let excluded: BTreeSet<&str> = NOT_SEEN_BY_TREE_SITTER.iter().map(|(c, _)| *c).collect();
    let (mut clean, mut flagged, mut failures) = (0, 0, Vec::new());
    let mut excluded_seen = BTreeSet::new();
    for (name, bytes) in corpus() {
        let codes = syntax_codes(&name, &bytes);
        let error = first_error(&parse(&bytes));
        let must_flag = codes.iter().any(|c| !excluded.contains(c));
        excluded_seen.extend(codes.intersection(&excluded).copied());
        match (must_flag, error) {
            (true, Some(_)) => flagged += 1,
            (false, None) => clean += 1,
            (true, None) => failures.push(format!(
                "{name}: zinit reports {codes:?}, tree-sitter no error"
            )),
            (false, Some(e)) => {
                failures.push(format!("{name}: zinit reports {codes:?}, tree-sitter {e}"))
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(
        excluded_seen, excluded,
        "every code tree-sitter cannot see must occur in a fixture"
    );
    // The corpus really holds both kinds (examples, ok fixtures, book).
    assert!(
        clean >= 100 && flagged >= 30,
        "clean {clean}, flagged {flagged}"
    );
}

#[test]
fn the_spec_example_has_the_tree_editors_query() {
    let tree = parse(b"wait tcp db:5432 timeout 30s on-fail warn; retry backoff 3\n");
    assert_eq!(
        tree.root_node().to_sexp(),
        "(source_file \
         (step action: (wait_tcp target: (word)) \
         (clause (duration)) (clause (on_fail_action))) \
         (policy count: (count)))"
    );
}

const SAMPLE: &str = r#"# db must be up within 30s
retry backoff 3 initial 500ms jitter 25%
wait http http://api:8080/#frag status 200..299,3xx as api on-fail warn
run "echo \"${GREETING:-hi}\" costs $$5" \
    env MODE=prod cwd /srv
start 'raw ${NOT_EXPANDED}'
s3 pull s3://bucket/key to /tmp/key
parallel {
    wait tcp ${DB_HOST:-db}:5432
    run ["./a",
         "b"]
}
"#;

/// Every capture of `query_source` on SAMPLE as (capture, text, start row, end row).
fn captures(query_source: &str) -> Vec<(String, String, usize, usize)> {
    let query = Query::new(&language(), query_source).expect("query compiles");
    let tree = parse(SAMPLE.as_bytes());
    let mut cursor = QueryCursor::new();
    let mut found = Vec::new();
    let mut matches = cursor.captures(&query, tree.root_node(), SAMPLE.as_bytes());
    while let Some((m, index)) = matches.next() {
        let capture = m.captures()[*index];
        let node = capture.node;
        found.push((
            query.capture_names()[capture.index as usize].to_string(),
            SAMPLE[node.byte_range()].to_string(),
            node.start_position().row,
            node.end_position().row,
        ));
    }
    found
}

#[test]
fn the_highlight_query_captures_each_kind() {
    assert!(first_error(&parse(SAMPLE.as_bytes())).is_none());
    let found = captures(tree_sitter_zinit::HIGHLIGHTS_QUERY);
    let has = |capture: &str, text: &str| found.iter().any(|(c, t, ..)| c == capture && t == text);
    let expected = [
        ("comment", "# db must be up within 30s"),
        ("keyword", "retry"),
        ("keyword", "backoff"),
        ("number", "3"),
        ("property", "initial"),
        ("number", "500ms"),
        ("number", "25%"),
        ("keyword", "wait"),
        ("function", "http"),
        ("string.special", "http://api:8080/#frag"),
        ("property", "status"),
        ("number", "200..299,3xx"),
        ("label", "api"),
        ("property", "on-fail"),
        ("constant.builtin", "warn"),
        ("keyword", "run"),
        ("string", r#""echo \"${GREETING:-hi}\" costs $$5""#),
        ("string.escape", r#"\""#),
        ("string.escape", "$$"),
        ("variable", "${GREETING:-hi}"),
        ("punctuation.special", "\\\n"),
        ("property", "env"),
        ("variable.parameter", "MODE="),
        ("string.special", "/srv"),
        ("string", "'raw ${NOT_EXPANDED}'"),
        ("function", "pull"),
        ("keyword.operator", "to"),
        ("string.special", "s3://bucket/key"),
        ("keyword", "parallel"),
        ("punctuation.bracket", "{"),
        ("function", "tcp"),
        ("variable", "${DB_HOST:-db}"),
        ("punctuation.delimiter", ","),
    ];
    let missing: Vec<String> = expected
        .iter()
        .filter(|(c, t)| !has(c, t))
        .map(|(c, t)| format!("@{c} {t:?}"))
        .collect();
    assert!(
        missing.is_empty(),
        "missing captures: {missing:?}\nfound: {found:#?}"
    );
    // `#` inside a URL is not a comment; `${...}` in a raw string is not expanded.
    assert!(
        !found
            .iter()
            .any(|(c, t, ..)| c == "comment" && t.contains("frag"))
    );
    assert!(
        !found
            .iter()
            .any(|(c, t, ..)| c == "variable" && t.contains("NOT_EXPANDED"))
    );
}

#[test]
fn the_fold_query_folds_groups_and_argv_lists() {
    let folds: Vec<(usize, usize)> = captures(include_str!(
        "../../grammar/tree-sitter-zinit/queries/folds.scm"
    ))
    .into_iter()
    .filter(|(c, ..)| c == "fold")
    .map(|(_, _, start, end)| (start, end))
    .collect();
    // The `parallel` body (rows 7–11) and the argv list (rows 9–10).
    assert_eq!(folds, [(7, 11), (9, 10)]);
}

/// `src/grammar.json` is what `grammar.js` says today (evaluated by node
/// with the grammar DSL), so nobody edited the grammar and forgot to run
/// `tree-sitter generate`, which writes it and `src/parser.c` together.
#[test]
fn the_committed_grammar_json_is_generated_from_grammar_js() {
    let dir = root().join("grammar/tree-sitter-zinit");
    let evaluated = run_script("tree-sitter-grammar-json.cjs", &[&dir.join("grammar.js")]);
    let evaluated: serde_json::Value = serde_json::from_str(&evaluated).expect("JSON");
    let committed = std::fs::read_to_string(dir.join("src/grammar.json")).expect("grammar.json");
    let mut committed: serde_json::Value = serde_json::from_str(&committed).expect("JSON");
    committed
        .as_object_mut()
        .expect("an object")
        .remove("$schema");
    assert!(
        evaluated == committed,
        "src/grammar.json is stale: run `tree-sitter generate` in grammar/tree-sitter-zinit"
    );
}
