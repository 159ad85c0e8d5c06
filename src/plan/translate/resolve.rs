//! `${...}` in what the platform runs itself. The script zinit runs keeps
//! its variables as written (they resolve in the container); a sidecar's
//! command, env and working directory, and a native probe's port, are
//! written into the manifest, so they are resolved now, against `--env` /
//! `--env-file` as for the ZLayer export (never the process environment,
//! so the output is reproducible).

use crate::check::Diagnostic;
use crate::plan::env::{Env, resolve};
use crate::text::Text;

pub struct Resolver<'a> {
    env: &'a Env,
}

impl<'a> Resolver<'a> {
    pub fn new(env: &'a Env) -> Self {
        Resolver { env }
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
            if !errors.contains(&diagnostic) {
                errors.push(diagnostic);
            }
            String::new()
        })
    }
}
