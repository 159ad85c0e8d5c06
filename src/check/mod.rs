//! AST → diagnostics: syntax errors, semantic checks and lints, and the
//! renderers that print them.

pub mod codes;
pub mod diagnostic;
pub mod env;
pub mod fix;
pub mod limits;
pub mod render;
mod rules;
pub mod values;
pub mod walk;

pub use diagnostic::{Diagnostic, FileReport, Label, Severity, SourceFile};

use crate::syntax::SyntaxError;
use crate::syntax::ast::Script;
use diagnostic::{Edit, Fix};
use env::Env;

#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// With an environment, every `${...}` it cannot resolve is E150.
    /// Without one, variables are left for run time.
    pub env: Option<Env>,
}

/// A checked script: the tree (with the statements that parsed) and every
/// diagnostic, sorted by position.
#[derive(Debug, Clone)]
pub struct Checked {
    pub script: Script,
    pub diagnostics: Vec<Diagnostic>,
    /// No statement was left out for a syntax error: conclusions about the
    /// whole script (the plan's lints) can be drawn.
    pub complete: bool,
}

impl Checked {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Parses and checks a script: syntax errors, semantic errors, lints, and
/// (with an environment) unresolved variables.
pub fn check_source(text: &str, options: &CheckOptions) -> Checked {
    check_parsed(crate::syntax::parse(text), text, options, |_| Vec::new())
}

/// Checks a parsed script as [`check_source`] does, with `more(script)`
/// (the plan's lints) run at the same time as the checker's rules and its
/// diagnostics joined to theirs: each wants both cores for a large script,
/// and what each does on one core is done while the other works.
pub fn check_parsed(
    parsed: crate::syntax::Parsed,
    text: &str,
    options: &CheckOptions,
    more: impl FnOnce(&Script) -> Vec<Diagnostic> + Send,
) -> Checked {
    let complete = parsed.errors.is_empty();
    let mut diagnostics: Vec<Diagnostic> =
        parsed.errors.into_iter().map(from_syntax_error).collect();
    let script = &parsed.script;
    let (rules, more) = if crate::cores::worth_sharing(script.statements.len()) {
        std::thread::scope(|scope| {
            let more = scope.spawn(|| more(script));
            let rules = rules::check(script, text);
            let more = more
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (rules, more)
        })
    } else {
        (rules::check(script, text), more(script))
    };
    diagnostics.extend(rules);
    if let Some(env) = &options.env {
        for text in walk::texts(script) {
            diagnostics.extend(env::unresolved(text, env).map(|u| u.to_diagnostic()));
        }
    }
    diagnostics.extend(more);
    sort(&mut diagnostics);
    Checked {
        script: parsed.script,
        diagnostics,
        complete,
    }
}

/// Source order: by primary span, then code, so output is stable.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (a.primary.span.start(), a.primary.span.end(), a.code).cmp(&(
            b.primary.span.start(),
            b.primary.span.end(),
            b.code,
        ))
    });
}

pub fn from_syntax_error(error: SyntaxError) -> Diagnostic {
    Diagnostic {
        code: error.code,
        severity: Severity::Error,
        message: error.message,
        primary: Label {
            span: error.span,
            message: error.label,
        },
        secondary: error
            .secondary
            .into_iter()
            .map(|(span, message)| Label::new(span, message))
            .collect(),
        help: error.help,
        fix: error.fix.map(|fix| Fix {
            message: if fix.replacement.is_empty() {
                "remove it".to_string()
            } else {
                format!("replace with `{}`", fix.replacement)
            },
            edits: vec![Edit {
                span: fix.span,
                replacement: fix.replacement,
            }],
            applicability: fix.applicability,
        }),
    }
}
