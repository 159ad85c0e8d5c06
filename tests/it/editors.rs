//! The editor configurations of grammar/editors/, which the book's "Editor
//! setup" page includes as they are: each names the same language, file
//! type, grammar and server command (`zinit lsp`), and the CI snippet's
//! `zinit check` commands run as written.

use crate::support::cli::zinit;
use crate::support::node::root;
use serde_json::Value;
use std::path::Path;

fn read(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn toml_file(path: &str) -> toml::Table {
    read(path)
        .parse()
        .unwrap_or_else(|e| panic!("{path} is not TOML: {e}"))
}

fn json_file(path: &str) -> Value {
    serde_json::from_str(&read(path)).unwrap_or_else(|e| panic!("{path} is not JSON: {e}"))
}

/// The tree-sitter grammar's name and file types, and the TextMate scope.
struct Language {
    grammar: String,
    file_types: Vec<String>,
    scope: String,
}

fn language() -> Language {
    let config = json_file("grammar/tree-sitter-zinit/tree-sitter.json");
    let grammar = &config["grammars"][0];
    let scope = json_file("grammar/zinit.tmLanguage.json")["scopeName"]
        .as_str()
        .expect("scopeName")
        .to_string();
    assert_eq!(
        grammar["scope"],
        scope.as_str(),
        "one scope name everywhere"
    );
    Language {
        grammar: grammar["name"].as_str().expect("name").to_string(),
        file_types: serde_json::from_value(grammar["file-types"].clone()).expect("file-types"),
        scope,
    }
}

fn strings(value: &toml::Value) -> Vec<&str> {
    value
        .as_array()
        .expect("an array")
        .iter()
        .map(|v| v.as_str().expect("a string"))
        .collect()
}

#[test]
fn helix_languages_toml() {
    let lang = language();
    let config = toml_file("grammar/editors/helix/languages.toml");
    let entry = &config["language"][0];
    assert_eq!(entry["name"].as_str(), Some(lang.grammar.as_str()));
    assert_eq!(entry["scope"].as_str(), Some(lang.scope.as_str()));
    assert_eq!(strings(&entry["file-types"]), lang.file_types);
    assert_eq!(entry["comment-token"].as_str(), Some("#"));
    assert_eq!(strings(&entry["language-servers"]), ["zinit"]);
    let server = &config["language-server"]["zinit"];
    assert_eq!(server["command"].as_str(), Some("zinit"));
    assert_eq!(strings(&server["args"]), ["lsp"]);
    let grammar = &config["grammar"][0];
    assert_eq!(grammar["name"].as_str(), Some(lang.grammar.as_str()));
    let path = grammar["source"]["path"].as_str().expect("source.path");
    assert!(path.ends_with("/grammar/tree-sitter-zinit"), "{path}");
}

/// Capture names that Helix spells differently from Neovim and Zed.
const HELIX_CAPTURES: &[(&str, &str)] = &[
    ("@number", "@constant.numeric"),
    ("@property", "@variable.other.member"),
    ("@string.escape", "@constant.character.escape"),
];

#[test]
fn helix_highlights_are_the_grammar_query_with_helix_names() {
    let main = read("grammar/tree-sitter-zinit/queries/highlights.scm");
    let helix = read("grammar/editors/helix/queries/zinit/highlights.scm");
    let renamed: String = main
        .lines()
        .map(|line| {
            let line = HELIX_CAPTURES
                .iter()
                .find_map(|(from, to)| {
                    let head = line.strip_suffix(from)?;
                    Some(format!("{head}{to}"))
                })
                .unwrap_or_else(|| line.to_string());
            line + "\n"
        })
        .collect();
    let body: String = helix
        .lines()
        .skip_while(|l| l.starts_with("; Helix") || l.starts_with("; (tests"))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_eq!(
        body, renamed,
        "grammar/editors/helix/queries/zinit/highlights.scm must be the grammar's query \
         with {HELIX_CAPTURES:?} renamed"
    );
    // Node names and fields exist in the grammar.
    tree_sitter::Query::new(&tree_sitter_zinit::LANGUAGE.into(), &helix)
        .expect("the Helix query compiles against the grammar");
}

/// The strings of a Lua table written inline as `KEY = { "a", "b" }`.
fn lua_strings<'a>(lua: &'a str, key: &str) -> Vec<&'a str> {
    let start = lua
        .find(&format!("{key} = {{"))
        .unwrap_or_else(|| panic!("no `{key} = {{`"));
    let rest = &lua[start + key.len() + 4..];
    rest[..rest.find('}').expect("closing brace")]
        .split(',')
        .map(|s| s.trim().trim_matches('"'))
        .filter(|s| !s.is_empty())
        .collect()
}

