//! Arguments shared by several commands.

use crate::plan::env::Env;
use clap::Args;
use std::ops::Not;

/// `--env K=V` and `--env-file F`: the environment that `check` and `plan`
/// resolve `${...}` against (they never read the process environment, so a
/// plan is reproducible); for `run`, variables set over the process
/// environment. Files are read in order, then `--env`, so a later value wins.
#[derive(Debug, Clone, Default, Args)]
pub struct EnvArgs {
    /// Set a variable for interpolation (repeatable).
    #[arg(long = "env", value_name = "K=V")]
    pub vars: Vec<String>,
    /// Read variables from a dotenv-style file (repeatable).
    #[arg(long = "env-file", value_name = "FILE")]
    pub files: Vec<String>,
}

impl EnvArgs {
    pub fn load(&self) -> Result<Env, String> {
        let mut env = Env::empty();
        for file in &self.files {
            let text = std::fs::read_to_string(file).map_err(|e| format!("{file}: {e}"))?;
            env.parse_env_file(&text)
                .map_err(|e| format!("{file}: {e}"))?;
        }
        for pair in &self.vars {
            let (k, v) = pair
                .split_once('=')
                .ok_or_else(|| format!("--env expects K=V, found `{pair}`"))?;
            env.set(k, v);
        }
        // Only names `${NAME}` can refer to; and no NUL, which no process
        // environment can hold.
        for (key, value) in env.vars() {
            if crate::syntax::is_var_name(key).not() {
                return Err(format!(
                    "`{key}` is not a variable name ([A-Za-z_][A-Za-z0-9_]*)"
                ));
            }
            if value.contains('\0') {
                return Err(format!("the value of `{key}` holds a NUL byte"));
            }
        }
        Ok(env)
    }
}
