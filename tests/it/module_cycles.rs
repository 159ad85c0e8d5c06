//! No module cycles in src/: data flows one way (syntax → check → plan →
//! run), and inside a module its children depend on each other one way.
//!
//! Every `crate::…` and `super::…` path in a file (use declarations with
//! their `{…}` groups, and paths written inline) is resolved to the module
//! it names. A dependency of `a::b::x` on `a::c::y` is one of sibling `b`
//! on sibling `c` (under `a`); a cycle among siblings fails the test. A
//! module reaching into its own parent or children is not a cycle. Inline
//! `#[cfg(test)] mod tests` blocks are left out: tests may look anywhere.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

type Module = Vec<String>;

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src") {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `src/run/action/tcp.rs` → `run::action::tcp`; `mod.rs`, `lib.rs` and
/// `main.rs` are their folder's module.
fn module_of(src: &Path, file: &Path) -> Module {
    let relative = file.strip_prefix(src).expect("under src");
    let mut parts: Module = relative
        .iter()
        .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_string())
        .collect();
    if matches!(
        parts.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        parts.pop();
    }
    parts
}

/// The text without comments and without an inline `#[cfg(test)] mod … {…}`.
fn code_of(text: &str) -> String {
    let mut code = String::new();
    for line in text.lines() {
        let line = match line.find("//") {
            Some(at) => &line[..at],
            None => line,
        };
        code.push_str(line);
        code.push('\n');
    }
    if let Some(at) = code.find("#[cfg(test)]\nmod ")
        && code[at..].lines().nth(1).is_some_and(|l| l.ends_with('{'))
    {
        code.truncate(at);
    }
    code
}

/// Every path starting with `crate::` or `super::`, with `use` groups
/// expanded: `use super::{a, b::{c, d}}` gives `super::a`, `super::b::c`, ….
fn paths_in(code: &str) -> Vec<String> {
    let mut paths = Vec::new();
    let bytes = code.as_bytes();
    let mut at = 0;
    while at < code.len() {
        let rest = &code[at..];
        let starts = (rest.starts_with("crate::") || rest.starts_with("super::"))
            && (at == 0 || !is_ident(bytes[at - 1]) && bytes[at - 1] != b':');
        if !starts {
            at += rest.chars().next().map_or(1, char::len_utf8);
            continue;
        }
        let end = path_end(code, at);
        expand(&code[at..end], &mut paths);
        at = end;
    }
    paths
}

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// The end of a path at `start`, a balanced `{…}` group included.
fn path_end(code: &str, start: usize) -> usize {
    let bytes = code.as_bytes();
    let mut depth = 0usize;
    let mut at = start;
    while at < bytes.len() {
        match bytes[at] {
            b'{' => depth += 1,
            b'}' if depth > 0 => depth -= 1,
            b if depth > 0 && (b.is_ascii_whitespace() || b == b',') => {}
            b if is_ident(b) || b == b':' || b == b'*' => {}
            _ if depth == 0 => return at,
            _ => {}
        }
        if depth == 0 && bytes[at] == b'}' {
            return at + 1;
        }
        at += 1;
    }
    at
}

/// `a::{b, c::{d}}` → `a::b`, `a::c::d`.
fn expand(path: &str, out: &mut Vec<String>) {
    let Some(open) = path.find('{') else {
        out.push(path.trim_end_matches("::").to_string());
        return;
    };
    let prefix = &path[..open];
    let inner = &path[open + 1..path.rfind('}').unwrap_or(path.len())];
    let mut depth = 0;
    let mut item = String::new();
    for c in inner.chars().chain(std::iter::once(',')) {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                let item = std::mem::take(&mut item);
                let item = item.trim();
                if item == "self" {
                    out.push(prefix.trim_end_matches("::").to_string());
                } else if !item.is_empty() {
                    expand(&format!("{prefix}{item}"), out);
                }
                continue;
            }
            _ => {}
        }
        item.push(c);
    }
}

/// The module a path names: its longest prefix that is a known module.
fn resolve(from: &Module, path: &str, known: &BTreeSet<Module>) -> Module {
    let mut words = path.split("::").peekable();
    let mut module: Module = Vec::new();
    if words.peek() == Some(&"crate") {
        words.next();
    } else {
        // Each `super` is one parent up, from a file module and a folder module alike.
        module = from.clone();
        while words.peek() == Some(&"super") {
            words.next();
            module.pop();
        }
    }
    for word in words {
        let mut longer = module.clone();
        longer.push(word.to_string());
        if !known.contains(&longer) {
            break;
        }
        module = longer;
    }
    module
}

