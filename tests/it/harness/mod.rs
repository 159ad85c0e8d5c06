//! Checks a script exactly as `zinit check` does, for the fixture and book
//! tests. A script may start with harness directives, which are comments
//! to zinit: `#! env K=V ...` checks against that environment (as `--env`;
//! `#! env` alone is an empty one), `#! max-duration D` as
//! `--max-duration D`. Codes found only once variables are resolved are
//! reached with `#! zlayer` (as `zinit plan --format zlayer`) and
//! `#! resolve` (as `zinit run` does before anything runs).
#![allow(dead_code)]

use zinit::check::env::Env;
use zinit::check::{CheckOptions, FileReport};
use zinit::input::LoadedScript;
use zinit::lint::{check_one, parse_max_duration};
use zinit::syntax::source::decode;

pub struct Directives {
    options: CheckOptions,
    max_duration: Option<std::time::Duration>,
    zlayer: bool,
    resolve: bool,
}

pub fn directives(text: &str) -> Directives {
    let mut options = CheckOptions::default();
    let mut max_duration = None;
    let (mut zlayer, mut resolve) = (false, false);
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
            Some("zlayer") => zlayer = true,
            Some("resolve") => resolve = true,
            other => panic!("unknown harness directive {other:?}"),
        }
    }
    Directives {
        options,
        max_duration,
        zlayer,
        resolve,
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
    let script = zinit::syntax::parse(&loaded.file.text).script;
    let mut report = check_one(loaded, &directives.options, directives.max_duration);
    if report.diagnostics.iter().any(|d| d.is_error()) {
        return report;
    }
    let plan = zinit::plan::compile(&script);
    let env = directives.options.env.unwrap_or_default();
    if directives.zlayer {
        report.diagnostics.extend(
            zinit::plan::zlayer::export(&plan, &env)
                .err()
                .unwrap_or_default(),
        );
    }
    if directives.resolve {
        report.diagnostics.extend(
            zinit::run::resolve::resolve_plan(&plan, &env)
                .err()
                .unwrap_or_default(),
        );
    }
    report
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