#[test]
fn neovim_lua() {
    let lang = language();
    let lua = read("grammar/editors/neovim/zinit.lua");
    assert_eq!(lua_strings(&lua, "cmd"), ["zinit", "lsp"]);
    assert_eq!(lua_strings(&lua, "filetypes"), [lang.grammar.as_str()]);
    let ft = &lang.file_types[0];
    assert!(lua.contains(&format!("extension = {{ {ft} = \"{}\" }}", lang.grammar)));
    assert!(lua.contains(&format!("vim.lsp.enable(\"{}\")", lang.grammar)));
    assert!(lua.contains(&format!(
        "vim.treesitter.start(args.buf, \"{}\")",
        lang.grammar
    )));
    assert!(lua.contains(&format!("pattern = \"{}\"", lang.grammar)));
    // The page builds the parser and copies the queries where the comment says.
    let page = read("book/src/editors.md");
    for path in [
        "~/.config/nvim/parser/zinit.so",
        "~/.config/nvim/queries/zinit",
    ] {
        assert!(lua.contains(path) && page.contains(path), "{path}");
    }
}

#[test]
fn vscode_extension() {
    let lang = language();
    let manifest = json_file("grammar/editors/vscode/package.json");
    let contributes = &manifest["contributes"];
    let language = &contributes["languages"][0];
    assert_eq!(language["id"], lang.grammar.as_str());
    let extensions: Vec<String> = lang.file_types.iter().map(|t| format!(".{t}")).collect();
    assert_eq!(language["extensions"], serde_json::json!(extensions));
    let grammar = &contributes["grammars"][0];
    assert_eq!(grammar["scopeName"], lang.scope.as_str());
    assert_eq!(grammar["path"], "./syntaxes/zinit.tmLanguage.json");
    let setting = &contributes["configuration"]["properties"]["zinit.server.path"];
    assert_eq!(setting["default"], "zinit");
    let config = json_file("grammar/editors/vscode/language-configuration.json");
    assert_eq!(config["comments"]["lineComment"], "#");
    let script = read("grammar/editors/vscode/extension.js");
    assert!(script.contains("get('server.path', 'zinit')") && script.contains("args: ['lsp']"));
    // The script is valid JavaScript.
    let check = std::process::Command::new("node")
        .arg("--check")
        .arg(root().join("grammar/editors/vscode/extension.js"))
        .output()
        .expect("node runs");
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
}

#[test]
fn zed_extension() {
    let lang = language();
    let extension = toml_file("grammar/editors/zed/extension.toml");
    let grammar = &extension["grammars"][lang.grammar.as_str()];
    let path = grammar["path"].as_str().expect("grammars.zinit.path");
    assert!(root().join(path).join("grammar.js").is_file(), "{path}");
    let config = toml_file("grammar/editors/zed/languages/zinit/config.toml");
    assert_eq!(config["grammar"].as_str(), Some(lang.grammar.as_str()));
    assert_eq!(strings(&config["path_suffixes"]), lang.file_types);
    assert_eq!(strings(&config["line_comments"]), ["# "]);
}

