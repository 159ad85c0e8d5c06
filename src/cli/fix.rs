//! `zinit check --fix [--unsafe-fixes] [--diff]`: the fixing half of
//! `check`. What was applied goes to standard error; the report of what
//! remains is `check`'s own, on standard output.

use crate::check::fix::fix_text;
use crate::check::{FileReport, SourceFile};
use crate::fmt::unified_diff;
use crate::input::{INLINE_NAME, LoadedScript, STDIN_NAME};
use clap::Args;
use std::io::Write;

#[derive(Debug, Clone, Default, Args)]
pub struct FixArgs {
    /// Apply the safe fixes and rewrite the files; report what was applied
    /// and what remains.
    #[arg(long)]
    pub fix: bool,
    /// With `--fix` or `--diff`: apply the unsafe fixes too (guesses that
    /// may change what the script does).
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// Print the fixes as a unified diff instead of writing them (and
    /// instead of the report).
    #[arg(long)]
    pub diff: bool,
}

impl FixArgs {
    pub fn wanted(&self) -> Result<bool, String> {
        if self.unsafe_fixes && !self.fix && !self.diff {
            return Err("--unsafe-fixes needs --fix or --diff".into());
        }
        Ok(self.fix || self.diff)
    }
}

/// What fixing came to: the scripts with their fixed text (to be
/// reported on as `check` does) and whether any text changed.
pub struct FixedFiles {
    pub scripts: Vec<LoadedScript>,
    pub changed: bool,
}

/// Fixes every script, writes the changed files (unless `--diff`, or the
/// text came from standard input or `-e`: those show a diff), and lists
/// what was applied on standard error.
pub fn fix_files(
    loaded: Vec<LoadedScript>,
    args: &FixArgs,
    check: impl Fn(LoadedScript) -> FileReport,
) -> Result<FixedFiles, String> {
    let mut scripts = Vec::with_capacity(loaded.len());
    let (mut changed, mut applied, mut files, mut unsafe_left) = (false, 0, 0, 0);
    let mut stdout = std::io::stdout().lock();
    for script in loaded {
        let name = script.file.name.clone();
        if script.decode_error.is_some() {
            // The text was decoded lossily: writing it back would lose bytes.
            eprintln!("zinit: {name}: not fixed: the file is not valid UTF-8");
            scripts.push(script);
            continue;
        }
        let fixed = fix_text(&script.file.text, args.unsafe_fixes, |text| {
            let file = SourceFile::new(name.clone(), text);
            let loaded = LoadedScript {
                file,
                decode_error: None,
            };
            check(loaded).diagnostics
        });
        for fix in &fixed.applied {
            let unsafe_note = if fix.safe { "" } else { " (unsafe)" };
            eprintln!(
                "{name}:{}:{}: fixed {}: {}{unsafe_note}",
                fix.line, fix.column, fix.code, fix.message
            );
        }
        unsafe_left += fixed
            .remaining
            .iter()
            .filter(|d| d.fix.as_ref().is_some_and(|f| !f.is_safe()))
            .count();
        if fixed.text != *script.file.text {
            changed = true;
            applied += fixed.applied.len();
            files += 1;
            let in_memory = name == STDIN_NAME || name == INLINE_NAME;
            if args.diff || in_memory {
                stdout
                    .write_all(unified_diff(&name, &script.file.text, &fixed.text).as_bytes())
                    .map_err(|e| format!("cannot write the diff: {e}"))?;
            } else {
                std::fs::write(&name, &fixed.text).map_err(|e| format!("{name}: {e}"))?;
            }
        }
        scripts.push(LoadedScript {
            file: SourceFile::new(name, fixed.text),
            decode_error: None,
        });
    }
    let verb = if args.diff { "would apply" } else { "applied" };
    let more = match unsafe_left {
        0 => String::new(),
        n => format!("; {n} unsafe fix{} left, see --unsafe-fixes", plural_es(n)),
    };
    eprintln!(
        "zinit: {verb} {applied} fix{} in {files} file{}{more}",
        plural_es(applied),
        if files == 1 { "" } else { "s" },
    );
    Ok(FixedFiles { scripts, changed })
}

fn plural_es(n: usize) -> &'static str {
    if n == 1 { "" } else { "es" }
}
