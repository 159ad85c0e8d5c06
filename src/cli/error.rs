//! The one error type of the commands, printed in one place
//! ([`super::main`]).

use crate::exit::EXIT_USAGE;
use crate::input::InputError;
use std::process::ExitCode;

/// Why a command stopped before its normal end.
#[derive(Debug)]
pub enum CliError {
    /// A usage or I/O error: printed as `zinit: MESSAGE`, exit 2.
    Usage(String),
    /// What went wrong was already printed (diagnostics): exit with this code.
    Reported(u8),
}

impl CliError {
    pub fn usage(message: impl Into<String>) -> Self {
        CliError::Usage(message.into())
    }

    /// Prints the error (if not printed yet) and gives the exit code.
    pub fn report(self) -> ExitCode {
        match self {
            CliError::Usage(message) => {
                eprintln!("zinit: {message}");
                ExitCode::from(EXIT_USAGE)
            }
            CliError::Reported(code) => ExitCode::from(code),
        }
    }
}

impl From<InputError> for CliError {
    fn from(e: InputError) -> Self {
        CliError::Usage(e.to_string())
    }
}

/// `'text'` as a POSIX shell reads it back, for messages that show a
/// command line to copy.
pub fn shell_quote(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=@,+%".contains(c));
    if plain {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_quoting() {
        assert_eq!(shell_quote("./server"), "./server");
        assert_eq!(shell_quote("wait tcp db:5432"), "'wait tcp db:5432'");
        assert_eq!(shell_quote("it's"), "'it'\\''s'");
        assert_eq!(shell_quote(""), "''");
    }
}
