//! Checks a script exactly as `zinit check` does, for the fixture and book
//! tests. A script may start with harness directives, which are comments
//! to zinit: `#! env K=V ...` checks against that environment (as `--env`;
//! `#! env` alone is an empty one), `#! max-duration D` as
//! `--max-duration D`.
#![allow(dead_code)]

use zinit::check::env::Env;
use zinit::check::{CheckOptions, FileReport};
use zinit::cli::check::{check_one, parse_max_duration};
use zinit::cli::input::LoadedScript;
use zinit::syntax::source::decode;

pub struct Directives {
    options: CheckOptions,
    max_duration: Option<std::time::Duration>,
}

pub fn directives(text: &str) -> Directives {
    let mut options = CheckOptions::default();
    let mut max_duration = None;
    for line in text.lines().map_while(|l| l.strip_prefix("#!")) {
        let mut words = line.split_whitespace();
        match words.next() {
            Some("env") => {
                let mut env = Env::empty();
                for pair in words {
                    let (k, v) = pair.split_once('=').expect("#! env K=V");
                    env.set(k, v);
                }
                options.env = Some(env);
            }
            Some("max-duration") => {
                let value = words.next().expect("#! max-duration D");
                max_duration = Some(parse_max_duration(value).expect("a valid duration"));
            }
            other => panic!("unknown harness directive {other:?}"),
        }
    }
    Directives {
        options,
        max_duration,
    }
}

/// Checks bytes exactly as `zinit check` does, under a stable display name.
pub fn check_bytes(name: &str, bytes: &[u8]) -> FileReport {
    let (text, decode_error) = decode(bytes);
    let directives = directives(&text);
    let loaded = LoadedScript {
        file: zinit::check::SourceFile::new(name, text),
        decode_error,
    };
    check_one(loaded, &directives.options, directives.max_duration)
}

/// The fenced `zinit` blocks of a page: (info string, body).
pub fn zinit_blocks(page: &str) -> Vec<(String, String)> {
    let mut blocks = Vec::new();
    let mut lines = page.lines();
    while let Some(line) = lines.next() {
        let Some(info) = line.trim_start().strip_prefix("```") else {
            continue;
        };
        let body: Vec<&str> = lines
            .by_ref()
            .take_while(|l| !l.trim_start().starts_with("```"))
            .collect();
        if info.split_whitespace().next() == Some("zinit") {
            blocks.push((info.trim().to_string(), body.join("\n") + "\n"));
        }
    }
    blocks
}

/// Codes whose example cannot be written in a Markdown page (they are about
/// the bytes of the file); their pages describe the bytes instead.
const NOT_WRITABLE_AS_TEXT: &[&str] = &["E000"];
