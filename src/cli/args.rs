//! Arguments shared by several commands.

use crate::plan::env::Env;
use clap::Args;

/// `--env K=V` and `--env-file F`: the environment that `check` and `plan`
/// resolve `${...}` against (they never read the process environment, so a
/// plan is reproducible).
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
        Ok(env)
    }
}
