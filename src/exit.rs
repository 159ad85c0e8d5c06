//! Exit codes, defined once for every command (SPEC §3) and the engine.

/// Success (`check`: no errors; `run`: the init and CMD succeeded).
pub const EXIT_OK: u8 = 0;
/// `check` found errors; `run`'s init failed.
pub const EXIT_FAILED: u8 = 1;
/// The usage is wrong, an input cannot be read, or the script is invalid.
pub const EXIT_USAGE: u8 = 2;
