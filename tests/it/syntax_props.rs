//! Properties of the parser over generated input: it never panics, spans nest
//! inside their parents and the source, and a printed tree parses back to the
//! same tree.

use proptest::prelude::*;
use zinit::syntax::codes::SYNTAX_CODES;
use zinit::syntax::order::canonical;
use zinit::syntax::walk::{erase_spans, walk_spans_mut};
use zinit::syntax::{parse, print};

const CASES: u32 = 256;

/// Real scripts to mutate: every construct appears at least once.
pub(crate) const CORPUS: &[&str] = &[
    "wait tcp db:5432 timeout 30s on-fail warn; retry backoff 3\n",
    "retry backoff 5 initial 2s max 30s factor 1.5 jitter 25%\ndefaults timeout 1m every 250ms\n\
     wait tcp ${DB_HOST:-db}:${DB_PORT:-5432} as db\n",
    "run [\"./bin/migrate\", \"up\",\n  'x'] as migrate timeout 5m retry 2 backoff initial 5s \\\n  env A=1 B=\"x y\" cwd /app\n",
    "parallel as backends timeout 2m {\n    wait tcp [::1]:11211 closed\n    wait http http://s:9200/h#f status 200..299,2xx body contains \"gr\\u{65}en\" insecure\n\
     parallel { sleep 1.5s; wait file /x gone }\n}\n",
    "s3 pull s3://b/k to /tmp/k endpoint http://minio:9000 region us-east-1 # comment\r\n\
     s3 push /tmp/r to s3://b/r on-fail continue\r\nstart \"./srv ${PORT:?need a port}\" retry 3 every 1s\n",
];

/// Every span is a valid range of the source on char boundaries, and lies
/// inside its parent's span; the same for error spans and fixes.
fn assert_spans_sound(source: &str) -> Result<(), TestCaseError> {
    let parsed = parse(source);
    let mut script = parsed.script;
    let mut problems = Vec::new();
    walk_spans_mut(&mut script, &mut |parent, span| {
        let in_source = span.start() <= span.end()
            && span.end() <= source.len()
            && source.is_char_boundary(span.start())
            && source.is_char_boundary(span.end());
        if !in_source || !parent.contains(*span) {
            problems.push((parent, *span));
        }
    });
    prop_assert!(
        problems.is_empty(),
        "bad spans (parent, child) {problems:?} in {source:?}"
    );
    for error in &parsed.errors {
        let spans = std::iter::once(error.span)
            .chain(error.secondary.iter().map(|(s, _)| *s))
            .chain(error.fix.iter().map(|fix| fix.span));
        for span in spans {
            prop_assert!(
                span.start() <= span.end()
                    && span.end() <= source.len()
                    && source.is_char_boundary(span.start())
                    && source.is_char_boundary(span.end()),
                "error span {span:?} outside {source:?}: {error:?}"
            );
        }
        prop_assert!(
            SYNTAX_CODES.iter().any(|(code, _)| *code == error.code),
            "undocumented code {}",
            error.code
        );
    }
    Ok(())
}

#[derive(Debug, Clone)]
pub(crate) enum Edit {
    Insert(usize, char),
    Delete(usize),
    Replace(usize, char),
}

fn edit_char() -> impl Strategy<Value = char> {
    prop_oneof![
        prop::sample::select(vec![
            ' ', '\n', '\r', '\t', ';', '{', '}', '[', ']', '"', '\'', '\\', '$', '#', '%', ',',
            '.', ':', '-', '0', '9', 's', 'm', 'x', 'é', '☕', '\u{feff}',
        ]),
        any::<char>(),
    ]
}

pub(crate) fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), edit_char()).prop_map(|(at, c)| Edit::Insert(at, c)),
        any::<usize>().prop_map(Edit::Delete),
        (any::<usize>(), edit_char()).prop_map(|(at, c)| Edit::Replace(at, c)),
    ]
}

