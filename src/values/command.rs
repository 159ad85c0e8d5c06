//! Local paths and commands: what reaches the operating system as is.

use super::{Invalid, Problem};

/// A file or directory path: not empty (an empty path names nothing, and
/// `cwd ""` would fail every spawn).
pub fn check_path(value: &str) -> Result<(), Invalid> {
    if value.is_empty() {
        return Err(Invalid::new(Problem::EmptyPath, "is empty")
            .help("write the path, e.g. `/tmp/ready` or `./data`"));
    }
    check_argument(value)
}

/// The program of an argv list: not empty.
pub fn check_program(program: &str) -> Result<(), Invalid> {
    if program.is_empty() {
        return Err(Invalid::new(
            Problem::EmptyCommand,
            "is empty, so there is no program to run",
        )
        .help("the first element is the program to run, e.g. `[\"./migrate\", \"up\"]`"));
    }
    check_argument(program)
}

/// A shell string: something for `sh -c` to run (blank runs nothing and
/// succeeds, which is never what a step means).
pub fn check_shell(command: &str) -> Result<(), Invalid> {
    if command.trim().is_empty() {
        return Err(Invalid::new(
            Problem::EmptyCommand,
            "is blank, so there is nothing to run",
        )
        .help("write the command to run, e.g. `run \"./migrate up\"`"));
    }
    check_argument(command)
}

/// Anything handed to the operating system as a C string — a path, an
/// argument, an environment value: no NUL byte, which would end it early
/// (the spawn or the file lookup fails every time).
pub fn check_argument(value: &str) -> Result<(), Invalid> {
    match value.find('\0') {
        Some(at) => Err(Invalid::new(
            Problem::NulByte,
            "holds a NUL byte, which no path, argument or environment value can carry",
        )
        .help("remove the `\\0` (`\\u{0}`)")
        .part(at..at + 1)),
        None => Ok(()),
    }
}