/// Edges between siblings: for a dependency `from → to`, the children of
/// their closest common ancestor that hold each.
fn sibling_edges(
    deps: &BTreeSet<(Module, Module)>,
) -> BTreeMap<Module, BTreeSet<(String, String)>> {
    let mut edges: BTreeMap<Module, BTreeSet<(String, String)>> = BTreeMap::new();
    for (from, to) in deps {
        let common = from.iter().zip(to).take_while(|(a, b)| a == b).count();
        if common == from.len() || common == to.len() {
            continue; // into a parent or a child
        }
        edges
            .entry(from[..common].to_vec())
            .or_default()
            .insert((from[common].clone(), to[common].clone()));
    }
    edges
}

/// The groups of siblings that depend on each other in a circle (the
/// strongly connected components with more than one member), sorted.
fn find_cycles(edges: &BTreeSet<(String, String)>) -> Vec<Vec<String>> {
    let mut next: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (a, b) in edges {
        next.entry(a).or_default().insert(b);
        next.entry(b).or_default();
    }
    // The graphs are a handful of siblings: reachability by search is plenty.
    let reach = |from: &str| {
        let mut seen = BTreeSet::new();
        let mut todo = vec![from];
        while let Some(node) = todo.pop() {
            for to in &next[node] {
                if seen.insert(*to) {
                    todo.push(to);
                }
            }
        }
        seen
    };
    let reachable: BTreeMap<&str, BTreeSet<&str>> = next.keys().map(|n| (*n, reach(n))).collect();
    let mut groups: BTreeSet<Vec<String>> = BTreeSet::new();
    for node in next.keys() {
        let group: Vec<String> = next
            .keys()
            .filter(|other| {
                other == &node
                    || reachable[node].contains(*other) && reachable[*other].contains(node)
            })
            .map(|n| n.to_string())
            .collect();
        if group.len() > 1 {
            groups.insert(group);
        }
    }
    groups.into_iter().collect()
}

/// Which module uses which, for every file of the crate in `src`.
fn dependencies(src: &Path) -> BTreeSet<(Module, Module)> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    let modules: Vec<(Module, PathBuf)> =
        files.into_iter().map(|f| (module_of(src, &f), f)).collect();
    let known: BTreeSet<Module> = modules.iter().map(|(m, _)| m.clone()).collect();
    let mut deps = BTreeSet::new();
    for (module, file) in &modules {
        let text = std::fs::read_to_string(file).expect("read source");
        for path in paths_in(&code_of(&text)) {
            let to = resolve(module, &path, &known);
            if &to != module {
                deps.insert((module.clone(), to));
            }
        }
    }
    deps
}

/// The sibling cycles of the crate in `src`, one line each.
fn cycles(src: &Path) -> Vec<String> {
    let deps = dependencies(src);
    let mut found = Vec::new();
    for (parent, edges) in sibling_edges(&deps) {
        let parent = if parent.is_empty() {
            "crate".to_string()
        } else {
            parent.join("::")
        };
        for group in find_cycles(&edges) {
            found.push(format!(
                "under {parent}: {} depend on each other",
                group.join(" ↔ ")
            ));
        }
    }
    found
}

#[test]
fn src_has_no_module_cycles() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let found = cycles(&src);
    assert!(found.is_empty(), "module cycles:\n{}", found.join("\n"));
}

#[test]
fn the_engine_and_the_plan_model_never_reach_into_the_syntax_tree() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let wrong: Vec<String> = dependencies(&src)
        .into_iter()
        .filter(|(from, to)| {
            let reads_plan_types = from.first().is_some_and(|m| m == "run")
                || from == &["plan".to_string(), "model".to_string()];
            reads_plan_types && to.first().is_some_and(|m| m == "syntax")
        })
        .map(|(from, to)| format!("{} uses {}", from.join("::"), to.join("::")))
        .collect();
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_detector_finds_a_cycle_between_siblings() {
    let dir = tempfile::tempdir().expect("temp dir");
    let write = |path: &str, text: &str| {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    };
    write("lib.rs", "pub mod run;\n");
    write("run/mod.rs", "mod a;\nmod b;\nuse self::a::X;\n");
    write("run/a.rs", "use super::{b::Y, c};\npub struct X;\n");
    write(
        "run/b.rs",
        "pub struct Y;\nfn f() { crate::run::a::X; }\n#[cfg(test)]\nmod tests {\n}\n",
    );
    assert_eq!(
        cycles(dir.path()),
        ["under run: a ↔ b depend on each other"]
    );
    // The parent using its children, and a test block, are no cycle.
    write(
        "run/b.rs",
        "pub struct Y;\n#[cfg(test)]\nmod tests {\n    use crate::run::a::X;\n}\n",
    );
    assert_eq!(cycles(dir.path()), Vec::<String>::new());
}
