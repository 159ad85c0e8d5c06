//! Resolving `${...}` interpolation against an environment. Plans keep
//! templates; `zinit run` resolves them against the process environment and
//! `zinit plan`/`check` against `--env K=V` / `--env-file`.

use crate::check::Diagnostic;
use crate::syntax::Span;
use crate::syntax::ast::{Fallback, Text, TextPart, VarRef};
use std::collections::HashMap;

#[derive(Debug, Clone, Default)]
pub struct Env {
    vars: HashMap<String, String>,
}

impl Env {
    pub fn empty() -> Self {
        Env::default()
    }

    pub fn from_process() -> Self {
        Env {
            vars: std::env::vars_os()
                .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
                .collect(),
        }
    }

    pub fn set(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.vars.insert(name.into(), value.into());
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.vars.get(name).map(String::as_str)
    }

    /// Every variable, in no particular order.
    pub fn vars(&self) -> impl Iterator<Item = (&str, &str)> {
        self.vars.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// Reads `K=V` lines (blank lines and `#` comments skipped, optional
    /// `export ` prefix, matching quotes around V removed), as dotenv files do.
    pub fn parse_env_file(&mut self, text: &str) -> Result<(), String> {
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let line = line.strip_prefix("export ").unwrap_or(line);
            let (k, v) = line
                .split_once('=')
                .ok_or_else(|| format!("line {}: expected K=V, found `{line}`", n + 1))?;
            let v = v.trim();
            let v = strip_matching_quotes(v);
            self.set(k.trim(), v);
        }
        Ok(())
    }
}

fn strip_matching_quotes(v: &str) -> &str {
    for q in ['"', '\''] {
        if v.len() >= 2 && v.starts_with(q) && v.ends_with(q) {
            return &v[1..v.len() - 1];
        }
    }
    v
}

/// A variable that could not be resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct Unresolved {
    pub name: String,
    pub span: Span,
    /// The `:?message`, when the script gave one.
    pub message: Option<String>,
}

impl Unresolved {
    pub fn to_diagnostic(&self) -> Diagnostic {
        let d = super::codes::UNRESOLVED_VAR.at(
            self.span,
            format!("environment variable `{}` is not set", self.name),
        );
        match &self.message {
            Some(m) => d.with_label(m.clone()),
            None => d.with_label("not set, and no default").with_help(format!(
                "set `{0}`, or give a default: `${{{0}:-value}}`",
                self.name
            )),
        }
    }
}

/// The text with every variable replaced. An empty value counts as unset for
/// `:-` and `:?`, as in POSIX shells.
pub fn resolve(text: &Text, env: &Env) -> Result<String, Unresolved> {
    let mut out = String::new();
    for part in &text.parts {
        match part {
            TextPart::Literal(s) => out.push_str(s),
            TextPart::Var(var) => out.push_str(&resolve_var(var, env)?),
        }
    }
    Ok(out)
}

/// Every variable of `text` that cannot be resolved (not only the first, so
/// `check` reports them all at once).
pub fn unresolved<'a>(text: &'a Text, env: &'a Env) -> impl Iterator<Item = Unresolved> + 'a {
    text.vars().filter_map(|var| resolve_var(var, env).err())
}

fn resolve_var(var: &VarRef, env: &Env) -> Result<String, Unresolved> {
    let value = env.get(&var.name);
    match (&var.fallback, value) {
        (Fallback::None, Some(v)) => Ok(v.to_string()),
        (_, Some(v)) if !v.is_empty() => Ok(v.to_string()),
        (Fallback::Default(d), _) => Ok(d.clone()),
        (Fallback::None, None) => Err(Unresolved {
            name: var.name.clone(),
            span: var.span,
            message: None,
        }),
        (Fallback::Error(m), _) => Err(Unresolved {
            name: var.name.clone(),
            span: var.span,
            message: Some(m.clone()).filter(|m| !m.is_empty()),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::ast::Quote;

    fn var(name: &str, fallback: Fallback) -> TextPart {
        TextPart::Var(Box::new(VarRef {
            name: name.into(),
            fallback,
            span: Span::new(0, 1),
        }))
    }

    fn text(parts: Vec<TextPart>) -> Text {
        Text {
            parts: parts.into(),
            quote: Quote::Bare,
            span: Span::new(0, 1),
        }
    }

    #[test]
    fn empty_values_count_as_unset_for_defaults_and_messages_only() {
        let mut env = Env::empty();
        env.set("EMPTY", "");
        let plain = text(vec![var("EMPTY", Fallback::None)]);
        assert_eq!(resolve(&plain, &env), Ok(String::new()));
        let defaulted = text(vec![var("EMPTY", Fallback::Default("d".into()))]);
        assert_eq!(resolve(&defaulted, &env), Ok("d".into()));
        let required = text(vec![var("EMPTY", Fallback::Error("need it".into()))]);
        let error = resolve(&required, &env).expect_err("empty is unset for :?");
        assert_eq!(error.message.as_deref(), Some("need it"));
    }

    #[test]
    fn every_unresolved_variable_is_listed() {
        let mut env = Env::empty();
        env.set("B", "b");
        let t = text(vec![
            var("A", Fallback::None),
            TextPart::Literal(":".into()),
            var("B", Fallback::None),
            var("C", Fallback::Error(String::new())),
        ]);
        let names: Vec<String> = unresolved(&t, &env).map(|u| u.name).collect();
        assert_eq!(names, ["A", "C"]);
        assert_eq!(resolve(&t, &env).expect_err("A is unset").name, "A");
    }

    #[test]
    fn env_files_read_like_dotenv() {
        let mut env = Env::empty();
        let file = "# comment\n\nexport A=1\nB = \"two words\"\nC='x=y'\n";
        env.parse_env_file(file).expect("valid");
        assert_eq!(
            (env.get("A"), env.get("B"), env.get("C")),
            (Some("1"), Some("two words"), Some("x=y"))
        );
        let error = env
            .parse_env_file("A=1\nnot a pair\n")
            .expect_err("invalid");
        assert_eq!(error, "line 2: expected K=V, found `not a pair`");
    }
}