pub(crate) fn apply(source: &str, edits: &[Edit]) -> String {
    let mut chars: Vec<char> = source.chars().collect();
    for edit in edits {
        let len = chars.len();
        match *edit {
            Edit::Insert(at, c) => chars.insert(at % (len + 1), c),
            Edit::Delete(at) if len > 0 => {
                chars.remove(at % len);
            }
            Edit::Replace(at, c) if len > 0 => chars[at % len] = c,
            _ => {}
        }
    }
    chars.into_iter().collect()
}

/// Fragments that reach deep into the grammar when strung together.
pub(crate) fn token_soup() -> impl Strategy<Value = String> {
    let tokens = prop::sample::select(vec![
        "wait ",
        "tcp ",
        "http ",
        "file ",
        "run ",
        "start ",
        "sleep ",
        "s3 ",
        "pull ",
        "push ",
        "to ",
        "parallel ",
        "retry ",
        "defaults ",
        "none ",
        "restart ",
        "backoff ",
        "timeout ",
        "on-fail ",
        "every ",
        "env ",
        "cwd ",
        "as ",
        "status ",
        "body ",
        "contains ",
        "initial ",
        "max ",
        "factor ",
        "jitter ",
        "{",
        "}",
        "[",
        "]",
        ",",
        ";",
        "\n",
        "\\\n",
        "#c\n",
        "30s ",
        "30 ",
        "1.5 ",
        "25% ",
        "2xx ",
        "K=",
        "\"a\\\"b\" ",
        "'q' ",
        "${A:-d}",
        "${",
        "$$",
        "\"",
        "'",
        "é",
        "\r\n",
    ]);
    prop::collection::vec(tokens, 0..40).prop_map(|t| t.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    #[test]
    fn arbitrary_text_never_panics_and_spans_nest(source in any::<String>()) {
        assert_spans_sound(&source)?;
    }

    #[test]
    fn token_soup_never_panics_and_spans_nest(source in token_soup()) {
        assert_spans_sound(&source)?;
    }

    #[test]
    fn mutated_scripts_never_panic_and_spans_nest(
        base in prop::sample::select(CORPUS),
        edits in prop::collection::vec(edit(), 1..6),
    ) {
        assert_spans_sound(&apply(base, &edits))?;
    }

    #[test]
    fn printed_trees_parse_back_to_the_same_tree(script in trees::script()) {
        let text = print(&script);
        let parsed = parse(&text);
        prop_assert!(parsed.errors.is_empty(), "errors {:#?} for\n{text}", parsed.errors);
        // The printer writes clauses in the canonical order.
        prop_assert_eq!(erase_spans(&parsed.script), canonical(&erase_spans(&script)), "printed:\n{}", text);
    }
}

#[test]
fn deep_nesting_is_bounded() {
    let deep = format!("{}{}", "parallel { ".repeat(10_000), "}".repeat(10_000));
    let parsed = parse(&deep);
    assert!(parsed.errors.iter().any(|e| e.code == "E032"));
}

#[test]
fn pathological_lines_finish() {
    // Each would take quadratic time or memory in a naive scanner.
    let inputs = [
        (format!("wait file {}", "${".repeat(100_000)), false),
        (format!("wait file {}", "${A}".repeat(50_000)), true),
        (format!("{} tcp a:1", "w".repeat(200_000)), false),
        (format!("run [{}]", "\"a\", ".repeat(50_000)), true),
        ("\"".repeat(100_000), false),
        (format!("run \"{}\"", "\\q".repeat(50_000)), false),
    ];
    for (input, clean) in &inputs {
        assert_eq!(parse(input).errors.is_empty(), *clean, "{}", &input[..40]);
    }
}

#[test]
fn corpus_parses_cleanly_and_round_trips() {
    for source in CORPUS {
        let parsed = parse(source);
        assert!(parsed.errors.is_empty(), "{source}: {:#?}", parsed.errors);
        let again = parse(&print(&parsed.script));
        assert!(again.errors.is_empty());
        assert_eq!(
            erase_spans(&again.script),
            canonical(&erase_spans(&parsed.script))
        );
    }
}

// Also drives the tree-sitter grammar tests and the formatter's properties.
pub(crate) mod trees;