/// The `run:` lines of the CI snippet that call `zinit`.
fn ci_commands() -> Vec<String> {
    let workflow: serde_json::Value =
        serde_norway::from_str(&read("grammar/editors/ci/github-actions.yml")).expect("YAML");
    let steps = workflow["jobs"]["check"]["steps"]
        .as_array()
        .expect("steps");
    let commands: Vec<String> = steps
        .iter()
        .filter_map(|s| s["run"].as_str())
        .filter(|r| r.starts_with("zinit "))
        .map(str::to_owned)
        .collect();
    assert_eq!(commands.len(), 2, "{commands:?}");
    commands
}

/// Runs a snippet command (`zinit ARGS [> FILE]`) in `dir`: exit code and output.
fn run_in(dir: &Path, command: &str) -> (Option<i32>, String) {
    let (args, redirect) = match command.split_once(" > ") {
        Some((args, file)) => (args, Some(file.trim())),
        None => (command, None),
    };
    let words: Vec<&str> = args.split_whitespace().skip(1).collect();
    let output = zinit()
        .args(&words)
        .current_dir(dir)
        .output()
        .expect("zinit runs");
    let stdout = String::from_utf8(output.stdout).expect("UTF-8");
    if let Some(file) = redirect {
        std::fs::write(dir.join(file), &stdout).expect("write redirect");
    }
    (output.status.code(), stdout)
}

#[test]
fn ci_snippet_commands_run_as_written() {
    let dir = tempfile::tempdir().expect("temp dir");
    for entry in std::fs::read_dir(root().join("examples")).expect("examples") {
        let path = entry.expect("entry").path();
        std::fs::copy(&path, dir.path().join(path.file_name().expect("name"))).expect("copy");
    }
    let [github, sarif] = <[String; 2]>::try_from(ci_commands()).expect("two commands");
    assert!(github.contains("--format github") && sarif.contains("--format sarif"));

    // Clean scripts: no annotation, an empty SARIF run.
    let (code, out) = run_in(dir.path(), &github);
    assert_eq!((code, out.as_str()), (Some(0), ""));
    let (code, _) = run_in(dir.path(), &sarif);
    assert_eq!(code, Some(0));
    let report: Value =
        serde_json::from_str(&read_in(dir.path(), "zinit.sarif")).expect("SARIF is JSON");
    assert_eq!(report["version"], "2.1.0");

    // A script with an error: an annotation at its line, a SARIF result.
    std::fs::write(
        dir.path().join("bad.zinit"),
        "wait tcp db:5432 timeout 30\n",
    )
    .expect("write");
    let (code, out) = run_in(dir.path(), &github);
    assert_eq!(code, Some(1));
    assert!(
        out.starts_with("::error file=") && out.contains("E020"),
        "{out}"
    );
    run_in(dir.path(), &sarif);
    let report: Value = serde_json::from_str(&read_in(dir.path(), "zinit.sarif")).expect("JSON");
    assert_eq!(report["runs"][0]["results"][0]["ruleId"], "E020");
}

fn read_in(dir: &Path, file: &str) -> String {
    std::fs::read_to_string(dir.join(file)).expect("written file")
}

/// The page shows the files the tests above check: every `{{#include}}`
/// resolves, and every configuration file is included or named.
#[test]
fn the_editor_page_includes_the_checked_files() {
    let page = read("book/src/editors.md");
    let page_dir = root().join("book/src");
    let mut included = Vec::new();
    for part in page.split("{{#include ").skip(1) {
        let path = part.split("}}").next().expect("closed include").trim();
        let file = page_dir.join(path);
        assert!(file.is_file(), "{{{{#include {path}}}}} does not resolve");
        let file = file.canonicalize().expect("canonical path");
        included.push(file.strip_prefix(root()).expect("in repo").to_path_buf());
    }
    let mut configs = Vec::new();
    collect_files(&root().join("grammar/editors"), &mut configs);
    for config in configs {
        let relative = config.strip_prefix(root()).expect("in repo");
        let named = relative.display().to_string();
        assert!(
            included.iter().any(|i| i == relative) || page.contains(&named),
            "{named} is neither included in nor named by the Editor setup page"
        );
    }
}

fn collect_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            collect_files(&path, out);
        } else {
            out.push(path);
        }
    }
}
