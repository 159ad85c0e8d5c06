//! The bounds the checker enforces, and the plan defaults it reasons with.
//! Public so the book, the language server and tests can quote them.

/// The most retries a step (`retry N`) or the script policy (`retry restart
/// N`, `retry backoff N`) may ask for: more than any real init needs, and it
/// keeps worst cases and retry schedules readable (E110).
pub const MAX_RETRIES: u64 = 100;

/// The largest backoff factor: ×100 already reaches any max in one step (E111).
pub const MAX_FACTOR: f64 = 100.0;

/// The longest duration accepted anywhere, 365 days: far beyond any sane
/// init, and far below where deadlines (`now + duration`) stop being
/// representable (E114).
pub const MAX_DURATION_MS: u64 = 365 * 24 * 60 * 60 * 1000;

/// The plan's defaults, mirrored here because check may not depend on the
/// later plan stage; `tests/check_limits.rs` keeps them equal to
/// `plan::model`'s.
pub const DEFAULT_WAIT_TIMEOUT_MS: u64 = 30_000;
pub const DEFAULT_BACKOFF_INITIAL_MS: u64 = 1_000;
pub const DEFAULT_BACKOFF_MAX_MS: u64 = 60_000;
