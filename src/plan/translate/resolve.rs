//! `${...}` in what the platform runs itself. The script zinit runs keeps
//! its variables as written (they resolve in the container); a sidecar's
//! command, env and working directory, and a native probe's port, are
//! written into the manifest, so they are resolved now, against `--env` /
//! `--env-file` as for the ZLayer export (never the process environment,
//! so the output is reproducible).

use crate::check::Diagnostic;
use crate::plan::env::{Env, resolve};
use crate::span::Span;
use crate::text::Text;
use std::cell::RefCell;
use std::collections::HashSet;

pub struct Resolver<'a> {
    env: &'a Env,
    /// Where each error given out points, and what it says: a text baked
    /// twice is reported once (a lookup, not a scan of every error).
    reported: RefCell<HashSet<(Span, String)>>,
}

impl<'a> Resolver<'a> {
    pub fn new(env: &'a Env) -> Self {
        Resolver {
            env,
            reported: RefCell::default(),
        }
    }

    /// The value now, or why it is only known at run time.
    pub fn known(&self, text: &Text) -> Result<String, String> {
        resolve(text, self.env).map_err(|unresolved| {
            format!(
                "`${{{}}}` is unset here (set it with --env to write its value in)",
                unresolved.name
            )
        })
    }

    /// The value now; an unset variable is an error (E150) in `errors`.
    pub fn bake(&self, text: &Text, errors: &mut Vec<Diagnostic>) -> String {
        resolve(text, self.env).unwrap_or_else(|unresolved| {
            let diagnostic = unresolved.to_diagnostic();
            let key = (diagnostic.primary.span, diagnostic.message.clone());
            if self.reported.borrow_mut().insert(key) {
                errors.push(diagnostic);
            }
            String::new()
        })
    }
}
